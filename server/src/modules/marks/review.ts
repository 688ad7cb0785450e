import type {
  PaperMarkView,
  RemarkView,
  ReviewCompetitor,
  ReviewResponse,
  SignOffBlockers,
} from '@jiangxin/shared';
import type { Database, Executor } from '../../db/client';
import { computeRound, type RoundComputation } from '../../scoring/compute';
import type { RoundContext } from '../../scoring/round';
import { listCorrections } from './corrections';
import { remarkOrdersOf } from './repository';
import { pendingPaperMarks } from './service';
import { remarkView, roundStatus } from './views';

/**
 * The chief judge's view of a round: the standings computed by the shared engine from the marks in force
 * (by workstation code, judges by seat), what is missing, flagged or unconfirmed, and the open re-mark
 * orders; the same blockers hold up sign-off (lifecycle.ts).
 */

async function openRemarks(ex: Executor, comp: RoundComputation): Promise<RemarkView[]> {
  const orders = await remarkOrdersOf(ex, comp.view.ctx.round.id);
  return orders.map((o) => remarkView(comp.view, o, comp.marks)).filter((r) => r.pendingSeats.length > 0);
}

export async function blockersOf(
  ex: Executor,
  comp: RoundComputation,
  pending?: readonly PaperMarkView[],
): Promise<SignOffBlockers> {
  return {
    missing: comp.missing,
    unconfirmedPaper: (pending ?? (await pendingPaperMarks(ex, comp.view))).filter((p) => !p.superseded),
    flagged: comp.flags.filter((f) => f.blocking),
    openRemarks: await openRemarks(ex, comp),
  };
}

/** GET …/review. */
export async function review(db: Database, ctx: RoundContext): Promise<ReviewResponse> {
  const comp = await computeRound(db, ctx);
  const [corrections, pendingPaper] = await Promise.all([
    listCorrections(db, comp.view),
    pendingPaperMarks(db, comp.view),
  ]);
  const blockers = await blockersOf(db, comp, pendingPaper);
  const decrypted = ctx.round.decryptedAt !== null;
  const complete = new Map(
    comp.result.rounds
      .find((r) => r.round === ctx.round.key)
      ?.standings.map((s) => [s.score.competitor, s.score.complete] as const) ?? [],
  );
  const competitors: ReviewCompetitor[] = comp.view.competitors.map((c) => {
    const missing = comp.missing.filter((m) => m.workstation === c.code);
    return {
      workstation: c.code,
      ...(decrypted ? { name: c.name } : {}),
      panels: comp.view.panelsOf(c.id),
      complete: (complete.get(c.code) ?? false) && missing.length === 0,
      missing,
      flags: comp.flags.filter((f) => f.workstation === c.code),
      openRemarks: blockers.openRemarks.filter((r) => r.workstation === c.code),
    };
  });
  return {
    round: roundStatus(ctx),
    event: comp.event,
    competitors,
    pendingPaper,
    corrections,
    blockers,
    unseatedMarks: comp.unseated,
    seats: comp.view.seatsByItem(),
  };
}
