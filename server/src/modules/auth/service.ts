import {
  type AccountSummary,
  type CreateDeviceRequest,
  type CreateDeviceResponse,
  type Device,
  type DevicesResponse,
  type GrantMembershipResponse,
  grantMembershipRequest,
  type IssuedToken,
  JUDGE_RESUME_WINDOW_SECONDS,
  type JudgeSignInResponse,
  type LoginResponse,
  type Member,
  type MembersResponse,
  type PairDeviceResponse,
  pairingUri,
  type RefreshResponse,
  type SetPinResponse,
  type SignInJudgesResponse,
  type WhoAmI,
} from '@jiangxin/shared';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client';
import {
  type Principal,
  principalOfClaims,
  type TokenClaims,
  type Tokens,
  unauthenticated,
} from '../../plugins/auth';
import { AppError, describeIssue, type Localized } from '../../plugins/errors';
import { appendAudit } from '../audit/service';
import { hashSecret, newPairingCode, verifyNothing, verifySecret } from './passwords';
import { limitedSignIn, SIGN_IN_LIMIT } from './rate-limit';
import * as repo from './repository';

/**
 * Sign-in, accounts and devices. Routes call requireRoles for the competition first; this service holds
 * the rules: what a token may do, which objects belong to the competition (another competition's are
 * "not found"), rate limits, and the audit entry written in the same transaction as each change.
 */

/** A pairing code works for 15 minutes, once. */
export const PAIRING_TTL_SECONDS = 15 * 60;

type AccountPrincipal = Extract<Principal, { kind: 'account' }>;
type DevicePrincipal = Extract<Principal, { kind: 'judge' | 'tablet' | 'display' }>;

const actorOf = (principal: AccountPrincipal) => `account:${principal.accountId}`;

// ── Errors ───────────────────────────────────────────────────────────────────────────────────────────

const error = (status: number, code: string, messages: Localized) => new AppError(status, code, messages);

const notFound = (what: Localized) =>
  error(404, `${what.en}_not_found`.replaceAll(' ', '_'), {
    'zh-CN': `本竞赛中没有这个${what['zh-CN']}`,
    en: `there is no such ${what.en} in this competition`,
  });
const deviceNotFound = () => notFound({ 'zh-CN': '设备', en: 'device' });
const judgeNotFound = () => notFound({ 'zh-CN': '裁判', en: 'judge' });

/** A 400 that names a field, in the shape of the validation plugin's answers. */
function fieldError(field: string, messages: Localized) {
  return new AppError(400, 'request_invalid', messages, (locale) => ({
    issues: [{ field, message: messages[locale] }],
  }));
}

const tokenRevoked = () =>
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

// ── Shapes ───────────────────────────────────────────────────────────────────────────────────────────

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function deviceJson(row: repo.DeviceRow): Device {
  return {
    id: row.id,
    competitionId: row.competitionId,
    kind: row.kind,
    label: row.label,
    status: row.revokedAt ? 'revoked' : row.pairedAt ? 'paired' : 'pending',
    pairingExpiresAt: iso(row.pairingExpiresAt),
    pairedAt: iso(row.pairedAt),
    revokedAt: iso(row.revokedAt),
    judge: row.judgeId ? { id: row.judgeId, name: row.judgeName ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
  };
}

function membersJson(rows: Awaited<ReturnType<typeof repo.membersOf>>): Member[] {
  const byAccount = new Map<string, Member>();
  for (const row of rows) {
    const member = byAccount.get(row.accountId) ?? {
      accountId: row.accountId,
      username: row.username,
      displayName: row.displayName,
      roles: [],
    };
    member.roles.push(row.role);
    byAccount.set(row.accountId, member);
  }
  return [...byAccount.values()];
}

// ── Bootstrap ────────────────────────────────────────────────────────────────────────────────────────

const organizerAccountInput = grantMembershipRequest.pick({ username: true }).extend({
  displayName: z.string().trim().min(1).max(100),
  password: z.string().min(8).max(256),
});

/**
 * Creates an organizer account (one that may create competitions): for the demo seed and the command line,
 * where no one is signed in yet. Throws an AppError naming the field when the input is invalid, and a 409
 * when the username is taken.
 */
export async function createOrganizerAccount(
  db: Database,
  input: { username: string; displayName: string; password: string },
): Promise<AccountSummary & { username: string }> {
  const parsed = organizerAccountInput.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    throw new AppError(400, 'request_invalid', {
      'zh-CN': issues.map((i) => describeIssue('body', i, 'zh-CN')).join('；'),
      en: issues.map((i) => describeIssue('body', i, 'en')).join('; '),
    });
  }
  const { username, displayName, password } = parsed.data;
  const account = await repo.insertAccount(db, {
    username,
    displayName,
    passwordHash: await hashSecret(password),
    organizer: true,
  });
  if (!account) throw usernameTaken(username);
  return { id: account.id, username: account.username, displayName: account.displayName, organizer: true };
}

const usernameTaken = (username: string) =>
  error(409, 'username_taken', {
    'zh-CN': `用户名 ${username} 已被使用`,
    en: `the username ${username} is taken`,
  });

// ── The service ──────────────────────────────────────────────────────────────────────────────────────

export type AuthService = ReturnType<typeof createAuthService>;

/**
 * Told once a transaction that ended a device's tokens has committed, so the device's live sockets end too;
 * `current` is the token version just issued to the device (null when it was revoked).
 */
export type DeviceTokensEnded = (deviceId: string, current: number | null) => void;

export function createAuthService(db: Database, tokens: Tokens, tokensEnded: DeviceTokensEnded = () => {}) {
  function issue(claims: TokenClaims): IssuedToken {
    const token = tokens.issue(claims);
    const exp = tokens.read(token)?.exp ?? 0;
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  const pairingHash = (code: string) => tokens.digest('pairing-code', code);

  async function loadDevice(ex: Executor, competitionId: string, deviceId: string) {
    const row = await repo.findDevice(ex, competitionId, deviceId);
    if (!row) throw deviceNotFound();
    return row;
  }

  /** The one audit entry of a sign-in lock, in every competition the locked account or device belongs to. */
  async function auditLock(
    tx: Executor,
    competitionIds: string[],
    entry: { actor: string; subject: string; key: string },
    lockedUntil: Date,
  ) {
    for (const competitionId of new Set(competitionIds)) {
      await appendAudit(tx, competitionId, {
        actor: entry.actor,
        action: 'signIn.locked',
        subject: entry.subject,
        detail: {
          key: entry.key,
          failures: SIGN_IN_LIMIT.failures,
          windowMinutes: SIGN_IN_LIMIT.windowSeconds / 60,
          lockedUntil: lockedUntil.toISOString(),
        },
      });
    }
  }

  /**
   * Checks a judge's PIN on a tablet under the tablet's sign-in limit (sign-in and resume alike): 409
   * `pin_not_set`, 401 `pin_wrong`, or SignInLockedError (429) once the tablet has had too many wrong PINs.
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
    const verified = await limitedSignIn(
      db,
      { kind: 'device', deviceId },
      {
        check: async () => ((await verifySecret(pinHash, pin)) ? judge : null),
        onLock: (tx, lockedUntil) =>
          auditLock(
            tx,
            [competitionId],
            { actor: `device:${deviceId}`, subject: `device:${deviceId}`, key: `device:${deviceId}` },
            lockedUntil,
          ),
        // A judge's own PIN must not reset the count of guesses at other judges' PINs on this tablet.
        clearOnSuccess: false,
      },
    );
    if (!verified) {
      throw error(401, 'pin_wrong', {
        'zh-CN': `字段 pin：裁判 ${judge.name} 的 PIN 不正确`,
        en: `field "pin": the PIN of judge ${judge.name} is wrong`,
      });
    }
  }

  return {
    // ── Accounts ─────────────────────────────────────────────────────────────────────────────────────

    async login(input: { username: string; password: string }): Promise<LoginResponse> {
      const account = await repo.findAccountByUsername(db, input.username);
      const signedIn = await limitedSignIn(
        db,
        { kind: 'account', username: input.username },
        {
          check: async () => {
            if (!account) return verifyNothing(input.password).then(() => null);
            return (await verifySecret(account.passwordHash, input.password)) ? account : null;
          },
          onLock: account
            ? async (tx, lockedUntil) => {
                const held = await repo.membershipsOf(tx, account.id);
                await auditLock(
                  tx,
                  held.map((m) => m.competitionId),
                  { actor: 'system', subject: `account:${account.id}`, key: `account:${account.username}` },
                  lockedUntil,
                );
              }
            : undefined,
          clearOnSuccess: true,
        },
      );
      if (!signedIn) {
        throw error(401, 'sign_in_failed', {
          'zh-CN': '用户名或密码错误',
          en: 'the username or the password is wrong',
        });
      }
      return {
        ...issue({ typ: 'account', sub: signedIn.id }),
        account: { id: signedIn.id, displayName: signedIn.displayName, organizer: signedIn.organizer },
      };
    },

    async whoAmI(principal: Principal): Promise<WhoAmI> {
      if (principal.kind !== 'account') return principal;
      const account = await repo.findAccountById(db, principal.accountId);
      if (!account) throw tokenRevoked();
      return {
        kind: 'account',
        account: {
          id: account.id,
          username: account.username,
          displayName: account.displayName,
          organizer: account.organizer,
        },
        memberships: await repo.membershipsOf(db, account.id),
      };
    },

    async members(competitionId: string): Promise<MembersResponse> {
      return { members: membersJson(await repo.membersOf(db, competitionId)) };
    },

    /** Grants a role, creating the account if the username is new; an existing account is left as it is. */
    async grantMembership(
      actor: AccountPrincipal,
      competitionId: string,
      input: z.output<typeof grantMembershipRequest>,
    ): Promise<GrantMembershipResponse> {
      const existing = await repo.findAccountByUsername(db, input.username);
      let newAccount: { displayName: string; passwordHash: string } | null = null;
      if (!existing) {
        if (!input.displayName)
          throw fieldError('displayName', {
            'zh-CN': `缺少字段 displayName：新账号 ${input.username} 需要姓名`,
            en: `field "displayName" is missing: the new account ${input.username} needs a name`,
          });
        if (!input.password)
          throw fieldError('password', {
            'zh-CN': `缺少字段 password：新账号 ${input.username} 需要至少 8 个字符的密码`,
            en: `field "password" is missing: the new account ${input.username} needs a password of at least 8 characters`,
          });
        newAccount = { displayName: input.displayName, passwordHash: await hashSecret(input.password) };
      }
      return db.transaction(async (tx) => {
        let account = existing;
        let accountCreated = false;
        if (!account && newAccount) {
          account = await repo.insertAccount(tx, {
            username: input.username,
            ...newAccount,
            organizer: false,
          });
          accountCreated = account !== null;
          // Created by someone else meanwhile: grant the role to that account.
          account ??= await repo.findAccountByUsername(tx, input.username);
        }
        if (!account) throw new Error(`account ${input.username} vanished`);
        const granted = await repo.insertMembership(tx, {
          accountId: account.id,
          competitionId,
          role: input.role,
        });
        if (!granted) {
          throw error(409, 'membership_exists', {
            'zh-CN': `账号 ${account.username} 在本竞赛中已有角色 ${input.role}`,
            en: `the account ${account.username} already holds the role ${input.role} in this competition`,
          });
        }
        await appendAudit(tx, competitionId, {
          actor: actorOf(actor),
          action: 'membership.granted',
          subject: `account:${account.id}`,
          detail: { username: account.username, role: input.role, accountCreated },
        });
        const accountId = account.id;
        const [member] = membersJson(
          (await repo.membersOf(tx, competitionId)).filter((m) => m.accountId === accountId),
        );
        if (!member) throw new Error('granted membership not found');
        return { member, accountCreated };
      });
    },

    // ── Devices ──────────────────────────────────────────────────────────────────────────────────────

    async devices(competitionId: string): Promise<DevicesResponse> {
      return { devices: (await repo.devicesOf(db, competitionId)).map(deviceJson) };
    },

    /** A new device waiting to be paired; its code is returned once and only its keyed hash is kept. */
    async createDevice(
      actor: AccountPrincipal,
      competitionId: string,
      input: CreateDeviceRequest,
    ): Promise<CreateDeviceResponse> {
      const code = newPairingCode();
      return db.transaction(async (tx) => {
        const id = await repo.insertDevice(
          tx,
          { competitionId, kind: input.kind, label: input.label, pairingCodeHash: pairingHash(code) },
          PAIRING_TTL_SECONDS,
        );
        await appendAudit(tx, competitionId, {
          actor: actorOf(actor),
          action: 'device.created',
          subject: `device:${id}`,
          detail: { kind: input.kind, label: input.label },
        });
        return pairingResponse(await loadDevice(tx, competitionId, id), code);
      });
    },

    /**
     * A fresh pairing code for a device that is not revoked (the first one expired, or the device lost its
     * token). The device's current tokens keep working until the new code is used.
     */
    async renewPairingCode(
      actor: AccountPrincipal,
      competitionId: string,
      deviceId: string,
    ): Promise<CreateDeviceResponse> {
      const code = newPairingCode();
      return db.transaction(async (tx) => {
        const device = await repo.lockDevice(tx, competitionId, deviceId);
        if (!device) throw deviceNotFound();
        if (device.revokedAt) throw deviceRevoked();
        await repo.replacePairingCode(tx, competitionId, deviceId, pairingHash(code), PAIRING_TTL_SECONDS);
        await appendAudit(tx, competitionId, {
          actor: actorOf(actor),
          action: 'device.pairingCodeIssued',
          subject: `device:${deviceId}`,
        });
        return pairingResponse(await loadDevice(tx, competitionId, deviceId), code);
      });
    },

    /** Pairs the device waiting for this code: a display token, or a tablet token that can sign a judge in. */
    async pair(code: string): Promise<PairDeviceResponse> {
      const pairing = await db.transaction(async (tx) => {
        const device = await repo.findByPairingCode(tx, pairingHash(code));
        if (!device) {
          throw error(401, 'pairing_code_invalid', {
            'zh-CN': '配对码无效或已使用过：请向主办方索取新的配对码',
            en: 'the pairing code is unknown or was used already: ask the organizer for a new one',
          });
        }
        if (!device.valid) {
          throw error(401, 'pairing_code_expired', {
            'zh-CN': `配对码已过期（有效期 ${PAIRING_TTL_SECONDS / 60} 分钟）：请向主办方索取新的配对码`,
            en: `the pairing code expired (it is valid for ${PAIRING_TTL_SECONDS / 60} minutes): ask the organizer for a new one`,
          });
        }
        const paired = await repo.completePairing(tx, device.id);
        if (!paired) throw deviceRevoked();
        await appendAudit(tx, device.competitionId, {
          actor: `device:${device.id}`,
          action: 'device.paired',
          subject: `device:${device.id}`,
          detail: { kind: device.kind, label: device.label },
        });
        const claims = { sub: device.id, cid: device.competitionId, ver: paired.tokenVersion };
        const response: PairDeviceResponse = {
          ...issue(device.kind === 'display' ? { typ: 'display', ...claims } : { typ: 'tablet', ...claims }),
          device: {
            id: device.id,
            competitionId: device.competitionId,
            kind: device.kind,
            label: device.label,
          },
        };
        return { response, version: paired.tokenVersion };
      });
      // Pairing again ends whatever an earlier pairing of the device held.
      tokensEnded(pairing.response.device.id, pairing.version);
      return pairing.response;
    },

    /** Chief judges replace judges: a revoked device's tokens (judge, tablet, display) stop working at once. */
    async revokeDevice(actor: AccountPrincipal, competitionId: string, deviceId: string): Promise<Device> {
      const revoked = await db.transaction(async (tx) => {
        const device = await repo.lockDevice(tx, competitionId, deviceId);
        if (!device) throw deviceNotFound();
        if (device.revokedAt) throw deviceRevoked();
        const before = await loadDevice(tx, competitionId, deviceId);
        await repo.revokeDevice(tx, competitionId, deviceId);
        await appendAudit(tx, competitionId, {
          actor: actorOf(actor),
          action: 'device.revoked',
          subject: `device:${deviceId}`,
          detail: { kind: before.kind, label: before.label, judgeId: before.judgeId },
        });
        return deviceJson(await loadDevice(tx, competitionId, deviceId));
      });
      tokensEnded(deviceId, null);
      return revoked;
    },

    /**
     * POST /api/auth/refresh: a fresh token with the same claims, for any token the auth plugin accepted (so
     * the account exists, or the device is neither revoked nor re-versioned); an account's comes with its
     * summary, as at login.
     */
    async refresh(principal: Principal, claims: TokenClaims | null): Promise<RefreshResponse> {
      if (!claims || principal.kind === 'public') throw unauthenticated();
      const { exp: _, ...rest } = claims as TokenClaims & { exp?: number };
      if (principal.kind !== 'account') return issue(rest);
      const account = await repo.findAccountById(db, principal.accountId);
      if (!account) throw unauthenticated();
      return {
        ...issue(rest),
        account: { id: account.id, displayName: account.displayName, organizer: account.organizer },
      };
    },

    // ── Judges on tablets ────────────────────────────────────────────────────────────────────────────

    async setPin(
      actor: AccountPrincipal,
      competitionId: string,
      judgeId: string,
      pin: string,
    ): Promise<SetPinResponse> {
      if (!(await repo.findJudge(db, competitionId, judgeId))) throw judgeNotFound();
      const pinHash = await hashSecret(pin);
      return db.transaction(async (tx) => {
        const judge = await repo.setJudgePin(tx, competitionId, judgeId, pinHash);
        if (!judge) throw judgeNotFound();
        await appendAudit(tx, competitionId, {
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

    /** A judge signs in on a paired tablet with their PIN; wrong PINs are limited per tablet. */
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
      await checkPin(deviceId, competitionId, judge, input.pin);
      const signedIn = await db.transaction(async (tx) => {
        await repo.lockJudge(tx, competitionId, judge.id);
        const [elsewhere] = await repo.tabletsOfJudge(tx, judge.id, deviceId);
        if (elsewhere) {
          throw error(409, 'judge_signed_in_elsewhere', {
            'zh-CN': `裁判 ${judge.name} 已在平板“${elsewhere.label}”上登录：请在那台平板上退出，或请裁判长撤销那台平板`,
            en: `judge ${judge.name} is signed in on the tablet "${elsewhere.label}": sign out there, or ask the chief judge to revoke that tablet`,
          });
        }
        const bound = await repo.bindJudge(tx, deviceId, judge.id);
        if (!bound) throw tokenRevoked();
        await appendAudit(tx, competitionId, {
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
      tokensEnded(deviceId, signedIn.version);
      return signedIn.response;
    },

    /**
     * POST /api/devices/judge-resume: the judge whose token lapsed (expired no more than
     * JUDGE_RESUME_WINDOW_SECONDS ago, e.g. while the tablet was offline) signs in again on the same tablet
     * with the PIN, without re-pairing. The token must be a judge token signed by this server whose sign-in
     * still holds (the tablet neither revoked nor paired again, the judge not signed out: the same token
     * version and judge); anything else is 401 `unauthenticated`, without saying which check failed. The PIN
     * is that judge's, under the tablet's sign-in limit. The token version stays: nothing else ends.
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
      return db.transaction(async (tx) => {
        // The sign-in must still hold after the (slow) PIN check: revoking or pairing waits for this lock.
        await repo.lockDevice(tx, competitionId, deviceId);
        await principalOfClaims(tx, claims);
        await appendAudit(tx, competitionId, {
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
      const signedOut = await db.transaction(async (tx) => {
        const unbound = await repo.unbindJudge(tx, deviceId, judgeId);
        if (!unbound) throw tokenRevoked();
        await appendAudit(tx, competitionId, {
          actor: `device:${deviceId}`,
          action: 'device.judgeSignedOut',
          subject: `device:${deviceId}`,
          detail: { judgeId },
        });
        return unbound;
      });
      tokensEnded(deviceId, signedOut.tokenVersion);
      return issue({ typ: 'tablet', sub: deviceId, cid: competitionId, ver: signedOut.tokenVersion });
    },
  };
}

const deviceRevoked = () =>
  error(409, 'device_revoked', {
    'zh-CN': '这台设备已被撤销：请新建设备并重新配对',
    en: 'this device was revoked: create a new device and pair it',
  });

function pairingResponse(device: repo.DeviceRow, code: string): CreateDeviceResponse {
  return {
    device: deviceJson(device),
    pairingCode: code,
    pairingUri: pairingUri(code),
    pairingExpiresAt: iso(device.pairingExpiresAt) ?? '',
  };
}
