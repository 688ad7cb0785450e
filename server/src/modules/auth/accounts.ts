import {
  type AccountSummary,
  type GrantMembershipResponse,
  grantMembershipRequest,
  type LoginResponse,
  type Member,
  type MembersResponse,
  type RefreshResponse,
  type WhoAmI,
} from '@jiangxin/shared';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { type Principal, type TokenClaims, type Tokens, unauthenticated } from '../../plugins/auth';
import { AppError, describeIssue, type Localized } from '../../plugins/errors';
import { audited, type Writer } from '../audit/service';
import { type AccountPrincipal, actorOf, auditLock, error, issuer, tokenRevoked } from './common';
import { hashSecret, verifyNothing, verifySecret } from './passwords';
import { limitedSignIn, lockLimit, SIGN_IN_LIMITS } from './rate-limit';
import * as repo from './repository';

/**
 * Accounts: sign-in with a password (rate limited per account, address and both), token refresh, and the organizer's administration of
 * who holds which role in a competition. Each change writes its audit entry in the same transaction.
 */

/** A 400 that names a field, in the shape of the validation plugin's answers. */
function fieldError(field: string, messages: Localized) {
  return new AppError(400, 'request_invalid', messages, (locale) => ({
    issues: [{ field, message: messages[locale] }],
  }));
}

const usernameTaken = (username: string) =>
  error(409, 'username_taken', {
    'zh-CN': `用户名 ${username} 已被使用`,
    en: `the username ${username} is taken`,
  });

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

// ── The service ──────────────────────────────────────────────────────────────────────────────────────

export function createAccountService(writer: Writer, tokens: Tokens) {
  const { db } = writer;
  const issue = issuer(tokens);

  return {
    /** Signs an account in with its password, under the limits of the account and of `address` (the request's). */
    async login(input: { username: string; password: string }, address: string): Promise<LoginResponse> {
      const account = await repo.findAccountByUsername(db, input.username);
      const { username } = input;
      const pair = `address:${address}|account:${username}`;
      const { windowSeconds, lockAfter, accountBudget, addressBudget } = SIGN_IN_LIMITS;
      const window = windowSeconds / 60;
      const signedIn = await limitedSignIn(
        writer,
        [
          lockLimit(
            pair,
            (wait) => ({
              'zh-CN': `该账号从此地址 ${window} 分钟内已登录失败 ${lockAfter} 次，已暂时锁定：请在 ${wait.zh}后重试`,
              en: `${lockAfter} failed sign-ins for this account from this address within ${window} minutes: try again in ${wait.en}`,
            }),
            account
              ? async (tx, audit, lockedUntil) => {
                  const held = await repo.membershipsOf(tx, account.id);
                  await auditLock(
                    audit,
                    held.map((m) => m.competitionId),
                    { actor: 'system', subject: `account:${account.id}`, key: pair },
                    lockedUntil,
                  );
                }
              : undefined,
          ),
          {
            key: `account:${username}`,
            mode: 'backOff',
            budget: accountBudget,
            refusal: (wait) => ({
              'zh-CN': `该账号近 ${window} 分钟内登录失败过多：请在 ${wait.zh}后重试`,
              en: `too many failed sign-ins for this account within ${window} minutes: try again in ${wait.en}`,
            }),
          },
          {
            key: `address:${address}`,
            mode: 'backOff',
            budget: addressBudget,
            refusal: (wait) => ({
              'zh-CN': `此网络地址近 ${window} 分钟内登录失败过多：请在 ${wait.zh}后重试`,
              en: `too many failed sign-ins from this address within ${window} minutes: try again in ${wait.en}`,
            }),
          },
        ],
        {
          check: async () => {
            if (!account) return verifyNothing(input.password).then(() => null);
            return (await verifySecret(account.passwordHash, input.password)) ? account : null;
          },
          // The account's failures from elsewhere stay counted: they may be an outsider's.
          clearOnSuccess: [pair],
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
      return audited(writer, async (tx, audit) => {
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
        await audit(competitionId, {
          affects: 'noStandings',
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
  };
}
