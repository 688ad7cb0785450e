import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, marks } from '../src/db/schema';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

/** Closing and reopening marking: a mark sent meanwhile is refused untouched, then taken once on reopening. */
describe.each(drivers)('open and close marking on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let url: (path: string) => string;

  const post = (path: string, token: string, payload?: object) =>
    app.inject({ method: 'POST', url: url(path), headers: bearer(token), ...(payload ? { payload } : {}) });
  const counts = async () => {
    const [m] = await app.db.select({ n: count() }).from(marks);
    const [a] = await app.db
      .select({ n: count() })
      .from(auditLog)
      .where(eq(auditLog.competitionId, seed.competition.id));
    return { marks: Number(m?.n), audit: Number(a?.n) };
  };
  const liveStatus = async () => (await app.live.store.get(seed.round.id))?.status;

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    url = (path) => `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/${path}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses marks while closed, storing and auditing nothing, and takes the same mark once on reopening', async () => {
    const t = seed.tokens;
    const body = { id: randomUUID(), workstation: 'A01', item: 'assemblyQuality', value: '40' };
    const paper = { id: randomUUID(), workstation: 'A02', item: 'assemblyQuality', seat: 'J2', value: '30' };

    const closed = await post('close', t.organizer);
    expect(closed.statusCode).toBe(200);
    expect(closed.json().round.markingClosedAt).toEqual(expect.any(String));
    const again = await post('close', t.chiefJudge);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'round_already_closed']);
    await app.live.settle();
    expect((await liveStatus())?.markingClosed).toBe(true);
    expect(await app.live.check()).toEqual([]);

    const before = await counts();
    const refused = await post('marks', t.judge(0), body);
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'round_closed']);
    expect(refused.json().error.message).toMatch(/评分已暂停/);
    const refusedPaper = await post('paper-marks', t.scorekeeper, paper);
    expect([refusedPaper.statusCode, refusedPaper.json().error.code]).toEqual([409, 'round_closed']);
    expect(await counts()).toEqual(before);
    const mine = await app.inject({ url: url('my-marks'), headers: bearer(t.judge(0)) });
    expect(mine.json().round.markingClosedAt).toEqual(expect.any(String));

    const opened = await post('open', t.chiefJudge);
    expect(opened.statusCode).toBe(200);
    expect(opened.json().round.markingClosedAt).toBeNull();
    await app.live.settle();
    expect((await liveStatus())?.markingClosed).toBe(false);

    // The tablet sends the very same mark again: stored once, and a further retry is the same mark.
    expect((await post('marks', t.judge(0), body)).statusCode).toBe(201);
    expect((await post('marks', t.judge(0), body)).statusCode).toBe(200);
    expect((await post('paper-marks', t.scorekeeper, paper)).statusCode).toBe(201);
    const [stored] = await app.db.select({ n: count() }).from(marks).where(eq(marks.id, body.id));
    expect(Number(stored?.n)).toBe(1);
    const actions = await app.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(
        and(eq(auditLog.competitionId, seed.competition.id), eq(auditLog.subject, `round:${seed.round.id}`)),
      );
    expect(actions.map((a) => a.action)).toEqual(['round.markingClosed', 'round.markingOpened']);
    await app.live.settle();
    expect(await app.live.check()).toEqual([]);
  });

  it('refuses closing or reopening a signed-off round, and to anyone but the organizer and chief judge', async () => {
    const t = seed.tokens;
    expect((await post('close', t.judge(0))).statusCode).toBe(403);
    expect((await post('close', t.scorekeeper)).statusCode).toBe(403);
    const signed = await post('sign-off', t.chiefJudge, { confirm: true, force: true, reason: '测试' });
    expect(signed.statusCode).toBe(200);
    for (const path of ['close', 'open']) {
      const res = await post(path, t.organizer);
      expect([res.statusCode, res.json().error.code]).toEqual([409, 'round_signed_off']);
    }
    await app.live.settle();
    expect(await app.live.check()).toEqual([]);
  });

  it('leaves an audit chain that verifies', async () => {
    const verify = await app.inject({
      url: `/api/competitions/${seed.competition.id}/audit/verify`,
      headers: bearer(seed.tokens.chiefJudge),
    });
    expect(verify.json()).toEqual({ ok: true, entries: (await counts()).audit });
  });
});
