import { describe, expect, it } from 'vitest';
import { Decimal } from '../decimal';
import { parseScheme, type Scheme, type SchemeInput } from '../scheme/schema';
import { scoreCompetitor } from './competitor';
import { scoreEvent } from './event';
import { itemNames, resolveItem } from './items';
import type { MarkInput } from './types';

/** Rules that real championships need: rounding at several stages, rounds of their own size, a missing judge. */

function schemeOf(input: SchemeInput): Scheme {
  const parsed = parseScheme(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scheme;
}

const panelMarks = (item: string, values: string[]): MarkInput[] =>
  values.map((value, i) => ({ item, judge: `J${i + 1}`, value }));

/**
 * A skating-style program-components sheet: nine judges, the highest and lowest dropped, the mean of seven
 * rounded to the hundredth, then × the program's factor 1.6 and rounded to the hundredth again, summed.
 */
const factored = (stages: NonNullable<SchemeInput['rounding']>['stages']): SchemeInput => ({
  name: 'program components',
  rounding: { mode: 'halfUp', ...(stages ? { stages } : {}) },
  components: [
    {
      id: 'pcs',
      name: 'program components',
      aspects: ['skating', 'composition', 'presentation'].map((id) => ({
        kind: 'judgement' as const,
        id,
        name: id,
        panel: 9,
        range: { min: '0.25', max: '10' },
        step: '0.25',
        aggregation: { method: 'mean' as const, dropHighest: 1, dropLowest: 1 },
        rescale: { from: '1', to: '1.6' },
      })),
    },
  ],
});

const sheet: MarkInput[] = [
  // mean of seven 48/7 = 6.857142…: 6.86 × 1.6 = 10.976 → 10.98 (once: 10.971… → 10.97)
  ...panelMarks('skating', ['6.25', '6.5', '6.75', '6.75', '7', '7', '7', '7', '7']),
  // 57/7 = 8.142857…: 8.14 × 1.6 = 13.024 → 13.02 (once: 13.028… → 13.03)
  ...panelMarks('composition', ['7.75', '7.75', '8', '8', '8.25', '8.25', '8.25', '8.5', '8.5']),
  // 255/28 = 9.107142…: 9.11 × 1.6 = 14.576 → 14.58 (once: 14.571… → 14.57)
  ...panelMarks('presentation', ['8.5', '8.5', '9', '9', '9', '9.25', '9.5', '9.5', '9.5']),
];

describe('rounding at several stages', () => {
  it('rounds the panel mark, then the factored mark, then sums: round(round(mean, 2) × 1.6, 2)', () => {
    const scheme = schemeOf(factored({ panelMark: { places: 2 }, aspect: { places: 2 } }));
    const score = scoreCompetitor(scheme, { competitor: 'A', round: 'Final', marks: sheet });
    const lines = score.components[0]?.aspects.map((a) => [
      a.aspect,
      a.value?.toString(),
      a.points?.toString(),
    ]);
    expect(lines).toEqual([
      ['skating', '6.86', '10.98'],
      ['composition', '8.14', '13.02'],
      ['presentation', '9.11', '14.58'],
    ]);
    expect(score.total.toFixed(2)).toBe('38.58');
  });

  it('differs from rounding once, after the factor (the old format) and from rounding only the total', () => {
    const once = schemeOf({ ...factored(undefined), rounding: { at: 'aspect', mode: 'halfUp' } });
    const onceScore = scoreCompetitor(once, { competitor: 'A', round: 'Final', marks: sheet });
    expect(onceScore.components[0]?.aspects.map((a) => a.points?.toString())).toEqual([
      '10.97',
      '13.03',
      '14.57',
    ]);
    expect(onceScore.total.toFixed(2)).toBe('38.57');
    // Only the total: 1.6 × 675/28 = 38.571… → 38.57.
    const total = scoreCompetitor(schemeOf(factored(undefined)), {
      competitor: 'A',
      round: 'Final',
      marks: sheet,
    });
    expect(total.total.toFixed(2)).toBe('38.57');
  });

  it('gives each stage its own places and mode', () => {
    // Panel mark truncated to one place (6.8, 8.1, 9.1), then × 1.6 rounded half-even to two (10.88, 12.96, 14.56).
    const scheme = schemeOf(
      factored({ panelMark: { places: 1, mode: 'down' }, aspect: { places: 2, mode: 'halfEven' } }),
    );
    const score = scoreCompetitor(scheme, { competitor: 'A', round: 'Final', marks: sheet });
    expect(score.components[0]?.aspects.map((a) => a.points?.toString())).toEqual([
      '10.88',
      '12.96',
      '14.56',
    ]);
    expect(score.total.toString()).toBe('38.4');
  });

  it('rounds the component and the judges’ totals as named', () => {
    const scheme = schemeOf({
      name: 'dish',
      precision: 2,
      rounding: { stages: { panelMark: { places: 1 }, component: { places: 0 } } },
      components: [
        {
          id: 'dish',
          name: 'dish',
          judgeTotals: { method: 'mean', dropHighest: 1, dropLowest: 1 },
          aspects: [
            {
              kind: 'judgement',
              id: 'taste',
              name: 'taste',
              panel: 5,
              range: { min: '0', max: '40' },
              step: '0.5',
              aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
            },
          ],
        },
      ],
    });
    // Judges' totals 30, 31, 31.5, 32, 35: the middle three average 94.5 / 3 = 31.5, to one place 31.5,
    // the component to a whole number 32.
    const score = scoreCompetitor(scheme, {
      competitor: 'A',
      round: 'Final',
      marks: panelMarks('taste', ['30', '31', '31.5', '32', '35']),
    });
    expect(score.components[0]?.judgeTotals?.value.toString()).toBe('31.5');
    expect(score.components[0]?.score.toString()).toBe('32');
    expect(score.total.toString()).toBe('32');
  });

  it('refuses a stage given twice (by rounding.at and by stages) and places out of range', () => {
    const twice = parseScheme({
      ...factored({ aspect: { places: 2 } }),
      rounding: { at: 'aspect', stages: { aspect: { places: 2 } } },
    });
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.errors.map((e) => e.path)).toEqual(['rounding.stages.aspect']);
    const tooFine = parseScheme(factored({ panelMark: { places: 7 } }));
    expect(tooFine.ok).toBe(false);
    if (!tooFine.ok) expect(tooFine.errors[0]?.path).toBe('rounding.stages.panelMark.places');
  });
});

/** Diving: six dives in the preliminary and the final, five in the semifinal. */
const diving = (): Scheme =>
  schemeOf({
    name: 'diving',
    components: [
      {
        id: 'dives',
        name: 'dives',
        attempts: { label: 'dive', count: 6, difficulty: true },
        aspects: [
          {
            kind: 'judgement',
            id: 'award',
            name: 'award',
            panel: 5,
            range: { min: '0', max: '10' },
            step: '0.5',
            aggregation: { method: 'sum', dropHighest: 1, dropLowest: 1 },
          },
        ],
      },
    ],
    rounds: [
      { id: 'Prelim', advance: 2 },
      { id: 'Semi', attempts: { dives: 5 } },
    ],
  });

/** Five judges' awards for each of the dives named, all the same award, and their declared difficulties. */
function dives(round: string, competitor: string, list: [number, string, string][]) {
  return {
    marks: list.flatMap(([n, award]) =>
      ['J1', 'J2', 'J3', 'J4', 'J5'].map((judge) => ({
        round,
        competitor,
        item: `dive-${n}`,
        judge,
        value: award,
      })),
    ),
    difficulties: list.map(([attempt, , difficulty]) => ({ round, competitor, attempt, difficulty })),
  };
}

describe('rounds of their own size', () => {
  it('scores a semifinal of five dives where the preliminary has six, complete and unflagged', () => {
    const scheme = diving();
    const five: [number, string, string][] = [1, 2, 3, 4, 5].map((n) => [n, '8', '2']);
    const { marks, difficulties } = dives('Semi', 'A', five);
    const score = scoreCompetitor(scheme, {
      competitor: 'A',
      round: 'Semi',
      marks,
      difficulties: Object.fromEntries(difficulties.map((x) => [x.attempt, x.difficulty])),
    });
    // Each dive: 3 × 8 × 2.0 = 48; five dives 240.
    expect(score.components[0]?.attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(score.total.toString()).toBe('240');
    expect(score.complete).toBe(true);
    expect(score.flags).toEqual([]);
    expect(itemNames(scheme, 'Semi')).toEqual(['dive-1', 'dive-2', 'dive-3', 'dive-4', 'dive-5']);
    expect(itemNames(scheme, 'Prelim')).toHaveLength(6);
    expect(resolveItem(scheme, 'dive-6', 'Semi')).toBeNull();
    expect(resolveItem(scheme, 'dive-6', 'Prelim')?.attempt).toBe(6);
    // A sixth dive in the semifinal is not an item of that round.
    const sixth = dives('Semi', 'A', [[6, '8', '2']]);
    expect(() => scoreEvent(scheme, [...marks, ...sixth.marks], difficulties)).toThrow(/dive-6.*Semi/);
  });

  it('scores a diver who withdraws after two dives on those two, flagging the others as not performed', () => {
    const scheme = diving();
    const full = dives(
      'Prelim',
      'A',
      [1, 2, 3, 4, 5, 6].map((n) => [n, '7', '2.5']),
    );
    // B's list is cut to the two dives performed.
    const withdrawn = dives('Prelim', 'B', [
      [1, '9', '3'],
      [2, '8.5', '3.2'],
    ]);
    const result = scoreEvent(
      scheme,
      [...full.marks, ...withdrawn.marks],
      [...full.difficulties, ...withdrawn.difficulties],
    );
    const prelim = result.rounds[0]?.standings ?? [];
    const b = prelim.find((s) => s.score.competitor === 'B')?.score;
    // 27 × 3.0 + 25.5 × 3.2 = 81 + 81.6 = 162.6; A: 6 × 21 × 2.5 = 315.
    expect(b?.total.toString()).toBe('162.6');
    expect(b?.complete).toBe(true);
    expect(
      b?.components[0]?.attempts.map((a) => [a.attempt, a.points?.toString() ?? null, a.counted, a.flags]),
    ).toEqual([
      [1, '81', true, []],
      [2, '81.6', true, []],
      [3, null, false, [{ code: 'notPerformed' }]],
      [4, null, false, [{ code: 'notPerformed' }]],
      [5, null, false, [{ code: 'notPerformed' }]],
      [6, null, false, [{ code: 'notPerformed' }]],
    ]);
    expect(b?.flags).toEqual([
      { code: 'notPerformed' },
      { code: 'notPerformed' },
      { code: 'notPerformed' },
      { code: 'notPerformed' },
    ]);
    expect(prelim.map((s) => [s.score.competitor, s.rank, s.score.total.toString()])).toEqual([
      ['A', 1, '315'],
      ['B', 2, '162.6'],
    ]);
    // A dive that was marked but left off the list still needs its difficulty: that is a mistake, not a withdrawal.
    const marked = dives('Prelim', 'B', [[3, '6', '2']]).marks;
    const c = scoreEvent(scheme, [...withdrawn.marks, ...marked], withdrawn.difficulties).rounds[0]
      ?.standings[0]?.score;
    expect(c?.flags).toContainEqual({ code: 'missingDifficulty' });
    expect(c?.complete).toBe(false);
  });

  it('refuses a round override for a component without attempts', () => {
    const bad = parseScheme({
      name: 'x',
      components: [{ id: 'c', name: 'c', aspects: [{ kind: 'veto', id: 'v', name: 'v', effect: 'zero' }] }],
      rounds: [{ id: 'Final', attempts: { c: 3, nope: 2 } }],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors.map((e) => e.path)).toEqual(['rounds.0.attempts.c', 'rounds.0.attempts.nope']);
  });
});

describe('a missing judge', () => {
  /** FIG-style: four judges, the highest and lowest dropped, the middle two averaged. */
  const fig = (missingMark?: 'none' | 'averageOfOthers') =>
    schemeOf({
      name: 'execution',
      ...(missingMark ? { missingMark } : {}),
      components: [
        {
          id: 'e',
          name: 'execution',
          aspects: [
            {
              kind: 'judgement',
              id: 'execution',
              name: 'execution',
              panel: 4,
              range: { min: '0', max: '10' },
              step: '0.1',
              aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
            },
          ],
        },
      ],
    });
  // J4's tablet died: J1–J3 gave 7.5, 8, 9.
  const three = panelMarks('execution', ['7.5', '8', '9']);
  const replaced = [{ item: 'execution', judge: 'J4' }];

  it('replaces the missing mark by the average of the others, exactly, and says so', () => {
    const score = scoreCompetitor(fig('averageOfOthers'), {
      competitor: 'A',
      round: 'Final',
      marks: three,
      missingMarks: replaced,
    });
    const line = score.components[0]?.aspects[0];
    // J4 = (7.5 + 8 + 9) / 3 = 49/6 = 8.1666…; marks 7.5, 8, 49/6, 9: the middle two average (8 + 49/6) / 2 = 97/12.
    const j4 = line?.marks.find((m) => m.judge === 'J4');
    expect(j4?.value.eq(Decimal.ratio(49n, 6n))).toBe(true);
    expect(line?.used.map((m) => m.judge)).toEqual(['J2', 'J4']);
    expect(line?.value?.eq(Decimal.ratio(97n, 12n))).toBe(true);
    expect(line?.flags).toEqual([{ code: 'markReplaced', judge: 'J4', value: '8.166666666667' }]);
    expect(score.complete).toBe(true);
    expect(score.total.toString()).toBe('8.08');
  });

  it('replaces nothing without the rule, for a seat that has a mark, or before any other judge marked', () => {
    const none = scoreCompetitor(fig(), {
      competitor: 'A',
      round: 'Final',
      marks: three,
      missingMarks: replaced,
    });
    expect(none.components[0]?.aspects[0]?.flags).toEqual([
      { code: 'missingMarks', expected: 4, received: 3 },
    ]);
    expect(none.complete).toBe(false);
    const four = [...three, { item: 'execution', judge: 'J4', value: '6' }];
    const marked = scoreCompetitor(fig('averageOfOthers'), {
      competitor: 'A',
      round: 'Final',
      marks: four,
      missingMarks: replaced,
    });
    expect(marked.components[0]?.aspects[0]?.flags).toEqual([]);
    expect(marked.components[0]?.aspects[0]?.marks.find((m) => m.judge === 'J4')?.value.toString()).toBe('6');
    const alone = scoreCompetitor(fig('averageOfOthers'), {
      competitor: 'A',
      round: 'Final',
      marks: [],
      missingMarks: replaced,
    });
    expect(alone.components[0]?.aspects[0]?.marks).toEqual([]);
  });
});
