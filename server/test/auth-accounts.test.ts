import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog, memberships, signInFailures } from '../src/db/schema';
import { createOrganizerAccount } from '../src/modules/auth/accounts';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

const en = { 'accept-language': 'en' };
/** The address app.inject requests come from. */
const here = (username: string) => `address:127.0.0.1|account:${username}`;

describe.each(drivers)('accounts and sign-in on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let other: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    other = await seedCompetition(app, { name: '另一场竞赛' });
  });
  afterAll(async () => {
    await app.close();
  });

  const login = (username: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: en });
  const grant = (competitionId: string, token: string, payload: object) =>
    app.inject({
      method: 'POST',
      url: `/api/competitions/${competitionId}/members`,
      payload,
      headers: { ...bearer(token), ...en },
    });
  const members = (competitionId: string, token: string) =>
    app.inject({ url: `/api/competitions/${competitionId}/members`, headers: bearer(token) });
  const counts = async () => ({
    accounts: (await app.db.select({ n: sql<number>`count(*)::int` }).from(accounts))[0]?.n,
    memberships: (await app.db.select({ n: sql<number>`count(*)::int` }).from(memberships))[0]?.n,
    audit: (await app.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]?.n,
  });
  const failuresOf = async (key: string) =>
    (await app.db.select().from(signInFailures).where(eq(signInFailures.key, key))).length;
  const auditActions = async (competitionId: string) =>
    (
      await app.db
        .select({ action: auditLog.action, subject: auditLog.subject, detail: auditLog.detail })
        .from(auditLog)
        .where(eq(auditLog.competitionId, competitionId))
        .orderBy(auditLog.seq)
    ).map((r) => r);

  it('signs an organizer in with the password, and refuses a wrong one', async () => {
    const account = await createOrganizerAccount(app.db, {
      username: 'Organizer-Login',
      displayName: '组委会 王主任',
      password: 'correct horse battery',
    });
    expect(account).toMatchObject({ username: 'organizer-login', organizer: true });
    const [row] = await app.db.select().from(accounts).where(eq(accounts.id, account.id));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain('correct horse');

    const ok = await login('ORGANIZER-login', 'correct horse battery');
    expect(ok.statusCode).toBe(200);
    const body = ok.json();
    expect(body.account).toEqual({ id: account.id, displayName: '组委会 王主任', organizer: true });
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(Date.parse(body.expiresAt)).toBeLessThanOrEqual(Date.now() + 61 * 60_000);
    const me = await app.inject({ url: '/api/auth/me', headers: bearer(body.token) });
    expect(me.json()).toMatchObject({ kind: 'account', account: { id: account.id }, memberships: [] });

    const wrong = await login('organizer-login', 'wrong horse battery');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('sign_in_failed');
    // An unknown username answers the same way.
    const unknown = await login('nobody-here', 'whatever1');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toEqual(wrong.json().error);
    // Seeded accounts hold no argon2 hash: refused, never a 500.
    expect((await login(seed.accounts.organizer.username, 'seeded')).statusCode).toBe(401);
  });

  it('renews an account’s token before it expires, with the account as at login; never after', async () => {
    const account = await createOrganizerAccount(app.db, {
      username: 'all-day-console',
      displayName: '裁判长 李',
      password: 'console all day',
    });
    const token = (await login('all-day-console', 'console all day')).json().token as string;
    const refresh = (bearerToken: string | null) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        headers: { ...(bearerToken ? bearer(bearerToken) : {}), ...en },
      });

    const renewed = await refresh(token);
    expect(renewed.statusCode).toBe(200);
    const body = renewed.json();
    expect(body.account).toEqual({ id: account.id, displayName: '裁判长 李', organizer: true });
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    const me = await app.inject({ url: '/api/auth/me', headers: bearer(body.token) });
    expect(me.json()).toMatchObject({ kind: 'account', account: { id: account.id } });
    // A renewed token renews again; a seeded chief judge's too, with its roles intact.
    expect((await refresh(body.token)).statusCode).toBe(200);
    const chief = await refresh(seed.tokens.chiefJudge);
    expect(chief.json().account).toMatchObject({ id: seed.accounts.chiefJudge.id, organizer: false });
    const devices = await app.inject({
      url: `/api/competitions/${seed.competition.id}/devices`,
      headers: bearer(chief.json().token),
    });
    expect(devices.statusCode).toBe(200);

    // Expired, forged or without a token: 401; so is the token of an account that is gone.
    const expired = app.tokens.issue({ typ: 'account', sub: account.id }, -1);
    for (const refused of [expired, `${token.split('.')[0]}.AAAA`, null]) {
      const res = await refresh(refused);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
    }
    expect((await refresh(token)).statusCode).toBe(200);
    await app.db.delete(accounts).where(eq(accounts.id, account.id));
    expect((await refresh(token)).statusCode).toBe(401);
    expect((await refresh(body.token)).statusCode).toBe(401);
  });

  it('refuses a taken username or invalid input for a bootstrap organizer', async () => {
    const input = { username: 'boot-strap', displayName: '主办方', password: 'long enough' };
    await createOrganizerAccount(app.db, input);
    await expect(createOrganizerAccount(app.db, input)).rejects.toMatchObject({
      statusCode: 409,
      code: 'username_taken',
    });
    await expect(
      createOrganizerAccount(app.db, { ...input, username: 'x2', password: 'short' }),
    ).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining('password') });
  });

  it('locks an account from one address after 5 failures within 15 minutes while another account still signs in', async () => {
    await createOrganizerAccount(app.db, {
      username: 'locked-out',
      displayName: '甲',
      password: 'password-a',
    });
    await createOrganizerAccount(app.db, {
      username: 'still-fine',
      displayName: '乙',
      password: 'password-b',
    });
    // A membership, so the lock is audited in that competition.
    const lockedId =
      (await app.db.select().from(accounts).where(eq(accounts.username, 'locked-out')))[0]?.id ?? '';
    await app.db
      .insert(memberships)
      .values({ accountId: lockedId, competitionId: seed.competition.id, role: 'scorekeeper' });
    // A failure of the other account that the other's success must not clear.
    expect((await login('still-fine', 'not-it')).statusCode).toBe(401);

    for (let i = 0; i < 5; i++) expect((await login('locked-out', `guess-${i}`)).statusCode).toBe(401);
    const sixth = await login('locked-out', 'password-a');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json().error.code).toBe('sign_in_locked');
    expect(sixth.json().error.message).toMatch(/try again in 15 minutes/);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Date.parse(sixth.json().error.retryAt)).toBeGreaterThan(Date.now() + 14 * 60_000);
    const zh = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'locked-out', password: 'password-a' },
    });
    expect(zh.statusCode).toBe(429);
    expect(zh.json().error.message).toMatch(/请在 15 分钟后重试/);
    // The refusals are not counted as failures (the lock does not grow while refused).
    expect(await failuresOf(here('locked-out'))).toBe(5);

    const fine = await login('still-fine', 'password-b');
    expect(fine.statusCode).toBe(200);
    expect(await failuresOf(here('locked-out'))).toBe(5);

    const locks = (await auditActions(seed.competition.id)).filter((a) => a.action === 'signIn.locked');
    expect(locks).toEqual([
      expect.objectContaining({
        subject: `account:${lockedId}`,
        detail: expect.objectContaining({ key: here('locked-out'), failures: 5 }),
      }),
    ]);

    // Once the failures leave the window, the account signs in again and its history is cleared.
    await app.db
      .update(signInFailures)
      .set({ at: sql`${signInFailures.at} - interval '16 minutes'` })
      .where(sql`${signInFailures.key} like '%account:locked-out'`);
    expect((await login('locked-out', 'password-a')).statusCode).toBe(200);
    expect(await failuresOf(here('locked-out'))).toBe(0);
  });

  it('never checks more than 5 guesses, even when they arrive at once', async () => {
    await createOrganizerAccount(app.db, { username: 'stormed', displayName: '丁', password: 'password-d' });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login('stormed', `storm-${i}`)));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(15);
    expect(await failuresOf(here('stormed'))).toBe(5);
    expect(await failuresOf('account:stormed')).toBe(5);
  });

  it('locks an unknown username the same way, without telling it apart', async () => {
    for (let i = 0; i < 5; i++) expect((await login('ghost', `guess-${i}`)).statusCode).toBe(401);
    expect((await login('ghost', 'guess-5')).statusCode).toBe(429);
  });

  it('counts the failures of a window, so one success in between forgets only its own account and address', async () => {
    await createOrganizerAccount(app.db, {
      username: 'forgetful',
      displayName: '丙',
      password: 'password-c',
    });
    for (let i = 0; i < 4; i++) await login('forgetful', 'nope-nope');
    expect((await login('forgetful', 'password-c')).statusCode).toBe(200);
    expect(await failuresOf(here('forgetful'))).toBe(0);
    expect(await failuresOf(here('ghost'))).toBe(5);
    // Failures at the account from anywhere stay counted: they may be an outsider's.
    expect(await failuresOf('account:forgetful')).toBe(4);
  });

  it('grants a role by creating an account that then signs in with that role', async () => {
    const before = await counts();
    const res = await grant(seed.competition.id, seed.tokens.organizer, {
      username: 'Chief.Zhou',
      displayName: '周裁判长',
      password: 'chief-judge-1',
      role: 'chiefJudge',
    });
    expect(res.statusCode).toBe(201);
    const { member, accountCreated } = res.json();
    expect(accountCreated).toBe(true);
    expect(member).toMatchObject({ username: 'chief.zhou', displayName: '周裁判长', roles: ['chiefJudge'] });
    const after = await counts();
    expect(after).toEqual({
      accounts: (before.accounts ?? 0) + 1,
      memberships: (before.memberships ?? 0) + 1,
      audit: (before.audit ?? 0) + 1,
    });
    const audit = (await auditActions(seed.competition.id)).at(-1);
    expect(audit).toMatchObject({
      action: 'membership.granted',
      subject: `account:${member.accountId}`,
      detail: { role: 'chiefJudge', accountCreated: true },
    });

    const signedIn = await login('chief.zhou', 'chief-judge-1');
    expect(signedIn.statusCode).toBe(200);
    const token = signedIn.json().token as string;
    // GET /members needs organizer: a chief judge is refused, and only in this competition holds any role.
    expect((await members(seed.competition.id, token)).statusCode).toBe(403);
    const me = await app.inject({ url: '/api/auth/me', headers: bearer(token) });
    expect(me.json().memberships).toEqual([{ competitionId: seed.competition.id, role: 'chiefJudge' }]);

    // A second role for the same account needs no password and leaves the account as it was.
    const second = await grant(seed.competition.id, seed.tokens.organizer, {
      username: 'chief.zhou',
      role: 'organizer',
    });
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({
      accountCreated: false,
      member: { roles: ['chiefJudge', 'organizer'] },
    });
    const listed = await members(seed.competition.id, token);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().members).toContainEqual(
      expect.objectContaining({ username: 'chief.zhou', roles: ['chiefJudge', 'organizer'] }),
    );
    // The password given with an existing username changes nothing.
    await grant(other.competition.id, other.tokens.organizer, {
      username: 'chief.zhou',
      displayName: '冒名',
      password: 'taken-over-1',
      role: 'scorekeeper',
    });
    expect((await login('chief.zhou', 'taken-over-1')).statusCode).toBe(401);
    expect((await login('chief.zhou', 'chief-judge-1')).statusCode).toBe(200);

    const again = await grant(seed.competition.id, seed.tokens.organizer, {
      username: 'chief.zhou',
      role: 'organizer',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('membership_exists');
  });

  it('asks for a name and a password for a new account, writing nothing without them', async () => {
    const before = await counts();
    const res = await grant(seed.competition.id, seed.tokens.organizer, {
      username: 'new-scorer',
      displayName: '记分员',
      role: 'scorekeeper',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues).toEqual([
      { field: 'password', message: expect.stringContaining('password') },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('refuses roles the caller does not hold, and another competition’s organizer', async () => {
    const before = await counts();
    const payload = { username: 'intruder', displayName: '外人', password: 'intruder-1', role: 'organizer' };
    for (const token of [
      seed.tokens.chiefJudge,
      seed.tokens.scorekeeper,
      seed.tokens.judge(0),
      seed.tokens.display,
    ]) {
      expect((await grant(seed.competition.id, token, payload)).statusCode).toBe(403);
    }
    const cross = await grant(other.competition.id, seed.tokens.organizer, payload);
    expect([403, 404]).toContain(cross.statusCode);
    expect((await members(other.competition.id, seed.tokens.organizer)).statusCode).toBe(403);
    expect((await app.inject({ url: `/api/competitions/${seed.competition.id}/members` })).statusCode).toBe(
      401,
    );
    expect(await counts()).toEqual(before);
    expect(await app.db.select().from(accounts).where(eq(accounts.username, 'intruder'))).toEqual([]);
  });

  it('refuses hostile bodies with a 4xx naming the field, writing nothing', async () => {
    const before = await counts();
    const valid = { username: 'hostile', displayName: '某人', password: 'password-1', role: 'scorekeeper' };
    const cases: [object, string][] = [
      [{ ...valid, username: 42 }, 'username'],
      [{ ...valid, role: 'judge' }, 'role'],
      [{ ...valid, role: 'superuser' }, 'role'],
      [{ ...valid, password: 'short' }, 'password'],
      [{ ...valid, password: 'x'.repeat(100_000) }, 'password'],
      [{ ...valid, username: 'u'.repeat(10_000) }, 'username'],
      [{ ...valid, username: 'has space' }, 'username'],
      [{ ...valid, displayName: '' }, 'displayName'],
      [{ ...valid, displayName: ['a'] }, 'displayName'],
      [{ ...valid, organizer: true }, 'organizer'],
    ];
    for (const [payload, field] of cases) {
      const res = await grant(seed.competition.id, seed.tokens.organizer, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    const loginCases: [object, string][] = [
      [{ username: 'a', password: 1 }, 'password'],
      [{ username: 'a' }, 'password'],
      [{ username: 'a', password: 'b', admin: true }, 'admin'],
      [{ username: 'a'.repeat(1000), password: 'b' }, 'username'],
    ];
    for (const [payload, field] of loginCases) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload, headers: en });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    const badPath = await app.inject({
      url: '/api/competitions/not-a-uuid/members',
      headers: bearer(seed.tokens.organizer),
    });
    expect(badPath.statusCode).toBe(400);
    expect(badPath.json().error.message).toContain('competitionId');
    expect(await counts()).toEqual(before);
    expect(
      await app.db
        .select()
        .from(signInFailures)
        .where(and(eq(signInFailures.key, 'account:a'))),
    ).toEqual([]);
  });
});
