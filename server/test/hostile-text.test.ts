import { templateInputs } from '@jiangxin/shared';
import { count, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, competitions, competitors, events } from '../src/db/schema';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

/**
 * Text people type, from a hostile venue network: NUL and other control characters, half an emoji, emoji
 * counted as characters. Every text field refuses them with a 400 naming the field (the role × route matrix
 * sweeps every route; these go through to storage on both drivers), and no 5xx log line quotes a query's
 * parameters.
 */
describe.each(drivers)('hostile text on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  const logLines: string[] = [];
  const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQ$secret-hash-in-a-query';

  beforeAll(async () => {
    ({ app } = await testApp(
      driver,
      (instance) => {
        // Faults on purpose: storage refuses a query whose parameters must not reach the log.
        instance.post('/test/fail/cast', async () =>
          instance.db.execute(sql`select ${'a-parameter-nobody-may-log'}::int`),
        );
        instance.post('/test/fail/insert', async () =>
          instance.db
            .insert(accounts)
            .values({ username: 'ab\u0000c', displayName: 'x', passwordHash: hash }),
        );
      },
      { logLines },
    ));
    seed = await seedCompetition(app);
  });
  afterAll(() => app.close());

  const post = (url: string, token: string | null, payload: object) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...(token ? bearer(token) : {}), 'accept-language': 'en' },
      payload,
    });
  const issues = (res: { json(): unknown }) =>
    (res.json() as { error: { issues: { field: string; message: string }[] } }).error.issues;
  const total = async (table: typeof accounts | typeof competitions | typeof competitors | typeof events) =>
    Number((await app.db.select({ n: count() }).from(table))[0]?.n);

  it('refuses a NUL in a username at sign-in with a 400 naming the field (not a 500)', async () => {
    const res = await post('/api/auth/login', null, { username: 'ab\u0000c', password: 'x' });
    expect(res.statusCode).toBe(400);
    expect(issues(res)).toEqual([
      {
        field: 'username',
        message: 'field "username" contains the control character U+0000 (character 3); remove it',
      },
    ]);
  });

  it('refuses control characters in a competition, and in a new account, writing nothing', async () => {
    const before = { competitions: await total(competitions), accounts: await total(accounts) };
    const competition = await post('/api/competitions', seed.tokens.organizer, {
      name: '大赛\u0000',
      level: 'city',
      organizer: '市总工会\u001b[31m',
      venue: '实训基地',
      startsOn: '2026-05-10',
      endsOn: '2026-05-11',
    });
    expect(competition.statusCode).toBe(400);
    expect(issues(competition).map((i) => i.field)).toEqual(['name', 'organizer']);
    const member = await post(`/api/competitions/${seed.competition.id}/members`, seed.tokens.organizer, {
      username: 'newcomer',
      displayName: '新\u0000人',
      password: 'a long enough password',
      role: 'scorekeeper',
    });
    expect(member.statusCode).toBe(400);
    expect(issues(member).map((i) => i.field)).toEqual(['displayName']);
    expect({ competitions: await total(competitions), accounts: await total(accounts) }).toEqual(before);
  });

  it('counts characters, not UTF-16 units: 60 emoji fit in a 100-character name, 101 do not', async () => {
    const url = `/api/competitions/${seed.competition.id}/events/${seed.event.id}/competitors`;
    const person = { unit: '某单位', region: '福州', frontline: true, unionMember: true };
    const emoji = '🏆'.repeat(60);
    const created = await post(url, seed.tokens.organizer, { ...person, name: emoji });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().competitor.id as string;
    const [stored] = await app.db.select().from(competitors).where(eq(competitors.id, id));
    expect(stored?.name).toBe(emoji);
    const before = await total(competitors);
    const long = await post(url, seed.tokens.organizer, { ...person, name: '🏆'.repeat(101) });
    expect(long.statusCode).toBe(400);
    expect(issues(long)[0]?.message).toBe('field "name" is too long (101 characters; at most 100)');
    expect(await total(competitors)).toBe(before);
  });

  it('refuses a lone surrogate instead of storing U+FFFD, in Chinese by default', async () => {
    const before = await total(competitors);
    const res = await app.inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/events/${seed.event.id}/competitors`,
      headers: { ...bearer(seed.tokens.organizer), 'content-type': 'application/json' },
      // As a client sends it: JSON's \ud83c escape, the first half of 🏆 alone.
      payload: '{"name":"张\\ud83c伟","unit":"某单位","region":"福州","frontline":true,"unionMember":true}',
    });
    expect(res.statusCode).toBe(400);
    expect(issues(res)[0]).toEqual({
      field: 'name',
      message: '字段 name 含有残缺的字符（第 2 个字符是半个代理对），请重新输入',
    });
    expect(await total(competitors)).toBe(before);
  });

  it('refuses a NUL anywhere in an organizer’s own scheme, which would otherwise reach a JSON column', async () => {
    const template = JSON.stringify(templateInputs.drone);
    const strings: string[][] = [];
    const walk = (value: unknown, path: string[]) => {
      if (typeof value === 'string') strings.push(path);
      else if (value && typeof value === 'object')
        for (const [key, v] of Object.entries(value)) walk(v, [...path, key]);
    };
    walk(JSON.parse(template), []);
    const before = await total(events);
    const wrong: string[] = [];
    for (const path of strings) {
      const scheme = JSON.parse(template);
      const parent = path.slice(0, -1).reduce((o, key) => o[key], scheme);
      const key = path.at(-1) ?? '';
      parent[key] = `${parent[key]}\u0000`;
      const res = await post(`/api/competitions/${seed.competition.id}/events`, seed.tokens.organizer, {
        name: '自定义',
        scheme,
      });
      if (res.statusCode !== 400) wrong.push(`${path.join('.')}: ${res.statusCode}`);
    }
    expect(strings.length).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
    expect(await total(events)).toBe(before);
  });

  it('never logs a query parameter with a 5xx: not a value quoted by the database, not a password hash', async () => {
    logLines.length = 0;
    for (const url of ['/test/fail/cast', '/test/fail/insert']) {
      const res = await app.inject({ method: 'POST', url });
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('internal_error');
    }
    const errors = logLines.filter((line) => line.includes('unhandled error'));
    expect(errors).toHaveLength(2);
    for (const line of errors) {
      expect(line).not.toContain('a-parameter-nobody-may-log');
      expect(line).not.toContain('secret-hash-in-a-query');
      expect(line).not.toContain('argon2');
      // What failed is still there: the error's type, and the query without its values.
      expect(JSON.parse(line).error).toMatchObject({ type: expect.any(String), message: expect.any(String) });
    }
    expect(errors[0]).toMatch(/select \$1::int/);
  });
});
