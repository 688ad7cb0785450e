import { Decimal } from '../decimal';
import { type Localized, localized } from '../i18n';
import type {
  Aspect,
  Band,
  DeductionAspect,
  JudgementAspect,
  MeasurementAspect,
  VetoAspect,
} from '../scheme/schema';
import { aggregate, canAggregate, checkTolerance, type JudgeMark, sortMarks } from './aggregate';
import type { AspectResult, Flag } from './types';

const ONE = Decimal.ONE;

/** The first band that holds the value. */
export function findBand(bands: readonly Band[], value: Decimal): Band | undefined {
  return bands.find((b) => {
    if (b.from !== undefined && value.lt(Decimal.of(b.from))) return false;
    if (b.above !== undefined && value.lte(Decimal.of(b.above))) return false;
    if (b.to !== undefined && value.gt(Decimal.of(b.to))) return false;
    if (b.below !== undefined && value.gte(Decimal.of(b.below))) return false;
    return true;
  });
}

/** The values a mark for this aspect may take: a range and a step from its minimum. */
export function markDomain(a: Aspect): { min?: Decimal; max?: Decimal; step?: Decimal } {
  switch (a.kind) {
    case 'judgement':
      return { min: Decimal.of(a.range.min), max: Decimal.of(a.range.max), step: Decimal.of(a.step) };
    case 'measurement': {
      const step = a.step === undefined ? undefined : Decimal.of(a.step);
      if (a.range) return { min: Decimal.of(a.range.min), max: Decimal.of(a.range.max), step };
      if (a.mapping.type === 'binary') return { min: Decimal.ZERO, max: ONE, step: ONE };
      if (a.mapping.type === 'direct') return { min: Decimal.ZERO, max: Decimal.of(a.max), step };
      return { min: Decimal.ZERO, step };
    }
    case 'deduction': {
      const step = a.step === undefined ? (a.per !== undefined ? ONE : undefined) : Decimal.of(a.step);
      if (a.range) return { min: Decimal.of(a.range.min), max: Decimal.of(a.range.max), step };
      return { min: Decimal.ZERO, step };
    }
    case 'veto':
      return { min: Decimal.ZERO, max: ONE, step: ONE };
  }
}

/** Why a value is not a valid mark for the aspect (in every interface language), or null if it is. */
export function markProblem(a: Aspect, value: Decimal): Localized | null {
  const { min, max, step } = markDomain(a);
  const print = (d: Decimal) => d.toString();
  if (min && value.lt(min)) return localized(`不能小于 ${print(min)}`, `must be at least ${print(min)}`);
  if (max && value.gt(max)) return localized(`不能大于 ${print(max)}`, `must be at most ${print(max)}`);
  if (
    step &&
    !value
      .minus(min ?? Decimal.ZERO)
      .div(step)
      .isInteger()
  ) {
    const from = min && !min.isZero();
    return localized(
      `须${from ? `从 ${print(min)} 起` : ''}按 ${print(step)} 递增`,
      `must be in steps of ${print(step)}${from ? ` from ${print(min)}` : ''}`,
    );
  }
  return null;
}

/** Why a value is not a valid mark for the aspect, or null if it is (English; see markProblem). */
export function checkMarkValue(a: Aspect, value: Decimal): string | null {
  return markProblem(a, value)?.en ?? null;
}

function mean(marks: readonly JudgeMark[]): Decimal {
  if (marks.length === 1 && marks[0]) return marks[0].value;
  return Decimal.sum(marks.map((m) => m.value)).div(Decimal.of(BigInt(marks.length)));
}

function panelFlags(expected: number, received: number): Flag[] {
  if (received < expected) return [{ code: 'missingMarks', expected, received }];
  if (received > expected) return [{ code: 'tooManyMarks', expected, received }];
  return [];
}

function scoreJudgement(
  a: JudgementAspect,
  marks: JudgeMark[],
  roundPanelMark: (value: Decimal) => Decimal,
): AspectResult {
  const flags = panelFlags(a.panel, marks.length);
  // Built whole, not spread from a base: a round of 10,000 competitors has one per empty practical aspect each.
  if (!canAggregate(marks.length, a.aggregation)) {
    return { aspect: a.id, kind: a.kind, marks, used: [], dropped: [], value: null, points: null, flags };
  }
  let result = aggregate(marks, a.aggregation);
  const tolerance = checkTolerance(a, result);
  if (tolerance?.exceeded) {
    const fallback = a.tolerance?.fallback;
    flags.push({
      code: 'toleranceExceeded',
      spread: tolerance.spread.toString(),
      maxSpread: tolerance.maxSpread.toString(),
      fallback: fallback !== undefined,
    });
    if (fallback && canAggregate(marks.length, fallback)) result = aggregate(marks, fallback);
  }
  const value = roundPanelMark(result.value);
  const points = a.rescale ? value.div(Decimal.of(a.rescale.from)).times(Decimal.of(a.rescale.to)) : value;
  return {
    aspect: a.id,
    kind: a.kind,
    marks,
    used: result.used,
    dropped: result.dropped,
    value,
    points,
    flags,
  };
}

function measuredPoints(a: MeasurementAspect, value: Decimal, flags: Flag[]): Decimal {
  const max = Decimal.of(a.max);
  const mapping = a.mapping;
  switch (mapping.type) {
    case 'direct':
      return Decimal.min([Decimal.max([value, Decimal.ZERO]) ?? value, max]) ?? value;
    case 'binary':
      return value.gte(ONE) ? max : Decimal.ZERO;
    case 'linear': {
      const full = Decimal.of(mapping.full);
      const zero = Decimal.of(mapping.zero);
      const share = value.minus(zero).div(full.minus(zero));
      if (share.gte(ONE)) return max;
      if (share.lte(Decimal.ZERO)) return Decimal.ZERO;
      return max.times(share);
    }
    case 'table': {
      const band = findBand(mapping.bands, value);
      if (!band) {
        flags.push({ code: 'outsideTable', value: value.toString() });
        return Decimal.ZERO;
      }
      return Decimal.of(band.points);
    }
  }
}

function scoreMeasurement(a: MeasurementAspect, marks: JudgeMark[]): AspectResult {
  const flags = panelFlags(a.panel, marks.length);
  // Built once, not spread from a base: a machine-scored paper has one of these per question per competitor.
  const value = marks.length === 0 ? null : mean(marks);
  const points = value === null ? null : measuredPoints(a, value, flags);
  return { aspect: a.id, kind: a.kind, marks, used: sortMarks(marks), dropped: [], value, points, flags };
}

function scoreDeduction(a: DeductionAspect, marks: JudgeMark[]): AspectResult {
  const flags = marks.length > 1 ? panelFlags(1, marks.length) : [];
  const base = { aspect: a.id, kind: a.kind, marks, used: sortMarks(marks), dropped: [] };
  if (marks.length === 0) return { ...base, value: null, points: null, flags };
  const value = mean(marks);
  let deducted: Decimal;
  if (a.bands) {
    const band = findBand(a.bands, value);
    if (!band) flags.push({ code: 'outsideTable', value: value.toString() });
    deducted = band ? Decimal.of(band.points) : Decimal.ZERO;
  } else {
    deducted = value.times(Decimal.of(a.per ?? '0'));
    if (a.cap !== undefined) deducted = Decimal.min([deducted, Decimal.of(a.cap)]) ?? deducted;
  }
  return { ...base, value, points: deducted.neg(), flags };
}

function scoreVeto(a: VetoAspect, marks: JudgeMark[]): AspectResult {
  const base = { aspect: a.id, kind: a.kind, marks, used: sortMarks(marks), dropped: [], flags: [] };
  if (marks.length === 0) return { ...base, value: null, points: null };
  const broken = marks.some((m) => m.value.gte(ONE));
  return { ...base, value: broken ? ONE : Decimal.ZERO, points: Decimal.ZERO };
}

/**
 * Scores one aspect from its marks (for one attempt, in attempt-based components); a judgement panel's
 * aggregate goes through `roundPanelMark` (the scheme's `panelMark` rounding stage) before any rescale.
 */
export function scoreAspect(
  a: Aspect,
  marks: JudgeMark[],
  roundPanelMark: (value: Decimal) => Decimal = (value) => value,
): AspectResult {
  switch (a.kind) {
    case 'judgement':
      return scoreJudgement(a, marks, roundPanelMark);
    case 'measurement':
      return scoreMeasurement(a, marks);
    case 'deduction':
      return scoreDeduction(a, marks);
    case 'veto':
      return scoreVeto(a, marks);
  }
}

/** A veto aspect whose mark says the rule was broken. */
export function isVetoBroken(result: AspectResult): boolean {
  return result.kind === 'veto' && result.value !== null && result.value.gte(ONE);
}

/**
 * Whether an aspect has the marks it needs to be final. Faults and vetoes are recorded only when they
 * happen, so an unmarked fault count or veto means none; a measured value (even for a deduction) is needed.
 */
export function isAspectComplete(a: Aspect, result: AspectResult): boolean {
  if (a.kind === 'veto' || (a.kind === 'deduction' && a.per !== undefined)) return true;
  if (result.points === null) return false;
  if (a.kind === 'judgement' || a.kind === 'measurement') return result.marks.length >= a.panel;
  return true;
}
