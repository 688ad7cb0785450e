import type { SignOffRequest } from '@jiangxin/shared';
import type { Executor } from '../../db/client';
import { AppError } from '../../plugins/errors';
import { roundSignedOff } from '../../refusals';
import { computeRound, type RoundComputation } from '../../scoring/compute';
import type { RoundContext, RoundRow } from '../../scoring/round';
import { audited, type Writer } from '../audit/service';
import { alreadyDone, roundNotSignedOff } from './errors';
import { lockRound, type RoundChanges, updateRound } from './repository';
import { blockersOf } from './review';

/**
 * A round's own lifecycle: sign-off (which locks the marks), decryption (by the encryption officer, after
 * sign-off) and publication; freeze and reveal (ceremony.ts) go the same way. Publication needs sign-off
 * but not decryption: a round may be published by workstation code (the venue announces 工位号 results while
 * the encryption officer is still at work); the public results show names from the moment it is decrypted.
 */

/** What a step of the lifecycle does to the locked round: the new values and what the audit records. */
export interface RoundStep<T> {
  set: RoundChanges;
  action: string;
  detail?: (round: RoundRow) => Record<string, unknown>;
  /** Returned beside the round. */
  extra: T;
}

/**
 * The one sequence every lifecycle step runs in one transaction: lock the round, check and decide (`decide`
 * throws a refusal), update it, audit it; the live view recomputes it after the commit.
 */
export async function changeRound<T>(
  writer: Writer,
  ctx: RoundContext,
  accountId: string,
  decide: (locked: RoundRow, tx: Executor) => Promise<RoundStep<T>>,
): Promise<{ round: RoundRow; extra: T }> {
  return audited(writer, async (tx, audit) => {
    const locked = await lockRound(tx, ctx.round.id, 'update');
    const step = await decide(locked, tx);
    const round = await updateRound(tx, ctx.round.id, step.set);
    await audit(ctx.competitionId, {
      affects: { roundId: round.id },
      actor: `account:${accountId}`,
      action: step.action,
      subject: `round:${round.id}`,
      detail: { roundId: round.id, ...step.detail?.(round) },
    });
    return { round, extra: step.extra };
  });
}

/** The standings as the audit records them at sign-off and publication. */
function standingsSnapshot(comp: RoundComputation, roundKey: string) {
  const round = comp.event.rounds.find((r) => r.round === roundKey);
  return (round?.standings ?? []).map((s) => ({ workstation: s.competitor, rank: s.rank, total: s.total }));
}

const count = (n: number, zh: string, en: string) => ({ n, zh: `${n} ${zh}`, en: `${n} ${en}` });

const signedOffFirst = (zh: string, en: string) => (locked: RoundRow) => {
  if (!locked.signedOffAt) throw roundNotSignedOff({ 'zh-CN': zh, en });
};

/** POST …/sign-off: locks the round's marks. Refused while anything is missing, unconfirmed or flagged, unless forced with a reason. */
export async function signOff(writer: Writer, ctx: RoundContext, accountId: string, body: SignOffRequest) {
  const { round, extra } = await changeRound(writer, ctx, accountId, async (locked, tx) => {
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
    return {
      set: { signedOffAt: new Date(), signedOffBy: accountId },
      action: 'round.signedOff',
      detail: (round) => ({
        round: round.key,
        forced,
        reason: body.reason ?? null,
        missing: blockers.missing.length,
        unconfirmedPaper: blockers.unconfirmedPaper.length,
        flagged: blockers.flagged.length,
        openRemarks: blockers.openRemarks.length,
        standings: standingsSnapshot(comp, round.key),
      }),
      extra: forced,
    };
  });
  return { round, forced: extra };
}

/** POST …/decrypt (encryption officer): after sign-off, codes turn back into names. */
export async function decrypt(writer: Writer, ctx: RoundContext, accountId: string): Promise<RoundRow> {
  const mustBeSignedOff = signedOffFirst(
    '须在裁判长签字锁定后才能解密',
    'decryption comes after the chief judge signs off',
  );
  const { round } = await changeRound(writer, ctx, accountId, async (locked) => {
    mustBeSignedOff(locked);
    if (locked.decryptedAt) {
      throw alreadyDone('round_already_decrypted', {
        'zh-CN': '本场次已解密',
        en: 'this round is already decrypted',
      });
    }
    return {
      set: { decryptedAt: new Date() },
      action: 'round.decrypted',
      detail: (round) => ({ round: round.key }),
      extra: null,
    };
  });
  return round;
}

/** POST …/publish (chief judge, organizer): after sign-off; by name once decrypted, by workstation code before. */
export async function publish(writer: Writer, ctx: RoundContext, accountId: string): Promise<RoundRow> {
  const mustBeSignedOff = signedOffFirst(
    '须在裁判长签字锁定后才能公布成绩',
    'results are published after the chief judge signs off',
  );
  const { round } = await changeRound(writer, ctx, accountId, async (locked, tx) => {
    mustBeSignedOff(locked);
    if (locked.publishedAt) {
      throw alreadyDone('round_already_published', {
        'zh-CN': '本场次成绩已公布',
        en: 'the results of this round are already published',
      });
    }
    const comp = await computeRound(tx, { ...ctx, round: locked });
    return {
      set: { publishedAt: new Date() },
      action: 'round.published',
      detail: (round) => ({
        round: round.key,
        labels: round.decryptedAt ? 'name' : 'workstation',
        standings: standingsSnapshot(comp, round.key),
      }),
      extra: null,
    };
  });
  return round;
}

/**
 * POST …/close and …/open (organizer, chief judge): marking stops and resumes. Tablets hold the marks refused
 * meanwhile (`round_closed`) and send them on reopening; a signed-off round is locked either way.
 */
export async function setMarking(
  writer: Writer,
  ctx: RoundContext,
  accountId: string,
  marking: 'open' | 'closed',
): Promise<RoundRow> {
  const { round } = await changeRound(writer, ctx, accountId, async (locked) => {
    if (locked.signedOffAt) throw roundSignedOff();
    if ((locked.markingClosedAt === null) === (marking === 'open')) {
      throw alreadyDone(marking === 'open' ? 'round_already_open' : 'round_already_closed', {
        'zh-CN': marking === 'open' ? '本场次评分已开放' : '本场次评分已暂停',
        en: marking === 'open' ? 'marking is open already' : 'marking is closed already',
      });
    }
    return {
      set: { markingClosedAt: marking === 'open' ? null : new Date() },
      action: marking === 'open' ? 'round.markingOpened' : 'round.markingClosed',
      detail: (round) => ({ round: round.key }),
      extra: null,
    };
  });
  return round;
}
