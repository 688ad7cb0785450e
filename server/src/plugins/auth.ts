import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '@jiangxin/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Executor } from '../db/client';
import { accounts, devices, memberships } from '../db/schema';
import { AppError } from './errors';

/**
 * Who is asking. Accounts (organizers, chief judges, encryption officers, scorekeepers) hold roles per
 * competition; a judge is a paired tablet on which a judge signed in with a PIN; a tablet is a paired tablet
 * no judge is signed in on (it holds no role: it may only sign a judge in); a display is a paired read-only
 * screen; everyone else is public.
 */
export type Principal =
  | { kind: 'public' }
  | { kind: 'account'; accountId: string; organizer: boolean }
  | { kind: 'judge'; deviceId: string; competitionId: string; judgeId: string }
  | { kind: 'tablet'; deviceId: string; competitionId: string }
  | { kind: 'display'; deviceId: string; competitionId: string };

/** A judge's token: the tablet (`sub`), its competition, the judge signed in on it, the device's version. */
export type JudgeClaims = { typ: 'judge'; sub: string; cid: string; jid: string; ver: number };

/** What a token carries. Device tokens name the device's token version, so revoking a device ends them. */
export type TokenClaims =
  | { typ: 'account'; sub: string }
  | JudgeClaims
  | { typ: 'tablet'; sub: string; cid: string; ver: number }
  | { typ: 'display'; sub: string; cid: string; ver: number };

/** The kind of device (devices.kind) each device token belongs to. */
const deviceKindOf = { judge: 'judge', tablet: 'judge', display: 'display' } as const;

/**
 * Access tokens are short-lived; whoever holds one renews it before it expires (POST /api/auth/refresh), while
 * the account exists or the device stays paired and unrevoked.
 */
export const TOKEN_TTL_SECONDS = 60 * 60;

export interface Tokens {
  issue(claims: TokenClaims, ttlSeconds?: number): string;
  /** The claims of a valid, unexpired token, or null. */
  read(token: string): (TokenClaims & { exp: number }) | null;
  /**
   * The claims of a token whose signature is valid and which is unexpired or expired no more than
   * `graceSeconds` ago, or null. Never for authorising a request: only for a judge signing in again with the
   * PIN after the token lapsed (judge-resume), which checks the device and the PIN itself.
   */
  readLapsed(token: string, graceSeconds: number): (TokenClaims & { exp: number }) | null;
  /**
   * A keyed hash (HMAC-SHA256 with the server secret) of a short secret such as a pairing code: stored
   * instead of the code, found again by equality, and useless to whoever reads the database alone.
   */
  digest(purpose: string, value: string): string;
}

export function createTokens(secret: string, now: () => number = () => Date.now()): Tokens {
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  /** The claims of a token signed with the secret, valid until `exp` + `graceSeconds`. */
  const verified = (token: string, graceSeconds: number) => {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return null;
    const expected = Buffer.from(sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims & {
        exp: number;
      };
      return typeof claims.exp === 'number' && (claims.exp + graceSeconds) * 1000 > now() ? claims : null;
    } catch {
      return null;
    }
  };
  return {
    issue(claims, ttlSeconds = TOKEN_TTL_SECONDS) {
      const body = Buffer.from(
        JSON.stringify({ ...claims, exp: Math.floor(now() / 1000) + ttlSeconds }),
      ).toString('base64url');
      return `${body}.${sign(body)}`;
    },
    read: (token) => verified(token, 0),
    readLapsed: (token, graceSeconds) => verified(token, Math.max(0, graceSeconds)),
    digest(purpose, value) {
      return createHmac('sha256', secret).update(`${purpose}\u0000${value}`).digest('base64url');
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    tokens: Tokens;
    /** Keyed hash (HMAC-SHA256, hex) of a value that must be matchable but never stored (ID numbers). */
    hmac(text: string): string;
  }
  interface FastifyRequest {
    principal: Principal;
    /** The claims of the request's valid token (null without one): a token is renewed from them. */
    claims: (TokenClaims & { exp: number }) | null;
    /**
     * On a route that checks a judge's device itself (`judgeDeviceCheckedByRoute`): the judge token's claims,
     * signed and unexpired but not yet compared with the device row. Null elsewhere, and when checked here.
     */
    judgeDeviceToCheck: JudgeClaims | null;
  }
  interface FastifyContextConfig {
    /**
     * The route compares a judge token with its device row in the statement that takes its write's locks (a
     * mark's group commit, decision 027) instead of a lookup of its own before the handler.
     */
    judgeDeviceCheckedByRoute?: boolean;
  }
}

export const unauthenticated = () =>
  new AppError(401, 'unauthenticated', {
    'zh-CN': '请先登录（令牌缺失、无效、已过期或设备已被撤销）',
    en: 'sign in first (the token is missing, invalid, expired, or its device was revoked)',
  });

async function principalOf(app: FastifyInstance, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) return { kind: 'public' };
  const match = /^Bearer (\S+)$/.exec(header);
  const claims = match?.[1] ? app.tokens.read(match[1]) : null;
  if (!claims) throw unauthenticated();
  request.claims = claims;
  if (claims.typ === 'judge' && request.routeOptions.config?.judgeDeviceCheckedByRoute) {
    request.judgeDeviceToCheck = claims;
    return judgePrincipal(claims);
  }
  return principalOfClaims(app.db, claims);
}

const judgePrincipal = (claims: JudgeClaims): Principal => ({
  kind: 'judge',
  deviceId: claims.sub,
  competitionId: claims.cid,
  judgeId: claims.jid,
});

/**
 * The principal a bare token stands for (a socket's handshake): public without one; throws `unauthenticated`
 * for an invalid or expired token, or one whose account or device is gone or revoked.
 */
export async function principalOfToken(
  app: FastifyInstance,
  token: string | null | undefined,
): Promise<Principal> {
  // A recovered socket's data comes back through JSON: no token is then null.
  if (token === undefined || token === null || token === '') return { kind: 'public' };
  const claims = app.tokens.read(token);
  if (!claims) throw unauthenticated();
  return principalOfClaims(app.db, claims);
}

/** Every device request reads its device row: the statement is built once per executor, not per request. */
const deviceStatements = new WeakMap<Executor, ReturnType<typeof deviceStatement>>();
const deviceStatement = (db: Executor) =>
  db
    .select({
      version: devices.tokenVersion,
      revokedAt: devices.revokedAt,
      kind: devices.kind,
      judgeId: devices.judgeId,
    })
    .from(devices)
    .where(
      and(eq(devices.id, sql.placeholder('id')), eq(devices.competitionId, sql.placeholder('competitionId'))),
    )
    .prepare('device_of_token');
function deviceOfToken(db: Executor) {
  let statement = deviceStatements.get(db);
  if (!statement) {
    statement = deviceStatement(db);
    deviceStatements.set(db, statement);
  }
  return statement;
}

/**
 * The principal a token's claims stand for, checked against storage: the account exists; the device is of
 * the token's kind, not revoked, at the token's version, and (judge, tablet) has the token's judge or none
 * signed in. Throws `unauthenticated` otherwise. It does not look at the token's expiry.
 */
export async function principalOfClaims(db: Executor, claims: TokenClaims): Promise<Principal> {
  if (claims.typ === 'account') {
    const [account] = await db
      .select({ id: accounts.id, organizer: accounts.organizer })
      .from(accounts)
      .where(eq(accounts.id, claims.sub));
    if (!account) throw unauthenticated();
    return { kind: 'account', accountId: account.id, organizer: account.organizer };
  }
  const [device] = await deviceOfToken(db).execute({ id: claims.sub, competitionId: claims.cid });
  if (
    !device ||
    device.revokedAt !== null ||
    device.version !== claims.ver ||
    device.kind !== deviceKindOf[claims.typ]
  ) {
    throw unauthenticated();
  }
  if (claims.typ === 'display') return { kind: 'display', deviceId: claims.sub, competitionId: claims.cid };
  if (claims.typ === 'tablet') {
    if (device.judgeId !== null) throw unauthenticated();
    return { kind: 'tablet', deviceId: claims.sub, competitionId: claims.cid };
  }
  if (device.judgeId !== claims.jid) throw unauthenticated();
  return judgePrincipal(claims);
}

async function auth(app: FastifyInstance, options: { secret: string }) {
  app.decorate('tokens', createTokens(options.secret));
  // A key of its own, derived from the app secret, so hashes can never double as token signatures.
  const hmacKey = createHmac('sha256', options.secret).update('jiangxin:hmac:v1').digest();
  app.decorate('hmac', (text: string) => createHmac('sha256', hmacKey).update(text).digest('hex'));
  app.decorateRequest('principal', null as never);
  app.decorateRequest('claims', null);
  app.decorateRequest('judgeDeviceToCheck', null);
  app.addHook('onRequest', async (request) => {
    request.principal = await principalOf(app, request);
  });
}

export default fp(auth, { name: 'auth', dependencies: ['database', 'errors'] });

/** The roles the request's principal holds in a competition. */
export async function rolesIn(
  app: Pick<FastifyInstance, 'db'>,
  principal: Principal,
  competitionId: string,
): Promise<Set<Role>> {
  const held = new Set<Role>(['public']);
  if (principal.kind === 'judge' && principal.competitionId === competitionId) held.add('judge');
  if (principal.kind === 'display' && principal.competitionId === competitionId) held.add('display');
  if (principal.kind === 'account') {
    const rows = await app.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(eq(memberships.accountId, principal.accountId), eq(memberships.competitionId, competitionId)),
      );
    for (const row of rows) held.add(row.role as Role);
  }
  return held;
}

/**
 * Refuses the request unless its principal holds one of `allowed` in the competition: 401 without a
 * token, 403 with one. Every route that touches a competition calls this (a judge's panel is checked by
 * the service that knows the panel).
 */
export async function requireRoles(
  request: FastifyRequest,
  competitionId: string,
  allowed: readonly Role[],
): Promise<Set<Role>> {
  const held = await rolesIn(request.server, request.principal, competitionId);
  if (allowed.some((role) => held.has(role))) return held;
  if (request.principal.kind === 'public') throw unauthenticated();
  throw new AppError(403, 'forbidden', {
    'zh-CN': `无权执行此操作：需要以下角色之一：${allowed.join('、')}`,
    en: `not allowed: this needs one of the roles ${allowed.join(', ')}`,
  });
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const granted = new WeakMap<FastifyRequest, Set<Role>>();

/**
 * Authorisation before validation, as a route's preValidation hook: whoever may not use a route learns
 * nothing about what it accepts. A competition id that is not a UUID is left to the params schema (400).
 */
export function allowRoles(roles: readonly Role[]) {
  const hook = async (request: FastifyRequest) => {
    const competitionId = (request.params as { competitionId?: string }).competitionId;
    if (competitionId === undefined || !GUID.test(competitionId)) return;
    granted.set(request, await requireRoles(request, competitionId, roles));
  };
  return Object.assign(hook, { [ALLOWED_ROLES]: roles });
}

/** Where allowRoles leaves its roles on the hook, for the API's documentation. */
export const ALLOWED_ROLES = Symbol('allowedRoles');

/** The roles a route allows, read from its preValidation hooks; undefined when no allowRoles guards it. */
export function allowedRolesOf(preValidation: unknown): readonly Role[] | undefined {
  for (const hook of [preValidation].flat()) {
    const roles = (hook as { [ALLOWED_ROLES]?: readonly Role[] } | undefined)?.[ALLOWED_ROLES];
    if (roles) return roles;
  }
  return undefined;
}

/** The account id behind a request of an account role (organizer, scorekeeper, chief judge …). */
export function accountOf(principal: Principal): string {
  if (principal.kind !== 'account') throw new Error('an account route was reached without an account');
  return principal.accountId;
}

/** The roles a route's allowRoles hook granted; a route that reads them must have that hook. */
export function grantedRoles(request: FastifyRequest): ReadonlySet<Role> {
  const roles = granted.get(request);
  if (!roles)
    throw new Error(`${request.routeOptions.url} reads the granted roles but has no allowRoles hook`);
  return roles;
}
