import {
  type CorrectionStatus,
  type CorrectionView,
  Decimal,
  type MarkSource,
  type MarkView,
  type RemarkView,
  type RoundStatus,
} from '@jiangxin/shared';
import type { EffectiveMark, RoundCompetitor, RoundContext } from '../../scoring/round';
import type { RoundView } from '../../scoring/round-view';
import type { CorrectionRow, MarkRow, RemarkRow } from './repository';

/** Response shapes and the small pure helpers shared by the marks services. */

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The canonical text of a decimal ("8.50" → "8.5"): what is stored, hashed and shown. */
export const canonicalValue = (text: string) => Decimal.of(text).toString(40);

export function roundStatus(ctx: RoundContext): RoundStatus {
  return {
    id: ctx.round.id,
    key: ctx.round.key,
    event: ctx.event,
    signedOffAt: iso(ctx.round.signedOffAt),
    decryptedAt: iso(ctx.round.decryptedAt),
    publishedAt: iso(ctx.round.publishedAt),
    markingClosedAt: iso(ctx.round.markingClosedAt),
  };
}

export function markView(
  row: Pick<MarkRow, 'id' | 'item' | 'value' | 'seq' | 'source' | 'createdAt'>,
  workstation: string,
  seat: string | null,
  confirmedAt?: Date | null,
): MarkView {
  return {
    id: row.id,
    workstation,
    item: row.item,
    value: canonicalValue(row.value),
    seat,
    seq: row.seq,
    source: row.source as MarkSource,
    createdAt: row.createdAt.toISOString(),
    ...(row.source === 'paper' ? { confirmedAt: iso(confirmedAt) } : {}),
  };
}

/** The seat a correction is for ('?' if its judge holds none for it any more). */
export function correctionSeat(view: RoundView, row: CorrectionRow): string {
  return view.seatOf(row) ?? '?';
}

/** A correction, with the seat's mark in force (`current`: marks in force) and the mark its approval wrote. */
export function correctionView(
  view: RoundView,
  row: CorrectionRow,
  current: readonly EffectiveMark[],
  markIds: ReadonlyMap<string, string>,
): CorrectionView {
  const inForce = current.find(
    (m) => m.competitorId === row.competitorId && m.item === row.item && m.judgeId === row.judgeId,
  );
  return {
    id: row.id,
    workstation: view.code(row.competitorId),
    item: row.item,
    seat: correctionSeat(view, row),
    value: canonicalValue(row.value),
    currentValue: inForce ? canonicalValue(inForce.value) : null,
    reason: row.reason,
    status: row.status as CorrectionStatus,
    requestedBy: row.requestedBy,
    decidedBy: row.decidedBy,
    decisionReason: row.decisionReason,
    decidedAt: row.decidedAt ? row.decidedAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    markId: markIds.get(row.id) ?? null,
  };
}

/**
 * A re-mark order with the seats that still owe a newer mark (`marks`: the round's marks in force). The
 * order is open while any seat is left.
 */
export function remarkView(view: RoundView, order: RemarkRow, marks: readonly EffectiveMark[]): RemarkView {
  const pendingSeats = view
    .slots(order.item, order.competitorId)
    .filter((slot) => slot.judgeId !== null)
    .filter(
      (slot) =>
        !marks.some(
          (m) =>
            m.competitorId === order.competitorId &&
            m.item === order.item &&
            m.judgeId === slot.judgeId &&
            m.micros > order.micros,
        ),
    )
    .map((slot) => slot.seat);
  return {
    id: order.id,
    workstation: view.code(order.competitorId),
    item: order.item,
    reason: order.reason,
    orderedAt: order.createdAt.toISOString(),
    pendingSeats,
  };
}

/** What the audit records of a mark's target: the round, workstation and competitor, item, seat, judge, value. */
export function markTarget(
  ctx: RoundContext,
  competitor: RoundCompetitor,
  mark: { item: string; seat: string; judgeId: string; value: string },
) {
  return {
    roundId: ctx.round.id,
    workstation: competitor.code,
    competitorId: competitor.id,
    item: mark.item,
    seat: mark.seat,
    judgeId: mark.judgeId,
    value: mark.value,
  };
}
