import { Decimal } from '../decimal';
import type { Aggregation, JudgementAspect } from '../scheme/schema';

export interface JudgeMark {
  judge: string;
  value: Decimal;
}

export interface Aggregate {
  used: JudgeMark[];
  dropped: JudgeMark[];
  value: Decimal;
}

/** Marks in a fixed order (value, then judge) so that the order judges marked in never matters. */
export function sortMarks(marks: readonly JudgeMark[]): JudgeMark[] {
  if (marks.length < 2) return [...marks];
  return [...marks].sort(
    (a, b) => a.value.cmp(b.value) || (a.judge < b.judge ? -1 : a.judge > b.judge ? 1 : 0),
  );
}

function median(values: readonly Decimal[]): Decimal {
  const middle = Math.floor(values.length / 2);
  const upper = values[middle] ?? Decimal.ZERO;
  if (values.length % 2 === 1) return upper;
  return (values[middle - 1] ?? upper).plus(upper).div(Decimal.of(2n));
}

/** Drops the k lowest and k highest marks, then takes the mean, median or sum of the rest. */
export function aggregate(marks: readonly JudgeMark[], rule: Aggregation): Aggregate {
  const sorted = sortMarks(marks);
  const used = sorted.slice(rule.dropLowest, sorted.length - rule.dropHighest);
  const dropped = [...sorted.slice(0, rule.dropLowest), ...sorted.slice(sorted.length - rule.dropHighest)];
  const values = used.map((m) => m.value);
  const value =
    rule.method === 'sum'
      ? Decimal.sum(values)
      : rule.method === 'median'
        ? median(values)
        : Decimal.sum(values).div(Decimal.of(BigInt(values.length)));
  return { used, dropped, value };
}

export interface ToleranceCheck {
  spread: Decimal;
  maxSpread: Decimal;
  exceeded: boolean;
}

/** The spread of the marks an aggregate used, against the band its value falls in. */
export function checkTolerance(aspect: JudgementAspect, primary: Aggregate): ToleranceCheck | undefined {
  const tolerance = aspect.tolerance;
  if (!tolerance) return undefined;
  const bands = [...tolerance.bands].sort((a, b) => Decimal.of(a.atLeast).cmp(Decimal.of(b.atLeast)));
  const band = bands.filter((b) => Decimal.of(b.atLeast).lte(primary.value)).at(-1) ?? bands[0];
  const values = primary.used.map((m) => m.value);
  const spread = (Decimal.max(values) ?? Decimal.ZERO).minus(Decimal.min(values) ?? Decimal.ZERO);
  const maxSpread = Decimal.of(band?.maxSpread ?? '0');
  return { spread, maxSpread, exceeded: spread.gt(maxSpread) };
}

/** Whether a panel this size can apply the aggregation's drops and keep at least one mark. */
export function canAggregate(markCount: number, rule: Aggregation): boolean {
  return markCount > rule.dropHighest + rule.dropLowest;
}
