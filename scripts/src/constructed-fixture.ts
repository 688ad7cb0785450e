/**
 * `tsx scripts/src/constructed-fixture.ts [DIR]`: writes the constructed three-round, two-panel diving
 * fixture (tests/fixtures/constructed-3rounds.scheme.json and .marks.csv). Every number is invented, drawn
 * from a seeded generator, not taken from any competition: it exists to run a file shaped like a real
 * championship through `pnpm rehearse` and compare it with `pnpm results`.
 *
 * Its shape: twelve divers and a pool of fourteen judges (J1…J14). The preliminary (six dives) is judged by
 * two panels of seven alternating (J1–J7 the odd start numbers, J8–J14 the even), one diver withdraws after
 * two dives; the top eight go to the semifinal (five dives, the scheme's own count for it), judged by two
 * other panels alternating (J1–J4 with J8–J10; J5–J7 with J11–J14), so J4 and J8 sit on different panels from
 * the preliminary; the top four go to the final (six dives, one panel of seven drawn from the pool), which
 * adds the semifinal. Who reaches each round is what the engine advances (`scoreEvent`), with no tie at a cut.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  csvRow,
  type DifficultyInput,
  type EventMarkInput,
  parseScheme,
  type SchemeInput,
  scoreEvent,
  templateInputs,
} from '@jiangxin/shared';
import { runAsMain, type Writer } from './cli';

export const CONSTRUCTED = 'constructed-3rounds';
const EVENT = 'M3mS';

/** The diving template's rules (7 judges, two highest and two lowest dropped, × difficulty) in three rounds. */
export const constructedScheme: SchemeInput = {
  id: 'constructed-3rounds',
  name: '跳水三轮赛（构造数据：两组裁判交替）',
  nameEn: 'Diving in three rounds (constructed: two panels alternating)',
  source:
    'Constructed for the rehearsal tests by scripts/src/constructed-fixture.ts: every mark, difficulty and ' +
    'name is invented (a seeded generator), not taken from any competition. Diving rules as the diving template.',
  precision: 2,
  rounding: { at: 'total', mode: 'halfUp' },
  components: templateInputs.diving?.components ?? [],
  rounds: [
    { id: 'Prelim', name: '预赛', advance: 8 },
    { id: 'Semi', name: '半决赛', advance: 4, attempts: { dives: 5 } },
    { id: 'Final', name: '决赛', carryOver: ['Semi'] },
  ],
  ranking: { tieBreaks: [] },
};

const pool = (...numbers: number[]) => numbers.map((n) => `J${n}`);
/** The panels of each round; a round's competitors take them in turn, in start order. */
const PANELS: Record<string, string[][]> = {
  Prelim: [pool(1, 2, 3, 4, 5, 6, 7), pool(8, 9, 10, 11, 12, 13, 14)],
  Semi: [pool(1, 2, 3, 4, 8, 9, 10), pool(5, 6, 7, 11, 12, 13, 14)],
  Final: [pool(3, 5, 6, 9, 10, 12, 14)],
};
const DIVES: Record<string, number> = { Prelim: 6, Semi: 5, Final: 6 };
const DIFFICULTIES = ['2.0', '2.4', '2.8', '3.0', '3.2', '3.4', '3.6'];
const DIVERS = Array.from({ length: 12 }, (_, i) => `Diver ${String(i + 1).padStart(2, '0')}`);
/** Withdraws after two dives of the preliminary. */
const WITHDRAWN = 'Diver 07';

/** mulberry32: a small seeded generator, so the fixture is the same on every machine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fixture {
  marks: EventMarkInput[];
  difficulties: DifficultyInput[];
}

function generate(seed: number): Fixture | null {
  const parsed = parseScheme(constructedScheme);
  if (!parsed.ok) throw new Error('the constructed scheme is invalid');
  const scheme = parsed.scheme;
  const next = random(seed);
  const skill = new Map(DIVERS.map((d) => [d, 6 + next() * 2.5]));
  const fixture: Fixture = { marks: [], difficulties: [] };
  let field = DIVERS;
  for (const round of scheme.rounds) {
    const panels = PANELS[round.id] ?? [];
    field.forEach((diver, start) => {
      const panel = panels[start % panels.length] ?? [];
      const dives = diver === WITHDRAWN && round.id === 'Prelim' ? 2 : (DIVES[round.id] ?? 0);
      for (let attempt = 1; attempt <= dives; attempt++) {
        const difficulty = DIFFICULTIES[Math.floor(next() * DIFFICULTIES.length)] ?? '2.0';
        fixture.difficulties.push({ round: round.id, competitor: diver, attempt, difficulty });
        const level = (skill.get(diver) ?? 7) + (next() - 0.5);
        for (const judge of panel) {
          const award = Math.min(10, Math.max(0, Math.round((level + (next() - 0.5) * 1.5) * 2) / 2));
          fixture.marks.push({
            round: round.id,
            competitor: diver,
            item: `dive-${attempt}`,
            judge,
            value: String(award),
          });
        }
      }
    });
    const result = scoreEvent(scheme, fixture.marks, fixture.difficulties);
    const advancement = result.rounds.find((r) => r.round === round.id)?.advancement;
    if (!advancement) break;
    if (advancement.tiedAtCut.length > 0) return null;
    // The next round in start order: the reverse of this round's ranking, as diving draws it.
    field = [...advancement.advancing].reverse();
  }
  return fixture;
}

/** The fixture's two files: the scheme as JSON and the marks file `pnpm results` reads. */
export function constructedFixture(): { scheme: string; marks: string } {
  for (let seed = 1; seed < 1000; seed++) {
    const fixture = generate(seed);
    if (!fixture) continue;
    const difficulty = new Map(
      fixture.difficulties.map((d) => [`${d.round}|${d.competitor}|${d.attempt}`, d.difficulty]),
    );
    const rows = fixture.marks.map((m) => [
      EVENT,
      m.round,
      m.competitor,
      m.item,
      m.judge,
      m.value,
      difficulty.get(`${m.round}|${m.competitor}|${m.item.slice('dive-'.length)}`) ?? '',
    ]);
    const header = ['event', 'round', 'competitor', 'item', 'judge', 'mark', 'difficulty'];
    return {
      scheme: `${JSON.stringify(constructedScheme, null, 2)}\n`,
      marks: `${[header, ...rows].map(csvRow).join('\n')}\n`,
    };
  }
  throw new Error('no seed below 1000 gives a fixture without a tie at a cut');
}

function main(argv: string[], out: Writer): number {
  const dir = argv[0] ?? join(import.meta.dirname, '../../tests/fixtures');
  mkdirSync(dir, { recursive: true });
  const { scheme, marks } = constructedFixture();
  writeFileSync(join(dir, `${CONSTRUCTED}.scheme.json`), scheme);
  writeFileSync(join(dir, `${CONSTRUCTED}.marks.csv`), marks);
  out(`wrote ${CONSTRUCTED}.scheme.json and ${CONSTRUCTED}.marks.csv in ${dir}\n`);
  return 0;
}

runAsMain(import.meta.url, main);
