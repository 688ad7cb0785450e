import { Decimal } from '../decimal';

/**
 * A common scale for comparing events of different difficulty (WorldSkills: the median competitor sits at
 * 700). The median maps to `centre`, and every mean absolute deviation from the median is worth
 * `perDeviation` points. WSI does not publish its exact statistics; this measure keeps the arithmetic exact.
 */
export function standardise(totals: readonly Decimal[], centre: Decimal, perDeviation: Decimal): Decimal[] {
  if (totals.length === 0) return [];
  const sorted = [...totals].sort((a, b) => a.cmp(b));
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Decimal.ZERO;
  const median =
    sorted.length % 2 === 1 ? upper : (sorted[middle - 1] ?? upper).plus(upper).div(Decimal.of(2n));
  const deviation = Decimal.sum(totals.map((t) => t.minus(median).abs())).div(
    Decimal.of(BigInt(totals.length)),
  );
  if (deviation.isZero()) return totals.map(() => centre);
  return totals.map((t) => centre.plus(t.minus(median).div(deviation).times(perDeviation)));
}
