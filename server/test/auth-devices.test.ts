import { JUDGE_RESUME_WINDOW_SECONDS, PAIRING_CODE_ALPHABET } from '@jiangxin/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, devices, judges, signInFailures } from '../src/db/schema';
import { verifyAuditChain } from '../src/modules/audit/service';
import { createTokens, requireRoles } from '../src/plugins/auth';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

const en = { 'accept-language': 'en' };
const codePattern = new RegExp(`^[${PAIRING_CODE_ALPHABET}]{8}$`);
// A PIN as a whole figure: ids and hashes are hex, so a PIN's digits can occur inside them by chance.
const pinIn = (text: string, pin: string) => new RegExp(`(?<![0-9a-f])${pin}(?![0-9a-f])`, 'i').test(text);

describe.each(drivers)('devices, pairing and judges’ PINs on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let other: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp(driver, (instance) => {
      // Stand-ins for the marking and display routes: what a judge or a screen may reach.
      instance.get('/test/judge/:cid', async (request) => {
        await requireRoles(request, (request.params as { cid: string }).cid, ['judge']);
        return request.principal;
      });
      instance.get('/test/display/:cid', async (request) => {
        await requireRoles(request, (request.params as { cid: string }).cid, ['display']);
        return request.principal;
      });
    }));
    seed = await seedCompetition(app);
    other = await seedCompetition(app, { name: '另一场竞赛' });
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (url: string, token: string | null, payload?: object) =>
    app.inject({
      method: 'POST',
      url,
      ...(payload ? { payload } : {}),
      headers: { ...(token ? bearer(token) : {}), ...en },
    });
  const createDevice = (competitionId: string, token: string, payload: object) =>
    post(`/api/competitions/${competitionId}/devices`, token, payload);
  const pair = (code: string) => post('/api/devices/pair', null, { code });
  const setPin = (competitionId: string, judgeId: string, token: string, pin: unknown) =>
    post(`/api/competitions/${competitionId}/judges/${judgeId}/pin`, token, { pin });
  const revoke = (competitionId: string, deviceId: string, token: string) =>
    post(`/api/competitions/${competitionId}/devices/${deviceId}/revoke`, token);
  const signIn = (tabletToken: string, judgeId: string, pin: string) =>
    post('/api/devices/judge-sign-in', tabletToken, { judgeId, pin });
  const refresh = (token: string) => post('/api/auth/refresh', token);
  const resume = (token: string, pin: string) => post('/api/devices/judge-resume', null, { token, pin });
  /** The token `token` stands for, issued again so that it expired `secondsAgo` seconds ago. */
  const lapsed = (token: string, secondsAgo: number) => {
    const claims = app.tokens.read(token);
    if (!claims) throw new Error('not a valid token');
    const { exp: _, ...rest } = claims;
    return app.tokens.issue(rest, -secondsAgo);
  };
  const asJudge = (token: string, competitionId = seed.competition.id) =>
    app.inject({ url: `/test/judge/${competitionId}`, headers: bearer(token) });
  const asDisplay = (token: string, competitionId = seed.competition.id) =>
    app.inject({ url: `/test/display/${competitionId}`, headers: bearer(token) });
  const deviceRow = async (id: string) => (await app.db.select().from(devices).where(eq(devices.id, id)))[0];
  const judgeRow = async (id: string) => (await app.db.select().from(judges).where(eq(judges.id, id)))[0];
  const actions = async (competitionId: string) =>
    (
      await app.db
        .select({ action: auditLog.action, subject: auditLog.subject, actor: auditLog.actor })
        .from(auditLog)
        .where(eq(auditLog.competitionId, competitionId))
        .orderBy(auditLog.seq)
    ).map((r) => `${r.action} ${r.subject}`);
  const counts = async () => ({
    devices: (await app.db.select({ n: sql<number>`count(*)::int` }).from(devices))[0]?.n,
    audit: (await app.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]?.n,
    pins: (
      await app.db
        .select({ n: sql<number>`count(*)::int` })
        .from(judges)
        .where(sql`${judges.pinHash} is not null`)
    )[0]?.n,
  });
  /** Creates and pairs a device; returns its id and token. */
  const paired = async (kind: 'judge' | 'display', label: string, s: Seeded = seed) => {
    const created = await createDevice(s.competition.id, s.tokens.organizer, { kind, label });
    expect(created.statusCode).toBe(201);
    const res = await pair(created.json().pairingCode);
    expect(res.statusCode).toBe(200);
    return { id: created.json().device.id as string, token: res.json().token as string };
  };
  /** A judge of the competition with no tablet yet. */
  const newJudge = async (s: Seeded, name: string) => {
    const [row] = await app.db
      .insert(judges)
      .values({ competitionId: s.competition.id, name, unit: '某单位', region: '福州' })
      .returning();
    if (!row) throw new Error('judge insert failed');
    return row;
  };
  /** A tablet locked after 5 wrong PINs: 429 saying when to try again, and the 5 failures kept. */
  const expectLocked = async (res: Awaited<ReturnType<typeof post>>, deviceId: string) => {
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('sign_in_locked');
    expect(res.json().error.message).toMatch(/try again in 15 minutes/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(14 * 60);
    const failures = await app.db
      .select()
      .from(signInFailures)
      .where(eq(signInFailures.key, `device:${deviceId}`));
    expect(failures).toHaveLength(5);
  };
  /** A judge of this competition, with a PIN set by the organizer. */
  const judgeWithPin = async (name: string, pin: string) => {
    const judge = await newJudge(seed, name);
    expect((await setPin(seed.competition.id, judge.id, seed.tokens.organizer, pin)).statusCode).toBe(200);
    return judge;
  };

  it('pairs a tablet by code, signs a judge in with a PIN, and the judge token works', async () => {
    const created = await createDevice(seed.competition.id, seed.tokens.organizer, {
      kind: 'judge',
      label: '平板 6',
    });
    expect(created.statusCode).toBe(201);
    const { device, pairingCode, pairingUri, pairingExpiresAt } = created.json();
    expect(pairingCode).toMatch(codePattern);
    expect(pairingUri).toBe(`jiangxin://pair?c=${pairingCode}`);
    expect(device).toMatchObject({ kind: 'judge', label: '平板 6', status: 'pending', judge: null });
    const expiresIn = Date.parse(pairingExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    const stored = await deviceRow(device.id);
    expect(stored?.pairingCodeHash).toBeTruthy();
    expect(stored?.pairingCodeHash).not.toContain(pairingCode);

    const judge = await newJudge(seed, '吴六');
    const pinSet = await setPin(seed.competition.id, judge.id, seed.tokens.chiefJudge, '482913');
    expect(pinSet.statusCode).toBe(200);
    expect(pinSet.json()).toEqual({ judge: { id: judge.id, name: '吴六', pinSet: true } });
    expect((await judgeRow(judge.id))?.pinHash).toMatch(/^\$argon2id\$/);

    // Typed by hand: lower case, with the dash.
    const typed = `${pairingCode.slice(0, 4)}-${pairingCode.slice(4)}`.toLowerCase();
    const pairedRes = await pair(typed);
    expect(pairedRes.statusCode).toBe(200);
    const tablet = pairedRes.json();
    expect(tablet.device).toEqual({
      id: device.id,
      competitionId: seed.competition.id,
      kind: 'judge',
      label: '平板 6',
    });
    expect((await deviceRow(device.id))?.pairedAt).toBeInstanceOf(Date);

    // The tablet token holds no role: it can list the judges and sign one in, nothing else.
    expect((await asJudge(tablet.token)).statusCode).toBe(403);
    const listed = await app.inject({ url: '/api/devices/judges', headers: bearer(tablet.token) });
    expect(listed.json().judges).toContainEqual({ id: judge.id, name: '吴六', pinSet: true });
    expect(
      (await app.inject({ url: '/api/devices/judges', headers: bearer(seed.tokens.organizer) })).statusCode,
    ).toBe(403);

    const me = await app.inject({ url: '/api/auth/me', headers: bearer(tablet.token) });
    expect(me.json()).toEqual({ kind: 'tablet', deviceId: device.id, competitionId: seed.competition.id });
    const renewed = await refresh(tablet.token);
    expect(renewed.statusCode).toBe(200);
    expect(
      (await app.inject({ url: '/api/devices/judges', headers: bearer(renewed.json().token) })).statusCode,
    ).toBe(200);
    expect(await signIn(tablet.token, judge.id, '12345')).toMatchObject({ statusCode: 401 });

    const signedIn = await signIn(tablet.token, judge.id, '482913');
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().judge).toEqual({ id: judge.id, name: '吴六' });
    const judgeToken = signedIn.json().token as string;
    const who = await asJudge(judgeToken);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toEqual({
      kind: 'judge',
      deviceId: device.id,
      competitionId: seed.competition.id,
      judgeId: judge.id,
    });
    expect((await deviceRow(device.id))?.judgeId).toBe(judge.id);
    // The judge token is for this competition only, and the used tablet token is spent.
    expect((await asJudge(judgeToken, other.competition.id)).statusCode).toBe(403);
    expect((await asJudge(tablet.token)).statusCode).toBe(401);
    expect((await signIn(tablet.token, judge.id, '482913')).statusCode).toBe(401);

    expect(await actions(seed.competition.id)).toEqual(
      expect.arrayContaining([
        `device.created device:${device.id}`,
        `judge.pinSet judge:${judge.id}`,
        `device.paired device:${device.id}`,
        `device.judgeSignedIn device:${device.id}`,
      ]),
    );
    const pinAudit = await app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.competitionId, seed.competition.id), eq(auditLog.action, 'judge.pinSet')));
    expect(pinIn(JSON.stringify(pinAudit), '482913')).toBe(false);
    expect(await verifyAuditChain(app.db, seed.competition.id)).toMatchObject({ ok: true });

    // Signing out gives the tablet back for the next judge and ends the judge token.
    const out = await post('/api/devices/judge-sign-out', judgeToken);
    expect(out.statusCode).toBe(200);
    expect((await asJudge(judgeToken)).statusCode).toBe(401);
    expect((await deviceRow(device.id))?.judgeId).toBeNull();
    expect((await signIn(out.json().token, judge.id, '482913')).statusCode).toBe(200);
  });

  it('keeps a judge on one tablet: the chief judge replaces a tablet by revoking it', async () => {
    const judge = seed.judges[0];
    const seededTablet = seed.tablets[0];
    if (!judge || !seededTablet) throw new Error('seed');
    expect((await setPin(seed.competition.id, judge.id, seed.tokens.organizer, '1357')).statusCode).toBe(200);
    const replacement = await paired('judge', '备用平板');
    const refused = await signIn(replacement.token, judge.id, '1357');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('judge_signed_in_elsewhere');
    expect(refused.json().error.message).toContain('平板 1');

    const revoked = await revoke(seed.competition.id, seededTablet.id, seed.tokens.chiefJudge);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().device).toMatchObject({ id: seededTablet.id, status: 'revoked' });
    expect((await asJudge(seed.tokens.judge(0))).statusCode).toBe(401);
    const signedIn = await signIn(replacement.token, judge.id, '1357');
    expect(signedIn.statusCode).toBe(200);
    expect((await asJudge(signedIn.json().token)).json()).toMatchObject({
      judgeId: judge.id,
      deviceId: replacement.id,
    });
  });

  it('limits wrong PINs per tablet, whichever judges they are for', async () => {
    const judge = await judgeWithPin('郑七', '2468');
    const neighbour = await judgeWithPin('王八', '8642');
    const third = await judgeWithPin('冯九', '7531');
    const tablet = await paired('judge', '平板 7');
    const spare = await paired('judge', '平板 8');
    const auditBefore = (await actions(seed.competition.id)).length;

    // Four at one judge (under the judge's own limit of five), the fifth at another.
    for (const [target, pin] of [
      [judge, '0000'],
      [judge, '0001'],
      [judge, '0002'],
      [judge, '0003'],
      [third, '0004'],
    ] as const) {
      const res = await signIn(tablet.token, target.id, pin);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('pin_wrong');
      expect(res.json().error.message).toContain('pin');
    }
    await expectLocked(await signIn(tablet.token, judge.id, '2468'), tablet.id);
    // Guessing at another judge's PIN on the same tablet is refused too.
    expect((await signIn(tablet.token, neighbour.id, '8642')).statusCode).toBe(429);
    expect((await deviceRow(tablet.id))?.judgeId).toBeNull();
    const audit = (await actions(seed.competition.id)).slice(auditBefore);
    expect(audit).toEqual([`signIn.locked device:${tablet.id}`]);

    // Another tablet still signs the judge in.
    expect((await signIn(spare.token, judge.id, '2468')).statusCode).toBe(200);

    // After the window the tablet may try again.
    await app.db
      .update(signInFailures)
      .set({ at: sql`${signInFailures.at} - interval '15 minutes 1 second'` })
      .where(eq(signInFailures.key, `device:${tablet.id}`));
    expect((await signIn(tablet.token, neighbour.id, '8642')).statusCode).toBe(200);
  });

  it('does not let a judge’s own PIN reset the count of guesses on the tablet', async () => {
    const own = await judgeWithPin('自己', '1111');
    const target = await judgeWithPin('目标', '9999');
    const tablet = await paired('judge', '平板 9');
    for (let i = 0; i < 4; i++) await signIn(tablet.token, target.id, `123${i}`);
    const mine = await signIn(tablet.token, own.id, '1111');
    expect(mine.statusCode).toBe(200);
    const back = await post('/api/devices/judge-sign-out', mine.json().token);
    expect((await signIn(back.json().token, target.id, '0000')).statusCode).toBe(401);
    expect((await signIn(back.json().token, target.id, '9999')).statusCode).toBe(429);
  });

  it('refuses an expired or a reused pairing code, and a renewed code replaces the old one', async () => {
    const created = await createDevice(seed.competition.id, seed.tokens.organizer, {
      kind: 'display',
      label: '副屏',
    });
    const { device, pairingCode } = created.json();
    await app.db
      .update(devices)
      .set({ pairingExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(devices.id, device.id));
    const expired = await pair(pairingCode);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('pairing_code_expired');
    expect((await deviceRow(device.id))?.pairedAt).toBeNull();

    const renewed = await post(
      `/api/competitions/${seed.competition.id}/devices/${device.id}/pairing-code`,
      seed.tokens.organizer,
    );
    expect(renewed.statusCode).toBe(201);
    const newCode = renewed.json().pairingCode as string;
    expect(newCode).not.toBe(pairingCode);
    expect((await pair(pairingCode)).json().error.code).toBe('pairing_code_invalid');
    const first = await pair(`jiangxin://pair?c=${newCode}`);
    expect(first.statusCode).toBe(200);
    expect((await asDisplay(first.json().token)).statusCode).toBe(200);

    const reused = await pair(newCode);
    expect(reused.statusCode).toBe(401);
    expect(reused.json().error.code).toBe('pairing_code_invalid');
    expect((await pair('ZZZZ-ZZZZ')).statusCode).toBe(401);
    // Two concurrent uses of one code: exactly one pairs.
    const again = await post(
      `/api/competitions/${seed.competition.id}/devices/${device.id}/pairing-code`,
      seed.tokens.organizer,
    );
    const racing = await Promise.all(Array.from({ length: 5 }, () => pair(again.json().pairingCode)));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401, 401]);
    // Pairing again ends the earlier pairing's tokens.
    expect((await asDisplay(first.json().token)).statusCode).toBe(401);
  });

  it('revocation ends judge and display tokens at once; refresh works only before', async () => {
    const judge = await judgeWithPin('冯九', '5555');
    const tablet = await paired('judge', '平板 10');
    const judgeToken = (await signIn(tablet.token, judge.id, '5555')).json().token as string;
    const screen = await paired('display', '主屏');

    const refreshedJudge = await refresh(judgeToken);
    expect(refreshedJudge.statusCode).toBe(200);
    expect((await asJudge(refreshedJudge.json().token)).json()).toMatchObject({ judgeId: judge.id });
    const refreshedDisplay = await refresh(screen.token);
    expect(refreshedDisplay.statusCode).toBe(200);
    expect((await asDisplay(refreshedDisplay.json().token)).statusCode).toBe(200);
    expect((await post('/api/auth/refresh', null)).statusCode).toBe(401);

    // A scorekeeper may not revoke; the organizer and the chief judge may.
    expect((await revoke(seed.competition.id, tablet.id, seed.tokens.scorekeeper)).statusCode).toBe(403);
    expect((await revoke(seed.competition.id, tablet.id, seed.tokens.chiefJudge)).statusCode).toBe(200);
    expect((await revoke(seed.competition.id, screen.id, seed.tokens.organizer)).statusCode).toBe(200);

    for (const token of [judgeToken, refreshedJudge.json().token]) {
      const res = await asJudge(token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthenticated');
      expect((await refresh(token)).statusCode).toBe(401);
    }
    for (const token of [screen.token, refreshedDisplay.json().token]) {
      expect((await asDisplay(token)).statusCode).toBe(401);
      expect((await refresh(token)).statusCode).toBe(401);
    }
    const row = await deviceRow(tablet.id);
    expect(row?.revokedAt).toBeInstanceOf(Date);
    expect(row?.tokenVersion).toBeGreaterThan(0);
    const again = await revoke(seed.competition.id, tablet.id, seed.tokens.organizer);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('device_revoked');
    expect(await actions(seed.competition.id)).toEqual(
      expect.arrayContaining([`device.revoked device:${tablet.id}`, `device.revoked device:${screen.id}`]),
    );

    const listed = await app.inject({
      url: `/api/competitions/${seed.competition.id}/devices`,
      headers: bearer(seed.tokens.chiefJudge),
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().devices).toContainEqual(
      expect.objectContaining({ id: tablet.id, status: 'revoked', judge: { id: judge.id, name: '冯九' } }),
    );
    expect(JSON.stringify(listed.json())).not.toContain('pairingCodeHash');
  });

  it('signs a judge whose token lapsed in again with the PIN, on the same tablet, without re-pairing', async () => {
    const judge = await judgeWithPin('卫十', '3141');
    const neighbour = await judgeWithPin('蒋十一', '2718');
    const tablet = await paired('judge', '平板 12');
    const judgeToken = (await signIn(tablet.token, judge.id, '3141')).json().token as string;
    const version = (await deviceRow(tablet.id))?.tokenVersion;
    const expired = lapsed(judgeToken, 60);
    // Every route refuses the expired token, renewal too.
    expect((await asJudge(expired)).statusCode).toBe(401);
    expect((await refresh(expired)).statusCode).toBe(401);
    const auditBefore = (await actions(seed.competition.id)).length;

    const resumed = await resume(expired, '3141');
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().judge).toEqual({ id: judge.id, name: '卫十' });
    expect(Date.parse(resumed.json().expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect((await asJudge(resumed.json().token)).json()).toMatchObject({
      kind: 'judge',
      judgeId: judge.id,
      deviceId: tablet.id,
    });
    // Nothing else ended: the same sign-in, the same token version.
    expect(await deviceRow(tablet.id)).toMatchObject({ judgeId: judge.id, tokenVersion: version });
    expect((await actions(seed.competition.id)).slice(auditBefore)).toEqual([
      `device.judgeResumed device:${tablet.id}`,
    ]);
    const [entry] = await app.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.competitionId, seed.competition.id), eq(auditLog.action, 'device.judgeResumed')),
      );
    expect(entry).toMatchObject({ actor: `device:${tablet.id}`, detail: { judgeId: judge.id } });
    expect(pinIn(JSON.stringify(entry), '3141')).toBe(false);
    expect(JSON.stringify(entry)).not.toContain('$argon2');
    expect(JSON.stringify(entry)).not.toContain(expired.split('.')[1]);

    // An unexpired token works too, and so does one that lapsed almost a day ago; not one older than that.
    expect((await resume(judgeToken, '3141')).statusCode).toBe(200);
    expect((await resume(lapsed(judgeToken, JUDGE_RESUME_WINDOW_SECONDS - 60), '3141')).statusCode).toBe(200);
    const tooOld = await resume(lapsed(judgeToken, JUDGE_RESUME_WINDOW_SECONDS + 60), '3141');
    expect(tooOld.statusCode).toBe(401);
    expect(tooOld.json().error.code).toBe('unauthenticated');

    // A wrong PIN, or another judge's right one, is the sign-in's 401 naming the PIN.
    for (const pin of ['0000', '2718']) {
      const wrong = await resume(expired, pin);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().error.code).toBe('pin_wrong');
      expect(wrong.json().error.message).toContain('pin');
    }

    // Forged or foreign tokens, and tokens that are not a judge's: the same 401, whatever failed.
    const claims = app.tokens.read(judgeToken);
    if (claims?.typ !== 'judge') throw new Error('judge token');
    const { exp: _, ...judgeClaims } = claims;
    const [body = '', signature = ''] = expired.split('.');
    const otherBody = Buffer.from(
      JSON.stringify({ ...judgeClaims, jid: neighbour.id, exp: claims.exp - 60 }),
    ).toString('base64url');
    const refused = [
      `${body}.AAAA`,
      `${otherBody}.${signature}`,
      createTokens('x'.repeat(32)).issue(judgeClaims, -60),
      lapsed(tablet.token, 60),
      lapsed(seed.tokens.display, 60),
      lapsed(seed.tokens.organizer, 60),
      app.tokens.issue({ ...judgeClaims, jid: neighbour.id }, -60),
      app.tokens.issue({ ...judgeClaims, cid: other.competition.id }, -60),
      'nonsense.token',
    ];
    // Not a token at all: refused by the request's schema, naming the field.
    const malformed = await resume('nonsense', '3141');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.issues[0].field).toBe('token');
    const answers: { error: { code: string } }[] = [];
    for (const token of refused) {
      const res = await resume(token, '3141');
      expect(res.statusCode, token).toBe(401);
      answers.push(res.json());
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]?.error.code).toBe('unauthenticated');
    expect((await actions(seed.competition.id)).slice(auditBefore)).toHaveLength(3);
  });

  it('refuses to resume a sign-in that ended: signed out, paired again, revoked', async () => {
    const judge = await judgeWithPin('沈十二', '1618');
    const signedInOn = async (label: string) => {
      const tablet = await paired('judge', label);
      const token = (await signIn(tablet.token, judge.id, '1618')).json().token as string;
      return { ...tablet, judgeToken: token, expired: lapsed(token, 60) };
    };

    const first = await signedInOn('平板 13');
    const out = await post('/api/devices/judge-sign-out', first.judgeToken);
    expect(out.statusCode).toBe(200);
    expect((await resume(first.expired, '1618')).statusCode).toBe(401);
    // Not even once the judge signed in there again: that is a new sign-in.
    const again = await signIn(out.json().token, judge.id, '1618');
    expect(again.statusCode).toBe(200);
    expect((await resume(first.expired, '1618')).statusCode).toBe(401);
    expect((await post('/api/devices/judge-sign-out', again.json().token)).statusCode).toBe(200);

    const second = await signedInOn('平板 14');
    const code = await post(
      `/api/competitions/${seed.competition.id}/devices/${second.id}/pairing-code`,
      seed.tokens.organizer,
    );
    expect((await pair(code.json().pairingCode)).statusCode).toBe(200);
    const repaired = await resume(second.expired, '1618');
    expect(repaired.statusCode).toBe(401);
    expect(repaired.json().error.code).toBe('unauthenticated');

    const third = await signedInOn('平板 15');
    expect((await revoke(seed.competition.id, third.id, seed.tokens.chiefJudge)).statusCode).toBe(200);
    expect((await resume(third.expired, '1618')).statusCode).toBe(401);
    expect((await resume(third.judgeToken, '1618')).statusCode).toBe(401);
    expect(
      (await actions(seed.competition.id)).filter((a) => a.startsWith('device.judgeResumed')),
    ).not.toContainEqual(expect.stringContaining(third.id));
  });

  it('counts wrong PINs at resume with the tablet’s and the judge’s sign-in limits', async () => {
    const judge = await judgeWithPin('韩十三', '1414');
    const tablet = await paired('judge', '平板 16');
    for (let i = 0; i < 2; i++)
      expect((await signIn(tablet.token, judge.id, `999${i}`)).statusCode).toBe(401);
    const expired = lapsed((await signIn(tablet.token, judge.id, '1414')).json().token, 60);
    for (let i = 0; i < 3; i++) {
      const res = await resume(expired, `000${i}`);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('pin_wrong');
    }
    await expectLocked(await resume(expired, '1414'), tablet.id);
    // All five were at this judge: the judge is locked as well, on every tablet.
    expect(await actions(seed.competition.id)).toEqual(
      expect.arrayContaining([`signIn.locked device:${tablet.id}`, `signIn.locked judge:${judge.id}`]),
    );
    // A forged token is refused before any PIN is tried: it never counts, nor unlocks.
    expect((await resume(`${expired.split('.')[0]}.AAAA`, '1414')).statusCode).toBe(401);

    await app.db
      .update(signInFailures)
      .set({ at: sql`${signInFailures.at} - interval '15 minutes 1 second'` })
      .where(inArray(signInFailures.key, [`device:${tablet.id}`, `judge:${judge.id}`]));
    expect((await resume(expired, '1414')).statusCode).toBe(200);
  });

  it('never reaches another competition’s devices, judges or members', async () => {
    const before = await counts();
    const theirJudge = other.judges[0];
    const theirTablet = other.tablets[0];
    if (!theirJudge || !theirTablet) throw new Error('seed');
    const organizerA = seed.tokens.organizer;

    const device = await createDevice(other.competition.id, organizerA, { kind: 'display', label: '入侵' });
    expect([403, 404]).toContain(device.statusCode);
    const pin = await setPin(other.competition.id, theirJudge.id, organizerA, '1234');
    expect([403, 404]).toContain(pin.statusCode);
    // Their objects under our competition's path are simply not found here.
    const pinHere = await setPin(seed.competition.id, theirJudge.id, organizerA, '1234');
    expect(pinHere.statusCode).toBe(404);
    expect(pinHere.json().error.code).toBe('judge_not_found');
    const revokeHere = await revoke(seed.competition.id, theirTablet.id, organizerA);
    expect(revokeHere.statusCode).toBe(404);
    expect(revokeHere.json().error.code).toBe('device_not_found');
    expect([403, 404]).toContain((await revoke(other.competition.id, theirTablet.id, organizerA)).statusCode);
    const renew = await post(
      `/api/competitions/${seed.competition.id}/devices/${theirTablet.id}/pairing-code`,
      organizerA,
    );
    expect(renew.statusCode).toBe(404);
    const listed = await app.inject({
      url: `/api/competitions/${other.competition.id}/devices`,
      headers: bearer(organizerA),
    });
    expect(listed.statusCode).toBe(403);
    // A tablet of one competition cannot sign in another competition's judge.
    await setPin(other.competition.id, theirJudge.id, other.tokens.organizer, '7777');
    const ourTablet = await paired('judge', '平板 11');
    const foreign = await signIn(ourTablet.token, theirJudge.id, '7777');
    expect(foreign.statusCode).toBe(404);

    expect((await deviceRow(theirTablet.id))?.revokedAt).toBeNull();
    const after = await counts();
    // Only our own tablet (device + creation and pairing audit) and their own PIN were written.
    expect(after).toEqual({
      devices: (before.devices ?? 0) + 1,
      audit: (before.audit ?? 0) + 3,
      pins: (before.pins ?? 0) + 1,
    });
    expect((await actions(other.competition.id)).filter((a) => !a.startsWith('judge.pinSet'))).toEqual([]);
  });

  it('refuses hostile bodies with a 4xx naming the field, writing nothing', async () => {
    const before = await counts();
    const judge = seed.judges[1];
    if (!judge) throw new Error('seed');
    const cid = seed.competition.id;
    const cases: [Promise<{ statusCode: number; json(): { error: { message: string } } }>, string][] = [
      [createDevice(cid, seed.tokens.organizer, { kind: 'phone', label: 'x' }), 'kind'],
      [createDevice(cid, seed.tokens.organizer, { kind: 'judge', label: 'x'.repeat(10_000) }), 'label'],
      [createDevice(cid, seed.tokens.organizer, { kind: 'judge', label: '   ' }), 'label'],
      [createDevice(cid, seed.tokens.organizer, { kind: 'judge', label: 7 }), 'label'],
      [createDevice(cid, seed.tokens.organizer, { kind: 'judge', label: 'x', judgeId: judge.id }), 'judgeId'],
      [setPin(cid, judge.id, seed.tokens.organizer, 'abcd'), 'pin'],
      [setPin(cid, judge.id, seed.tokens.organizer, 1234), 'pin'],
      [setPin(cid, judge.id, seed.tokens.organizer, '123'), 'pin'],
      [setPin(cid, judge.id, seed.tokens.organizer, '1'.repeat(100_000)), 'pin'],
      [setPin(cid, 'not-a-judge', seed.tokens.organizer, '1234'), 'judgeId'],
      [pair('x'.repeat(50_000)), 'code'],
      [pair('ABCD-EFG0'), 'code'],
      [post('/api/devices/pair', null, { code: 12345678 }), 'code'],
      [post('/api/devices/pair', null, { code: 'ABCDEFGH', device: 'x' }), 'device'],
      [signIn(seed.tokens.judge(1), 'nope', '1234'), 'judgeId'],
      [
        post(`/api/competitions/${cid}/devices/${seed.display.id}/revoke`, seed.tokens.organizer, {
          force: true,
        }),
        'force',
      ],
      [post('/api/auth/refresh', seed.tokens.display, { ver: 9 }), 'ver'],
      [post('/api/devices/judge-resume', null, { token: 5, pin: '1234' }), 'token'],
      [post('/api/devices/judge-resume', null, { pin: '1234' }), 'token'],
      [resume('x'.repeat(10_000), '1234'), 'token'],
      [resume(seed.tokens.judge(1), '12'), 'pin'],
      [
        post('/api/devices/judge-resume', null, { token: seed.tokens.judge(1), pin: '1234', jid: 'x' }),
        'jid',
      ],
    ];
    for (const [response, field] of cases) {
      const res = await response;
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    expect(await counts()).toEqual(before);
    expect((await deviceRow(seed.display.id))?.revokedAt).toBeNull();
  });
});
