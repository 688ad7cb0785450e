import type {
  EventJson,
  PaperMarkView,
  RemarkRequest,
  RemarkView,
  ReviewCompetitor,
  ReviewResponse,
  Role,
  RoundResultsResponse,
  SignOffBlockers,
  SignOffRequest,
} from '@jiangxin/shared';
import { eq } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client';
import { remarkOrders, rounds } from '../../db/schema';
import { AppError } from '../../plugins/errors';
import { roundSignedOff } from '../../refusals';
import { computeRound, type RoundComputation } from '../../scoring/compute';
import type { RoundContext, RoundRow } from '../../scoring/round';
import { roundView } from '../../scoring/round-view';
import { compareSeats } from '../../scoring/seating';
import { audited, type Writer } from '../audit/service';
import { listCorrections } from './corrections';
import { alreadyDone, resultsNotPublished, roundNotSignedOff } from './errors';
import { lockRound, remarkOrdersOf } from './repository';
import { pendingPaperMarks, resolveTarget } from './service';
import { remarkView, roundStatus } from './views';

/**
 * The chief judge's side of a round: the standings computed by the shared engine from the marks in force
 * (by workstation code, judges by seat), what is missing, flagged or unconfirmed, re-mark orders, sign-off
 * (which locks the marks), decryption (by the encryption officer, after sign-off) and publication.
 *
 * Publication needs sign-off but not decryption: a round may be published by workstation code (the venue
 * announces 工位号 results while the encryption officer is still at work); the public results show names
 * from the moment the round is decrypted.
 */

async function openRemarks(ex: Executor, comp: RoundComputation): Promise<RemarkView[]> {
  const orders = await remarkOrdersOf(ex, comp.view.ctx.round.id);
  return orders.map((o) => remarkView(comp.view, o, comp.marks)).filter((r) => r.pendingSeats.length > 0);
}

async function blockersOf(
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
  };
}

/** POST …/remarks: every seat marking the item marks it again; open until each has a newer mark. */
export async function orderRemark(
  writer: Writer,
  ctx: RoundContext,
  accountId: string,
  body: RemarkRequest,
): Promise<RemarkView> {
  if (ctx.round.signedOffAt) throw roundSignedOff();
  const view = await roundView(writer.db, ctx);
  const item = view.canonical(body.item);
  const [competitor] = resolveTarget(view, body.workstation, item);
  const order = await audited(writer, async (tx, audit) => {
    const round = await lockRound(tx, ctx.round.id, 'share');
    if (round.signedOffAt) throw roundSignedOff();
    const [row] = await tx
      .insert(remarkOrders)
      .values({
        roundId: ctx.round.id,
        competitorId: competitor.id,
        item,
        reason: body.reason,
        orderedBy: accountId,
      })
      .returning();
    if (!row) throw new Error('re-mark order not stored');
    await audit(ctx.competitionId, {
      affects: { roundId: ctx.round.id },
      actor: `account:${accountId}`,
      action: 'remark.ordered',
      subject: `remark:${row.id}`,
      detail: {
        remarkId: row.id,
        roundId: ctx.round.id,
        workstation: competitor.code,
        competitorId: competitor.id,
        item,
        reason: body.reason,
      },
    });
    return row;
  });
  // Every seat owes a mark newer than the order.
  return {
    id: order.id,
    workstation: competitor.code,
    item: order.item,
    reason: order.reason,
    orderedAt: order.createdAt.toISOString(),
    pendingSeats: view
      .slots(order.item, competitor.id)
      .filter((s) => s.judgeId !== null)
      .map((s) => s.seat)
      .sort(compareSeats),
  };
}

/** The standings as the audit records them at sign-off and publication. */
function standingsSnapshot(comp: RoundComputation, roundKey: string) {
  const round = comp.event.rounds.find((r) => r.round === roundKey);
  return (round?.standings ?? []).map((s) => ({ workstation: s.competitor, rank: s.rank, total: s.total }));
}

const count = (n: number, zh: string, en: string) => ({ n, zh: `${n} ${zh}`, en: `${n} ${en}` });

/** POST …/sign-off: locks the round's marks. Refused while anything is missing, unconfirmed or flagged, unless forced with a reason. */
export async function signOff(
  writer: Writer,
  ctx: RoundContext,
  accountId: string,
  body: SignOffRequest,
): Promise<{ round: RoundRow; forced: boolean }> {
  return audited(writer, async (tx, audit) => {
    const locked = await lockRound(tx, ctx.round.id, 'update');
    if (locked.signedOffAt) {
      throw alreadyDone('round_already_signed_off', {
        'zh-CN': '本场次已签字锁定',
        en: 'this round is already signed off',
      });
    }
    const comp = await computeRound(tx, { ...ctx, round: locked });
    const blockers = await blockersOf(tx, comp);
    const parts = [
      count(blockers.missing.length, '项缺少评分', 'items missing marks'),
      count(blockers.unconfirmedPaper.length, '条纸质评分未确认', 'paper marks unconfirmed'),
      count(blockers.flagged.length, '个待处理标记', 'flags to resolve'),
      count(blockers.openRemarks.length, '个重评指令未完成', 're-mark orders open'),
    ].filter((p) => p.n > 0);
    const forced = parts.length > 0;
    if (forced && !body.force) {
      throw new AppError(
        409,
        'sign_off_blocked',
        {
          'zh-CN': `不能签字锁定：${parts.map((p) => p.zh).join('，')}；处理后再签字，或注明理由强制签字（force + reason）`,
          en: `cannot sign off: ${parts.map((p) => p.en).join(', ')}; resolve them, or force the sign-off with a reason (force + reason)`,
        },
        { blockers },
      );
    }
    const [round] = await tx
      .update(rounds)
      .set({ signedOffAt: new Date(), signedOffBy: accountId })
      .where(eq(rounds.id, ctx.round.id))
      .returning();
    if (!round) throw new Error('round vanished');
    await audit(ctx.competitionId, {
      affects: { roundId: ctx.round.id },
      actor: `account:${accountId}`,
      action: 'round.signedOff',
      subject: `round:${round.id}`,
      detail: {
        roundId: round.id,
        round: round.key,
        forced,
        reason: body.reason ?? null,
        missing: blockers.missing.length,
        unconfirmedPaper: blockers.unconfirmedPaper.length,
        flagged: blockers.flagged.length,
        openRemarks: blockers.openRemarks.length,
        standings: standingsSnapshot(comp, round.key),
      },
    });
    return { round, forced };
  });
}

/** POST …/decrypt (encryption officer): after sign-off, codes turn back into names. */
export async function decrypt(writer: Writer, ctx: RoundContext, accountId: string): Promise<RoundRow> {
  return audited(writer, async (tx, audit) => {
    const locked = await lockRound(tx, ctx.round.id, 'update');
    if (!locked.signedOffAt) {
      throw roundNotSignedOff({
        'zh-CN': '须在裁判长签字锁定后才能解密',
        en: 'decryption comes after the chief judge signs off',
      });
    }
    if (locked.decryptedAt) {
      throw alreadyDone('round_already_decrypted', {
        'zh-CN': '本场次已解密',
        en: 'this round is already decrypted',
      });
    }
    const [round] = await tx
      .update(rounds)
      .set({ decryptedAt: new Date() })
      .where(eq(rounds.id, ctx.round.id))
      .returning();
    if (!round) throw new Error('round vanished');
    await audit(ctx.competitionId, {
      affects: { roundId: ctx.round.id },
      actor: `account:${accountId}`,
      action: 'round.decrypted',
      subject: `round:${round.id}`,
      detail: { roundId: round.id, round: round.key },
    });
    return round;
  });
}

/** POST …/publish (chief judge, organizer): after sign-off; by name once decrypted, by workstation code before. */
export async function publish(writer: Writer, ctx: RoundContext, accountId: string): Promise<RoundRow> {
  return audited(writer, async (tx, audit) => {
    const locked = await lockRound(tx, ctx.round.id, 'update');
    if (!locked.signedOffAt) {
      throw roundNotSignedOff({
        'zh-CN': '须在裁判长签字锁定后才能公布成绩',
        en: 'results are published after the chief judge signs off',
      });
    }
    if (locked.publishedAt) {
      throw alreadyDone('round_already_published', {
        'zh-CN': '本场次成绩已公布',
        en: 'the results of this round are already published',
      });
    }
    const comp = await computeRound(tx, { ...ctx, round: locked });
    const [round] = await tx
      .update(rounds)
      .set({ publishedAt: new Date() })
      .where(eq(rounds.id, ctx.round.id))
      .returning();
    if (!round) throw new Error('round vanished');
    await audit(ctx.competitionId, {
      affects: { roundId: ctx.round.id },
      actor: `account:${accountId}`,
      action: 'round.published',
      subject: `round:${round.id}`,
      detail: {
        roundId: round.id,
        round: round.key,
        labels: round.decryptedAt ? 'name' : 'workstation',
        standings: standingsSnapshot(comp, round.key),
      },
    });
    return round;
  });
}

function relabel(json: EventJson, label: (code: string) => string): EventJson {
  return {
    ...json,
    standings: json.standings.map((s) => ({ ...s, competitor: label(s.competitor) })),
    rounds: json.rounds.map((r) => ({
      ...r,
      advancement: r.advancement && {
        ...r.advancement,
        advancing: r.advancement.advancing.map(label),
        tiedAtCut: r.advancement.tiedAtCut.map(label),
      },
      standings: r.standings.map((s) => ({ ...s, competitor: label(s.competitor) })),
    })),
  };
}

/** GET …/results: public once published, always for the chief judge and the organizer. */
export async function results(
  db: Database,
  ctx: RoundContext,
  held: ReadonlySet<Role>,
): Promise<RoundResultsResponse> {
  const privileged = held.has('chiefJudge') || held.has('organizer');
  if (!ctx.round.publishedAt && !privileged) throw resultsNotPublished();
  // A frozen round's results stay hidden from the public until the ceremony has revealed them (no export leaks).
  if (ctx.round.frozenAt && !privileged) {
    throw new AppError(403, 'round_frozen', {
      'zh-CN': '本场次成绩已冻结，颁奖揭晓后公布',
      en: 'the results of this round are frozen until the ceremony reveals them',
    });
  }
  const comp = await computeRound(db, ctx);
  const decrypted = ctx.round.decryptedAt !== null;
  const byCode = comp.view.byCode;
  const label = (code: string) => (decrypted ? (byCode.get(code)?.name ?? code) : code);
  return {
    round: roundStatus(ctx),
    labels: decrypted ? 'name' : 'workstation',
    event: relabel(comp.event, label),
    competitors: comp.view.competitors.map((c) => ({
      label: label(c.code),
      workstation: c.code,
      ...(decrypted ? { name: c.name, unit: c.unit } : {}),
    })),
  };
}
