import { describe, expect, it } from 'vitest';
import { Decimal } from '../../decimal';
import { checkMarkValue, scoreAspect } from '../../engine/aspects';
import { quantityOf } from '../../engine/competitor';
import { scoreEvent } from '../../engine/event';
import type { CompetitorScore, EventMarkInput, EventResult, EventStanding } from '../../engine/types';
import { type Aspect, allAspects, type Scheme } from '../schema';
import { getTemplate, templateNames } from './index';

/*
 * Worked examples for the workers' competition templates. Every expected figure is computed by hand in the
 * comment beside it from the rule the template encodes (see each template's doc comment and `source`).
 */

const WORKER_TEMPLATES = [
  'national-workers',
  'drone',
  'tea',
  'petrochemical',
  'rice-noodle',
  'tour-guide',
] as const;

function template(name: string): Scheme {
  const scheme = getTemplate(name);
  if (!scheme) throw new Error(`no template "${name}"`);
  return scheme;
}

function aspectOf(scheme: Scheme, id: string): Aspect {
  const aspect = allAspects(scheme).find((a) => a.id === id);
  if (!aspect) throw new Error(`no aspect "${id}"`);
  return aspect;
}

/** One competitor's marks: a single value (one measurer) or one value per judge J1, J2, … */
type Sheet = Record<string, string | readonly string[]>;

function marksOf(competitor: string, sheet: Sheet): EventMarkInput[] {
  return Object.entries(sheet).flatMap(([item, value]) =>
    (typeof value === 'string' ? [value] : value).map((v, i) => ({
      round: 'Final',
      competitor,
      item,
      judge: `J${i + 1}`,
      value: v,
    })),
  );
}

function event(scheme: Scheme, sheets: Record<string, Sheet>): EventResult {
  return scoreEvent(
    scheme,
    Object.entries(sheets).flatMap(([competitor, sheet]) => marksOf(competitor, sheet)),
  );
}

function standingOf(result: EventResult, competitor: string): EventStanding {
  const standing = result.standings.find((s) => s.competitor === competitor);
  if (!standing) throw new Error(`no standing for "${competitor}"`);
  return standing;
}

function componentOf(score: CompetitorScore, id: string) {
  const component = score.components.find((c) => c.component === id);
  if (!component) throw new Error(`no component "${id}"`);
  return component;
}

const same = (n: number, value: string): string[] => Array.from({ length: n }, () => value);
const dec = (text: string) => Decimal.of(text);
/** Asserts exact equality of two decimals (printing both on failure). */
function expectExact(actual: Decimal, expected: Decimal): void {
  expect(actual.toString(12)).toBe(expected.toString(12));
  expect(actual.eq(expected)).toBe(true);
}

describe('workers’ competition templates', () => {
  it('are all registered and parse, with bilingual names and a source', () => {
    for (const name of WORKER_TEMPLATES) {
      expect(templateNames).toContain(name);
      expect(() => getTemplate(name)).not.toThrow();
      const scheme = template(name);
      expect(scheme.id).toBe(name);
      expect(scheme.name).toMatch(/[\u4e00-\u9fff]/);
      expect(scheme.nameEn).toBeTruthy();
      expect(scheme.source).toBeTruthy();
      for (const c of scheme.components) expect(c.nameEn, `${name}: ${c.id}`).toBeTruthy();
      for (const a of allAspects(scheme)) {
        expect(a.name, `${name}: ${a.id}`).toMatch(/[\u4e00-\u9fff]/);
        expect(a.nameEn, `${name}: ${a.id}`).toBeTruthy();
      }
    }
  });

  it('refuse out-of-range and off-step marks', () => {
    // national-workers: work quality is judged 0–30 in half points.
    const quality = aspectOf(template('national-workers'), 'workQuality');
    expect(checkMarkValue(quality, dec('27.5'))).toBeNull();
    expect(checkMarkValue(quality, dec('30'))).toBeNull();
    expect(checkMarkValue(quality, dec('30.5'))).toBe('must be at most 30');
    expect(checkMarkValue(quality, dec('-0.5'))).toBe('must be at least 0');
    expect(checkMarkValue(quality, dec('27.3'))).toBe('must be in steps of 0.5');
    // tea: the ranking line counts samples placed right, 0–3 whole.
    const ranking = aspectOf(template('tea'), 'ranking');
    expect(checkMarkValue(ranking, dec('3'))).toBeNull();
    expect(checkMarkValue(ranking, dec('4'))).toBe('must be at most 3');
    expect(checkMarkValue(ranking, dec('1.5'))).toBe('must be in steps of 1');
    // tour-guide: the talk is timed in whole seconds; a veto is 0 or 1.
    const duration = aspectOf(template('tour-guide'), 'talkDuration');
    expect(checkMarkValue(duration, dec('250'))).toBeNull();
    expect(checkMarkValue(duration, dec('250.5'))).toBe('must be in steps of 1');
    const talking = aspectOf(template('tea'), 'talking');
    expect(checkMarkValue(talking, dec('2'))).toBe('must be at most 1');
  });
});

describe('national-workers: theory 30% + practical 70%, 5 judges drop 1 + 1', () => {
  const scheme = template('national-workers');
  const sheet = (
    theory: string,
    inspection: string,
    workQuality: string[],
    process: string[],
    safeWork: string[],
  ): Sheet => ({ theoryPaper: theory, inspection, workQuality, process, safeWork });

  /*
   * Practical = inspection + the trimmed means of work quality, process and safe work (5 judges, the highest
   * and the lowest dropped, the middle three averaged); total = 0.3 × theory + 0.7 × practical (both on 100).
   *
   * N1: quality 25 26 27 28 29 → (26+27+28)/3 = 27; process 16 17 18 18 19 → (17+18+18)/3 = 53/3;
   *     safe 8 9 9 10 10 → (9+9+10)/3 = 28/3; practical = 36.5 + 27 + 53/3 + 28/3 = 36.5 + 27 + 27 = 90.5;
   *     total = 0.3 × 92 + 0.7 × 90.5 = 27.6 + 63.35 = 90.95.
   * N2: quality 20 24 24 24 30 → 24; process 16 × 5 → 16; safe 8 × 5 → 8; practical = 32+24+16+8 = 80;
   *     total = 0.3 × 85 + 0.7 × 80 = 25.5 + 56 = 81.5.
   * N3: quality 20 22 24 26 28 → (22+24+26)/3 = 24; process 10 15 16 17 20 → 16; safe 6 7 8 9 10 → 8;
   *     practical 80, theory 85: equal to N2 on every key → shared 2nd, and N4 is 4th (1, 2, 2, 4).
   * N4: theory 70, practical 80 → 21 + 56 = 77.
   * N5: theory 77, quality 23 × 5, process 16, safe 8, inspection 30 → practical 77 → 23.1 + 53.9 = 77:
   *     tied with N4 on total, N4 has the higher practical (80 > 77) → decided by component:practical.
   * N6: theory 60.01, practical 20 + 14 + 6 + 30 = 70 → 18.003 + 49 = 67.003 → 67.00 (2 places).
   * N7: theory 60, practical 70 → 18 + 49 = 67.00: equal rounded totals and equal practical, so the next
   *     key decides: N6's theory 60.01 > 60 → decided by component:theory.
   */
  const result = event(scheme, {
    N1: sheet(
      '92',
      '36.5',
      ['27', '28', '26', '29', '25'],
      ['18', '17', '19', '18', '16'],
      ['9', '10', '9', '8', '10'],
    ),
    N2: sheet('85', '32', ['24', '24', '24', '30', '20'], same(5, '16'), same(5, '8')),
    N3: sheet(
      '85',
      '32',
      ['22', '24', '26', '28', '20'],
      ['15', '17', '16', '20', '10'],
      ['7', '8', '9', '10', '6'],
    ),
    N4: sheet('70', '32', ['24', '24', '24', '30', '20'], same(5, '16'), same(5, '8')),
    N5: sheet('77', '30', same(5, '23'), same(5, '16'), same(5, '8')),
    N6: sheet('60.01', '30', same(5, '20'), same(5, '14'), same(5, '6')),
    N7: sheet('60', '30', same(5, '20'), same(5, '14'), same(5, '6')),
  });

  it('weights normalised components and trims the 5-judge panels', () => {
    const n1 = standingOf(result, 'N1').score;
    expect(n1.complete).toBe(true);
    const practical = componentOf(n1, 'practical');
    const process = practical.aspects.find((a) => a.aspect === 'process');
    expectExact(process?.points ?? Decimal.ZERO, Decimal.ratio(53n, 3n));
    expect(process?.dropped.map((m) => m.value.toString()).sort()).toEqual(['16', '19']);
    expectExact(practical.score, dec('90.5'));
    expectExact(practical.weighted, dec('63.35'));
    expectExact(componentOf(n1, 'theory').weighted, dec('27.6'));
    expect(n1.total.toFixed(2)).toBe('90.95');
    expect(standingOf(result, 'N2').score.total.toFixed(2)).toBe('81.50');
    expect(standingOf(result, 'N5').score.total.toFixed(2)).toBe('77.00');
    expect(standingOf(result, 'N6').score.total.toFixed(2)).toBe('67.00');
    expect(standingOf(result, 'N7').score.total.toFixed(2)).toBe('67.00');
  });

  it('shares a fully tied place (1, 2, 2, 4) and breaks ties by practical, then theory', () => {
    expect(result.standings.map((s) => [s.competitor, s.rank])).toEqual([
      ['N1', 1],
      ['N2', 2],
      ['N3', 2],
      ['N4', 4],
      ['N5', 5],
      ['N6', 6],
      ['N7', 7],
    ]);
    expect(standingOf(result, 'N2').shared).toBe(true);
    expect(standingOf(result, 'N3').shared).toBe(true);
    expect(standingOf(result, 'N2').decidedBy).toBeNull();
    expect(standingOf(result, 'N4').decidedBy).toBe('component:practical');
    expect(standingOf(result, 'N5').decidedBy).toBe('component:practical');
    expect(standingOf(result, 'N6').decidedBy).toBe('component:theory');
    expect(standingOf(result, 'N7').decidedBy).toBe('component:theory');
    expect(standingOf(result, 'N1').decidedBy).toBeNull();
  });
});

describe('drone: linear lap time, table hover, binary landing, best of two runs, fouls', () => {
  const scheme = template('drone');
  interface Run {
    lap: string;
    hover: string;
    landing: string;
    gates: string;
    cancel?: string;
    out?: string;
  }
  const run = (n: number, r: Run): Sheet => ({
    [`run-${n}:lapTime`]: r.lap,
    [`run-${n}:hover`]: r.hover,
    [`run-${n}:landing`]: r.landing,
    [`run-${n}:gateMiss`]: r.gates,
    [`run-${n}:foulCancel`]: r.cancel ?? '0',
    [`run-${n}:foulDisqualify`]: r.out ?? '0',
  });
  const sheet = (theory: string, assembly: string[], run1: Run, run2: Run): Sheet => ({
    theoryPaper: theory,
    assemblyQuality: assembly,
    ...run(1, run1),
    ...run(2, run2),
  });
  const noRun: Run = { lap: '300', hover: '0', landing: '0', gates: '0' };

  /*
   * Lap points = 50 × (300 − t) / 300; hover ≥ 10 s → 30, 5–9.9 s → 15, < 5 s → 0; landing in zone → 20;
   * 5 per missed gate (cap 50). Assembly: trimmed mean of 5 on 0–50, normalised to 100. Flight: best run
   * on 100. Total = 0.3 theory + 0.35 assembly + 0.35 flight.
   *
   * D1: assembly 40 44 45 46 47 → (44+45+46)/3 = 45 → 90.
   *     run 1: 120 s → 50 × 180/300 = 30; hover 11 s → 30; landed → 20; 1 gate → −5; = 75.
   *     run 2:  96 s → 50 × 204/300 = 34; hover 7 s → 15; landed → 20; 0 gates; = 69.
   *     best = run 1 (75), although run 2 was faster; total = 26.4 + 31.5 + 26.25 = 84.15.
   * D2: assembly 39 40 41 42 43 → 41 → 82.
   *     run 1: 150 s → 25; hover 4.9 s → 0; not landed → 0; = 25.
   *     run 2: 105 s → 50 × 195/300 = 32.5; hover 10 s (band boundary) → 30; landed → 20; 2 gates → −10; = 72.5.
   *     best = run 2; total = 27 + 28.7 + 25.375 = 81.075 → 81.08 (half up).
   * D3: assembly 48 × 5 → 96; run 1: 90 s → 35, 30, 20 = 85; run 2 marked with a foul that cancels that
   *     run only → 0; best = run 1 (85); total = 24 + 33.6 + 29.75 = 87.35.
   * D4: third foul (disqualified) on run 1: excluded from the ranking (rank null, listed last) even though
   *     its marks would total 0.3 × 95 + 0.35 × 100 + 0.35 × 90 = 28.5 + 35 + 31.5 = 95.
   */
  const result = event(scheme, {
    D1: sheet(
      '88',
      ['45', '44', '46', '47', '40'],
      { lap: '120', hover: '11', landing: '1', gates: '1' },
      { lap: '96', hover: '7', landing: '1', gates: '0' },
    ),
    D2: sheet(
      '90',
      ['40', '42', '41', '43', '39'],
      { lap: '150', hover: '4.9', landing: '0', gates: '0' },
      { lap: '105', hover: '10', landing: '1', gates: '2' },
    ),
    D3: sheet(
      '80',
      same(5, '48'),
      { lap: '90', hover: '12', landing: '1', gates: '0' },
      { lap: '100', hover: '5', landing: '1', gates: '0', cancel: '1' },
    ),
    D4: sheet('95', same(5, '50'), { lap: '60', hover: '10', landing: '1', gates: '0', out: '1' }, noRun),
  });

  it('maps lap time linearly, hover by table, landing yes/no, and counts the best run', () => {
    const d1 = standingOf(result, 'D1').score;
    expect(d1.complete).toBe(true);
    const flight = componentOf(d1, 'flight');
    expect(flight.attempts.map((a) => a.points?.toString())).toEqual(['75', '69']);
    expect(flight.attempts.map((a) => a.counted)).toEqual([true, false]);
    const run2 = flight.attempts[1]?.aspects ?? [];
    expect(run2.find((a) => a.aspect === 'lapTime')?.points?.toString()).toBe('34');
    expect(run2.find((a) => a.aspect === 'hover')?.points?.toString()).toBe('15');
    expectExact(flight.score, dec('75'));
    expectExact(componentOf(d1, 'assembly').score, dec('90'));
    // The counted run's raw lap time, for a "shorter time" tie-break.
    expect(quantityOf(scheme, d1, 'measure:lapTime')?.toString()).toBe('120');
    expect(d1.total.toFixed(2)).toBe('84.15');

    const d2 = standingOf(result, 'D2').score;
    const d2Flight = componentOf(d2, 'flight');
    expect(d2Flight.attempts.map((a) => a.points?.toString())).toEqual(['25', '72.5']);
    expect(d2Flight.attempts.map((a) => a.counted)).toEqual([false, true]);
    expect(d2.total.toFixed(2)).toBe('81.08');
  });

  it('cancels only the run a foul is marked on, and disqualifies on the third foul', () => {
    const d3 = standingOf(result, 'D3').score;
    const flight = componentOf(d3, 'flight');
    expect(flight.zeroedBy).toBeNull();
    expect(flight.attempts.map((a) => [a.points?.toString(), a.counted])).toEqual([
      ['85', true],
      ['0', false],
    ]);
    expect(flight.attempts[1]?.flags).toEqual([{ code: 'vetoed', by: 'foulCancel' }]);
    expectExact(flight.score, dec('85'));
    expect(d3.total.toFixed(2)).toBe('87.35');
    expect(d3.disqualifiedBy).toBeNull();

    const d4 = standingOf(result, 'D4');
    expect(d4.score.disqualifiedBy).toBe('foulDisqualify');
    expect(d4.rank).toBeNull();
    expect(result.standings.map((s) => [s.competitor, s.rank])).toEqual([
      ['D3', 1],
      ['D1', 2],
      ['D2', 3],
      ['D4', null],
    ]);
  });

  it('gives a tied total to the higher practical (assembly + flight)', () => {
    /*
     * E1: theory 80 → 24; assembly 45 → 90 → 31.5; run 1: 120 s → 30, hover 10 s → 30, landed 20 = 80;
     *     run 2 not flown (300 s, nothing) = 0; flight 80 → 28; total 83.5; practical part 59.5.
     * E2: theory 87 → 26.1; assembly 90 → 31.5; run 1: 126 s → 50 × 174/300 = 29, 30, 20, 1 gate −5 = 74;
     *     flight 74 → 25.9; total 83.5; practical part 57.4.
     * Equal totals; E1 has the higher practical (31.5 + 28 = 59.5 > 31.5 + 25.9 = 57.4) → E1 first.
     */
    const tie = event(scheme, {
      E2: sheet('87', same(5, '45'), { lap: '126', hover: '10', landing: '1', gates: '1' }, noRun),
      E1: sheet('80', same(5, '45'), { lap: '120', hover: '10', landing: '1', gates: '0' }, noRun),
    });
    expect(standingOf(tie, 'E1').score.total.toFixed(2)).toBe('83.50');
    expect(standingOf(tie, 'E2').score.total.toFixed(2)).toBe('83.50');
    expect(tie.standings.map((s) => [s.competitor, s.rank, s.decidedBy])).toEqual([
      ['E1', 1, 'component:assembly+flight'],
      ['E2', 2, 'component:assembly+flight'],
    ]);
  });
});

describe('tea: binary and table lines, a zeroing veto with targets, a disqualifying veto', () => {
  const scheme = template('tea');
  interface Tea {
    theory: string;
    category: string;
    name: string;
    ranking: string;
    comments: [string[], string[], string[], string[], string[]];
    procedure: string[];
    identification: string;
    wrongMethod?: string;
    talking?: string;
  }
  const sheet = (t: Tea): Sheet => ({
    theoryPaper: t.theory,
    teaCategory: t.category,
    teaName: t.name,
    ranking: t.ranking,
    appearance: t.comments[0],
    liquorColour: t.comments[1],
    aroma: t.comments[2],
    taste: t.comments[3],
    infusedLeaf: t.comments[4],
    procedure: t.procedure,
    identification: t.identification,
    wrongMethod: t.wrongMethod ?? '0',
    talking: t.talking ?? '0',
  });
  const threes = same(3, '3');
  const fours = same(3, '4');

  it('maps the ranking count through the table: 0 → 0, 1 → 10, 2 or 3 → 20', () => {
    const ranking = aspectOf(scheme, 'ranking');
    const points = ['0', '1', '2', '3'].map(
      (count) => scoreAspect(ranking, [{ judge: 'J1', value: dec(count) }]).points?.toString() ?? null,
    );
    expect(points).toEqual(['0', '10', '20', '20']);
  });

  /*
   * Practical = category (4 or 0) + name (6 or 0) + ranking table + five comments (mean of 3 judges, 0–4) +
   * procedure (mean of 3) + identification (0–30); total = 0.2 × theory + 0.8 × practical.
   *
   * T1: category right 4, name right 6, ranking 3 right → 20;
   *     comments: (4+3.5+4)/3 = 11.5/3, (3+3+3.5)/3 = 9.5/3, 4, (3.5+3.5+3)/3 = 10/3, (3+3.5+3.5)/3 = 10/3
   *     → sum 53/3; procedure (18+17+18.5)/3 = 53.5/3; comments + procedure = 106.5/3 = 35.5;
   *     practical = 4 + 6 + 20 + 35.5 + 27 = 92.5; total = 0.2 × 86 + 0.8 × 92.5 = 17.2 + 74 = 91.2.
   * T2: category wrong 0, name 6, ranking 1 right → 10, comments 3 each → 15, procedure 16, identification 24
   *     → 71; total = 18 + 56.8 = 74.8.
   * T3: wrong evaluation method: category, name, ranking and comments zeroed (4 + 6 + 20 + 20 lost); left:
   *     procedure 19 + identification 28 = 47; total = 0.2 × 80 + 0.8 × 47 = 16 + 37.6 = 53.6.
   * T4: talked to another competitor → disqualified, rank null, listed last.
   */
  const result = event(scheme, {
    T1: sheet({
      theory: '86',
      category: '1',
      name: '1',
      ranking: '3',
      comments: [
        ['4', '3.5', '4'],
        ['3', '3', '3.5'],
        ['4', '4', '4'],
        ['3.5', '3.5', '3'],
        ['3', '3.5', '3.5'],
      ],
      procedure: ['18', '17', '18.5'],
      identification: '27',
    }),
    T2: sheet({
      theory: '90',
      category: '0',
      name: '1',
      ranking: '1',
      comments: [threes, threes, threes, threes, threes],
      procedure: same(3, '16'),
      identification: '24',
    }),
    T3: sheet({
      theory: '80',
      category: '1',
      name: '1',
      ranking: '2',
      comments: [fours, fours, fours, fours, fours],
      procedure: same(3, '19'),
      identification: '28',
      wrongMethod: '1',
    }),
    T4: sheet({
      theory: '95',
      category: '1',
      name: '1',
      ranking: '3',
      comments: [fours, fours, fours, fours, fours],
      procedure: same(3, '20'),
      identification: '30',
      talking: '1',
    }),
  });

  it('scores the 100-point practical sheet and weights theory 20 / practical 80', () => {
    const t1 = standingOf(result, 'T1').score;
    expect(t1.complete).toBe(true);
    expectExact(componentOf(t1, 'practical').score, dec('92.5'));
    expect(t1.total.toFixed(2)).toBe('91.20');
    const t2 = standingOf(result, 'T2').score;
    const t2Practical = componentOf(t2, 'practical');
    expect(t2Practical.aspects.find((a) => a.aspect === 'teaCategory')?.points?.toString()).toBe('0');
    expect(t2Practical.aspects.find((a) => a.aspect === 'ranking')?.points?.toString()).toBe('10');
    expectExact(t2Practical.score, dec('71'));
    expect(t2.total.toFixed(2)).toBe('74.80');
  });

  it('zeroes the quality-comparison lines on a wrong method and disqualifies for talking', () => {
    const t3 = standingOf(result, 'T3').score;
    const practical = componentOf(t3, 'practical');
    const ranking = practical.aspects.find((a) => a.aspect === 'ranking');
    expect(ranking?.value?.toString()).toBe('2');
    expect(ranking?.points?.toString()).toBe('0');
    expect(ranking?.flags).toContainEqual({ code: 'vetoed', by: 'wrongMethod' });
    expect(practical.aspects.find((a) => a.aspect === 'procedure')?.points?.toString()).toBe('19');
    expectExact(practical.score, dec('47'));
    expect(practical.zeroedBy).toBeNull();
    expect(t3.total.toFixed(2)).toBe('53.60');

    expect(standingOf(result, 'T4').score.disqualifiedBy).toBe('talking');
    expect(result.standings.map((s) => [s.competitor, s.rank])).toEqual([
      ['T1', 1],
      ['T2', 2],
      ['T3', 3],
      ['T4', null],
    ]);
  });
});

describe('petrochemical: 30 / 35 / 35, capped per-minute deduction, safety vetoes', () => {
  const scheme = template('petrochemical');
  interface Team {
    theory: string;
    dcs: string;
    indicators: string;
    minutesOut: string;
    procedure: string[];
    safeWork: string[];
    accident?: string;
    falsified?: string;
    marks?: string;
  }
  const sheet = (t: Team): Sheet => ({
    theoryPaper: t.theory,
    simulatorScore: t.dcs,
    indicators: t.indicators,
    outOfRange: t.minutesOut,
    procedure: t.procedure,
    safeWork: t.safeWork,
    accident: t.accident ?? '0',
    falsifiedData: t.falsified ?? '0',
    identifyingMarks: t.marks ?? '0',
  });

  /*
   * Distillation = indicators − 0.2 × minutes out of range (cap 70) + procedure (mean of 3) + safe work
   * (mean of 3), floor 0; total = 0.3 theory + 0.35 DCS + 0.35 distillation.
   *
   * P1: 62 − 15 × 0.2 = 59; procedure (18+17+18)/3 = 53/3; safe (9+9.5+9)/3 = 27.5/3;
   *     distillation = 59 + 80.5/3 = 515/6 ≈ 85.8333;
   *     total = 25.5 + 0.35 × 90.5 + 0.35 × 515/6 = 25.5 + 31.675 + 30.041666… = 87.216666… → 87.22.
   * P2: 400 variable-minutes out → 80, capped at 70; distillation = 50 − 70 + 15 + 8 = 3 (had the cap
   *     failed: 50 − 80 + 23 = −7 → floor 0); total = 24 + 0.35 × 88 + 0.35 × 3 = 24 + 30.8 + 1.05 = 55.85.
   * P3: accident stops the unit → distillation 0; total = 27 + 0.35 × 95 = 27 + 33.25 = 60.25.
   * P4: unsigned data change (falsified) → indicators and the out-of-range deduction count nothing;
   *     distillation = 16 + 9 = 25; total = 21 + 28 + 8.75 = 57.75.
   * P5: identifying marks on the report → procedure scores nothing; distillation = 60 − 0 + 0 + 9 = 69;
   *     total = 22.5 + 0.35 × 85 + 0.35 × 69 = 22.5 + 29.75 + 24.15 = 76.4.
   */
  const result = event(scheme, {
    P1: sheet({
      theory: '85',
      dcs: '90.5',
      indicators: '62',
      minutesOut: '15',
      procedure: ['18', '17', '18'],
      safeWork: ['9', '9.5', '9'],
    }),
    P2: sheet({
      theory: '80',
      dcs: '88',
      indicators: '50',
      minutesOut: '400',
      procedure: same(3, '15'),
      safeWork: same(3, '8'),
    }),
    P3: sheet({
      theory: '90',
      dcs: '95',
      indicators: '60',
      minutesOut: '5',
      procedure: same(3, '19'),
      safeWork: same(3, '10'),
      accident: '1',
    }),
    P4: sheet({
      theory: '70',
      dcs: '80',
      indicators: '65',
      minutesOut: '10',
      procedure: same(3, '16'),
      safeWork: same(3, '9'),
      falsified: '1',
    }),
    P5: sheet({
      theory: '75',
      dcs: '85',
      indicators: '60',
      minutesOut: '0',
      procedure: same(3, '18'),
      safeWork: same(3, '9'),
      marks: '1',
    }),
  });

  it('deducts 0.2 per minute out of range, capped, and weights 30 / 35 / 35', () => {
    const p1 = standingOf(result, 'P1').score;
    expect(p1.complete).toBe(true);
    expectExact(componentOf(p1, 'distillation').score, Decimal.ratio(515n, 6n));
    expectExact(p1.deductions, dec('3'));
    expect(p1.total.toFixed(2)).toBe('87.22');

    const p2 = standingOf(result, 'P2').score;
    expectExact(p2.deductions, dec('70'));
    expectExact(componentOf(p2, 'distillation').raw, dec('3'));
    expect(p2.total.toFixed(2)).toBe('55.85');
  });

  it('zeroes the distillation on an accident, the indicators on falsified data, the item on marks', () => {
    const p3 = standingOf(result, 'P3').score;
    expect(componentOf(p3, 'distillation').zeroedBy).toBe('accident');
    expect(p3.total.toFixed(2)).toBe('60.25');

    const p4 = standingOf(result, 'P4').score;
    expectExact(componentOf(p4, 'distillation').raw, dec('25'));
    expect(p4.total.toFixed(2)).toBe('57.75');

    const p5 = standingOf(result, 'P5').score;
    expectExact(componentOf(p5, 'distillation').raw, dec('69'));
    expect(p5.total.toFixed(2)).toBe('76.40');

    expect(result.standings.map((s) => [s.competitor, s.rank])).toEqual([
      ['P1', 1],
      ['P5', 2],
      ['P3', 3],
      ['P4', 4],
      ['P2', 5],
    ]);
  });
});

describe('rice-noodle: the dish trimmed by judges’ totals, minus overtime, out after 30 min', () => {
  const scheme = template('rice-noodle');
  const uniform = (
    theory: string,
    [sight, taste, texture, hygiene, practicality]: [string, string, string, string, string],
    overtime: string,
    out = '0',
  ): Sheet => ({
    theoryPaper: theory,
    sight: same(5, sight),
    taste: same(5, taste),
    texture: same(5, texture),
    hygiene: same(5, hygiene),
    practicality: same(5, practicality),
    overtime,
    overtimeOut: out,
  });

  /*
   * Practical = each judge's sheet added up (sight + taste + texture + hygiene + practicality), the highest
   * and lowest judge's totals dropped, the other three averaged − 0.5 × minutes over 2 h (cap 15);
   * total = 0.3 theory + 0.7 practical; ties to the higher practical.
   *
   * R1 sheets: J1 8+35+17+9+17 = 86; J2 9+36+18+9+18 = 90; J3 8.5+34+16+9+18 = 85.5; J4 7+38+18+8+16 = 87;
   *     J5 9.5+30+19+10+20 = 88.5. Drop J3 (85.5) and J2 (90): (86 + 87 + 88.5) / 3 = 523/6 ≈ 87.1667.
   *     (Trimming line by line would give 527/6 ≈ 87.8333: the rule keeps each judge's sheet whole.)
   *     total = 24 + 0.7 × 523/6 = 24 + 61.01666… → 85.02.
   * R2: 8 + 34 + 17 + 9 + 18 = 86, 7 min over → −3.5 → 82.5; total = 25.5 + 57.75 = 83.25.
   * R3: 8 + 33 + 17 + 9 + 18 = 85, 8 min over → −4 → 81; total = 0.3 × 88.5 + 0.7 × 81 = 26.55 + 56.7 = 83.25:
   *     tied with R2; R2's practical 82.5 > 81 → R2 2nd, decided by component:practical.
   * R4: 34 min over: the deduction is capped at 15 (34 × 0.5 = 17) and the chief judge marks the 30-minute
   *     rule: out (rank null, last).
   * R5: 31 min over and nobody marks the rule: the overtime entry triggers it by itself → out.
   */
  const result = event(scheme, {
    R1: {
      theoryPaper: '80',
      sight: ['8', '9', '8.5', '7', '9.5'],
      taste: ['35', '36', '34', '38', '30'],
      texture: ['17', '18', '16', '18', '19'],
      hygiene: ['9', '9', '9', '8', '10'],
      practicality: ['17', '18', '18', '16', '20'],
      overtime: '0',
      overtimeOut: '0',
    },
    R2: uniform('85', ['8', '34', '17', '9', '18'], '7'),
    R3: uniform('88.5', ['8', '33', '17', '9', '18'], '8'),
    R4: uniform('90', ['9', '38', '18', '9', '18'], '34', '1'),
    R5: uniform('95', ['9', '38', '18', '9', '18'], '31'),
  });

  it('trims judges by their sheet totals, subtracts overtime and weights 30 / 70', () => {
    const r1 = standingOf(result, 'R1').score;
    expect(r1.complete).toBe(true);
    const practical = componentOf(r1, 'practical');
    expect(practical.judgeTotals?.dropped.map((m) => `${m.judge}=${m.value.toString()}`)).toEqual([
      'J3=85.5',
      'J2=90',
    ]);
    expectExact(practical.score, Decimal.ratio(523n, 6n));
    expect(r1.total.toFixed(2)).toBe('85.02');
    const r2 = standingOf(result, 'R2').score;
    expectExact(r2.deductions, dec('3.5'));
    expectExact(componentOf(r2, 'practical').score, dec('82.5'));
    expect(r2.total.toFixed(2)).toBe('83.25');
    expect(standingOf(result, 'R3').score.total.toFixed(2)).toBe('83.25');
  });

  it('caps overtime at 15, puts the competitor out after 30 min, ties to the higher practical', () => {
    const r4 = standingOf(result, 'R4');
    expectExact(r4.score.deductions, dec('15'));
    expect(r4.score.disqualifiedBy).toBe('overtimeOut');
    const r5 = standingOf(result, 'R5').score;
    expect(r5.disqualifiedBy).toBe('overtimeOut');
    expect(r5.flags).toContainEqual({ code: 'triggered', by: 'overtime', value: '31' });
    expect(result.standings.map((s) => [s.competitor, s.rank, s.decidedBy])).toEqual([
      ['R1', 1, null],
      ['R2', 2, 'component:practical'],
      ['R3', 3, 'component:practical'],
      ['R4', null, null],
      ['R5', null, null],
    ]);
  });
});

describe('tour-guide: 7 judges drop 1 + 1, talk-length bands, a four-step tie chain', () => {
  const scheme = template('tour-guide');

  it('deducts by the talk length at the band boundaries', () => {
    // < 240 s → −10; 240–269 s → −5; 270–300 s → 0; > 300 s → −10.
    const duration = aspectOf(scheme, 'talkDuration');
    const deducted = ['239', '240', '269', '270', '300', '301'].map((seconds) => [
      seconds,
      scoreAspect(duration, [{ judge: 'T', value: dec(seconds) }]).points?.toString(),
    ]);
    expect(deducted).toEqual([
      ['239', '-10'],
      ['240', '-5'],
      ['269', '-5'],
      ['270', '0'],
      ['300', '0'],
      ['301', '-10'],
    ]);
  });

  const uniform = (
    theory: string,
    siteTalk: string,
    creation: string,
    english: string,
    seconds: string,
    talent: string,
  ): Sheet => ({
    theoryPaper: theory,
    siteTalk: same(7, siteTalk),
    onSiteCreation: same(7, creation),
    english: same(7, english),
    talkDuration: seconds,
    talentShow: same(7, talent),
  });

  /*
   * Explanation = site talk (0–60) + on-site creation (0–25) + English (0–15), each the mean of the middle
   * five of 7 judges, minus the duration band; talent 0–10 normalised to 100;
   * total = 0.3 theory + 0.6 explanation + 0.1 talent.
   *
   * G1: site talk 50 52 53 54 55 56 57 → (52+53+54+55+56)/5 = 270/5 = 54;
   *     creation 19 20 21 22 23 24 25 → 110/5 = 22; English 10 12 12 12 13 13 14 → 62/5 = 12.4;
   *     285 s → 0; explanation 88.4; talent 7 7.5 8 8 8.5 9 9.5 → 41/5 = 8.2 → 82;
   *     total = 27 + 53.04 + 8.2 = 88.24.
   * G2: 54 + 21 + 13.4 = 88.4, 300 s → 0, talent 8.2 → total 88.24: tied with G1 on total and on the site
   *     talk (54 = 54); G1's on-site creation 22 > 21 → G1 first, decided by aspect:onSiteCreation.
   * G3: 56 + 23 + 14 = 93, 239 s → −10 → 83; talent 9 → 90; total = 28.5 + 49.8 + 9 = 87.3.
   * G4: 50 + 20 + 12 = 82, 250 s → −5 → 77; talent 7 → 70; total = 24 + 46.2 + 7 = 77.2.
   */
  const result = event(scheme, {
    G1: {
      theoryPaper: '90',
      siteTalk: ['52', '55', '54', '53', '56', '50', '57'],
      onSiteCreation: ['20', '21', '22', '23', '24', '19', '25'],
      english: ['12', '13', '12', '13', '12', '14', '10'],
      talkDuration: '285',
      talentShow: ['8', '8.5', '9', '7.5', '8', '9.5', '7'],
    },
    G2: uniform('90', '54', '21', '13.4', '300', '8.2'),
    G3: uniform('95', '56', '23', '14', '239', '9'),
    G4: uniform('80', '50', '20', '12', '250', '7'),
  });

  it('averages the middle five of seven and weights 30 / 60 / 10', () => {
    const g1 = standingOf(result, 'G1').score;
    expect(g1.complete).toBe(true);
    const explanation = componentOf(g1, 'explanation');
    const english = explanation.aspects.find((a) => a.aspect === 'english');
    expect(english?.used.length).toBe(5);
    expect(english?.dropped.map((m) => m.value.toString())).toEqual(['10', '14']);
    expectExact(english?.points ?? Decimal.ZERO, dec('12.4'));
    expectExact(explanation.score, dec('88.4'));
    expectExact(componentOf(g1, 'talent').score, dec('82'));
    expect(g1.total.toFixed(2)).toBe('88.24');
    expect(standingOf(result, 'G2').score.total.toFixed(2)).toBe('88.24');
    expect(standingOf(result, 'G3').score.total.toFixed(2)).toBe('87.30');
    expectExact(standingOf(result, 'G4').score.deductions, dec('5'));
    expect(standingOf(result, 'G4').score.total.toFixed(2)).toBe('77.20');
  });

  it('breaks the tie by the site talk, then the on-site creation', () => {
    expect(result.standings.map((s) => [s.competitor, s.rank, s.decidedBy])).toEqual([
      ['G1', 1, 'aspect:onSiteCreation'],
      ['G2', 2, 'aspect:onSiteCreation'],
      ['G3', 3, null],
      ['G4', 4, null],
    ]);
  });
});
