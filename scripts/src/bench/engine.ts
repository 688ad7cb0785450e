/**
 * pnpm bench:engine — how long the shared engine takes to recompute a round from its marks.
 * Bounded: a fixed number of iterations over the Paris 2024 final (504 marks), a synthetic round, marks files
 * read and scored, then the size series of a machine-scored theory paper (1k → 1M marks) and one round of
 * 10,000 competitors of a one-figure paper. Wall time and this process's CPU time are both printed: on a
 * shared machine the CPU time is the steadier figure.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  type DifficultyInput,
  type EventMarkInput,
  getTemplate,
  readMarksCsv,
  scoreEvent,
} from '@jiangxin/shared';
import { competitorCode, theoryPaper, theoryPaperMarks } from './rounds';

const spread = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95), min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
};

function time(label: string, marks: number, iterations: number, run: () => void) {
  run(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    const used = process.cpuUsage();
    run();
    const { user, system } = process.cpuUsage(used);
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    cpu.push((user + system) / 1000);
  }
  const w = spread(wall);
  const c = spread(cpu);
  console.log(
    `${label}: ${marks} marks, ${iterations} runs — wall median ${w.median.toFixed(2)} ms (min ${w.min.toFixed(2)}, ` +
      `max ${w.max.toFixed(2)}, p95 ${w.p95.toFixed(2)}), CPU median ${c.median.toFixed(2)} ms (min ${c.min.toFixed(2)}, ` +
      `max ${c.max.toFixed(2)}), ${((c.median / marks) * 1000).toFixed(2)} µs CPU per mark, load average ${loadavg()[0]?.toFixed(1)}`,
  );
  return c.median;
}

const diving = getTemplate('diving');
if (!diving) throw new Error('diving template missing');
const csv = readFileSync(
  join(import.meta.dirname, '../../../tests/fixtures/paris2024-men-10m-platform-final.marks.csv'),
  'utf8',
);
const [event] = readMarksCsv(csv, diving).events;
if (!event) throw new Error('fixture empty');
const only = process.argv.includes('--size') ? 'size' : null;
if (only === null) {
  time('diving final (12 divers × 6 dives × 7 judges)', event.marks.length, 50, () =>
    scoreEvent(diving, event.marks, event.difficulties),
  );

  // A large preliminary: 60 divers × 6 dives × 7 judges.
  const marks: EventMarkInput[] = [];
  const difficulties: DifficultyInput[] = [];
  for (let c = 0; c < 60; c++) {
    for (let dive = 1; dive <= 6; dive++) {
      difficulties.push({ round: 'Prelim', competitor: `C${c}`, attempt: dive, difficulty: '3.2' });
      for (let j = 1; j <= 7; j++) {
        marks.push({
          round: 'Prelim',
          competitor: `C${c}`,
          item: `dive-${dive}`,
          judge: `J${j}`,
          value: String(((c * 7 + dive * 3 + j) % 21) / 2),
        });
      }
    }
  }
  time('diving preliminary (60 divers)', marks.length, 20, () => scoreEvent(diving, marks, difficulties));

  // A marks file as `pnpm results` reads it, 400 and 1,600 divers × 6 dives × 7 judges: reading and scoring
  // should grow with the file, not faster (each competitor's marks were once found by a scan of the round).
  const marksFile = (divers: number) => {
    const lines = ['event,round,competitor,item,judge,mark,difficulty'];
    for (let c = 0; c < divers; c++)
      for (let dive = 1; dive <= 6; dive++)
        for (let j = 1; j <= 7; j++)
          lines.push(`E,Final,C${c},dive-${dive},J${j},${((c * 7 + dive * 3 + j) % 21) / 2},3.${dive}`);
    return lines.join('\n');
  };
  for (const divers of [400, 1600]) {
    const text = marksFile(divers);
    time(`marks file read and scored (${divers} divers)`, divers * 42, 3, () => {
      const [read] = readMarksCsv(text, diving).events;
      if (read) scoreEvent(diving, read.marks, read.difficulties);
    });
  }
}

// Linear in the number of marks: a theory paper of 100 questions, 10 → 10,000 competitors (1k → 1M marks).
// The CPU time per mark should stay flat along the series.
const paper = theoryPaper(100);
const series: [number, number][] = [];
for (const [competitors, runs] of [
  [10, 20],
  [100, 10],
  [1000, 5],
  [10_000, 3],
] as const) {
  const marks = theoryPaperMarks(competitors, 100);
  series.push([
    marks.length,
    time(`theory paper of 100 questions, ${competitors} competitors`, marks.length, runs, () =>
      scoreEvent(paper, marks),
    ),
  ]);
}
const [firstMarks, firstCpu] = series[0] ?? [1, 1];
console.log(
  `per mark, relative to 1k marks: ${series.map(([n, ms]) => `${n}: ${(ms / n / (firstCpu / firstMarks)).toFixed(2)}`).join(', ')}`,
);

// The national online contest: one round of 10,000 competitors whose theory paper is entered as one figure
// (the machine's score, 0–100) under the national workers' scheme (ties: practical, then theory).
const national = getTemplate('national-workers');
if (!national) throw new Error('national-workers template missing');
const round = Array.from(
  { length: 10_000 },
  (_, c): EventMarkInput => ({
    round: 'Final',
    competitor: competitorCode(c),
    item: 'theoryPaper',
    judge: 'M',
    value: String((c * 37) % 101),
  }),
);
time('one round of 10,000 competitors, a theory paper each (target under 1 s)', round.length, 10, () =>
  scoreEvent(national, round),
);
