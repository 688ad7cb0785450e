import type { MissingMarkRequest, MissingMarkView } from '@jiangxin/shared';
import { roundSignedOff } from '../../refusals';
import { effectiveMarks, type RoundContext } from '../../scoring/round';
import { roundView } from '../../scoring/round-view';
import { audited, type Writer } from '../audit/service';
import { missingMarkNoRule, missingMarkNotJudged, missingMarkReplaced, seatHasMark } from './errors';
import { insertMissingMark, lockRound } from './repository';
import { judgeInSeat, resolveTarget } from './service';

/**
 * POST …/missing-marks (chief judge): a judge's tablet died mid-round and the mark cannot be had, so the
 * seat's mark is replaced under the rule the scheme names (FIG: the average of the others). Only the
 * decision is stored; the engine computes the value from the other marks in force, exactly, and flags the
 * line `markReplaced`. A mark the judge sends later for that seat counts instead (nothing is lost).
 */
export async function replaceMissingMark(
  writer: Writer,
  ctx: RoundContext,
  accountId: string,
  body: MissingMarkRequest,
): Promise<MissingMarkView> {
  const rule = ctx.scheme.missingMark;
  if (rule !== 'averageOfOthers') throw missingMarkNoRule();
  if (ctx.round.signedOffAt) throw roundSignedOff();
  const view = await roundView(writer.db, ctx);
  const item = view.canonical(body.item);
  const [competitor, ref] = resolveTarget(view, body.workstation, item);
  if (ref.aspect.kind !== 'judgement') throw missingMarkNotJudged(item);
  judgeInSeat(view, competitor, body.seat, item);
  const row = await audited(writer, async (tx, audit) => {
    const round = await lockRound(tx, ctx.round.id, 'share');
    if (round.signedOffAt) throw roundSignedOff();
    const marked = await effectiveMarks(tx, [ctx.round.id], { competitorId: competitor.id, item });
    if (marked.some((m) => view.seatOf(m) === body.seat)) throw seatHasMark(body.seat);
    const inserted = await insertMissingMark(tx, {
      roundId: ctx.round.id,
      competitorId: competitor.id,
      item,
      seat: body.seat,
      reason: body.reason,
      appliedBy: accountId,
    });
    if (!inserted) throw missingMarkReplaced(body.seat);
    await audit(ctx.competitionId, {
      affects: { roundId: ctx.round.id },
      actor: `account:${accountId}`,
      action: 'missingMark.replaced',
      subject: `missingMark:${inserted.id}`,
      detail: {
        missingMarkId: inserted.id,
        roundId: ctx.round.id,
        workstation: competitor.code,
        competitorId: competitor.id,
        item,
        seat: body.seat,
        rule,
        reason: body.reason,
      },
    });
    return inserted;
  });
  return {
    id: row.id,
    workstation: competitor.code,
    item,
    seat: row.seat,
    rule,
    reason: row.reason,
    appliedAt: row.createdAt.toISOString(),
  };
}
