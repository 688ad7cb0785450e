import { describe, expect, it } from 'vitest';
import { Decimal } from '../decimal';
import { eventJson } from '../results/report';
import { type Aspect, parseScheme, type Scheme, type SchemeInput } from '../scheme/schema';
import { aggregate } from './aggregate';
import { checkMarkValue, scoreAspect } from './aspects';
import { scoreCompetitor } from './competitor';
import { scoreEvent, UnknownRoundError } from './event';
import type { EventMarkInput } from './types';

const d = Decimal.of;

function schemeOf(input: SchemeInput): Scheme {
  const parsed = parseScheme(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scheme;
}

function aspectOf(raw: Record<string, unknown>): Aspect {
  const scheme = schemeOf({ name: 't', components: [{ id: 'c', name: 'c', aspects: [raw as never] }] });
  const aspect = scheme.components[0]?.aspects[0];
  if (!aspect) throw new Error('no aspect');
  return aspect;
}

const marks = (...values: string[]) => values.map((value, i) => ({ judge: `J${i + 1}`, value: d(value) }));
const text = (v: Decimal | null) => v?.toString(4) ?? null;

describe('aggregation', () => {
  it('drops the k highest and lowest, then takes the mean, median or sum', () => {
    const panel = marks('7', '9', '8', '6', '10');
    expect(aggregate(panel, { method: 'mean', dropHighest: 1, dropLowest: 1 }).value.toString()).toBe('8');
    expect(aggregate(panel, { method: 'sum', dropHighest: 1, dropLowest: 1 }).value.toString()).toBe('24');
    expect(aggregate(panel, { method: 'median', dropHighest: 0, dropLowest: 0 }).value.toString()).toBe('8');
    expect(
      aggregate(marks('7', '8', '9', '10'), {
        method: 'median',
        dropHighest: 0,
        dropLowest: 0,
      }).value.toString(),
    ).toBe('8.5');
    const { used, dropped } = aggregate(panel, { method: 'mean', dropHighest: 1, dropLowest: 1 });
    expect(used.map((m) => m.judge)).toEqual(['J1', 'J3', 'J2']);
    expect(dropped.map((m) => m.judge)).toEqual(['J4', 'J5']);
  });

  it('flags judges too far apart (WorldSkills re-mark) without changing the mark when there is no fallback', () => {
    const aspect = aspectOf({
      kind: 'judgement',
      id: 'finish',
      name: 'finish',
      panel: 3,
      range: { min: '0', max: '3' },
      step: '1',
      aggregation: { method: 'mean' },
      tolerance: { bands: [{ atLeast: '0', maxSpread: '1' }] },
      rescale: { from: '3', to: '2.5' },
    });
    const result = scoreAspect(aspect, marks('1', '3', '2'));
    expect(result.flags).toEqual([
      { code: 'toleranceExceeded', spread: '2', maxSpread: '1', fallback: false },
    ]);
    // mean 2 / 3 × 2.5 = 5/3
    expect(result.points?.eq(d('5').div(d('3')))).toBe(true);
    expect(scoreAspect(aspect, marks('2', '3', '2')).flags).toEqual([]);
  });

  it('reports missing and surplus marks, and scores nothing it cannot aggregate', () => {
    const aspect = aspectOf({
      kind: 'judgement',
      id: 'taste',
      name: 'taste',
      panel: 5,
      range: { min: '0', max: '40' },
      step: '0.5',
      aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
    });
    expect(scoreAspect(aspect, marks('30', '32')).points).toBeNull();
    const partial = scoreAspect(aspect, marks('30', '32', '34'));
    expect(text(partial.points)).toBe('32');
    expect(partial.flags).toEqual([{ code: 'missingMarks', expected: 5, received: 3 }]);
    expect(scoreAspect(aspect, marks('1', '2', '3', '4', '5', '6')).flags[0]?.code).toBe('tooManyMarks');
  });
});

describe('measurement, deduction and veto aspects', () => {
  it('maps a time linearly, shorter being better, and clamps at both ends', () => {
    const lap = aspectOf({
      kind: 'measurement',
      id: 'lap',
      name: 'lap',
      unit: 's',
      max: '50',
      mapping: { type: 'linear', full: '120', zero: '300' },
    });
    const points = (v: string) => text(scoreAspect(lap, marks(v)).points);
    expect(points('100')).toBe('50');
    expect(points('120')).toBe('50');
    expect(points('210')).toBe('25'); // halfway between 120 and 300
    expect(points('300')).toBe('0');
    expect(points('400')).toBe('0');
  });

  it('looks values up in bands with inclusive and exclusive bounds', () => {
    const talk = aspectOf({
      kind: 'deduction',
      id: 'duration',
      name: 'duration',
      bands: [
        { below: '240', points: '10' },
        { from: '240', below: '270', points: '5' },
        { from: '270', to: '300', points: '0' },
        { above: '300', points: '10' },
      ],
    });
    const deducted = (v: string) => text(scoreAspect(talk, marks(v)).points);
    expect(['239', '240', '269', '270', '300', '301'].map(deducted)).toEqual([
      '-10',
      '-5',
      '-5',
      '0',
      '0',
      '-10',
    ]);
  });

  it('deducts per fault up to the cap', () => {
    const overtime = aspectOf({ kind: 'deduction', id: 'late', name: 'late', per: '0.5', cap: '10' });
    expect(text(scoreAspect(overtime, marks('3')).points)).toBe('-1.5');
    expect(text(scoreAspect(overtime, marks('25')).points)).toBe('-10');
    expect(checkMarkValue(overtime, d('2.5'))).toBe('must be in steps of 1');
    expect(checkMarkValue(overtime, d('-1'))).toBe('must be at least 0');
  });

  it('checks a mark against the aspect’s range and step from its minimum', () => {
    const kata = aspectOf({
      kind: 'judgement',
      id: 'tp',
      name: 'tp',
      panel: 7,
      range: { min: '5', max: '10' },
      step: '0.2',
      aggregation: { method: 'sum', dropHighest: 2, dropLowest: 2 },
    });
    expect(checkMarkValue(kata, d('7.4'))).toBeNull();
    expect(checkMarkValue(kata, d('7.5'))).toBe('must be in steps of 0.2 from 5');
    expect(checkMarkValue(kata, d('10.2'))).toBe('must be at most 10');
    expect(checkMarkValue(aspectOf({ kind: 'veto', id: 'v', name: 'v', effect: 'disqualify' }), d('2'))).toBe(
      'must be at most 1',
    );
  });
});

const workshop: SchemeInput = {
  name: 'workshop',
  components: [
    {
      id: 'theory',
      name: '理论',
      weight: '30',
      normaliseTo: '100',
      aspects: [{ kind: 'measurement', id: 'paper', name: '试卷', max: '100', mapping: { type: 'direct' } }],
    },
    {
      id: 'practical',
      name: '实操',
      weight: '70',
      normaliseTo: '100',
      floor: '0',
      aspects: [
        {
          kind: 'judgement',
          id: 'quality',
          name: '质量',
          panel: 3,
          range: { min: '0', max: '60' },
          step: '1',
          aggregation: { method: 'mean' },
        },
        { kind: 'measurement', id: 'size', name: '尺寸', max: '20', mapping: { type: 'binary' } },
        { kind: 'deduction', id: 'overtime', name: '超时', per: '1', cap: '10' },
        { kind: 'veto', id: 'unsafe', name: '安全违规', effect: 'zero', targets: ['quality'] },
        { kind: 'veto', id: 'cheating', name: '作弊', effect: 'disqualify' },
      ],
    },
  ],
  ranking: { tieBreaks: [{ by: 'component:practical', prefer: 'higher' }] },
};

const entry = (competitor: string, item: string, judge: string, value: string): EventMarkInput => ({
  round: 'Final',
  competitor,
  item,
  judge,
  value,
});

function workshopMarks(competitor: string, paper: string, quality: string[], size: string, overtime = '0') {
  return [
    entry(competitor, 'paper', 'T', paper),
    ...quality.map((q, i) => entry(competitor, 'quality', `J${i + 1}`, q)),
    entry(competitor, 'size', 'M', size),
    entry(competitor, 'overtime', 'M', overtime),
    entry(competitor, 'unsafe', 'C', '0'),
    entry(competitor, 'cheating', 'C', '0'),
  ];
}

describe('a competitor’s total', () => {
  const scheme = schemeOf(workshop);

  it('normalises components to 100 and weights theory 30 / practical 70', () => {
    const score = scoreCompetitor(scheme, {
      competitor: 'A',
      round: 'Final',
      marks: workshopMarks('A', '90', ['50', '52', '54'], '1', '2'),
    });
    // practical raw = 52 + 20 − 2 = 70 of 80 → 87.5; total = 90 × 0.3 + 87.5 × 0.7 = 27 + 61.25 = 88.25
    expect(score.components.map((c) => [c.component, text(c.raw), text(c.score)])).toEqual([
      ['theory', '90', '90'],
      ['practical', '70', '87.5'],
    ]);
    expect(score.total.toFixed(2)).toBe('88.25');
    expect(score.deductions.toString()).toBe('2');
    expect(score.complete).toBe(true);
  });

  it('lets a veto zero an aspect, and a disqualification leave no rank', () => {
    const vetoed = workshopMarks('A', '90', ['50', '52', '54'], '1').map((m) =>
      m.item === 'unsafe' ? { ...m, value: '1' } : m,
    );
    const score = scoreCompetitor(scheme, { competitor: 'A', round: 'Final', marks: vetoed });
    // quality zeroed: practical 20 of 80 → 25; total 27 + 17.5 = 44.5
    expect(score.total.toFixed(2)).toBe('44.50');
    expect(score.flags).toContainEqual({ code: 'vetoed', by: 'unsafe' });

    const cheat = workshopMarks('B', '100', ['60', '60', '60'], '1').map((m) =>
      m.item === 'cheating' ? { ...m, value: '1' } : m,
    );
    const result = scoreEvent(scheme, [...workshopMarks('A', '50', ['30', '30', '30'], '0'), ...cheat]);
    expect(result.standings.map((s) => [s.competitor, s.rank])).toEqual([
      ['A', 1],
      ['B', null],
    ]);
    expect(result.standings[1]?.score.disqualifiedBy).toBe('cheating');
  });

  it('keeps a provisional total while marks are missing', () => {
    const score = scoreCompetitor(scheme, {
      competitor: 'A',
      round: 'Final',
      marks: [entry('A', 'paper', 'T', '80'), entry('A', 'quality', 'J1', '40')],
    });
    expect(score.complete).toBe(false);
    // theory 80 × 0.3 = 24; practical 40 of 80 = 50 × 0.7 = 35
    expect(score.total.toFixed(2)).toBe('59.00');
    expect(score.flags).toContainEqual({ code: 'missingMarks', expected: 3, received: 1 });
  });

  it('rounds where the scheme says: per aspect gives a different total than only at the end', () => {
    const thirds: SchemeInput = {
      name: 'thirds',
      precision: 1,
      factor: '2',
      components: [
        {
          id: 'all',
          name: 'all',
          aspects: ['a', 'b', 'c'].map((id) => ({
            kind: 'judgement' as const,
            id,
            name: id,
            panel: 3,
            range: { min: '0', max: '10' },
            step: '1',
            aggregation: { method: 'mean' as const },
          })),
        },
      ],
    };
    const threeMarks = ['a', 'b', 'c'].flatMap((item) =>
      ['J1', 'J2', 'J3'].map((judge, i) => entry('A', item, judge, i === 0 ? '8' : '9')),
    );
    // each aspect mean 26/3 = 8.666…; at the end: 26 × 2 = 52.0; per aspect: 8.7 × 3 × 2 = 52.2
    const atTotal = scoreCompetitor(schemeOf(thirds), { competitor: 'A', round: 'Final', marks: threeMarks });
    const atAspect = scoreCompetitor(schemeOf({ ...thirds, rounding: { at: 'aspect', mode: 'halfUp' } }), {
      competitor: 'A',
      round: 'Final',
      marks: threeMarks,
    });
    expect(atTotal.total.toFixed(1)).toBe('52.0');
    expect(atAspect.total.toFixed(1)).toBe('52.2');
  });

  it('counts only the best attempt when the scheme says best-of, and needs a difficulty where declared', () => {
    const runs = schemeOf({
      name: 'runs',
      components: [
        {
          id: 'course',
          name: 'course',
          attempts: { label: 'run', count: 2, combine: 'best' },
          aspects: [
            {
              kind: 'measurement',
              id: 'time',
              name: 'time',
              max: '40',
              mapping: { type: 'linear', full: '60', zero: '180' },
            },
          ],
        },
      ],
      ranking: { tieBreaks: [{ by: 'measure:time', prefer: 'lower' }] },
    });
    const score = scoreCompetitor(runs, {
      competitor: 'A',
      round: 'Final',
      marks: [
        { item: 'run-1', judge: 'T', value: '150' },
        { item: 'run-2', judge: 'T', value: '90' },
      ],
    });
    // run-1: 40 × 30/120 = 10; run-2: 40 × 90/120 = 30; best = 30
    expect(score.total.toFixed(2)).toBe('30.00');
    expect(score.components[0]?.attempts.map((a) => a.counted)).toEqual([false, true]);

    const dive = schemeOf({
      name: 'dd',
      components: [
        {
          id: 'dives',
          name: 'dives',
          attempts: { label: 'dive', count: 1, difficulty: true },
          aspects: [
            { kind: 'measurement', id: 'award', name: 'award', max: '30', mapping: { type: 'direct' } },
          ],
        },
      ],
    });
    const missing = scoreCompetitor(dive, {
      competitor: 'A',
      round: 'Final',
      marks: [{ item: 'dive-1', judge: 'J', value: '24' }],
    });
    expect(missing.flags).toContainEqual({ code: 'missingDifficulty' });
    expect(missing.complete).toBe(false);
  });
});

describe('ranking', () => {
  const scheme = schemeOf(workshop);

  it('uses competition ranking (1, 2, 2, 4), a tie-break chain, and names what decided', () => {
    const result = scoreEvent(scheme, [
      // A: theory 100 → 30; practical 40+0 of 80 → 50 → 35; total 65
      ...workshopMarks('A', '100', ['40', '40', '40'], '0'),
      // B and C: theory 50 → 15; practical 60 of 80 → 75 → 52.5; total 67.5 — identical in every key
      ...workshopMarks('B', '50', ['40', '40', '40'], '1'),
      ...workshopMarks('C', '50', ['40', '40', '40'], '1'),
      // D: theory 0; practical 80 of 80 → 100 → 70; total 70
      ...workshopMarks('D', '0', ['60', '60', '60'], '1'),
      // E: theory 100 → 30; practical 40 of 80 → 50 → 35 → total 65, equal to A
      ...workshopMarks('E', '100', ['40', '40', '40'], '0'),
    ]);
    const placing = result.standings.map((s) => [
      s.competitor,
      s.rank,
      s.score.total.toFixed(2),
      s.decidedBy,
      s.shared,
    ]);
    expect(placing).toEqual([
      ['D', 1, '70.00', null, false],
      ['B', 2, '67.50', null, true],
      ['C', 2, '67.50', null, true],
      ['A', 4, '65.00', null, true],
      ['E', 4, '65.00', null, true],
    ]);
  });

  it('separates an equal total by the tie-break and says so', () => {
    const tie = scoreEvent(scheme, [
      // L: theory 100 → 30; practical 40 + 0 = 40 of 80 → 50 → 35; total 65
      ...workshopMarks('L', '100', ['40', '40', '40'], '0'),
      // M: theory 30 → 9; practical 44 + 20 = 64 of 80 → 80 → 56; total 65, with the higher practical
      ...workshopMarks('M', '30', ['44', '44', '44'], '1'),
    ]);
    expect(tie.standings.map((s) => [s.competitor, s.rank, s.score.total.toFixed(2), s.decidedBy])).toEqual([
      ['M', 1, '65.00', 'component:practical'],
      ['L', 2, '65.00', 'component:practical'],
    ]);
  });
});

describe('rounds', () => {
  const rounded = schemeOf({
    name: 'three rounds',
    precision: 1,
    components: [
      {
        id: 'c',
        name: 'c',
        aspects: [
          { kind: 'measurement', id: 'score', name: 'score', max: '100', mapping: { type: 'direct' } },
        ],
      },
    ],
    rounds: [
      { id: 'Prelim', advance: 3 },
      { id: 'Semi', advance: 1 },
      { id: 'Final', carryOver: ['Semi'] },
    ],
  });
  const scoreIn = (round: string, competitor: string, value: string): EventMarkInput => ({
    round,
    competitor,
    item: 'score',
    judge: 'T',
    value,
  });

  it('carries the semifinal into the final but not the preliminary, and reports a tie at the cut', () => {
    const result = scoreEvent(rounded, [
      scoreIn('Prelim', 'A', '90'),
      scoreIn('Prelim', 'B', '80'),
      scoreIn('Prelim', 'C', '70'),
      scoreIn('Prelim', 'D', '70'),
      scoreIn('Prelim', 'E', '10'),
      scoreIn('Semi', 'A', '50'),
      scoreIn('Semi', 'B', '60'),
      scoreIn('Semi', 'C', '55'),
      scoreIn('Semi', 'D', '40'),
      scoreIn('Final', 'B', '30'),
    ]);
    const prelim = result.rounds[0];
    expect(prelim?.advancement).toEqual({ count: 3, advancing: ['A', 'B', 'C', 'D'], tiedAtCut: ['C', 'D'] });
    expect(result.rounds[1]?.advancement).toEqual({ count: 1, advancing: ['B'], tiedAtCut: [] });
    const final = result.rounds[2]?.standings[0];
    expect(final?.score.total.toString()).toBe('90'); // 30 + semifinal 60, not + preliminary 80
    expect(final?.score.carried.map((c) => [c.round, c.total.toString()])).toEqual([['Semi', '60']]);
    // Overall: the finalist, then semifinalists by semifinal total, then the one out in the preliminary.
    expect(result.standings.map((s) => [s.rank, s.competitor, s.round])).toEqual([
      [1, 'B', 'Final'],
      [2, 'C', 'Semi'],
      [3, 'A', 'Semi'],
      [4, 'D', 'Semi'],
      [5, 'E', 'Prelim'],
    ]);
  });

  it('lists entered competitors without a mark last, flagged noMarks, with no total, never advancing', () => {
    const marks = [scoreIn('Prelim', 'A', '90'), scoreIn('Prelim', 'B', '80')];
    const entries = ['A', 'B', 'C', 'D'].map((competitor) => ({ round: 'Prelim', competitor }));
    const result = scoreEvent(rounded, marks, [], entries);
    const prelim = result.rounds[0];
    expect(prelim?.standings.map((s) => [s.rank, s.score.competitor, s.shared])).toEqual([
      [1, 'A', false],
      [2, 'B', false],
      [3, 'C', true],
      [3, 'D', true],
    ]);
    expect(prelim?.standings[2]?.score.flags[0]).toEqual({ code: 'noMarks' });
    expect(prelim?.advancement).toEqual({ count: 3, advancing: ['A', 'B'], tiedAtCut: [] });
    const json = eventJson(rounded, 'E', result);
    expect(json.standings.map((s) => [s.rank, s.competitor, s.total, s.own])).toEqual([
      [1, 'A', '90.0', '90.0'],
      [2, 'B', '80.0', '80.0'],
      [3, 'C', null, null],
      [3, 'D', null, null],
    ]);
    expect(json.rounds[0]?.standings.map((s) => s.total)).toEqual(['90.0', '80.0', null, null]);
    // Without entries (a marks file alone), only the marked are listed, as before.
    expect(scoreEvent(rounded, marks).rounds[0]?.standings.map((s) => s.score.competitor)).toEqual([
      'A',
      'B',
    ]);
    expect(() => scoreEvent(rounded, marks, [], [{ round: 'Finale', competitor: 'A' }])).toThrow(
      UnknownRoundError,
    );
  });

  it('names the known rounds when a mark names an unknown one', () => {
    expect(() => scoreEvent(rounded, [scoreIn('Finale', 'A', '1')])).toThrow(
      new UnknownRoundError('Finale', ['Prelim', 'Semi', 'Final']),
    );
    expect(() => scoreEvent(rounded, [scoreIn('Finale', 'A', '1')])).toThrow(
      'unknown round "Finale"; the scheme\'s rounds are: Prelim, Semi, Final',
    );
  });
});

describe('standard scale', () => {
  it('puts the median at the centre and scales by the mean absolute deviation', () => {
    const scheme = schemeOf({
      name: 'scaled',
      standardScale: { centre: '700', perDeviation: '50' },
      components: [
        {
          id: 'all',
          name: 'all',
          aspects: [
            { kind: 'measurement', id: 'score', name: 'score', max: '100', mapping: { type: 'direct' } },
          ],
        },
      ],
    });
    const result = scoreEvent(
      scheme,
      ['90', '80', '70', '60', '50'].map((value, i) => entry(`C${i}`, 'score', 'T', value)),
    );
    // median 70; deviations 20, 10, 0, 10, 20 → mean 12; 90 → 700 + 20/12 × 50 = 783.33…
    expect(result.standings.map((s) => s.standardScore?.toFixed(2))).toEqual([
      '783.33',
      '741.67',
      '700.00',
      '658.33',
      '616.67',
    ]);
  });
});

describe('completeness', () => {
  it('treats an unmarked fault count or veto as none, but waits for every judge and measured value', () => {
    const scheme = schemeOf(workshop);
    const base = [
      entry('A', 'paper', 'T', '80'),
      ...['J1', 'J2', 'J3'].map((j) => entry('A', 'quality', j, '40')),
      entry('A', 'size', 'M', '1'),
    ];
    expect(scoreCompetitor(scheme, { competitor: 'A', round: 'Final', marks: base }).complete).toBe(true);
    expect(
      scoreCompetitor(scheme, { competitor: 'A', round: 'Final', marks: base.slice(0, -1) }).complete,
    ).toBe(false);
  });
});

describe('item names', () => {
  const runs: SchemeInput = {
    name: 'runs',
    components: [
      {
        id: 'course',
        name: 'course',
        attempts: { label: 'run', count: 2 },
        aspects: [
          { kind: 'measurement', id: 'time', name: 'time', max: '10', mapping: { type: 'direct' } },
          { kind: 'deduction', id: 'gate-miss', name: 'gate', per: '1' },
        ],
      },
      {
        id: 'theory',
        name: 'theory',
        aspects: [
          { kind: 'measurement', id: 'paper-1', name: 'paper', max: '10', mapping: { type: 'direct' } },
        ],
      },
    ],
  };

  it('resolves attempt items whose aspect ids contain dashes and digits', async () => {
    const { resolveItem } = await import('./items');
    const scheme = schemeOf(runs);
    const ref = resolveItem(scheme, 'run-2:gate-miss');
    expect([ref?.component.id, ref?.aspect.id, ref?.attempt]).toEqual(['course', 'gate-miss', 2]);
    expect(resolveItem(scheme, 'paper-1')?.aspect.id).toBe('paper-1');
    expect(resolveItem(scheme, 'run-3:time')).toBeNull();
    expect(resolveItem(scheme, 'run-1')).toBeNull(); // two aspects: the aspect must be named
  });

  it('rejects an aspect id that would read as an attempt', () => {
    const bad = structuredClone(runs);
    bad.components[1]?.aspects.push({
      kind: 'measurement',
      id: 'run-2',
      name: 'x',
      max: '1',
      mapping: { type: 'binary' },
    });
    const parsed = parseScheme(bad);
    expect(parsed.ok ? [] : parsed.errors).toContainEqual({
      path: 'components.1.aspects.1.id',
      message: '"run-2" reads as an attempt of "run"; rename it',
    });
  });
});

describe('tie-breaks on quantities not yet known', () => {
  it('ranks a competitor without a completion time below one with a time, whatever the preference', () => {
    const timed = schemeOf({
      name: 'timed',
      components: [
        {
          id: 'task',
          name: 'task',
          aspects: [
            { kind: 'measurement', id: 'result', name: 'result', max: '10', mapping: { type: 'direct' } },
            {
              kind: 'measurement',
              id: 'time',
              name: 'time',
              max: '1',
              range: { min: '0', max: '600' },
              mapping: { type: 'table', bands: [{ points: '0' }] },
            },
          ],
        },
      ],
      ranking: { tieBreaks: [{ by: 'measure:time', prefer: 'lower' }] },
    });
    const result = scoreEvent(timed, [
      entry('Slow', 'result', 'T', '8'),
      entry('Slow', 'time', 'T', '300'),
      entry('Untimed', 'result', 'T', '8'),
    ]);
    expect(result.standings.map((s) => [s.competitor, s.rank, s.decidedBy])).toEqual([
      ['Slow', 1, 'measure:time'],
      ['Untimed', 2, 'measure:time'],
    ]);
  });
});

describe('rules from the workers’ competitions', () => {
  it('trims a dish by the judges’ totals, not line by line (food: highest and lowest judge dropped)', () => {
    const dish = schemeOf({
      name: 'dish',
      components: [
        {
          id: 'dish',
          name: 'dish',
          judgeTotals: { method: 'mean', dropHighest: 1, dropLowest: 1 },
          aspects: [
            {
              kind: 'judgement',
              id: 'sight',
              name: 'sight',
              panel: 5,
              range: { min: '0', max: '10' },
              step: '0.5',
              aggregation: { method: 'mean' },
            },
            {
              kind: 'judgement',
              id: 'taste',
              name: 'taste',
              panel: 5,
              range: { min: '0', max: '40' },
              step: '0.5',
              aggregation: { method: 'mean' },
            },
            { kind: 'deduction', id: 'overtime', name: 'overtime', per: '0.5', cap: '15' },
          ],
        },
      ],
    });
    // Judges' (sight, taste): J1 (10, 40) = 50, J2 (9, 21) = 30, J3–J5 (5, 30) = 35 each.
    // Totals 50, 30, 35, 35, 35: drop 50 and 30 → mean 35; minus 2 minutes × 0.5 = 34.
    // Line by line it would be sight mean(5,5,5)=5 + taste mean(30,30,30)=30 = 35 … but J2's low taste
    // and J1's high sight would be dropped separately; the judge-total rule keeps each judge whole.
    const sheets: [string, string, string][] = [
      ['J1', '10', '40'],
      ['J2', '9', '21'],
      ['J3', '5', '30'],
      ['J4', '5', '30'],
      ['J5', '5', '30'],
    ];
    const score = scoreCompetitor(dish, {
      competitor: 'A',
      round: 'Final',
      marks: [
        ...sheets.flatMap(([judge, sight, taste]) => [
          { item: 'sight', judge, value: sight },
          { item: 'taste', judge, value: taste },
        ]),
        { item: 'overtime', judge: 'T', value: '2' },
      ],
    });
    const c = score.components[0];
    expect(c?.judgeTotals?.dropped.map((m) => `${m.judge}=${m.value.toString()}`)).toEqual([
      'J2=30',
      'J1=50',
    ]);
    expect(score.total.toFixed(2)).toBe('34.00');
  });

  it('cancels only the run a foul is marked on, so the other run can still count', () => {
    const runs = schemeOf({
      name: 'runs',
      components: [
        {
          id: 'flight',
          name: 'flight',
          attempts: { label: 'run', count: 2, combine: 'best' },
          aspects: [
            { kind: 'measurement', id: 'points', name: 'points', max: '100', mapping: { type: 'direct' } },
            { kind: 'veto', id: 'foul', name: 'foul', effect: 'zero' },
          ],
        },
      ],
    });
    const score = scoreCompetitor(runs, {
      competitor: 'A',
      round: 'Final',
      marks: [
        { item: 'run-1:points', judge: 'T', value: '85' },
        { item: 'run-2:points', judge: 'T', value: '95' },
        { item: 'run-2:foul', judge: 'C', value: '1' },
      ],
    });
    // run 2 (95) is cancelled by the foul; the best remaining run is run 1 with 85.
    expect(score.components[0]?.attempts.map((a) => [a.points?.toString(), a.counted])).toEqual([
      ['85', true],
      ['0', false],
    ]);
    expect(score.total.toFixed(2)).toBe('85.00');
    expect(score.components[0]?.attempts[1]?.flags).toEqual([{ code: 'vetoed', by: 'foul' }]);
  });

  it('disqualifies by itself when a measured value passes its limit (more than 30 minutes over)', () => {
    const timed = schemeOf({
      name: 'timed',
      components: [
        {
          id: 'dish',
          name: 'dish',
          aspects: [
            { kind: 'measurement', id: 'quality', name: 'quality', max: '100', mapping: { type: 'direct' } },
            { kind: 'deduction', id: 'overtime', name: 'overtime', unit: 'min', per: '0.5', cap: '15' },
            {
              kind: 'veto',
              id: 'outOfTime',
              name: 'out',
              effect: 'disqualify',
              trigger: { aspect: 'overtime', above: '30' },
            },
          ],
        },
      ],
    });
    const result = scoreEvent(timed, [
      entry('Late', 'quality', 'T', '95'),
      entry('Late', 'overtime', 'T', '31'),
      entry('OnTime', 'quality', 'T', '80'),
      entry('Limit', 'quality', 'T', '90'),
      entry('Limit', 'overtime', 'T', '30'),
    ]);
    // OnTime 80; Limit 90 − 30 × 0.5 = 75 (exactly at the limit is not over it); Late 95 − 15 (cap) = 80, out.
    expect(result.standings.map((s) => [s.competitor, s.rank, s.score.total.toFixed(1)])).toEqual([
      ['OnTime', 1, '80.0'],
      ['Limit', 2, '75.0'],
      ['Late', null, '80.0'],
    ]);
    expect(result.standings.find((s) => s.competitor === 'Late')?.score.flags).toContainEqual({
      code: 'triggered',
      by: 'overtime',
      value: '31',
    });
  });

  it('breaks a tie on a practical score split across components with component:a+b', () => {
    const split = schemeOf({
      name: 'split',
      components: [
        {
          id: 'theory',
          name: 't',
          weight: '30',
          normaliseTo: '100',
          aspects: [{ kind: 'measurement', id: 'paper', name: 'p', max: '100', mapping: { type: 'direct' } }],
        },
        {
          id: 'assembly',
          name: 'a',
          weight: '35',
          normaliseTo: '100',
          aspects: [{ kind: 'measurement', id: 'build', name: 'b', max: '100', mapping: { type: 'direct' } }],
        },
        {
          id: 'flight',
          name: 'f',
          weight: '35',
          normaliseTo: '100',
          aspects: [{ kind: 'measurement', id: 'fly', name: 'f', max: '100', mapping: { type: 'direct' } }],
        },
      ],
      ranking: { tieBreaks: [{ by: 'component:assembly+flight', prefer: 'higher' }] },
    });
    const result = scoreEvent(split, [
      // A: 30 × 0.3 + 90 × 0.35 + 90 × 0.35 = 9 + 31.5 + 31.5 = 72; practical 63
      entry('A', 'paper', 'T', '30'),
      entry('A', 'build', 'T', '90'),
      entry('A', 'fly', 'T', '90'),
      // B: 100 × 0.3 + 60 × 0.35 + 60 × 0.35 = 30 + 21 + 21 = 72; practical 42
      entry('B', 'paper', 'T', '100'),
      entry('B', 'build', 'T', '60'),
      entry('B', 'fly', 'T', '60'),
    ]);
    expect(result.standings.map((s) => [s.competitor, s.rank, s.decidedBy])).toEqual([
      ['A', 1, 'component:assembly+flight'],
      ['B', 2, 'component:assembly+flight'],
    ]);
  });

  it('validates judge totals, triggers and component sums', () => {
    const errors = (input: unknown) => {
      const parsed = parseScheme(input);
      return parsed.ok ? [] : parsed.errors.map((e) => `${e.path}: ${e.message}`);
    };
    expect(
      errors({
        name: 'x',
        components: [
          {
            id: 'c',
            name: 'c',
            judgeTotals: { method: 'mean', dropHighest: 1, dropLowest: 1 },
            aspects: [
              {
                kind: 'judgement',
                id: 'a',
                name: 'a',
                panel: 3,
                range: { min: '0', max: '1' },
                step: '1',
                aggregation: { method: 'mean' },
              },
              {
                kind: 'judgement',
                id: 'b',
                name: 'b',
                panel: 5,
                range: { min: '0', max: '1' },
                step: '1',
                aggregation: { method: 'mean' },
              },
              { kind: 'veto', id: 'v', name: 'v', effect: 'zero', trigger: { aspect: 'a', above: '1' } },
            ],
          },
        ],
        ranking: { tieBreaks: [{ by: 'component:c+d', prefer: 'higher' }] },
      }),
    ).toEqual([
      'components.0.judgeTotals: needs judgement aspects that all have the same panel size',
      'components.0.aspects.2.trigger.aspect: "a" is not a measurement or deduction of this component',
      'ranking.tieBreaks.0.by: unknown component "d"',
    ]);
  });
});

describe('found by the property tests', () => {
  it('chooses the best attempt after vetoes have changed the attempts’ points', () => {
    const scheme = schemeOf({
      name: 'best after veto',
      components: [
        {
          id: 'runs',
          name: 'runs',
          attempts: { label: 'run', count: 2, combine: 'best' },
          aspects: [
            { kind: 'measurement', id: 'a', name: 'a', max: '10', mapping: { type: 'direct' } },
            { kind: 'measurement', id: 'b', name: 'b', max: '10', mapping: { type: 'direct' } },
          ],
        },
        {
          id: 'safety',
          name: 'safety',
          aspects: [{ kind: 'veto', id: 'unsafe', name: 'unsafe', effect: 'zero', targets: ['b'] }],
        },
      ],
    });
    const marks = [
      ['run-1:a', '1'],
      ['run-1:b', '5'],
      ['run-2:a', '3'],
      ['run-2:b', '1'],
      ['unsafe', '1'],
    ].map(([item = '', value = '']) => ({ item, judge: 'T', value }));
    // b is zeroed everywhere: run 1 is worth 1, run 2 is worth 3, so run 2 counts.
    const score = scoreCompetitor(scheme, { competitor: 'A', round: 'Final', marks });
    expect(score.components[0]?.attempts.map((a) => [a.points?.toString(), a.counted])).toEqual([
      ['1', false],
      ['3', true],
    ]);
    expect(score.total.toString()).toBe('3');
  });

  it('rejects, without throwing, a zero step, a bad label and a label used twice', () => {
    const judged = {
      kind: 'judgement',
      id: 'x',
      name: 'x',
      panel: 1,
      range: { min: '0', max: '1' },
      aggregation: { method: 'mean' },
    };
    const messages = (input: unknown) => {
      const parsed = parseScheme(input);
      return parsed.ok ? [] : parsed.errors.map((e) => `${e.path}: ${e.message}`);
    };
    expect(
      messages({ name: 'x', components: [{ id: 'c', name: 'c', aspects: [{ ...judged, step: 0 }] }] }),
    ).toEqual(['components.0.aspects.0.step: must be greater than 0']);
    expect(
      messages({
        name: 'x',
        components: [
          { id: 'c', name: 'c', attempts: { label: '(', count: 1 }, aspects: [{ ...judged, step: '1' }] },
        ],
      }),
    ).toEqual([
      'components.0.attempts.label: must start with a letter and contain only letters, digits, "-" and "_"',
    ]);
    expect(
      messages({
        name: 'x',
        components: ['c', 'd'].map((id) => ({
          id,
          name: id,
          attempts: { label: 'run', count: 1 },
          aspects: [{ ...judged, id: `${id}x`, step: '1' }],
        })),
      }),
    ).toEqual([
      'components.0.attempts.label: the attempts label "run" is used by another component',
      'components.1.attempts.label: the attempts label "run" is used by another component',
    ]);
  });

  it('keeps every digit of a number written in a scheme', () => {
    const parsed = parseScheme({
      name: 'x',
      factor: 0.1234567890123,
      components: [
        {
          id: 'c',
          name: 'c',
          aspects: [{ kind: 'measurement', id: 'm', name: 'm', max: 1e-13, mapping: { type: 'direct' } }],
        },
      ],
    });
    expect(parsed.ok && [parsed.scheme.factor, parsed.scheme.components[0]?.aspects[0]]).toMatchObject([
      '0.1234567890123',
      { max: '0.0000000000001' },
    ]);
  });
});
