import type { LiveStanding } from '@jiangxin/shared';
import { aspectOf, bySeat, type GridItem, panelResult } from '../common/live/grid';

/**
 * Judges' deviation: for each seat, each of its marks minus the panel's result for that competitor and item
 * (the engine's aspect value: the aggregate of the marks used, e.g. the trimmed mean; per mark when the panel
 * sums), over the whole round. Only judgement aspects count (measurements and deductions are not opinions).
 *
 * A seat is flagged when it marks consistently high or low:
 * - at least MIN_MARKS marks compared,
 * - |mean deviation| ≥ OUTLIER_STEPS steps of the scale (deviations are divided by each aspect's step, so
 *   scales of different step compare), and
 * - it stands apart from the panel: its mean is at least SEPARATION_STEPS steps from the median of the other
 *   seats' means (so a panel that all marks the same way is not flagged, and one biased judge does not make
 *   the others look biased).
 * On a 0–10 scale in steps of 0.5 that is a judge half a point or more above or below the panel on average.
 */
export const MIN_MARKS = 3;
export const OUTLIER_STEPS = 1;
export const SEPARATION_STEPS = 1;

export interface DeviationPoint {
  workstation: string;
  item: string;
  seat: string;
  mark: number;
  result: number;
  /** mark − result, in the marks' unit. */
  deviation: number;
  /** The deviation in steps of the aspect's scale. */
  steps: number;
}

export interface SeatDeviation {
  seat: string;
  count: number;
  /** Mean of mark − result (positive: marks high), null without marks. */
  mean: number | null;
  /** Mean of |mark − result|. */
  meanAbsolute: number | null;
  /** The mean deviation in steps of the scale. */
  meanSteps: number | null;
  outlier: boolean;
  points: DeviationPoint[];
}

/** Every mark of the round compared with its panel's result. */
export function deviationPoints(
  items: readonly GridItem[],
  lines: readonly LiveStanding[],
): DeviationPoint[] {
  const points: DeviationPoint[] = [];
  for (const line of lines) {
    for (const item of items) {
      if (item.aspect.kind !== 'judgement') continue;
      const json = aspectOf(line, item);
      const result = panelResult(item.aspect, json);
      if (!json || result === null) continue;
      const step = Number(item.aspect.step);
      for (const m of [...json.used, ...json.dropped]) {
        const deviation = Number(m.mark) - result;
        points.push({
          workstation: line.workstation,
          item: item.item,
          seat: m.judge,
          mark: Number(m.mark),
          result,
          deviation,
          steps: deviation / step,
        });
      }
    }
  }
  return points;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? null)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Each seat's mean and mean absolute deviation, and whether it stands out (see the rule above). */
export function seatDeviations(
  points: readonly DeviationPoint[],
  seats: readonly string[] = [],
): SeatDeviation[] {
  const all = [...new Set([...seats, ...points.map((p) => p.seat)])].sort(bySeat);
  const rows = all.map((seat) => {
    const mine = points.filter((p) => p.seat === seat);
    return {
      seat,
      count: mine.length,
      mean: mean(mine.map((p) => p.deviation)),
      meanAbsolute: mean(mine.map((p) => Math.abs(p.deviation))),
      meanSteps: mean(mine.map((p) => p.steps)),
      outlier: false,
      points: mine,
    };
  });
  const epsilon = 1e-9;
  for (const row of rows) {
    if (row.meanSteps === null || row.count < MIN_MARKS) continue;
    const others = rows.filter((r) => r !== row && r.meanSteps !== null).map((r) => r.meanSteps as number);
    const centre = median(others) ?? 0;
    row.outlier =
      Math.abs(row.meanSteps) >= OUTLIER_STEPS - epsilon &&
      Math.abs(row.meanSteps - centre) >= SEPARATION_STEPS - epsilon;
  }
  return rows;
}
