import { type ItemRef, itemNames, resolveItem } from '@jiangxin/shared';
import type { Executor } from '../db/client';
import {
  type EffectiveMark,
  loadSeating,
  type RoundCompetitor,
  type RoundContext,
  roundCompetitors,
} from './round';
import { compareSeats, type SeatingData, type SeatSlot, slotsFor } from './seating';

/** A round's competitors, seating and item names, loaded once and looked up many times. */
export class RoundView {
  readonly byId: Map<string, RoundCompetitor>;
  readonly byCode: Map<string, RoundCompetitor>;
  private readonly refs = new Map<string, ItemRef | null>();
  /** Slots by item and competitor: the view is kept between marks (round-cache.ts), the seating with it. */
  private readonly slotsKept = new Map<string, readonly SeatSlot[]>();

  constructor(
    readonly ctx: RoundContext,
    readonly competitors: readonly RoundCompetitor[],
    readonly seating: SeatingData,
  ) {
    this.byId = new Map(competitors.map((c) => [c.id, c]));
    this.byCode = new Map(competitors.map((c) => [c.code, c]));
  }

  ref(item: string): ItemRef | null {
    if (!this.refs.has(item)) this.refs.set(item, resolveItem(this.ctx.scheme, item, this.ctx.round.key));
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
    return itemNames(this.ctx.scheme, this.ctx.round.key);
  }

  code(competitorId: string): string {
    return this.byId.get(competitorId)?.code ?? '?';
  }

  slots(item: string, competitorId: string): readonly SeatSlot[] {
    const key = `${item}\n${competitorId}`;
    let slots = this.slotsKept.get(key);
    if (!slots) {
      const ref = this.ref(item);
      const competitor = this.byId.get(competitorId);
      slots =
        ref && competitor
          ? slotsFor(this.seating, { aspectId: ref.aspect.id, attempt: ref.attempt }, competitor)
          : [];
      this.slotsKept.set(key, slots);
    }
    return slots;
  }

  /** The panels whose seats mark some item of the competitor in this round, in seating order. */
  panelsOf(competitorId: string): { id: string; name: string; group: string }[] {
    const ids = new Set(this.items().flatMap((item) => this.slots(item, competitorId).map((s) => s.panelId)));
    return this.seating.panels
      .filter((p) => ids.has(p.id))
      .map(({ id, name, group }) => ({ id, name, group }));
  }

  /** Per item, every seat some competitor's panel gives it (from the seating, before anyone marks). */
  seatsByItem(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const item of this.items()) {
      const seats = new Set(this.competitors.flatMap((c) => this.slots(item, c.id).map((s) => s.seat)));
      out[item] = [...seats].sort(compareSeats);
    }
    return out;
  }

  /** The seat a judge's mark counts in for that competitor and item, or null. */
  seatOf(mark: Pick<EffectiveMark, 'item' | 'competitorId' | 'judgeId'>): string | null {
    return this.slots(mark.item, mark.competitorId).find((s) => s.judgeId === mark.judgeId)?.seat ?? null;
  }
}

/** Loads what every check needs: the round's competitors by workstation and the event's seating. */
export async function roundView(ex: Executor, ctx: RoundContext): Promise<RoundView> {
  const [competitors, seating] = await Promise.all([
    roundCompetitors(ex, ctx.round.id),
    loadSeating(ctx, ex),
  ]);
  return new RoundView(ctx, competitors, seating);
}
