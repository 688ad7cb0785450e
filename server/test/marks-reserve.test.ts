import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devices, judges, panelSeats, recusals } from '../src/db/schema';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

describe.each(drivers)('a reserve judge on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let reserveToken: string;

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    // A reserve seated as R1, standing in for J1 (judge 0) for the competitor at A01 only.
    const [reserve] = await app.db
      .insert(judges)
      .values({ competitionId: seed.competition.id, name: '吴六', unit: '裁判单位6', region: '南平' })
      .returning();
    if (!reserve) throw new Error('seed failed');
    await app.db.insert(panelSeats).values({ panelId: seed.panel.id, judgeId: reserve.id, seat: 'R1' });
    const recusedFrom = seed.competitors[0];
    const judgeOne = seed.judges[0];
    if (!recusedFrom || !judgeOne) throw new Error('seed failed');
    await app.db.insert(recusals).values({
      panelId: seed.panel.id,
      judgeId: judgeOne.id,
      competitorId: recusedFrom.id,
      reason: 'sameUnit',
      substituteJudgeId: reserve.id,
    });
    const [tablet] = await app.db
      .insert(devices)
      .values({
        competitionId: seed.competition.id,
        kind: 'judge',
        label: '平板 R1',
        pairedAt: new Date(),
        judgeId: reserve.id,
      })
      .returning();
    if (!tablet) throw new Error('seed failed');
    reserveToken = app.tokens.issue({
      typ: 'judge',
      sub: tablet.id,
      cid: seed.competition.id,
      jid: reserve.id,
      ver: 0,
    });
  });
  afterAll(() => app.close());

  const mark = (token: string, workstation: string) =>
    app.inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/marks`,
      headers: bearer(token),
      payload: { id: randomUUID(), workstation, item: 'assemblyQuality', value: '40' },
    });

  it('marks in the recused judge’s seat for that competitor, and for no one else', async () => {
    const stood = await mark(reserveToken, 'A01');
    expect(stood.statusCode).toBe(201);
    expect(stood.json().mark.seat).toBe('J1');
    const elsewhere = await mark(reserveToken, 'A02');
    expect(elsewhere.statusCode).toBe(403);
  });

  it('keeps the recused judge from marking that competitor, but not the others', async () => {
    expect((await mark(seed.tokens.judge(0), 'A01')).statusCode).toBe(403);
    expect((await mark(seed.tokens.judge(0), 'A02')).statusCode).toBe(201);
  });
});
