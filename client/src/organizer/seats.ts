import type { JudgeView, PanelView, SeatView } from '@jiangxin/shared';

/**
 * A panel's seats as the console lays them out: the marking seats the scheme needs (J1…Jn, or on from the
 * pool's numbering a panel already uses: J8…J14), then the reserves seated so far and one free reserve seat
 * more (R1, R2 …), so a reserve can always be added.
 */

export interface SeatSlot {
  seat: string;
  kind: 'marking' | 'reserve';
  judge: SeatView | null;
}

const number = (seat: string) => Number(seat.slice(1));

export function seatSlots(panel: Pick<PanelView, 'size' | 'seats'>): SeatSlot[] {
  const bySeat = new Map(panel.seats.map((s) => [s.seat, s]));
  const seated = panel.seats.filter((s) => s.seat.startsWith('J')).map((s) => number(s.seat));
  // Every seated marking seat is shown (so one beyond the size can be cleared), then free ones up to the size.
  const numbers = [...seated];
  // Free seats fill the block of the pool's numbering the first seated one is in (J8…J14 for a 7-seat panel).
  const size = Math.max(1, panel.size);
  const first = seated.length > 0 ? Math.floor((Math.min(...seated) - 1) / size) * size + 1 : 1;
  for (let n = first; numbers.length < panel.size; n++) if (!numbers.includes(n)) numbers.push(n);
  const marking = numbers.sort((a, b) => a - b).map((n) => `J${n}`);
  const reserves = panel.seats.filter((s) => s.seat.startsWith('R')).map((s) => number(s.seat));
  const lastReserve = Math.max(0, ...reserves);
  const reserve = Array.from({ length: lastReserve + 1 }, (_, i) => `R${i + 1}`);
  return [
    ...marking.map((seat) => ({ seat, kind: 'marking' as const, judge: bySeat.get(seat) ?? null })),
    ...reserve.map((seat) => ({ seat, kind: 'reserve' as const, judge: bySeat.get(seat) ?? null })),
  ];
}

/** The competition's judges not seated on this panel (a judge sits once per panel). */
export function unseatedJudges(judges: readonly JudgeView[], panel: Pick<PanelView, 'seats'>): JudgeView[] {
  const seated = new Set(panel.seats.map((s) => s.judgeId));
  return judges.filter((j) => !seated.has(j.id));
}
