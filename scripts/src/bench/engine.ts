/**
 * pnpm bench:engine — how long the shared engine takes to recompute a round from its marks.
 * Bounded: a fixed number of iterations over the Paris 2024 final (504 marks), then a synthetic round.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DifficultyInput,
  type EventMarkInput,
  getTemplate,
  readMarksCsv,
  scoreEvent,
} from '@jiangxin/shared';

function time(label: string, marks: number, iterations: number, run: () => void) {
  run(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  console.log(
    `${label}: ${marks} marks, ${iterations} runs — median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, ` +
      `${((marks / at(0.5)) * 1000).toFixed(0)} marks/s recomputed in full`,
  );
}

const diving = getTemplate('diving');
if (!diving) throw new Error('diving template missing');
const csv = readFileSync(
  join(import.meta.dirname, '../../../tests/fixtures/paris2024-men-10m-platform-final.marks.csv'),
  'utf8',
);
const [event] = readMarksCsv(csv, diving).events;
if (!event) throw new Error('fixture empty');
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
function marksFile(divers: number): string {
  const lines = ['event,round,competitor,item,judge,mark,difficulty'];
  for (let c = 0; c < divers; c++)
    for (let dive = 1; dive <= 6; dive++)
      for (let j = 1; j <= 7; j++)
        lines.push(`E,Final,C${c},dive-${dive},J${j},${((c * 7 + dive * 3 + j) % 21) / 2},3.${dive}`);
  return lines.join('\n');
}
for (const divers of [400, 1600]) {
  const text = marksFile(divers);
  time(`marks file read and scored (${divers} divers)`, divers * 42, 3, () => {
    const [read] = readMarksCsv(text, diving).events;
    if (read) scoreEvent(diving, read.marks, read.difficulties);
  });
}
