import {
  type IssuedToken,
  JUDGE_RESUME_WINDOW_SECONDS,
  type JudgeSignInResponse,
  type SetPinResponse,
  type SignInJudgesResponse,
} from '@jiangxin/shared';
import type { Executor } from '../../db/client';
import { type Principal, principalOfClaims, type Tokens, unauthenticated } from '../../plugins/auth';
import { type Audit, audited, type Writer } from '../audit/service';
import {
  type AccountPrincipal,
  actorOf,
  auditLock,
  error,
  issuer,
  needsDevice,
  notFound,
  tokenRevoked,
} from './common';
import { hashSecret, verifySecret } from './passwords';
import { limitedSignIn, lockLimit, SIGN_IN_LIMITS } from './rate-limit';
import * as repo from './repository';

/**
 * Judges on paired tablets: the chief judge sets a judge's PIN; the judge signs in with it (wrong PINs are
 * limited per tablet and per judge across tablets), resumes with it after the token lapsed offline, and signs out for the next judge.
 */

/** The sign-in limit key of guesses at one judge's PIN, from any tablet. */
const judgeKey = (judgeId: string) => `judge:${judgeId}`;

const judgeNotFound = () => notFound({ 'zh-CN': '裁判', en: 'judge' });

export function createJudgeSignInService(writer: Writer, tokens: Tokens) {
  const { db } = writer;
  const issue = issuer(tokens);

  /**
   * Checks a judge's PIN on a tablet under the tablet's and the judge's sign-in limits (sign-in and resume
   * alike): 409 `pin_not_set`, 401 `pin_wrong`, or SignInLockedError (429) once the tablet, or the judge
   * across tablets, has had too many wrong PINs.
   */
  async function checkPin(
    deviceId: string,
    competitionId: string,
    judge: { id: string; name: string; pinHash: string | null },
    pin: string,
  ) {
    const pinHash = judge.pinHash;
    if (!pinHash) {
      throw error(409, 'pin_not_set', {
        'zh-CN': `裁判 ${judge.name} 尚未设置 PIN：请裁判长或主办方设置`,
        en: `judge ${judge.name} has no PIN yet: ask the chief judge or the organizer to set one`,
      });
    }
    const { lockAfter, windowSeconds } = SIGN_IN_LIMITS;
    const window = windowSeconds / 60;
    const auditAs = (subject: string) => (_tx: unknown, audit: Audit, lockedUntil: Date) =>
      auditLock(audit, [competitionId], { actor: `device:${deviceId}`, subject, key: subject }, lockedUntil);
    const verified = await limitedSignIn(
      writer,
      [
        lockLimit(
          `device:${deviceId}`,
          (wait) => ({
            'zh-CN': `这台平板 ${window} 分钟内 PIN 已输错 ${lockAfter} 次，已暂时锁定：请在 ${wait.zh}后重试，或请裁判长处理`,
            en: `${lockAfter} wrong PINs on this tablet within ${window} minutes: try again in ${wait.en}, or ask the chief judge`,
          }),
          auditAs(`device:${deviceId}`),
        ),
        lockLimit(
          judgeKey(judge.id),
          (wait) => ({
            'zh-CN': `裁判 ${judge.name} 的 PIN ${window} 分钟内已输错 ${lockAfter} 次（各平板合计），已暂时锁定：请在 ${wait.zh}后重试，或请裁判长重设 PIN`,
            en: `${lockAfter} wrong PINs for judge ${judge.name} within ${window} minutes (all tablets together): try again in ${wait.en}, or ask the chief judge to set a new PIN`,
          }),
          auditAs(judgeKey(judge.id)),
        ),
      ],
      {
        check: async () => ((await verifySecret(pinHash, pin)) ? judge : null),
        // A judge's own PIN must not reset the count of guesses at other judges' PINs on this tablet, nor
        // the count of guesses at this judge's PIN on other tablets.
        clearOnSuccess: [],
      },
    );
    if (!verified) {
      throw error(401, 'pin_wrong', {
        'zh-CN': `字段 pin：裁判 ${judge.name} 的 PIN 不正确`,
        en: `field "pin": the PIN of judge ${judge.name} is wrong`,
      });
    }
  }

  /** Refuses a judge signed in on another tablet (checked before the PIN, so the answer never confirms it). */
  async function refuseIfElsewhere(ex: Executor, judge: { id: string; name: string }, deviceId: string) {
    const [elsewhere] = await repo.tabletsOfJudge(ex, judge.id, deviceId);
    if (elsewhere) {
      throw error(409, 'judge_signed_in_elsewhere', {
        'zh-CN': `裁判 ${judge.name} 已在平板“${elsewhere.label}”上登录：请在那台平板上退出，或请裁判长撤销那台平板`,
        en: `judge ${judge.name} is signed in on the tablet "${elsewhere.label}": sign out there, or ask the chief judge to revoke that tablet`,
      });
    }
  }

  return {
    async setPin(
      actor: AccountPrincipal,
      competitionId: string,
      judgeId: string,
      pin: string,
    ): Promise<SetPinResponse> {
      if (!(await repo.findJudge(db, competitionId, judgeId))) throw judgeNotFound();
      const pinHash = await hashSecret(pin);
      return audited(writer, async (tx, audit) => {
        const judge = await repo.setJudgePin(tx, competitionId, judgeId, pinHash);
        if (!judge) throw judgeNotFound();
        // Guesses at the old PIN tell nothing of the new one: the judge may sign in at once.
        await repo.clearAttempts(tx, judgeKey(judgeId));
        await audit(competitionId, {
          affects: 'noStandings',
          actor: actorOf(actor),
          action: 'judge.pinSet',
          subject: `judge:${judgeId}`,
        });
        return { judge: { id: judge.id, name: judge.name, pinSet: true } };
      });
    },

    /** The judges a paired tablet offers at sign-in. */
    async signInJudges(principal: Principal): Promise<SignInJudgesResponse> {
      if (principal.kind !== 'tablet' && principal.kind !== 'judge')
        throw needsDevice(principal, ['tablet', 'judge'], { 'zh-CN': '裁判平板', en: "a judge's tablet" });
      return { judges: await repo.judgesOf(db, principal.competitionId) };
    },

    /** A judge signs in on a paired tablet with their PIN; wrong PINs are limited per tablet and per judge. */
    async judgeSignIn(
      principal: Principal,
      input: { judgeId: string; pin: string },
    ): Promise<JudgeSignInResponse> {
      if (principal.kind === 'judge') {
        throw error(409, 'judge_already_signed_in', {
          'zh-CN': '这台平板上已有裁判登录：请先退出',
          en: 'a judge is signed in on this tablet already: sign out first',
        });
      }
      if (principal.kind !== 'tablet')
        throw needsDevice(principal, ['tablet'], {
          'zh-CN': '已配对的裁判平板',
          en: "a paired judge's tablet",
        });
      const { deviceId, competitionId } = principal;
      const judge = await repo.findJudge(db, competitionId, input.judgeId);
      if (!judge) throw judgeNotFound();
      await refuseIfElsewhere(db, judge, deviceId);
      await checkPin(deviceId, competitionId, judge, input.pin);
      const signedIn = await audited(writer, async (tx, audit) => {
        await repo.lockJudge(tx, competitionId, judge.id);
        // Again under the judge's lock: another tablet may have signed the judge in during the PIN check.
        await refuseIfElsewhere(tx, judge, deviceId);
        const bound = await repo.bindJudge(tx, deviceId, judge.id);
        if (!bound) throw tokenRevoked();
        await audit(competitionId, {
          affects: 'noStandings',
          actor: `device:${deviceId}`,
          action: 'device.judgeSignedIn',
          subject: `device:${deviceId}`,
          detail: { judgeId: judge.id },
        });
        const response: JudgeSignInResponse = {
          ...issue({
            typ: 'judge',
            sub: deviceId,
            cid: competitionId,
            jid: judge.id,
            ver: bound.tokenVersion,
          }),
          judge: { id: judge.id, name: judge.name },
        };
        return { response, version: bound.tokenVersion };
      });
      // The tablet token the judge signed in with ends.
      writer.changes.deviceTokensEnded({ deviceId: deviceId, current: signedIn.version });
      return signedIn.response;
    },

    /**
     * POST /api/devices/judge-resume: the judge whose token lapsed (expired no more than
     * JUDGE_RESUME_WINDOW_SECONDS ago, e.g. while the tablet was offline) signs in again on the same tablet
     * with the PIN, without re-pairing. The token must be a judge token signed by this server whose sign-in
     * still holds (the tablet neither revoked nor paired again, the judge not signed out: the same token
     * version and judge); anything else is 401 `unauthenticated`, without saying which check failed. The PIN
     * is that judge's, under the tablet's and the judge's sign-in limits. The token version stays: nothing else ends.
     */
    async judgeResume(input: { token: string; pin: string }): Promise<JudgeSignInResponse> {
      const lapsed = tokens.readLapsed(input.token, JUDGE_RESUME_WINDOW_SECONDS);
      if (lapsed?.typ !== 'judge') throw unauthenticated();
      const { exp, ...claims } = lapsed;
      const { sub: deviceId, cid: competitionId, jid: judgeId } = claims;
      await principalOfClaims(db, claims);
      const judge = await repo.findJudge(db, competitionId, judgeId);
      if (!judge) throw unauthenticated();
      await checkPin(deviceId, competitionId, judge, input.pin);
      return audited(writer, async (tx, audit) => {
        // The sign-in must still hold after the (slow) PIN check: revoking or pairing waits for this lock.
        await repo.lockDevice(tx, competitionId, deviceId);
        await principalOfClaims(tx, claims);
        await audit(competitionId, {
          affects: 'noStandings',
          actor: `device:${deviceId}`,
          action: 'device.judgeResumed',
          subject: `device:${deviceId}`,
          detail: { judgeId, tokenExpiredAt: new Date(exp * 1000).toISOString() },
        });
        return { ...issue(claims), judge: { id: judge.id, name: judge.name } };
      });
    },

    /** The judge leaves the tablet; it gets its tablet token back for the next judge. */
    async judgeSignOut(principal: Principal): Promise<IssuedToken> {
      if (principal.kind !== 'judge')
        throw needsDevice(principal, ['judge'], { 'zh-CN': '已登录的裁判', en: 'a signed-in judge' });
      const { deviceId, competitionId, judgeId } = principal;
      const signedOut = await audited(writer, async (tx, audit) => {
        const unbound = await repo.unbindJudge(tx, deviceId, judgeId);
        if (!unbound) throw tokenRevoked();
        await audit(competitionId, {
          affects: 'noStandings',
          actor: `device:${deviceId}`,
          action: 'device.judgeSignedOut',
          subject: `device:${deviceId}`,
          detail: { judgeId },
        });
        return unbound;
      });
      writer.changes.deviceTokensEnded({ deviceId: deviceId, current: signedOut.tokenVersion });
      return issue({ typ: 'tablet', sub: deviceId, cid: competitionId, ver: signedOut.tokenVersion });
    },
  };
}
