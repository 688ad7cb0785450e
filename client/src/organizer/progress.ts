import type { GridRow } from '../common/live/grid';

/**
 * A round's progress for the organizer: the marks expected and received, per judge seat and per workstation,
 * counted from the chief judge's grid (the same derivation from the live standings). Pure.
 */

export interface Tally {
  received: number;
  expected: number;
}

export interface RoundProgress extends Tally {
  bySeat: (Tally & { seat: string })[];
  byWorkstation: (Tally & { workstation: string; competitor: string; complete: boolean })[];
}

const collator = new Intl.Collator('en', { numeric: true });

export function roundProgress(rows: readonly GridRow[]): RoundProgress {
  const seats = new Map<string, Tally>();
  const byWorkstation: RoundProgress['byWorkstation'] = [];
  for (const row of rows) {
    const line = { workstation: row.workstation, competitor: row.competitor, complete: row.complete };
    const tally: Tally = { received: 0, expected: 0 };
    for (const item of row.items) {
      for (const cell of item.cells) {
        const has = cell.value !== null || cell.received;
        // Counted: a mark in, or one the grid shows missing. A reserve's seat, a veto or a deduction (marked
        // only when it happens) is expected only once it holds a mark.
        if (!has && !cell.missing) continue;
        tally.expected += 1;
        if (has) tally.received += 1;
        const seat = seats.get(cell.seat) ?? { received: 0, expected: 0 };
        seat.expected += 1;
        if (has) seat.received += 1;
        seats.set(cell.seat, seat);
      }
    }
    byWorkstation.push({ ...line, ...tally });
  }
  const bySeat = [...seats.entries()]
    .map(([seat, t]) => ({ seat, ...t }))
    .sort((a, b) => collator.compare(a.seat, b.seat));
  return {
    received: byWorkstation.reduce((n, w) => n + w.received, 0),
    expected: byWorkstation.reduce((n, w) => n + w.expected, 0),
    bySeat,
    byWorkstation,
  };
}
