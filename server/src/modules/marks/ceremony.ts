import { AppError } from '../../plugins/errors';
import { computeRound } from '../../scoring/compute';
import type { RoundContext, RoundRow } from '../../scoring/round';
import type { Writer } from '../audit/service';
import { changeRound } from './lifecycle';

/**
 * Freeze and reveal (颁奖揭晓): the organizer or chief judge freezes a round's public standings — the
 * public keeps seeing them as they were while judges go on marking — then reveals the places step by
 * step, from the bottom up, for the ceremony. Once every place is revealed the round thaws.
 */

const notFrozen = () =>
  new AppError(409, 'round_not_frozen', { 'zh-CN': '本场次未冻结', en: 'this round is not frozen' });

export async function freeze(writer: Writer, ctx: RoundContext, accountId: string): Promise<RoundRow> {
  const { round } = await changeRound(writer, ctx, accountId, async (locked, tx) => {
    if (locked.frozenAt) {
      throw new AppError(409, 'round_already_frozen', {
        'zh-CN': '本场次已冻结',
        en: 'this round is frozen already',
      });
    }
    const comp = await computeRound(tx, { ...ctx, round: locked });
    return {
      set: { frozenAt: new Date(), frozenEvent: comp.event, revealed: 0 },
      action: 'round.frozen',
      detail: () => ({ standings: comp.event.standings.map((s) => [s.rank, s.competitor, s.total]) }),
      extra: null,
    };
  });
  return round;
}

/** Reveals the next place from the bottom (or every place with `all`); thaws once nothing is hidden. */
export async function reveal(
  writer: Writer,
  ctx: RoundContext,
  accountId: string,
  options: { all?: boolean } = {},
): Promise<RoundRow> {
  const { round } = await changeRound(writer, ctx, accountId, async (locked, tx) => {
    if (!locked.frozenAt) throw notFrozen();
    const comp = await computeRound(tx, { ...ctx, round: locked });
    const places = comp.event.standings.length;
    const revealed = options.all ? places : Math.min(places, locked.revealed + 1);
    const thawed = revealed >= places;
    return {
      set: thawed ? { frozenAt: null, frozenEvent: null, revealed: 0 } : { revealed },
      action: thawed ? 'round.thawed' : 'round.revealed',
      detail: () => ({ revealed, places }),
      extra: null,
    };
  });
  return round;
}
