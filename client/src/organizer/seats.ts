import type { JudgeView, PanelView, SeatView } from '@jiangxin/shared';

/**
 * A panel's seats as the console lays them out: the marking seats J1…Jn the scheme needs, then the reserves
 * seated so far and one free reserve seat more (R1, R2 …), so a reserve can always be added.
 */

export interface SeatSlot {
  seat: string;
  kind: 'marking' | 'reserve';
  judge: SeatView | null;
}

const number = (seat: string) => Number(seat.slice(1));

export function seatSlots(panel: Pick<PanelView, 'size' | 'seats'>): SeatSlot[] {
  const bySeat = new Map(panel.seats.map((s) => [s.seat, s]));
  const marking = Array.from({ length: panel.size }, (_, i) => `J${i + 1}`);
  // A marking seat beyond the size (the scheme was smaller once) is still shown, so it can be cleared.
  for (const s of panel.seats) if (s.seat.startsWith('J') && !marking.includes(s.seat)) marking.push(s.seat);
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
