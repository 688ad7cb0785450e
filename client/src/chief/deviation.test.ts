import { describe, expect, it } from 'vitest';
import { liveLines, type MarkTable, testScheme } from '../common/live/fixtures';
import { gridItems } from '../common/live/grid';
import { deviationPoints, seatDeviations } from './deviation';

const scheme = testScheme();
const seats = ['J1', 'J2', 'J3', 'J4', 'J5'];

/** Every workstation and item marked `base + offset(seat)`, with a little noise from the workstation. */
function round(offset: (seat: string, i: number) => number): MarkTable {
  const table: MarkTable = {};
  for (const [i, ws] of ['A01', 'A02', 'A03', 'A04', 'A05'].entries()) {
    table[ws] = {};
    for (const item of ['quality', 'technique']) {
      (table[ws] as Record<string, Record<string, string>>)[item] = Object.fromEntries(
        seats.map((seat) => [seat, String(6 + (i % 3) * 0.5 + offset(seat, i))]),
      );
    }
  }
  return table;
}

const deviationsOf = (table: MarkTable, s = scheme) => {
  const lines = liveLines(s, table);
  return seatDeviations(deviationPoints(gridItems(s, 'Final', lines), lines), seats);
};

describe('judges’ deviation', () => {
  it('is each mark minus the panel’s trimmed mean', () => {
    const lines = liveLines(scheme, { A01: { quality: { J1: '6', J2: '7', J3: '8', J4: '9', J5: '10' } } });
    const points = deviationPoints(gridItems(scheme, 'Final', lines), lines);
    expect(points.map((p) => [p.seat, p.deviation]).sort()).toEqual([
      ['J1', -2],
      ['J2', -1],
      ['J3', 0],
      ['J4', 1],
      ['J5', 2],
    ]);
    expect(points.find((p) => p.seat === 'J5')?.steps).toBe(4);
  });

  it('flags the one judge who marks a point above the others everywhere, and nobody else', () => {
    const rows = deviationsOf(round((seat) => (seat === 'J3' ? 1 : 0)));
    const j3 = rows.find((r) => r.seat === 'J3');
    expect(j3?.count).toBe(10);
    expect(j3?.mean).toBeCloseTo(1);
    expect(j3?.meanAbsolute).toBeCloseTo(1);
    expect(rows.filter((r) => r.outlier).map((r) => r.seat)).toEqual(['J3']);
    expect(rows.find((r) => r.seat === 'J1')?.mean).toBeCloseTo(0);
  });

  it('flags a judge who marks low too', () => {
    const rows = deviationsOf(round((seat) => (seat === 'J5' ? -1.5 : 0)));
    expect(rows.filter((r) => r.outlier).map((r) => r.seat)).toEqual(['J5']);
    expect(rows.find((r) => r.seat === 'J5')?.mean).toBeCloseTo(-1.5);
  });

  it('flags nobody when judges only disagree by chance', () => {
    // Each seat half a point up or down on alternate workstations: no one is consistently off.
    const noise = (seat: string, i: number) => ((Number(seat.slice(1)) + i) % 2 === 0 ? 0.5 : -0.5);
    const rows = deviationsOf(round(noise));
    expect(rows.some((r) => r.outlier)).toBe(false);
    for (const r of rows) expect(r.meanAbsolute).toBeGreaterThan(0);
  });

  it('does not flag a seat on fewer than three marks', () => {
    const rows = deviationsOf({ A01: { quality: { J1: '6', J2: '6', J3: '8', J4: '6', J5: '6' } } });
    expect(rows.find((r) => r.seat === 'J3')?.count).toBe(1);
    expect(rows.some((r) => r.outlier)).toBe(false);
  });

  it('compares with the per-mark result when the panel sums', () => {
    const sum = testScheme('sum');
    const rows = deviationsOf(
      round((seat) => (seat === 'J3' ? 1 : 0)),
      sum,
    );
    expect(rows.find((r) => r.seat === 'J3')?.mean).toBeCloseTo(1);
    expect(rows.filter((r) => r.outlier).map((r) => r.seat)).toEqual(['J3']);
  });

  it('lists every seat, with nothing for a seat that has not marked', () => {
    const rows = seatDeviations([], seats);
    expect(rows.map((r) => [r.seat, r.count, r.mean])).toEqual(seats.map((s) => [s, 0, null]));
  });
});
