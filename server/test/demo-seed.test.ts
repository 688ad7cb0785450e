import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, type DemoSeed, seedDemo } from '../src/demo/seed';
import { bearer, testApp } from './support';

describe('the demo competition of the embedded default', () => {
  let app: FastifyInstance;
  let seed: DemoSeed | null;

  beforeAll(async () => {
    ({ app } = await testApp('pglite'));
    seed = await seedDemo(app);
  });
  afterAll(() => app.close());

  it('is seeded once, into an empty database only', async () => {
    expect(seed?.competitionId).toBeTruthy();
    expect(await seedDemo(app)).toBeNull();
  });

  it('lets the organizer sign in and see a drone and a tea event with drawn competitors', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: DEMO_ACCOUNTS.organizer.username, password: DEMO_ACCOUNTS.organizer.password },
    });
    expect(login.statusCode).toBe(200);
    const token = login.json().token as string;
    const cid = seed?.competitionId;
    const events = await app.inject({ url: `/api/competitions/${cid}/events`, headers: bearer(token) });
    const names = (events.json() as { name: string }[]).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['无人机驾驶员', '评茶员']));
    const chief = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: DEMO_ACCOUNTS.chiefJudge.username, password: DEMO_ACCOUNTS.chiefJudge.password },
    });
    expect(chief.statusCode).toBe(200);
  });

  it('gives working pairing codes for the tablets and the big screen', async () => {
    const screen = seed?.pairing.find((p) => p.label === '主屏');
    const paired = await app.inject({
      method: 'POST',
      url: '/api/devices/pair',
      payload: { code: screen?.code },
    });
    expect(paired.statusCode).toBe(200);
    expect(seed?.pairing).toHaveLength(6);
  });
});
