import {
  type CorrectionStatus,
  type CorrectionView,
  Decimal,
  type ItemRef,
  itemNames,
  type MarkSource,
  type MarkView,
  type RemarkView,
  type RoundStatus,
  resolveItem,
} from '@jiangxin/shared';
import type { Principal } from '../../plugins/auth';
import type {
  CorrectionRow,
  EffectiveMark,
  MarkRow,
  RemarkRow,
  RoundCompetitor,
  RoundContext,
} from './repository';
import { type SeatingData, slotsFor } from './seating';

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
  };
}

/** The account behind a request of an account role (scorekeeper, chief judge …). */
export function accountOf(principal: Principal): string {
  if (principal.kind !== 'account') throw new Error('an account route was reached without an account');
  return principal.accountId;
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

/** A round's competitors, seating and item names, loaded once and looked up many times. */
export class RoundView {
  readonly byId: Map<string, RoundCompetitor>;
  readonly byCode: Map<string, RoundCompetitor>;
  private readonly refs = new Map<string, ItemRef | null>();

  constructor(
    readonly ctx: RoundContext,
    readonly competitors: readonly RoundCompetitor[],
    readonly seating: SeatingData,
  ) {
    this.byId = new Map(competitors.map((c) => [c.id, c]));
    this.byCode = new Map(competitors.map((c) => [c.code, c]));
  }

  ref(item: string): ItemRef | null {
    if (!this.refs.has(item)) this.refs.set(item, resolveItem(this.ctx.scheme, item));
    return this.refs.get(item) ?? null;
  }

  /**
   * The one name of an item (`dive-3` and `dive-3:execution` name the same single-aspect attempt): marks
   * are stored under it, so no judge's mark can count twice under two names.
   */
  canonical(item: string): string {
    const ref = this.ref(item);
    if (!ref) return item;
    const attempts = ref.component.attempts;
    if (!attempts || ref.attempt === null) return ref.aspect.id;
    const base = `${attempts.label}-${ref.attempt}`;
    return ref.component.aspects.length === 1 ? base : `${base}:${ref.aspect.id}`;
  }

  items(): string[] {
    return itemNames(this.ctx.scheme);
  }

  code(competitorId: string): string {
    return this.byId.get(competitorId)?.code ?? '?';
  }

  slots(item: string, competitorId: string) {
    const ref = this.ref(item);
    const competitor = this.byId.get(competitorId);
    if (!ref || !competitor) return [];
    return slotsFor(this.seating, ref.aspect.id, competitor);
  }

  /** The seat a judge's mark counts in for that competitor and item, or null. */
  seatOf(mark: Pick<EffectiveMark, 'item' | 'competitorId' | 'judgeId'>): string | null {
    return this.slots(mark.item, mark.competitorId).find((s) => s.judgeId === mark.judgeId)?.seat ?? null;
  }

  /**
   * A re-mark order with the seats that still owe a newer mark (`marks`: the round's marks in force). The
   * order is open while any seat is left.
   */
  remark(order: RemarkRow, marks: readonly EffectiveMark[]): RemarkView {
    const pendingSeats = this.slots(order.item, order.competitorId)
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
      workstation: this.code(order.competitorId),
      item: order.item,
      reason: order.reason,
      orderedAt: order.createdAt.toISOString(),
      pendingSeats,
    };
  }
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
