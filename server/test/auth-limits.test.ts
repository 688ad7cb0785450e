import { eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, devices, memberships, signInFailures } from '../src/db/schema';
import { createOrganizerAccount } from '../src/modules/auth/accounts';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

const en = { 'accept-language': 'en' };

/**
 * Sign-in limits as an outsider on the venue network meets them (issue 15, defects 2 and 7): no one can lock
 * a member of staff out from another address, bursts are slowed, and a judge's PIN is guessed no faster
 * with more tablets nor confirmed by "signed in elsewhere".
 */
describe.each(drivers)('sign-in limits against an outsider on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const login = (username: string, password: string, address: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      headers: en,
      remoteAddress: address,
    });
  const post = (url: string, token: string, payload: object) =>
    app.inject({ method: 'POST', url, payload, headers: { ...bearer(token), ...en } });
  const signIn = (tabletToken: string, judgeId: string, pin: string) =>
    post('/api/devices/judge-sign-in', tabletToken, { judgeId, pin });
  const setPin = (judgeId: string, pin: string) =>
    post(`/api/competitions/${seed.competition.id}/judges/${judgeId}/pin`, seed.tokens.chiefJudge, { pin });
  const failuresOf = async (key: string) =>
    (await app.db.select().from(signInFailures).where(eq(signInFailures.key, key))).length;
  /** Moves a key's failures `seconds` into the past, as if that time had passed. */
  const age = (key: string, seconds: number) =>
    app.db
      .update(signInFailures)
      .set({ at: sql`${signInFailures.at} - make_interval(secs => ${seconds})` })
      .where(eq(signInFailures.key, key));
  const locks = async () =>
    (
      await app.db
        .select({ subject: auditLog.subject, detail: auditLog.detail })
        .from(auditLog)
        .where(eq(auditLog.action, 'signIn.locked'))
        .orderBy(auditLog.seq)
    ).map((r) => ({ subject: r.subject, key: (r.detail as { key: string }).key }));
  /** A staff account holding a role in the seeded competition. */
  const staff = async (username: string, password: string) => {
    const account = await createOrganizerAccount(app.db, { username, displayName: username, password });
    await app.db
      .insert(memberships)
      .values({ accountId: account.id, competitionId: seed.competition.id, role: 'scorekeeper' });
    return account;
  };
  /** A paired judge's tablet with no judge signed in, and its token. */
  const tablet = async (label: string) => {
    const [row] = await app.db
      .insert(devices)
      .values({ competitionId: seed.competition.id, kind: 'judge', label, pairedAt: new Date() })
      .returning();
    if (!row) throw new Error('device insert failed');
    const token = app.tokens.issue({ typ: 'tablet', sub: row.id, cid: seed.competition.id, ver: 0 });
    return { id: row.id, token };
  };
  const judgeAt = (i: number) => {
    const judge = seed.judges[i];
    if (!judge) throw new Error('seed');
    return judge;
  };

  it('lets the right password in from the staff member’s address while an outsider hammers from another', async () => {
    const scorer = await staff('scorer', 'scorer-password');
    const outsider = '10.0.0.66';
    const codes = [];
    for (let i = 0; i < 12; i++) codes.push((await login('scorer', `guess-${i}`, outsider)).statusCode);
    expect(codes).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
    // The outsider's address is locked at this account, and the lock audited once.
    expect(await locks()).toEqual([
      { subject: `account:${scorer.id}`, key: `address:${outsider}|account:scorer` },
    ]);
    expect((await login('scorer', 'scorer-password', outsider)).statusCode).toBe(429);

    const own = await login('scorer', 'scorer-password', '10.0.0.12');
    expect(own.statusCode).toBe(200);
    expect(own.json().account.id).toBe(scorer.id);
  });

  it('slows, never locks, an account guessed at from many addresses', async () => {
    await staff('chief', 'chief-password');
    for (let i = 0; i < 10; i++) expect((await login('chief', 'wrong', `10.1.0.${i}`)).statusCode).toBe(401);
    // Over the account's budget: even the right password from a fresh address waits a second or two.
    const slowed = await login('chief', 'chief-password', '10.1.1.1');
    expect(slowed.statusCode).toBe(429);
    expect(slowed.json().error.code).toBe('sign_in_locked');
    expect(slowed.json().error.message).toMatch(/try again in \d seconds?$/);
    expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(2);
    // Each further failure doubles the wait, up to seconds, never the 15-minute lock.
    let retryAfter = 0;
    for (let i = 0; i < 8; i++) {
      await age('account:chief', 60);
      expect((await login('chief', 'wrong', `10.1.2.${i}`)).statusCode).toBe(401);
      retryAfter = Number((await login('chief', 'chief-password', '10.1.1.1')).headers['retry-after']);
    }
    expect(retryAfter).toBeGreaterThan(8);
    expect(retryAfter).toBeLessThanOrEqual(30);
    await age('account:chief', 31);
    expect((await login('chief', 'chief-password', '10.1.1.1')).statusCode).toBe(200);
  });

  it('slows a burst of failures from one address across accounts, and only that address', async () => {
    const stuffer = '10.2.0.1';
    // 49 earlier failures at other accounts from this address, then one more checked here.
    await app.db
      .insert(signInFailures)
      .values(Array.from({ length: 49 }, () => ({ key: `address:${stuffer}` })));
    expect((await login('user-50', 'password', stuffer)).statusCode).toBe(401);
    const slowed = await login('user-51', 'password', stuffer);
    expect(slowed.statusCode).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(2);
    expect(await failuresOf('account:user-51')).toBe(0);
    // Everyone else on the network signs in as usual.
    await staff('neighbour', 'neighbour-password');
    expect((await login('neighbour', 'neighbour-password', '10.2.0.2')).statusCode).toBe(200);
    // A burst from the address is slowed to one check per delay: the rest are refused unchecked.
    await age(`address:${stuffer}`, 2);
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => login(`user-burst-${i}`, 'password', stuffer)),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([401, 429, 429, 429, 429, 429]);
    expect(await failuresOf(`address:${stuffer}`)).toBe(51);
  });

  it('limits PIN guesses at one judge from several tablets together', async () => {
    const judge = judgeAt(1);
    const other = judgeAt(2);
    expect((await setPin(judge.id, '2580')).statusCode).toBe(200);
    expect((await setPin(other.id, '1470')).statusCode).toBe(200);
    // Judges 1 and 2 are free to sign in on another tablet.
    await app.db
      .update(devices)
      .set({ judgeId: null })
      .where(inArray(devices.judgeId, [judge.id, other.id]));
    const first = await tablet('访客平板 1');
    const second = await tablet('访客平板 2');
    for (let i = 0; i < 3; i++) expect((await signIn(first.token, judge.id, `111${i}`)).statusCode).toBe(401);
    for (let i = 0; i < 2; i++)
      expect((await signIn(second.token, judge.id, `222${i}`)).statusCode).toBe(401);
    // Five guesses at the judge in all: the right PIN is refused on every tablet.
    const locked = await signIn(second.token, judge.id, '2580');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.message).toMatch(/all tablets together/);
    expect((await signIn((await tablet('访客平板 3')).token, judge.id, '2580')).statusCode).toBe(429);
    expect(await locks()).toContainEqual({ subject: `judge:${judge.id}`, key: `judge:${judge.id}` });
    // Neither tablet is locked for other judges.
    expect((await signIn(first.token, other.id, '1470')).statusCode).toBe(200);
    // A new PIN from the chief judge makes the guesses moot: the judge signs in at once.
    expect((await setPin(judge.id, '3691')).statusCode).toBe(200);
    expect((await signIn(second.token, judge.id, '3691')).statusCode).toBe(200);
  });

  it('answers "signed in elsewhere" alike for a right and a wrong PIN, checking neither', async () => {
    const judge = judgeAt(3);
    expect((await setPin(judge.id, '8024')).statusCode).toBe(200);
    const intruder = await tablet('陌生平板');
    const right = await signIn(intruder.token, judge.id, '8024');
    const wrong = await signIn(intruder.token, judge.id, '0000');
    expect(right.statusCode).toBe(409);
    expect(right.json().error.code).toBe('judge_signed_in_elsewhere');
    expect(wrong.statusCode).toBe(right.statusCode);
    expect(wrong.json()).toEqual(right.json());
    expect(await failuresOf(`device:${intruder.id}`)).toBe(0);
    expect(await failuresOf(`judge:${judge.id}`)).toBe(0);
  });
});
