import { describe, expect, it } from 'vitest';
import {
  type AspectResult,
  type CompetitorScore,
  componentMax,
  Decimal,
  type EventMarkInput,
  type MarkInput,
  parseScheme,
  type Scheme,
  type SchemeInput,
  scoreCompetitor,
  scoreEvent,
} from '../../index';
import { diving } from './diving';
import { figAerobic } from './fig-aerobic';
import { wkfKata } from './wkf-kata';
import { worldskills } from './worldskills';

// Worked examples for the sports templates. Every expected value is worked out by hand in the comment
// beside it, from the rule quoted in the template's source, never copied from the engine's output.

function parse(input: SchemeInput): Scheme {
  const parsed = parseScheme(input);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return parsed.scheme;
}

/** One mark per judge J1, J2, … for an item. */
function panel(item: string, values: readonly string[]): MarkInput[] {
  return values.map((value, i) => ({ item, judge: `J${i + 1}`, value }));
}

function single(item: string, value: string): MarkInput[] {
  return [{ item, judge: 'J1', value }];
}

function inRound(round: string, competitor: string, marks: readonly MarkInput[]): EventMarkInput[] {
  return marks.map((m) => ({ ...m, round, competitor }));
}

function aspect(score: CompetitorScore, id: string): AspectResult {
  const found = score.components.flatMap((c) => c.aspects).find((a) => a.aspect === id);
  if (!found) throw new Error(`no aspect ${id}`);
  return found;
}

function component(score: CompetitorScore, id: string) {
  const found = score.components.find((c) => c.component === id);
  if (!found) throw new Error(`no component ${id}`);
  return found;
}

const d = (text: string) => Decimal.of(text);

describe('diving (World Aquatics Competition Regulations, 7-judge panel)', () => {
  const scheme = parse(diving);
  const firstComponent = diving.components[0];
  if (!firstComponent?.attempts) throw new Error('diving has an attempt-based component');
  // A one-dive event, so that each round below is a single dive and every total can be checked by hand.
  const oneDive: SchemeInput = {
    ...diving,
    components: [{ ...firstComponent, attempts: { ...firstComponent.attempts, count: 1 } }],
  };

  it('drops the two highest and two lowest awards and multiplies the middle three by the DD', () => {
    // Awards 8, 8, 8, 8, 8.5, 8.5, 9 at DD 3.2: drop 8, 8 (lowest) and 8.5, 9 (highest);
    // 8 + 8 + 8.5 = 24.5; 24.5 × 3.2 = 78.40.
    const score = scoreCompetitor(scheme, {
      competitor: 'X',
      round: 'Final',
      marks: panel('dive-1', ['8', '8', '8', '8', '8.5', '8.5', '9']),
      difficulties: { 1: '3.2', 2: '3.4', 3: '3.3', 4: '3.6', 5: '3.7', 6: '3' },
    });
    const dive = component(score, 'dives').attempts[0];
    expect(dive?.aspects[0]?.value?.toString()).toBe('24.5');
    expect(dive?.aspects[0]?.used.map((m) => m.value.toString())).toEqual(['8', '8', '8.5']);
    expect(dive?.aspects[0]?.dropped.map((m) => m.value.toString())).toEqual(['8', '8', '8.5', '9']);
    expect(dive?.points?.toFixed(2)).toBe('78.40');
    // The other five declared dives have no marks yet: the total so far is this dive, and it is not complete.
    expect(score.total.toFixed(2)).toBe('78.40');
    expect(score.complete).toBe(false);
  });

  it('is exact where binary floating point drifts: two equal dive scores share the place', () => {
    // X: 6, 6, 6.5, 6.5, 6.5, 7, 7 → middle 6.5 + 6.5 + 6.5 = 19.5; × DD 3.1 = 60.45.
    // Y: 4.5, 5, 5, 5, 5.5, 5.5, 6 → middle 5 + 5 + 5.5 = 15.5; × DD 3.9 = 60.45.
    // In binary floating point 15.5 × 3.9 = 60.449999999999996 ≠ 19.5 × 3.1 = 60.45, which would put X
    // ahead of Y (and print 60.4 at one decimal). Exactly, both are 60.45 and share first place.
    expect(15.5 * 3.9).not.toBe(19.5 * 3.1);
    const result = scoreEvent(
      parse(oneDive),
      [
        ...inRound('Prelim', 'X', panel('dive-1', ['6', '6', '6.5', '6.5', '6.5', '7', '7'])),
        ...inRound('Prelim', 'Y', panel('dive-1', ['4.5', '5', '5', '5', '5.5', '5.5', '6'])),
      ],
      [
        { round: 'Prelim', competitor: 'X', attempt: 1, difficulty: '3.1' },
        { round: 'Prelim', competitor: 'Y', attempt: 1, difficulty: '3.9' },
      ],
    );
    const prelim = result.rounds[0]?.standings ?? [];
    expect(prelim.map((s) => [s.score.competitor, s.score.total.toFixed(2), s.rank, s.shared])).toEqual([
      ['X', '60.45', 1, true],
      ['Y', '60.45', 1, true],
    ]);
    expect(prelim[1]?.score.total.eq(d('60.45'))).toBe(true);
  });

  // Every diver's seven awards are equal, so the middle three are 3 × the award; DD 3.0 throughout.
  const dive = (round: string, competitor: string, award: string) =>
    inRound(
      round,
      competitor,
      panel(
        'dive-1',
        Array.from({ length: 7 }, () => award),
      ),
    );
  const dd = (round: string, competitor: string) => ({ round, competitor, attempt: 1, difficulty: '3.0' });
  const rounds = [
    { id: 'Prelim', name: '预赛', advance: 2 },
    { id: 'Semi', name: '半决赛', advance: 1 },
    { id: 'Final', name: '决赛' },
  ];
  // Prelim: P 8 → 24 × 3 = 72.00; Q 7 → 21 × 3 = 63.00; R 6 → 18 × 3 = 54.00.
  // Semi:   P 7 → 63.00; Q 8 → 72.00.        Final: Q 6.5 → 19.5 × 3 = 58.50.
  const ladderMarks = [
    ...dive('Prelim', 'P', '8'),
    ...dive('Prelim', 'Q', '7'),
    ...dive('Prelim', 'R', '6'),
    ...dive('Semi', 'P', '7'),
    ...dive('Semi', 'Q', '8'),
    ...dive('Final', 'Q', '6.5'),
  ];
  const ladderDds = [
    dd('Prelim', 'P'),
    dd('Prelim', 'Q'),
    dd('Prelim', 'R'),
    dd('Semi', 'P'),
    dd('Semi', 'Q'),
    dd('Final', 'Q'),
  ];

  it('runs Prelim → Semi → Final, every round from zero, and places finalists above semifinalists', () => {
    const result = scoreEvent(parse({ ...oneDive, rounds }), ladderMarks, ladderDds);
    const [prelim, semi, final] = result.rounds;
    // Prelim: P 72.00, Q 63.00, R 54.00; the top 2 advance.
    expect(prelim?.standings.map((s) => [s.score.competitor, s.score.total.toFixed(2), s.rank])).toEqual([
      ['P', '72.00', 1],
      ['Q', '63.00', 2],
      ['R', '54.00', 3],
    ]);
    expect(prelim?.advancement).toEqual({ count: 2, advancing: ['P', 'Q'], tiedAtCut: [] });
    // Semi starts from zero: Q 72.00 beats P 63.00 (with the prelim added they would tie at 135.00).
    expect(semi?.standings.map((s) => [s.score.competitor, s.score.total.toFixed(2), s.rank])).toEqual([
      ['Q', '72.00', 1],
      ['P', '63.00', 2],
    ]);
    expect(semi?.advancement).toEqual({ count: 1, advancing: ['Q'], tiedAtCut: [] });
    // Final from zero: Q 58.50, not 58.50 + 72.00 + 63.00.
    expect(final?.standings[0]?.score.total.toFixed(2)).toBe('58.50');
    expect(final?.standings[0]?.score.carried).toEqual([]);
    // Overall: the finalist first, then the semifinalist, then the preliminary-only diver, even though
    // Q's final score (58.50) is below every score R or P ever had.
    expect(result.standings.map((s) => [s.competitor, s.rank, s.round])).toEqual([
      ['Q', 1, 'Final'],
      ['P', 2, 'Semi'],
      ['R', 3, 'Prelim'],
    ]);
  });

  it('reports a tie at the cut instead of resolving it', () => {
    // Prelim: P 8 → 72.00; Q and R 7 → 63.00 each: both share second place and the cut is after 2.
    const result = scoreEvent(
      parse({ ...oneDive, rounds }),
      [...dive('Prelim', 'P', '8'), ...dive('Prelim', 'Q', '7'), ...dive('Prelim', 'R', '7')],
      [dd('Prelim', 'P'), dd('Prelim', 'Q'), dd('Prelim', 'R')],
    );
    const prelim = result.rounds[0];
    expect(prelim?.standings.map((s) => [s.score.competitor, s.rank, s.shared])).toEqual([
      ['P', 1, false],
      ['Q', 2, true],
      ['R', 2, true],
    ]);
    expect(prelim?.advancement).toEqual({ count: 2, advancing: ['P', 'Q', 'R'], tiedAtCut: ['Q', 'R'] });
  });

  it('adds the semifinal, but not the preliminary, to a final that carries the semifinal over', () => {
    const carry = [...rounds.slice(0, 2), { id: 'Final', name: '决赛', carryOver: ['Semi'] }];
    const result = scoreEvent(parse({ ...oneDive, rounds: carry }), ladderMarks, ladderDds);
    const finalist = result.rounds[2]?.standings[0]?.score;
    // Q: final 58.50 + semifinal 72.00 = 130.50 (the preliminary 63.00 is not added: that would be 193.50).
    expect(finalist?.own.toFixed(2)).toBe('58.50');
    expect(finalist?.carried.map((c) => [c.round, c.total.toFixed(2)])).toEqual([['Semi', '72.00']]);
    expect(finalist?.total.toFixed(2)).toBe('130.50');
  });
});

describe('FIG aerobic gymnastics (FIG Aerobic Code of Points, scoring: general principle)', () => {
  const scheme = parse(figAerobic);
  const artistic = (values: readonly string[]) =>
    aspect(scoreCompetitor(scheme, { competitor: 'G', round: 'Final', marks: panel('A', values) }), 'A');

  it('averages the middle two marks when they are within tolerance', () => {
    // 8.0, 8.2, 8.5, 9.0: drop 8.0 and 9.0; middle 8.2 and 8.5 lie 0.3 apart; their mean 8.35 is in the
    // 8.00–10.00 band whose tolerance is 0.3, and 0.3 ≤ 0.3 → A = (8.2 + 8.5) / 2 = 8.35.
    const a = artistic(['8.0', '8.2', '8.5', '9.0']);
    expect(a.value?.toString()).toBe('8.35');
    expect(a.flags).toEqual([]);
  });

  it('averages all four marks, with a flag, when the middle two are too far apart', () => {
    // 7.0, 8.0, 8.4, 9.0: middle 8.0 and 8.4, mean 8.2 → band 0.3; spread 0.4 > 0.3 → all four:
    // (7.0 + 8.0 + 8.4 + 9.0) / 4 = 32.4 / 4 = 8.1.
    const a = artistic(['7.0', '8.0', '8.4', '9.0']);
    expect(a.value?.toString()).toBe('8.1');
    expect(a.used).toHaveLength(4);
    expect(a.flags).toEqual([{ code: 'toleranceExceeded', spread: '0.4', maxSpread: '0.3', fallback: true }]);
  });

  it('chooses the band by the middle-two average, 8.00 belonging to the 0.3 band', () => {
    // 7.8, 7.8, 8.2, 8.5: middle 7.8 and 8.2, mean exactly 8.0 → band 8.00–10.00, tolerance 0.3;
    // spread 0.4 > 0.3 → (7.8 + 7.8 + 8.2 + 8.5) / 4 = 32.3 / 4 = 8.075.
    expect(artistic(['7.8', '7.8', '8.2', '8.5']).value?.toString()).toBe('8.075');
    // 7.7, 7.7, 8.1, 8.5: middle 7.7 and 8.1, mean 7.9 → band 7.00–7.99, tolerance 0.4; 0.4 ≤ 0.4 → 7.9.
    // (Marks are in tenths, so a mean of x.x5 such as 7.95 always has an odd spread, 0.1/0.3/0.5, which
    // falls the same way against 0.3 and 0.4: 7.9 with spread 0.4 is the case that tells the bands apart.)
    const below = artistic(['7.7', '7.7', '8.1', '8.5']);
    expect(below.value?.toString()).toBe('7.9');
    expect(below.flags).toEqual([]);
    // Same at 6.00: 5.7, 5.7, 6.3, 6.5 → mean 6.0, tolerance 0.5, spread 0.6 > 0.5 → 24.2 / 4 = 6.05;
    // 5.6, 5.6, 6.2, 6.5 → mean 5.9, tolerance 0.6, spread 0.6 ≤ 0.6 → 5.9.
    expect(artistic(['5.7', '5.7', '6.3', '6.5']).value?.toString()).toBe('6.05');
    expect(artistic(['5.6', '5.6', '6.2', '6.5']).value?.toString()).toBe('5.9');
  });

  it('is not monotonic: raising one judge’s mark can lower the score (a property of the FIG rule)', () => {
    // 5.0, 8.0, 8.3, 8.4: drop 5.0 and 8.4; middle 8.0 and 8.3, spread 0.3 ≤ 0.3 → (8.0 + 8.3) / 2 = 8.15.
    const before = artistic(['5.0', '8.0', '8.3', '8.4']);
    // Raise the 8.3 to 8.4: 5.0, 8.0, 8.4, 8.4 → middle 8.0 and 8.4, mean 8.2 → band 0.3, spread 0.4 > 0.3
    // → all four: (5.0 + 8.0 + 8.4 + 8.4) / 4 = 29.8 / 4 = 7.45.
    const after = artistic(['5.0', '8.0', '8.4', '8.4']);
    expect(before.value?.toString()).toBe('8.15');
    expect(after.value?.toString()).toBe('7.45');
    expect(after.value?.lt(before.value ?? Decimal.ZERO)).toBe(true);
  });

  const routine = (a: string[], e: string[], dValue: string, ded: [string, string, string]) => [
    ...panel('A', a),
    ...panel('E', e),
    ...single('D', dValue),
    ...single('difficultyDeductions', ded[0]),
    ...single('lineDeductions', ded[1]),
    ...single('chairDeductions', ded[2]),
  ];

  it('totals A + E + D ÷ 2 − deductions to three decimals', () => {
    // A 8.6, 8.7, 8.9, 9.0 → (8.7 + 8.9) / 2 = 8.8 (spread 0.2 ≤ 0.3).
    // E 8.1, 8.3, 8.4, 8.8 → (8.3 + 8.4) / 2 = 8.35 (spread 0.1 ≤ 0.3).
    // D agreed 8.7 → 8.7 ÷ 2.0 = 4.35.
    // Deductions: 1 difficulty deduction 0.5 (not divided) + 1 line fault 0.1 + chair 0.2 = 0.8.
    // 8.8 + 8.35 + 4.35 − 0.8 = 20.7 → 20.700.
    const score = scoreCompetitor(scheme, {
      competitor: 'G',
      round: 'Final',
      marks: routine(['8.6', '8.7', '8.9', '9.0'], ['8.1', '8.3', '8.4', '8.8'], '8.7', ['1', '1', '0.2']),
    });
    expect(component(score, 'difficulty').score.toString()).toBe('4.35');
    expect(score.deductions.toString()).toBe('0.8');
    expect(score.total.toFixed(scheme.precision)).toBe('20.700');
    expect(score.complete).toBe(true);
  });

  it('cuts the divided difficulty off at three digits (coefficient 1.8: 6.6 ÷ 1.8 = 3.666)', () => {
    // Mixed trio, coefficient 1.8: D component max 18, normalised to 10 (÷ 1.8).
    const difficulty = figAerobic.components[2];
    if (!difficulty) throw new Error('no difficulty component');
    const mixed = parse({
      ...figAerobic,
      components: figAerobic.components.map((c) => (c === difficulty ? { ...c, max: '18' } : c)),
    });
    // 6.6 ÷ 1.8 = 3.6666… → 3.666 (truncated; rounding would give 3.667).
    // Total with A 8.8 and E 8.35 as above and no deductions: 8.8 + 8.35 + 3.666 = 20.816.
    const score = scoreCompetitor(mixed, {
      competitor: 'T',
      round: 'Final',
      marks: routine(['8.6', '8.7', '8.9', '9.0'], ['8.1', '8.3', '8.4', '8.8'], '6.6', ['0', '0', '0']),
    });
    expect(component(score, 'difficulty').score.toFixed(3)).toBe('3.666');
    expect(score.total.toFixed(3)).toBe('20.816');
  });

  it('breaks an equal total by the higher execution score', () => {
    // X: A 8.8 (8.6, 8.7, 8.9, 9.0), E 8.35 (8.1, 8.3, 8.4, 8.8), D 8.7 ÷ 2 = 4.35 → 21.5.
    // Y: A 8.7 (8.6, 8.7, 8.7, 9.0 → 8.7, 8.7), E 8.45 (8.3, 8.4, 8.5, 8.9 → 8.4, 8.5; spread 0.1),
    //    D 4.35 → 8.7 + 8.45 + 4.35 = 21.5. Equal totals; Y's E 8.45 > X's 8.35 → Y first.
    const none: [string, string, string] = ['0', '0', '0'];
    const result = scoreEvent(scheme, [
      ...inRound(
        'Qualification',
        'X',
        routine(['8.6', '8.7', '8.9', '9.0'], ['8.1', '8.3', '8.4', '8.8'], '8.7', none),
      ),
      ...inRound(
        'Qualification',
        'Y',
        routine(['8.6', '8.7', '8.7', '9.0'], ['8.3', '8.4', '8.5', '8.9'], '8.7', none),
      ),
    ]);
    expect(
      result.rounds[0]?.standings.map((s) => [
        s.score.competitor,
        s.score.total.toFixed(3),
        s.rank,
        s.decidedBy,
      ]),
    ).toEqual([
      ['Y', '21.500', 1, 'component:execution'],
      ['X', '21.500', 2, 'component:execution'],
    ]);
  });
});

describe('WKF kata (WKF Kata Competition Rules, Article 5.3 point system)', () => {
  const scheme = parse(wkfKata);
  const kata = (technical: string[], athletic: string[], disqualified = '0') => [
    ...panel('technicalMarks', technical),
    ...panel('athleticMarks', athletic),
    ...single('disqualification', disqualified),
  ];

  it('sums the middle three of seven for each mark and weighs them 70/30, exactly', () => {
    // Technical 8.2, 8.4, 8.4, 8.6, 8.6, 8.8, 9.0: drop 8.2, 8.4 and 8.8, 9.0 → 8.4 + 8.6 + 8.6 = 25.6.
    // Athletic 8.0, 8.2, 8.4, 8.4, 8.6, 8.8, 8.8: drop 8.0, 8.2 and 8.8, 8.8 → 8.4 + 8.4 + 8.6 = 25.4.
    // 0.7 × 25.6 = 17.92; 0.3 × 25.4 = 7.62; total 25.54 (out of 30).
    // (In binary floating point 0.7 × 25.6 = 17.919999999999998.)
    const score = scoreCompetitor(scheme, {
      competitor: 'K',
      round: 'Final',
      marks: kata(
        ['8.2', '8.4', '8.4', '8.6', '8.6', '8.8', '9.0'],
        ['8.0', '8.2', '8.4', '8.4', '8.6', '8.8', '8.8'],
      ),
    });
    expect(aspect(score, 'technicalMarks').value?.toString()).toBe('25.6');
    expect(aspect(score, 'athleticMarks').value?.toString()).toBe('25.4');
    expect(component(score, 'technical').weighted.eq(d('17.92'))).toBe(true);
    expect(component(score, 'athletic').weighted.eq(d('7.62'))).toBe(true);
    expect(score.total.toFixed(2)).toBe('25.54');
    expect(score.complete).toBe(true);
  });

  it('gives the place to the higher technical performance on an equal total; a 0.0 disqualifies', () => {
    // X: technical all 8.0 → 24.0; athletic 7.0, 7.2, 7.4, 7.6, 7.6, 8.0, 8.2 → 7.4 + 7.6 + 7.6 = 22.6.
    //    0.7 × 24.0 + 0.3 × 22.6 = 16.80 + 6.78 = 23.58.
    // Y: technical all 7.8 → 23.4; athletic all 8.0 → 24.0. 0.7 × 23.4 + 0.3 × 24.0 = 16.38 + 7.20 = 23.58.
    // Equal totals; X's technical 24.0 > Y's 23.4 → X first, Y second, both decided by the technical score.
    // Z is disqualified (0.0): no rank, listed last.
    const sevenOf = (v: string) => Array.from({ length: 7 }, () => v);
    const result = scoreEvent(scheme, [
      ...inRound('Final', 'X', kata(sevenOf('8.0'), ['7.0', '7.2', '7.4', '7.6', '7.6', '8.0', '8.2'])),
      ...inRound('Final', 'Y', kata(sevenOf('7.8'), sevenOf('8.0'))),
      ...inRound('Final', 'Z', kata(sevenOf('9.0'), sevenOf('9.0'), '1')),
    ]);
    expect(
      result.rounds[0]?.standings.map((s) => [
        s.score.competitor,
        s.score.total.toFixed(2),
        s.rank,
        s.decidedBy,
      ]),
    ).toEqual([
      ['X', '23.58', 1, 'component:technical'],
      ['Y', '23.58', 2, 'component:technical'],
      ['Z', '27.00', null, null],
    ]);
    expect(result.rounds[0]?.standings[2]?.score.disqualifiedBy).toBe('disqualification');
  });
});

describe('WorldSkills-style marking (WorldSkills marking scheme: measurement and 0–3 judgement)', () => {
  const scheme = parse(worldskills);
  const score = (marks: MarkInput[]) => scoreCompetitor(scheme, { competitor: 'W', round: 'Final', marks });

  it('has modules adding up to 100 marks', () => {
    // A 30 + B 30 + C 25 + D 15 = 100.
    expect(scheme.components.map((c) => componentMax(c)?.toString())).toEqual(['30', '30', '25', '15']);
  });

  it('awards a judgement aspect average ÷ 3 × its maximum, exactly', () => {
    // A7 (2.5 marks), Experts score 2, 3, 2: average 7/3; 7/3 ÷ 3 × 2.5 = 17.5/9 = 35/18 = 1.9444… → 1.94.
    const a7 = aspect(score(panel('A7', ['2', '3', '2'])), 'A7');
    expect(a7.value?.eq(Decimal.ratio(7n, 3n))).toBe(true);
    expect(a7.points?.eq(Decimal.ratio(35n, 18n))).toBe(true);
    expect(a7.points?.toFixed(2)).toBe('1.94');
    expect(a7.flags).toEqual([]);
  });

  it('flags scores more than 1 apart for re-marking, without changing the arithmetic', () => {
    // A8 (2.5 marks): 1, 3, 2 → 1 and 3 differ by 2 > 1 → flagged for re-marking (no fallback);
    // until corrected: average 2, 2 ÷ 3 × 2.5 = 5/3.
    const a8 = aspect(score(panel('A8', ['1', '3', '2'])), 'A8');
    expect(a8.flags).toEqual([{ code: 'toleranceExceeded', spread: '2', maxSpread: '1', fallback: false }]);
    expect(a8.points?.eq(Decimal.ratio(5n, 3n))).toBe(true);
    // 1, 2, 2 differ by at most 1: accepted.
    expect(aspect(score(panel('A8', ['1', '2', '2'])), 'A8').flags).toEqual([]);
  });

  it('awards a yes/no measurement all or nothing, and a measured deviation by its tolerance table', () => {
    // A1 (3 marks): yes → 3, no → 0.
    expect(aspect(score(single('A1', '1')), 'A1').points?.toString()).toBe('3');
    expect(aspect(score(single('A1', '0')), 'A1').points?.toString()).toBe('0');
    // A2 (4 marks), level deviation mm/m: ≤ 1.0 → 4; over 1.0 up to 2.0 → 2; over 2.0 → 0.
    expect(aspect(score(single('A2', '1.0')), 'A2').points?.toString()).toBe('4');
    expect(aspect(score(single('A2', '1.5')), 'A2').points?.toString()).toBe('2');
    expect(aspect(score(single('A2', '2.4')), 'A2').points?.toString()).toBe('0');
  });

  it('totals a module', () => {
    // Module C (25 marks):
    //   C1 4 of 5 faults found, linear: 4/5 × 15 = 12
    //   C2 36 min: over 30 up to 40 → 3
    //   C3 (2.5) Experts 2, 2, 3: 7/3 ÷ 3 × 2.5 = 35/18
    //   C4 safe isolation yes → 2.5
    //   12 + 3 + 2.5 + 35/18 = 17.5 + 35/18 = 315/18 + 35/18 = 350/18 = 175/9 = 19.444… → 19.44.
    const result = score([
      ...single('C1', '4'),
      ...single('C2', '36'),
      ...panel('C3', ['2', '2', '3']),
      ...single('C4', '1'),
    ]);
    expect(component(result, 'C').raw.eq(Decimal.ratio(175n, 9n))).toBe(true);
    expect(result.total.toFixed(2)).toBe('19.44');
  });
});
