import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, devices, judges } from '../src/db/schema';
import { connect, listen } from './realtime-support';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

/**
 * No secret in any log line: every sign-in flow, right and wrong (passwords, lockout, token renewal,
 * pairing, PINs, a judge signing in, resuming and out, sockets with good and forged tokens), and an account
 * insert that fails in Postgres with the new password's hash in its message (issue 15, #5), with every line
 * the server logs captured; then each password, hash, token, PIN and pairing code used is looked for.
 */
describe('the server’s logs', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let origin: string;
  const logLines: string[] = [];
  /** Every secret the scenario sends or is sent. */
  const secrets = new Set<string>();

  beforeAll(async () => {
    ({ app } = await testApp('postgres', undefined, { logLines }));
    seed = await seedCompetition(app);
    origin = await listen(app);
  });
  afterAll(() => app.close());

  const post = async (url: string, token: string | null, payload?: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...(token ? bearer(token) : {}), 'accept-language': 'en' },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const C = () => `/api/competitions/${seed.competition.id}`;
  /** Remembers a token, and each of its parts long enough to be recognisable alone. */
  const token = (value: string) => {
    secrets.add(value);
    for (const part of value.split('.')) if (part.length >= 16) secrets.add(part);
    return value;
  };

  it('runs every sign-in flow, right and wrong', async () => {
    const organizer = token(seed.tokens.organizer);
    // An account, its password, a wrong password until it locks, a renewal.
    const password = 'correct horse 7Q!x battery';
    secrets.add(password);
    const member = await post(`${C()}/members`, organizer, {
      username: 'log-scan-user',
      displayName: '日志检查',
      password,
      role: 'scorekeeper',
    });
    expect(member.statusCode).toBe(201);
    const login = await post('/api/auth/login', null, { username: 'log-scan-user', password });
    expect(login.statusCode).toBe(200);
    const accountToken = token(login.json().token);
    for (let i = 0; i < 7; i++) {
      const wrong = `wrong password ${i} Zq8!`;
      secrets.add(wrong);
      const res = await post('/api/auth/login', null, { username: 'log-scan-user', password: wrong });
      expect([401, 429]).toContain(res.statusCode);
    }
    const unknown = 'a password for nobody 3x!';
    secrets.add(unknown);
    expect(
      (await post('/api/auth/login', null, { username: 'nobody-here', password: unknown })).statusCode,
    ).toBe(401);
    // A NUL in the username: refused before anything is looked up, the password still unlogged.
    const withNul = 'password beside a NUL 9k';
    secrets.add(withNul);
    expect(
      (await post('/api/auth/login', null, { username: 'a\u0000b', password: withNul })).statusCode,
    ).toBe(400);
    const renewed = await post('/api/auth/refresh', accountToken);
    expect(renewed.statusCode).toBe(200);
    token(renewed.json().token);

    // A tablet: pairing code, a wrong code, the tablet's token.
    const created = await post(`${C()}/devices`, organizer, { kind: 'judge', label: '日志平板' });
    expect(created.statusCode).toBe(201);
    const code = created.json().pairingCode as string;
    secrets.add(code);
    expect((await post('/api/devices/pair', null, { code: 'QQQQ-7777' })).statusCode).toBe(401);
    const pairedRes = await post('/api/devices/pair', null, { code });
    expect(pairedRes.statusCode).toBe(200);
    const tablet = token(pairedRes.json().token);
    // A second code issued again for a screen, never used.
    const screen = await post(`${C()}/devices`, organizer, { kind: 'display', label: '日志大屏' });
    const renewedCode = await post(`${C()}/devices/${screen.json().device.id}/pairing-code`, organizer);
    expect(renewedCode.statusCode).toBe(201);
    secrets.add(screen.json().pairingCode);
    secrets.add(renewedCode.json().pairingCode);

    // A judge: a PIN, a wrong PIN, signing in, resuming with the PIN, signing out.
    const judge = await post(`${C()}/judges`, organizer, {
      name: '日志裁判',
      unit: '某单位',
      region: '福州',
    });
    expect(judge.statusCode).toBe(201);
    const judgeId = judge.json().id as string;
    const pin = '90817263';
    const wrongPin = '37261504';
    secrets.add(pin);
    secrets.add(wrongPin);
    expect((await post(`${C()}/judges/${judgeId}/pin`, organizer, { pin })).statusCode).toBe(200);
    expect((await post('/api/devices/judge-sign-in', tablet, { judgeId, pin: wrongPin })).statusCode).toBe(
      401,
    );
    const signedIn = await post('/api/devices/judge-sign-in', tablet, { judgeId, pin });
    expect(signedIn.statusCode).toBe(200);
    const judgeToken = token(signedIn.json().token);
    const claims = app.tokens.read(judgeToken);
    if (!claims) throw new Error('not a token');
    const { exp: _, ...rest } = claims;
    const lapsed = token(app.tokens.issue(rest, -60));
    expect((await post('/api/devices/judge-resume', null, { token: lapsed, pin: wrongPin })).statusCode).toBe(
      401,
    );
    const resumed = await post('/api/devices/judge-resume', null, { token: lapsed, pin });
    expect(resumed.statusCode).toBe(200);
    const out = await post('/api/devices/judge-sign-out', token(resumed.json().token));
    expect(out.statusCode).toBe(200);
    token(out.json().token);

    // Sockets: a good token and a forged one.
    const socket = await connect(origin, accountToken);
    socket.close();
    await expect(connect(origin, `${tablet}x`)).rejects.toThrow('unauthenticated');
  });

  it('logs an account insert that fails in Postgres without the password or its hash', async () => {
    // A fault on purpose: Postgres refuses the insert and quotes the hash in its message, as a constraint's
    // message may.
    await app.db.execute(
      sql.raw(`create function refuse_account() returns trigger language plpgsql as $$
        begin raise exception 'account refused: %', new.password_hash; end $$;
        create trigger refuse_account before insert on accounts for each row execute function refuse_account();`),
    );
    const password = 'the failed insert password 5t';
    secrets.add(password);
    try {
      const res = await post(`${C()}/members`, seed.tokens.organizer, {
        username: 'never-stored',
        displayName: '失败',
        password,
        role: 'scorekeeper',
      });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('argon2');
    } finally {
      await app.db.execute(
        sql.raw('drop trigger refuse_account on accounts; drop function refuse_account();'),
      );
    }
    const failure = logLines.filter((line) => JSON.parse(line).level >= 50);
    expect(failure.length).toBeGreaterThan(0);
    // The error is still useful: what failed, where.
    expect(failure.join('\n')).toContain('account refused: [parameter]');
  });

  it('has none of them in any line', async () => {
    // The hashes storage holds: accounts' passwords, judges' PINs, devices' pairing codes.
    for (const row of await app.db.select({ hash: accounts.passwordHash }).from(accounts))
      secrets.add(row.hash);
    for (const row of await app.db.select({ hash: judges.pinHash }).from(judges))
      if (row.hash) secrets.add(row.hash);
    for (const row of await app.db.select({ hash: devices.pairingCodeHash }).from(devices))
      if (row.hash) secrets.add(row.hash);
    // The seeded accounts' placeholder is not a secret.
    secrets.delete('seeded');
    expect(secrets.size).toBeGreaterThan(30);
    expect(logLines.length).toBeGreaterThan(40);
    const found: string[] = [];
    for (const line of logLines) {
      if (line.includes('$argon2')) found.push(`an argon2 hash in: ${line.slice(0, 200)}`);
      for (const secret of secrets)
        if (line.includes(secret)) found.push(`"${secret.slice(0, 24)}…" in: ${line.slice(0, 200)}`);
    }
    expect(found).toEqual([]);
  });
});
