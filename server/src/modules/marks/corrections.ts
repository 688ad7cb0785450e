import type {
  CorrectionDecisionResponse,
  CorrectionRequest,
  CorrectionView,
  JudgeCorrectionRequest,
} from '@jiangxin/shared';
import type { Executor } from '../../db/client';
import { effectiveMarks, type RoundContext } from '../../scoring/round';
import { type RoundView, roundView } from '../../scoring/round-view';
import { audited, type Writer } from '../audit/service';
import { correctionDecided, correctionUnknown, notYourSeat, roundNotSignedOff } from './errors';
import {
  bodyHash,
  correctionMarks,
  correctionsOf,
  insertCorrection,
  insertMarkOnce,
  lockCorrection,
  lockRound,
  recordDecision,
} from './repository';
import { checkValue, judgeInSeat, newMarkId, resolveTarget, seatOfJudge } from './service';
import { canonicalValue, correctionSeat, correctionView, markTarget, markView } from './views';

/**
 * Corrections (更正): once a round is signed off its marks are locked; a chief judge or scorekeeper asks for a
 * changed mark of any seat, a judge on their tablet for their own seat, with a reason, and the chief judge
 * approves it (a new mark with source `correction` becomes the seat's mark in force) or rejects it, with a
 * reason either way. Before sign-off judges change their own marks, so a correction is refused then.
 */

/** Who asks for a correction, with what they may send. */
export type CorrectionAsked =
  | { by: 'account'; accountId: string; body: CorrectionRequest }
  | { by: 'judge'; judgeId: string; deviceId: string; body: JudgeCorrectionRequest };

/** Every correction of the round, oldest first. */
export async function listCorrections(ex: Executor, view: RoundView): Promise<CorrectionView[]> {
  const roundId = view.ctx.round.id;
  const [rows, current, markIds] = await Promise.all([
    correctionsOf(ex, roundId),
    effectiveMarks(ex, [roundId]),
    correctionMarks(ex, roundId),
  ]);
  return rows.map((row) => correctionView(view, row, current, markIds));
}

const onlyAfterSignOff = () =>
  roundNotSignedOff({
    'zh-CN': '签字锁定前由裁判本人修改评分，无需更正申请',
    en: 'until sign-off judges change their own marks; corrections are for signed-off rounds',
  });

/** POST …/corrections: an account names the seat; a judge's seat is the judge's own for that competitor and item. */
export async function requestCorrection(
  writer: Writer,
  ctx: RoundContext,
  asked: CorrectionAsked,
): Promise<CorrectionView> {
  if (!ctx.round.signedOffAt) throw onlyAfterSignOff();
  const { body } = asked;
  const view = await roundView(writer.db, ctx);
  const item = view.canonical(body.item);
  const [competitor, ref] = resolveTarget(view, body.workstation, item);
  let judgeId: string;
  let seat: string;
  if (asked.by === 'judge') {
    judgeId = asked.judgeId;
    seat = seatOfJudge(view, competitor, ref, judgeId, item);
    if (body.seat !== undefined && body.seat !== seat) throw notYourSeat(body.seat, seat);
  } else {
    seat = asked.body.seat;
    judgeId = judgeInSeat(view, competitor, seat, item);
  }
  const actor = asked.by === 'judge' ? `device:${asked.deviceId}` : `account:${asked.accountId}`;
  const value = canonicalValue(body.value);
  checkValue(ref.aspect, value);
  const row = await audited(writer, async (tx, audit) => {
    const inserted = await insertCorrection(tx, {
      roundId: ctx.round.id,
      competitorId: competitor.id,
      item,
      judgeId,
      value,
      reason: body.reason,
      requestedBy: actor,
    });
    await audit(ctx.competitionId, {
      affects: { roundId: ctx.round.id },
      actor,
      action: 'correction.requested',
      subject: `correction:${inserted.id}`,
      detail: {
        correctionId: inserted.id,
        ...markTarget(ctx, competitor, { item, seat, judgeId, value }),
        reason: body.reason,
      },
    });
    return inserted;
  });
  const current = await effectiveMarks(writer.db, [ctx.round.id], { competitorId: competitor.id, item });
  return correctionView(view, row, current, new Map());
}

/** POST …/corrections/:id/approve or …/reject (chief judge). */
export async function decideCorrection(
  writer: Writer,
  ctx: RoundContext,
  accountId: string,
  correctionId: string,
  decision: 'approved' | 'rejected',
  reason: string,
): Promise<CorrectionDecisionResponse> {
  const view = await roundView(writer.db, ctx);
  const result = await audited(writer, async (tx, audit) => {
    await lockRound(tx, ctx.round.id, 'share');
    // Under the chain's lock from here: the value before, the new mark's seq and the audit entry agree
    // with the audit log's order, so the approval it records last is the mark in force.
    await audit.lockChain(ctx.competitionId);
    const row = await lockCorrection(tx, ctx.round.id, correctionId);
    if (!row) throw correctionUnknown();
    if (row.status !== 'pending') throw correctionDecided(row.status);
    const [before] = await effectiveMarks(tx, [ctx.round.id], {
      competitorId: row.competitorId,
      item: row.item,
      judgeId: row.judgeId,
    });
    const decidedAt = new Date();
    const updated = await recordDecision(tx, row.id, {
      status: decision,
      decidedBy: `account:${accountId}`,
      decisionReason: reason,
      decidedAt,
    });
    if (!updated) throw correctionUnknown();
    let mark = null;
    if (decision === 'approved') {
      const id = newMarkId();
      const stored = await insertMarkOnce(tx, {
        id,
        roundId: row.roundId,
        competitorId: row.competitorId,
        item: row.item,
        judgeId: row.judgeId,
        value: row.value,
        source: 'correction',
        enteredBy: accountId,
        bodyHash: bodyHash({ kind: 'correction', correctionId: row.id }),
        correctionId: row.id,
      });
      mark = stored.row;
    }
    await audit(ctx.competitionId, {
      affects: { roundId: ctx.round.id },
      actor: `account:${accountId}`,
      action: decision === 'approved' ? 'correction.approved' : 'correction.rejected',
      subject: `correction:${row.id}`,
      detail: {
        correctionId: row.id,
        roundId: ctx.round.id,
        workstation: view.code(row.competitorId),
        item: row.item,
        seat: correctionSeat(view, row),
        judgeId: row.judgeId,
        value: canonicalValue(row.value),
        previousValue: before ? canonicalValue(before.value) : null,
        reason,
        ...(mark ? { markId: mark.id, seq: mark.seq } : {}),
      },
    });
    return { row: updated, mark };
  });
  const current = await effectiveMarks(writer.db, [ctx.round.id], {
    competitorId: result.row.competitorId,
    item: result.row.item,
  });
  const markIds = new Map(result.mark ? [[result.row.id, result.mark.id]] : []);
  return {
    correction: correctionView(view, result.row, current, markIds),
    mark: result.mark
      ? markView(result.mark, view.code(result.mark.competitorId), correctionSeat(view, result.row))
      : null,
  };
}
