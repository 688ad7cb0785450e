import { Decimal } from '../decimal';
import { allAspects, type Component, componentMax, type Scheme } from '../scheme/schema';
import type { JudgeMark } from './aggregate';
import { isAspectComplete, isVetoBroken, scoreAspect } from './aspects';
import { resolveItem } from './items';
import type { AspectResult, AttemptResult, CompetitorScore, ComponentResult, Flag, MarkInput } from './types';

export interface CompetitorRoundInput {
  competitor: string;
  round: string;
  marks: readonly MarkInput[];
  /** Degree of difficulty per attempt number. */
  difficulties?: Readonly<Record<number, string>>;
}

type RoundingStage = Scheme['rounding']['at'];

function rounder(scheme: Scheme) {
  return (value: Decimal, stage: RoundingStage): Decimal =>
    scheme.rounding.at === stage ? value.round(scheme.precision, scheme.rounding.mode) : value;
}

const markKey = (aspect: string, attempt: number | null) => `${aspect}#${attempt ?? 0}`;

function groupMarks(scheme: Scheme, marks: readonly MarkInput[]): Map<string, JudgeMark[]> {
  const groups = new Map<string, JudgeMark[]>();
  for (const mark of marks) {
    const ref = resolveItem(scheme, mark.item);
    if (!ref) throw new RangeError(`unknown item "${mark.item}"`);
    const key = markKey(ref.aspect.id, ref.attempt);
    const group = groups.get(key) ?? [];
    group.push({ judge: mark.judge, value: Decimal.of(mark.value) });
    groups.set(key, group);
  }
  return groups;
}

const sumPoints = (results: readonly AspectResult[]): Decimal | null =>
  results.every((r) => r.points === null) ? null : Decimal.sum(results.map((r) => r.points ?? Decimal.ZERO));

/**
 * Scores one competitor's round from their marks: aspects → attempts → components → total.
 * Intermediate values stay exact; rounding happens only at the stage the scheme names, and on the total.
 */
export function scoreCompetitor(scheme: Scheme, input: CompetitorRoundInput): CompetitorScore {
  const round = rounder(scheme);
  const marks = groupMarks(scheme, input.marks);
  const flags: Flag[] = [];
  let complete = true;

  const scoreAspects = (component: Component, attempt: number | null) =>
    component.aspects.map((aspect) => {
      const result = scoreAspect(aspect, marks.get(markKey(aspect.id, attempt)) ?? []);
      if (!isAspectComplete(aspect, result)) complete = false;
      const points = result.points === null ? null : round(result.points, 'aspect');
      return { ...result, points };
    });

  const perComponent = scheme.components.map((component) => {
    const attempts = component.attempts;
    if (!attempts)
      return { component, aspects: scoreAspects(component, null), attempts: [] as AttemptResult[] };
    const attemptResults = Array.from({ length: attempts.count }, (_, i): AttemptResult => {
      const attempt = i + 1;
      const aspects = scoreAspects(component, attempt);
      const attemptFlags: Flag[] = [];
      let points = sumPoints(aspects);
      let difficulty: Decimal | null = null;
      if (attempts.difficulty) {
        const declared = input.difficulties?.[attempt];
        difficulty = declared === undefined ? null : Decimal.of(declared);
        if (difficulty === null) {
          attemptFlags.push({ code: 'missingDifficulty' });
          complete = false;
        }
        points = points === null || difficulty === null ? null : points.times(difficulty);
      }
      if (points !== null) points = round(points, 'attempt');
      return { attempt, difficulty, aspects, points, counted: true, flags: attemptFlags };
    });
    if (attempts.combine === 'best') {
      const best = attemptResults.reduce<AttemptResult | undefined>(
        (top, a) => (a.points !== null && (top?.points == null || a.points.gt(top.points)) ? a : top),
        undefined,
      );
      for (const a of attemptResults) a.counted = a === best;
    }
    return { component, aspects: attemptResults.flatMap((a) => a.aspects), attempts: attemptResults };
  });

  // Vetoes act across the whole scheme: a broken rule can zero another component or disqualify.
  const zeroed = new Map<string, string>();
  let disqualifiedBy: string | null = null;
  for (const { component, aspects } of perComponent) {
    for (const result of aspects.filter(isVetoBroken)) {
      const veto = component.aspects.find((a) => a.id === result.aspect);
      if (veto?.kind !== 'veto') continue;
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
    const scoredAttempts = attempts.map((a) => {
      const vetoedAspects = a.aspects.map(applyAspectVeto);
      const changed = vetoedAspects.some((r, i) => r !== a.aspects[i]);
      if (!changed || a.points === null) return { ...a, aspects: vetoedAspects };
      const sum = sumPoints(vetoedAspects) ?? Decimal.ZERO;
      return {
        ...a,
        aspects: vetoedAspects,
        points: round(sum.times(a.difficulty ?? Decimal.ONE), 'attempt'),
      };
    });
    const scoredAspects = component.attempts
      ? scoredAttempts.flatMap((a) => a.aspects)
      : aspects.map(applyAspectVeto);
    let raw = component.attempts
      ? Decimal.sum(scoredAttempts.filter((a) => a.counted).map((a) => a.points ?? Decimal.ZERO))
      : (sumPoints(scoredAspects) ?? Decimal.ZERO);
    if (component.floor !== undefined) raw = Decimal.max([raw, Decimal.of(component.floor)]) ?? raw;
    const zeroedBy = zeroed.get(component.id) ?? null;
    if (zeroedBy !== null) raw = Decimal.ZERO;
    let score = raw;
    if (component.normaliseTo !== undefined) {
      const max = componentMax(component) ?? Decimal.ONE;
      score = raw.div(max).times(Decimal.of(component.normaliseTo));
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
  for (const r of allResults) flags.push(...r.flags);
  for (const a of components.flatMap((c) => c.attempts)) flags.push(...a.flags);

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

/**
 * The value of a named quantity (see the scheme's tie-breaks) in a competitor's round result, or null when
 * it is not known yet (no mark for that aspect), so that a missing time never wins a "lower is better" tie.
 */
export function quantityOf(scheme: Scheme, score: CompetitorScore, name: string): Decimal | null {
  if (name === 'total') return score.total;
  if (name === 'deductions') return score.deductions;
  const [kind, id] = name.split(':');
  if (kind === 'component') return score.components.find((c) => c.component === id)?.score ?? null;
  const results = score.components.flatMap((c) =>
    c.attempts.length > 0 ? c.attempts.filter((a) => a.counted).flatMap((a) => a.aspects) : c.aspects,
  );
  const ofAspect = results.filter((r) => r.aspect === id);
  const known = (values: (Decimal | null)[]) =>
    values.some((v) => v === null) || values.length === 0 ? null : Decimal.sum(values as Decimal[]);
  if (kind === 'aspect') return known(ofAspect.map((r) => r.points));
  if (kind === 'measure') return known(ofAspect.map((r) => r.value));
  throw new RangeError(
    `unknown quantity "${name}" (aspects: ${allAspects(scheme)
      .map((a) => a.id)
      .join(', ')})`,
  );
}
