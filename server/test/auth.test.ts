import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokens, requireRoles } from '../src/plugins/auth';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

describe('tokens', () => {
  it('expire, and refuse a forged signature', () => {
    let now = 1_000_000_000_000;
    const tokens = createTokens('s'.repeat(32), () => now);
    const token = tokens.issue({ typ: 'account', sub: 'a' }, 60);
    expect(tokens.read(token)).toMatchObject({ typ: 'account', sub: 'a' });
    expect(createTokens('t'.repeat(32), () => now).read(token)).toBeNull();
    const [body] = token.split('.');
    expect(tokens.read(`${body}.AAAA`)).toBeNull();
    now += 61_000;
    expect(tokens.read(token)).toBeNull();
  });

  it('read lapsed tokens within a grace period only when their signature holds', () => {
    let now = 1_000_000_000_000;
    const tokens = createTokens('s'.repeat(32), () => now);
    const token = tokens.issue({ typ: 'judge', sub: 'd', cid: 'c', jid: 'j', ver: 3 }, 60);
    expect(tokens.readLapsed(token, 3600)).toMatchObject({ typ: 'judge', jid: 'j', ver: 3 });
    now += 61_000;
    expect(tokens.read(token)).toBeNull();
    expect(tokens.readLapsed(token, 3600)).toMatchObject({ typ: 'judge', jid: 'j' });
    expect(tokens.readLapsed(token, 0)).toBeNull();
    expect(createTokens('t'.repeat(32), () => now).readLapsed(token, 3600)).toBeNull();
    expect(tokens.readLapsed(`${token.split('.')[0]}.AAAA`, 3600)).toBeNull();
    now += 3600_000;
    expect(tokens.readLapsed(token, 3600)).toBeNull();
  });
});

describe.each(drivers)('principals and roles on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp(driver, (instance) => {
      instance.get('/test/who/:cid', async (request) => {
        const cid = (request.params as { cid: string }).cid;
        const held = await requireRoles(request, cid, ['chiefJudge', 'judge']);
        return { principal: request.principal.kind, roles: [...held].sort() };
      });
    }));
    seed = await seedCompetition(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('resolves accounts, judges and displays, and checks roles per competition', async () => {
    const url = `/test/who/${seed.competition.id}`;
    const chief = await app.inject({ url, headers: bearer(seed.tokens.chiefJudge) });
    expect(chief.json()).toEqual({ principal: 'account', roles: ['chiefJudge', 'public'] });
    const judge = await app.inject({ url, headers: bearer(seed.tokens.judge(0)) });
    expect(judge.json()).toEqual({ principal: 'judge', roles: ['judge', 'public'] });
    expect((await app.inject({ url, headers: bearer(seed.tokens.display) })).statusCode).toBe(403);
    expect((await app.inject({ url })).statusCode).toBe(401);
    expect((await app.inject({ url, headers: { authorization: 'Bearer nonsense' } })).statusCode).toBe(401);
  });

  it('refuses a role from another competition', async () => {
    const other = await seedCompetition(app, { name: '另一场竞赛' });
    const res = await app.inject({
      url: `/test/who/${other.competition.id}`,
      headers: bearer(seed.tokens.chiefJudge),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });
});
