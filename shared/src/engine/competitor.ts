import { Decimal } from '../decimal';
import {
  type Aspect,
  allAspects,
  attemptCount,
  type Component,
  componentMax,
  type RoundingStage,
  type Scheme,
} from '../scheme/schema';
import { type Aggregate, aggregate, canAggregate, type JudgeMark } from './aggregate';
import { isAspectComplete, isVetoBroken, scoreAspect } from './aspects';
import { resolveItem } from './items';
import type {
  AspectResult,
  AttemptResult,
  CompetitorScore,
  ComponentResult,
  Flag,
  MarkInput,
  MissingMarkInput,
} from './types';

export interface CompetitorRoundInput {
  competitor: string;
  round: string;
  marks: readonly MarkInput[];
  /** Degree of difficulty per attempt number. */
  difficulties?: Readonly<Record<number, string>>;
  /** Seats whose missing mark the chief judge had replaced under the scheme's `missingMark` rule. */
  missingMarks?: readonly MissingMarkInput[];
}

/**
 * The rounding a scheme applies at a named stage: the stage's own places and mode, or the scheme's precision
 * when `rounding.at` names it; values pass unchanged through a stage that is not rounded.
 */
export function stageRounder(scheme: Scheme, stage: RoundingStage): (value: Decimal) => Decimal {
  const own = scheme.rounding.stages?.[stage];
  if (own) return (value) => value.round(own.places, own.mode ?? scheme.rounding.mode);
  if (scheme.rounding.at === stage) return (value) => value.round(scheme.precision, scheme.rounding.mode);
  return (value) => value;
}

type Rounders = Record<RoundingStage, (value: Decimal) => Decimal>;
const schemeRounders = new WeakMap<Scheme, Rounders>();

/** The scheme's rounding at every stage, made once per (immutable) scheme rather than once per competitor. */
function roundersOf(scheme: Scheme): Rounders {
  let rounders = schemeRounders.get(scheme);
  if (!rounders) {
    rounders = {
      panelMark: stageRounder(scheme, 'panelMark'),
      aspect: stageRounder(scheme, 'aspect'),
      attempt: stageRounder(scheme, 'attempt'),
      component: stageRounder(scheme, 'component'),
    };
    schemeRounders.set(scheme, rounders);
  }
  return rounders;
}

const markKey = (aspect: string, attempt: number | null) => `${aspect}#${attempt ?? 0}`;

function groupMarks(scheme: Scheme, round: string, marks: readonly MarkInput[]): Map<string, JudgeMark[]> {
  const groups = new Map<string, JudgeMark[]>();
  for (const mark of marks) {
    const ref = resolveItem(scheme, mark.item, round);
    if (!ref) throw new RangeError(`unknown item "${mark.item}" in round "${round}"`);
    const key = markKey(ref.aspect.id, ref.attempt);
    const group = groups.get(key) ?? [];
    group.push({ judge: mark.judge, value: Decimal.of(mark.value) });
    groups.set(key, group);
  }
  return groups;
}

/**
 * Applies the scheme's missing-mark rule: each replaced seat of a judgement item that has no mark of its own
 * gets the average of the marks the other judges gave (exact), flagged `markReplaced` on that item. Nothing
 * is replaced under `none`, for a seat that has a mark after all, or while no other judge has marked.
 */
function replaceMissingMarks(
  scheme: Scheme,
  round: string,
  marks: Map<string, JudgeMark[]>,
  missing: readonly MissingMarkInput[],
): Map<string, Flag[]> {
  const flags = new Map<string, Flag[]>();
  if (scheme.missingMark !== 'averageOfOthers') return flags;
  const seatsByKey = new Map<string, string[]>();
  for (const m of missing) {
    const ref = resolveItem(scheme, m.item, round);
    if (ref?.aspect.kind !== 'judgement') continue;
    const key = markKey(ref.aspect.id, ref.attempt);
    seatsByKey.set(key, [...(seatsByKey.get(key) ?? []), m.judge]);
  }
  for (const [key, seats] of seatsByKey) {
    const others = marks.get(key) ?? [];
    if (others.length === 0) continue;
    const average = Decimal.sum(others.map((m) => m.value)).div(Decimal.of(BigInt(others.length)));
    const replaced = [...new Set(seats)].filter((seat) => !others.some((m) => m.judge === seat));
    marks.set(key, [...others, ...replaced.map((judge) => ({ judge, value: average }))]);
    flags.set(
      key,
      replaced.map((judge) => ({ code: 'markReplaced', judge, value: average.toString() })),
    );
  }
  return flags;
}

const sumPoints = (results: readonly AspectResult[]): Decimal | null =>
  results.every((r) => r.points === null) ? null : Decimal.sum(results.map((r) => r.points ?? Decimal.ZERO));

/** A veto marked on one attempt, with no targets of its own, cancels only that attempt (a foul on one run). */
const isAttemptScoped = (component: Component, veto: Aspect) =>
  component.attempts !== undefined &&
  veto.kind === 'veto' &&
  veto.effect === 'zero' &&
  veto.targets === undefined;

/** Breaks a veto whose trigger (a measured value over its limit, e.g. 30 minutes over time) has fired. */
function applyTriggers(component: Component, results: AspectResult[]): AspectResult[] {
  if (!component.aspects.some((a) => a.kind === 'veto' && a.trigger)) return results;
  return results.map((result) => {
    const veto = aspectsOf(component).get(result.aspect);
    if (veto?.kind !== 'veto' || !veto.trigger || isVetoBroken(result)) return result;
    const { aspect, above } = veto.trigger;
    const source = results.find((r) => r.aspect === aspect);
    if (!source?.value?.gt(Decimal.of(above))) return result;
    const fired: Flag = { code: 'triggered', by: aspect, value: source.value.toString() };
    return { ...result, value: Decimal.ONE, points: Decimal.ZERO, flags: [...result.flags, fired] };
  });
}

/** Each judge's total over the component's judgement aspects, aggregated as the component says. */
function aggregateJudgeTotals(
  component: Component,
  aspects: readonly AspectResult[],
  zeroed: ReadonlyMap<string, string>,
  roundPanelMark: (value: Decimal) => Decimal,
): Aggregate | null {
  const rule = component.judgeTotals;
  if (!rule) return null;
  const judged = aspects.filter((r) => r.kind === 'judgement' && !zeroed.has(r.aspect));
  const totals = new Map<string, { value: Decimal; lines: number }>();
  for (const r of judged) {
    for (const m of r.marks) {
      const t = totals.get(m.judge) ?? { value: Decimal.ZERO, lines: 0 };
      totals.set(m.judge, { value: t.value.plus(m.value), lines: t.lines + 1 });
    }
  }
  // Only a judge who marked every line has a total to compare.
  const complete = [...totals]
    .filter(([, t]) => t.lines === judged.length)
    .map(([judge, t]) => ({ judge, value: t.value }));
  if (!canAggregate(complete.length, rule)) return null;
  const panel = aggregate(complete, rule);
  return { ...panel, value: roundPanelMark(panel.value) };
}

/**
 * Scores one competitor's round from their marks: aspects → attempts → vetoes → components → total.
 * Intermediate values stay exact; rounding happens only at the stages the scheme names, and on the total.
 */
export function scoreCompetitor(scheme: Scheme, input: CompetitorRoundInput): CompetitorScore {
  const rounders = roundersOf(scheme);
  const round = (value: Decimal, stage: Exclude<RoundingStage, 'panelMark'>) => rounders[stage](value);
  const marks = groupMarks(scheme, input.round, input.marks);
  const replacedFlags = replaceMissingMarks(scheme, input.round, marks, input.missingMarks ?? []);
  let complete = true;

  const scoreAspects = (component: Component, attempt: number | null) =>
    applyTriggers(
      component,
      component.aspects.map((aspect) => {
        const key = markKey(aspect.id, attempt);
        const result = scoreAspect(aspect, marks.get(key) ?? [], rounders.panelMark);
        if (!isAspectComplete(aspect, result)) complete = false;
        // The result is this call's own: completed in place rather than copied (one object per mark or more).
        const replaced = replacedFlags.get(key);
        if (replaced) result.flags = [...replaced, ...result.flags];
        if (result.points !== null) result.points = round(result.points, 'aspect');
        return result;
      }),
    );

  // A competitor who declared a dive list performs only the attempts on it (withdrawn after two, or a
  // shorter list): an undeclared attempt without a mark was not performed, not a missing mark.
  const declaredAny = Object.keys(input.difficulties ?? {}).length > 0;
  const notPerformed = (component: Component, attempt: number) =>
    component.attempts?.difficulty === true &&
    declaredAny &&
    input.difficulties?.[attempt] === undefined &&
    component.aspects.every((aspect) => !marks.has(markKey(aspect.id, attempt)));

  const scoreAttempts = (component: Component): AttemptResult[] => {
    const attempts = component.attempts;
    if (!attempts) return [];
    const results = Array.from(
      { length: attemptCount(scheme, component, input.round) },
      (_, i): AttemptResult => {
        const attempt = i + 1;
        if (notPerformed(component, attempt)) {
          const aspects = component.aspects.map((aspect) => ({ ...scoreAspect(aspect, []), flags: [] }));
          return {
            attempt,
            difficulty: null,
            aspects,
            points: null,
            counted: false,
            flags: [{ code: 'notPerformed' }],
          };
        }
        const aspects = scoreAspects(component, attempt);
        const flags: Flag[] = [];
        let points = sumPoints(aspects);
        let difficulty: Decimal | null = null;
        if (attempts.difficulty) {
          const declared = input.difficulties?.[attempt];
          difficulty = declared === undefined ? null : Decimal.of(declared);
          if (difficulty === null) {
            flags.push({ code: 'missingDifficulty' });
            complete = false;
          }
          points = points === null || difficulty === null ? null : points.times(difficulty);
        }
        const foul = aspects.find(
          (r) => isVetoBroken(r) && isAttemptScoped(component, aspectById(component, r.aspect)),
        );
        if (foul) {
          points = Decimal.ZERO;
          flags.push({ code: 'vetoed', by: foul.aspect });
        }
        if (points !== null) points = round(points, 'attempt');
        return { attempt, difficulty, aspects, points, counted: true, flags };
      },
    );
    return results;
  };

  /** With best-of, only the highest attempt counts; chosen after vetoes, which can change the points. */
  const countBest = (component: Component, results: AttemptResult[]): AttemptResult[] => {
    if (component.attempts?.combine !== 'best') return results;
    const best = results.reduce<AttemptResult | undefined>(
      (top, a) => (a.points !== null && (top?.points == null || a.points.gt(top.points)) ? a : top),
      undefined,
    );
    return results.map((a) => ({ ...a, counted: a === best }));
  };

  const perComponent = scheme.components.map((component) => {
    const attempts = scoreAttempts(component);
    const aspects = component.attempts ? attempts.flatMap((a) => a.aspects) : scoreAspects(component, null);
    return { component, aspects, attempts };
  });

  // Vetoes beyond one attempt act across the whole scheme: zero their targets, or disqualify.
  const zeroed = new Map<string, string>();
  let disqualifiedBy: string | null = null;
  for (const { component, aspects } of perComponent) {
    for (const result of aspects.filter(isVetoBroken)) {
      const veto = aspectById(component, result.aspect);
      if (veto.kind !== 'veto' || isAttemptScoped(component, veto)) continue;
      if (veto.effect === 'disqualify') disqualifiedBy ??= veto.id;
      else
        for (const target of veto.targets ?? [component.id])
          if (!zeroed.has(target)) zeroed.set(target, veto.id);
    }
  }
  const applyAspectVeto = (r: AspectResult): AspectResult => {
    const by = zeroed.get(r.aspect);
    if (by === undefined || r.points === null) return r;
    return { ...r, points: Decimal.ZERO, flags: [...r.flags, { code: 'vetoed', by }] };
  };

  const components = perComponent.map(({ component, aspects, attempts }): ComponentResult => {
    const vetoedAttempts = attempts.map((a) => {
      const vetoed = a.aspects.map(applyAspectVeto);
      if (a.points === null || vetoed.every((r, i) => r === a.aspects[i])) return { ...a, aspects: vetoed };
      const sum = sumPoints(vetoed) ?? Decimal.ZERO;
      return { ...a, aspects: vetoed, points: round(sum.times(a.difficulty ?? Decimal.ONE), 'attempt') };
    });
    const scoredAttempts = countBest(component, vetoedAttempts);
    const scoredAspects = component.attempts
      ? scoredAttempts.flatMap((a) => a.aspects)
      : aspects.map(applyAspectVeto);
    const judgeTotals = aggregateJudgeTotals(component, scoredAspects, zeroed, rounders.panelMark);
    let raw: Decimal;
    if (component.attempts) {
      raw = Decimal.sum(scoredAttempts.filter((a) => a.counted).map((a) => a.points ?? Decimal.ZERO));
    } else if (component.judgeTotals) {
      const others = scoredAspects.filter((r) => r.kind !== 'judgement');
      raw = (judgeTotals?.value ?? Decimal.ZERO).plus(sumPoints(others) ?? Decimal.ZERO);
    } else {
      raw = sumPoints(scoredAspects) ?? Decimal.ZERO;
    }
    if (component.floor !== undefined) raw = Decimal.max([raw, Decimal.of(component.floor)]) ?? raw;
    const zeroedBy = zeroed.get(component.id) ?? null;
    if (zeroedBy !== null) raw = Decimal.ZERO;
    let score = raw;
    if (component.normaliseTo !== undefined) {
      const max = componentMax(component, attemptCount(scheme, component, input.round));
      score = raw.div(max ?? Decimal.ONE).times(Decimal.of(component.normaliseTo));
    }
    score = round(score, 'component');
    const weighted =
      component.weight === undefined ? score : score.times(Decimal.of(component.weight)).div(Decimal.HUNDRED);
    return {
      component: component.id,
      raw,
      score,
      weighted,
      aspects: scoredAspects,
      attempts: scoredAttempts,
      judgeTotals,
      zeroedBy,
    };
  });

  let total = Decimal.sum(components.map((c) => c.weighted));
  if (scheme.factor !== undefined) total = total.times(Decimal.of(scheme.factor));
  total = total.round(scheme.precision, scheme.rounding.mode);

  const allResults = components.flatMap((c) => c.aspects);
  const deductions = Decimal.sum(
    allResults.filter((r) => r.kind === 'deduction').map((r) => (r.points ?? Decimal.ZERO).neg()),
  );
  const flags = [
    ...allResults.flatMap((r) => r.flags),
    ...components.flatMap((c) => c.attempts.flatMap((a) => a.flags)),
  ];

  return {
    competitor: input.competitor,
    round: input.round,
    own: total,
    carried: [],
    total,
    components,
    deductions,
    disqualifiedBy,
    complete,
    flags,
  };
}

/** A component's aspects by id, built once per (immutable) component: a paper of 100 questions looked each up by a scan. */
const aspectIndex = new WeakMap<Component, Map<string, Aspect>>();
function aspectsOf(component: Component): Map<string, Aspect> {
  let index = aspectIndex.get(component);
  if (!index) {
    index = new Map(component.aspects.map((a) => [a.id, a]));
    aspectIndex.set(component, index);
  }
  return index;
}

function aspectById(component: Component, id: string): Aspect {
  const aspect = aspectsOf(component).get(id);
  if (!aspect) throw new RangeError(`aspect "${id}" is not in component "${component.id}"`);
  return aspect;
}

/**
 * The value of a named quantity (see the scheme's tie-breaks) in a competitor's round result, or null when
 * it is not known yet (no mark for that aspect), so that a missing time never wins a "lower is better" tie.
 */
export function quantityOf(scheme: Scheme, score: CompetitorScore, name: string): Decimal | null {
  if (name === 'total') return score.total;
  if (name === 'deductions') return score.deductions;
  const [kind, id = ''] = name.split(':');
  if (kind === 'component') {
    const parts = id.split('+').map((part) => score.components.find((c) => c.component === part)?.weighted);
    return parts.some((p) => p === undefined) ? null : Decimal.sum(parts as Decimal[]);
  }
  const results = score.components.flatMap((c) =>
    c.attempts.length > 0 ? c.attempts.filter((a) => a.counted).flatMap((a) => a.aspects) : c.aspects,
  );
  const values = results.filter((r) => r.aspect === id).map((r) => (kind === 'measure' ? r.value : r.points));
  if (kind !== 'aspect' && kind !== 'measure') {
    throw new RangeError(
      `unknown quantity "${name}" (aspects: ${allAspects(scheme)
        .map((a) => a.id)
        .join(', ')})`,
    );
  }
  return values.length === 0 || values.some((v) => v === null) ? null : Decimal.sum(values as Decimal[]);
}
