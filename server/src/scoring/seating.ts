import { SEAT_PATTERN } from '@jiangxin/shared';
/**
 * Who marks what: the seats of the panels that mark an aspect, for one competitor, with recusals applied.
 * Pure functions over data loaded once per request (repository.loadSeating).
 *
 * A judge recused for a competitor (a recusals row, or — as a second line of defence — the same unit, or the
 * same region when the competition says so) does not mark that competitor; a substitute named in the
 * recusal row marks in the recused judge's seat instead. The engine sees marks by seat (J1 … J7).
 */

export interface SeatingData {
  /** The panels of the round (its own and the event-wide ones), oldest first. */
  panels: {
    id: string;
    name: string;
    group: string;
    aspects: string[];
    /** The attempts it marks; empty: every attempt. */
    attempts: readonly number[];
    field: Field;
    seats: { seat: string; judgeId: string }[];
  }[];
  recusals: { panelId: string; judgeId: string; competitorId: string; substituteJudgeId: string | null }[];
  judges: ReadonlyMap<string, { unit: string; region: string }>;
  recusalByRegion: boolean;
}

export interface CompetitorRef {
  id: string;
  unit: string;
  region: string;
}

export interface SeatSlot {
  panelId: string;
  seat: string;
  /** The judge holding the seat on the panel. */
  seatedJudgeId: string;
  /** Who marks this competitor in the seat: the seated judge, a substitute, or nobody (recused). */
  judgeId: string | null;
}

/** The competitors a panel marks: some, or (null) the whole field. */
export type Field = ReadonlySet<string> | null;

/** Whether a panel marks a competitor (one covering part of the field marks only those it lists). */
export const covers = (panel: { field: Field }, competitorId: string | null) =>
  panel.field === null || (competitorId !== null && panel.field.has(competitorId));

/** The field a panel's competitor list stands for (an empty list: the whole field). */
export const fieldOf = (competitorIds: readonly string[]): Field =>
  competitorIds.length === 0 ? null : new Set(competitorIds);

const marksAspect = (panel: SeatingData['panels'][number], aspectId: string) =>
  panel.aspects.length === 0 || panel.aspects.includes(aspectId);

/**
 * An item of a competitor's round: the aspect and, for an attempted component, which attempt (null: none).
 * Two panels may take turns by attempt (dives 1, 2, 5 and dives 3, 4, 6).
 */
export interface ItemTarget {
  aspectId: string;
  attempt: number | null;
}

/** Whether the panel marks this attempt (a panel limited to some attempts marks nothing outside them). */
const marksAttempt = (panel: SeatingData['panels'][number], attempt: number | null) =>
  panel.attempts.length === 0 || (attempt !== null && panel.attempts.includes(attempt));

/** Whether the panel marks this item of this competitor. */
const marks = (panel: SeatingData['panels'][number], item: ItemTarget, competitorId: string) =>
  marksAspect(panel, item.aspectId) && marksAttempt(panel, item.attempt) && covers(panel, competitorId);

/** Whether a judge may not mark the competitor by the rule itself (own unit, or own region if required). */
export function conflictsWith(seating: SeatingData, judgeId: string, competitor: CompetitorRef): boolean {
  const judge = seating.judges.get(judgeId);
  if (!judge) return false;
  return judge.unit === competitor.unit || (seating.recusalByRegion && judge.region === competitor.region);
}

/**
 * The seats marking an item of a competitor: those of the round's panels that cover the competitor and the
 * attempt (one per seat name: the first panel that has it; setup refuses two panels covering the same
 * competitor, attempt and aspect).
 */
export function slotsFor(seating: SeatingData, item: ItemTarget, competitor: CompetitorRef): SeatSlot[] {
  const slots: SeatSlot[] = [];
  for (const panel of seating.panels) {
    if (!marks(panel, item, competitor.id)) continue;
    for (const { seat, judgeId } of panel.seats) {
      // A reserve (R1 …) marks only in the seat of a judge recused for this competitor, never on its own.
      if (parseSeat(seat)?.kind === 'R' || slots.some((s) => s.seat === seat)) continue;
      const recusal = seating.recusals.find(
        (r) => r.panelId === panel.id && r.judgeId === judgeId && r.competitorId === competitor.id,
      );
      let marker: string | null = judgeId;
      if (recusal) marker = recusal.substituteJudgeId;
      if (marker !== null && conflictsWith(seating, marker, competitor)) marker = null;
      slots.push({ panelId: panel.id, seat, seatedJudgeId: judgeId, judgeId: marker });
    }
  }
  return slots.sort((a, b) => compareSeats(a.seat, b.seat));
}

/** The seat a judge marks the item of the competitor in, or why not. */
export function judgeSlot(
  seating: SeatingData,
  item: ItemTarget,
  competitor: CompetitorRef,
  judgeId: string,
): { seat: string } | { refused: 'recused' | 'not_your_panel' } {
  const slots = slotsFor(seating, item, competitor);
  const mine = slots.find((s) => s.judgeId === judgeId);
  if (mine) return { seat: mine.seat };
  // Seated on a panel marking this competitor but not marking them: recused; on no such panel: not theirs.
  const seated = seating.panels.some(
    (p) => marks(p, item, competitor.id) && p.seats.some((s) => s.judgeId === judgeId),
  );
  return { refused: seated ? 'recused' : 'not_your_panel' };
}

type Seat = { readonly kind: 'J' | 'R'; readonly number: number };
// Seat names are few (J1 … J30, R1 …) and read in every comparison of every seating: parsed once each.
const seats = new Map<string, Seat | null>();

export function parseSeat(seat: string): Seat | null {
  let parsed = seats.get(seat);
  if (parsed === undefined) {
    const match = SEAT_PATTERN.exec(seat);
    parsed = match ? { kind: match[1] as 'J' | 'R', number: Number(match[2]) } : null;
    if (seats.size < 1_000) seats.set(seat, parsed);
  }
  return parsed;
}

/** J seats before R seats, each by number. */
export function compareSeats(a: string, b: string): number {
  const x = parseSeat(a);
  const y = parseSeat(b);
  if (!x || !y) return a.localeCompare(b);
  return x.kind === y.kind ? x.number - y.number : x.kind === 'J' ? -1 : 1;
}
