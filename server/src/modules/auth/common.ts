import type { IssuedToken } from '@jiangxin/shared';
import type { Principal, TokenClaims, Tokens } from '../../plugins/auth';
import { AppError, type Localized } from '../../plugins/errors';
import type { Audit } from '../audit/service';
import { SIGN_IN_LIMITS } from './rate-limit';

/** What the account, device and judge sign-in services share: principals, refusals, tokens, lock audits. */

export type AccountPrincipal = Extract<Principal, { kind: 'account' }>;
export type DevicePrincipal = Extract<Principal, { kind: 'judge' | 'tablet' | 'display' }>;

export const actorOf = (principal: AccountPrincipal) => `account:${principal.accountId}`;

/** A signed token with its expiry, as every sign-in answers it. */
export function issuer(tokens: Tokens) {
  return (claims: TokenClaims): IssuedToken => {
    const token = tokens.issue(claims);
    const exp = tokens.read(token)?.exp ?? 0;
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  };
}

// ── Errors ───────────────────────────────────────────────────────────────────────────────────────────

export const error = (status: number, code: string, messages: Localized) =>
  new AppError(status, code, messages);

export const notFound = (what: Localized) =>
  error(404, `${what.en}_not_found`.replaceAll(' ', '_'), {
    'zh-CN': `本竞赛中没有这个${what['zh-CN']}`,
    en: `there is no such ${what.en} in this competition`,
  });

export const tokenRevoked = () =>
  error(401, 'unauthenticated', {
    'zh-CN': '登录已失效（设备已被撤销，或已在别处登录或退出）：请重新配对或登录',
    en: 'this sign-in no longer holds (the device was revoked, or signed in or out meanwhile): pair or sign in again',
  });

export const needsDevice = (
  principal: Principal,
  allowed: readonly DevicePrincipal['kind'][],
  what: Localized,
) => {
  if (principal.kind === 'public')
    return error(401, 'unauthenticated', {
      'zh-CN': `请先登录：需要${what['zh-CN']}的令牌`,
      en: `sign in first: this needs the token of ${what.en}`,
    });
  return error(403, 'forbidden', {
    'zh-CN': `无权执行此操作：需要${what['zh-CN']}的令牌（${allowed.join('、')}）`,
    en: `not allowed: this needs the token of ${what.en} (${allowed.join(', ')})`,
  });
};

// ── Audit ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The one audit entry of a sign-in lock, in every competition the locked account (from one address), device
 * or judge belongs to.
 */
export async function auditLock(
  audit: Audit,
  competitionIds: string[],
  entry: { actor: string; subject: string; key: string },
  lockedUntil: Date,
) {
  for (const competitionId of new Set(competitionIds)) {
    await audit(competitionId, {
      affects: 'noStandings',
      actor: entry.actor,
      action: 'signIn.locked',
      subject: entry.subject,
      detail: {
        key: entry.key,
        failures: SIGN_IN_LIMITS.lockAfter,
        windowMinutes: SIGN_IN_LIMITS.windowSeconds / 60,
        lockedUntil: lockedUntil.toISOString(),
      },
    });
  }
}
