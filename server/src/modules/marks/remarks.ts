import type { RemarkRequest, RemarkView } from '@jiangxin/shared';
import { roundSignedOff } from '../../refusals';
import type { RoundContext } from '../../scoring/round';
import { roundView } from '../../scoring/round-view';
import { compareSeats } from '../../scoring/seating';
import { audited, type Writer } from '../audit/service';
import { insertRemarkOrder, lockRound } from './repository';
import { resolveTarget } from './service';

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
    const row = await insertRemarkOrder(tx, {
      roundId: ctx.round.id,
      competitorId: competitor.id,
      item,
      reason: body.reason,
      orderedBy: accountId,
    });
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
