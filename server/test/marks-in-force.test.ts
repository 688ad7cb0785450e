import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotRound } from '../src/live/service';
import { inKeyOrder, marksInForce } from '../src/scoring/marks-in-force';
import { effectiveMarks } from '../src/scoring/round';
import { competitionPositions, createRoundCache } from '../src/scoring/round-cache';
import { drivers } from './databases';
import { auditSetupChange, bearer, type Seeded, seedCompetition, testApp } from './support';

/**
 * The live view's marks in force, brought forward from the audit log (decision 024), equal the marks in force
 * read whole after every kind of change a mark can make: a new mark, a newer mark of the same seat, a paper
 * mark (not counted until confirmed), its confirmation, and a retry (no change).
 */
describe.each(drivers)('marks in force brought forward on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const url = (path: string) => `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/${path}`;
  const post = async (path: string, token: string, payload: object) => {
    const answer = await app.inject({ method: 'POST', url: url(path), headers: bearer(token), payload });
    expect(answer.statusCode, answer.body).toBeLessThan(300);
    return answer;
  };
  const mark = (judge: number, workstation: string, value: string, id = randomUUID()) =>
    post('marks', seed.tokens.judge(judge), { id, workstation, item: 'assemblyQuality', value });
  const whole = async () => inKeyOrder(await effectiveMarks(app.db, [seed.round.id]));
  const positions = async () => {
    const found = await competitionPositions(app.db, seed.competition.id);
    if (!found) throw new Error('no competition');
    return found;
  };

  it('equal the marks read whole after each change, and give way when the setup moves', async () => {
    const kept = marksInForce([seed.round.id]);
    const cid = seed.competition.id;
    const start = await positions();
    expect(await kept.latest(app.db, cid, start.setup)).toBeNull();
    expect(await kept.at(app.db, cid, start.last)).toEqual([]);

    const paperId = randomUUID();
    const retried = randomUUID();
    const steps: [string, () => Promise<unknown>][] = [
      ['a first mark', () => mark(0, 'A01', '30')],
      ['marks of two seats', async () => Promise.all([mark(1, 'A01', '31'), mark(0, 'A02', '28')])],
      ['a newer mark of the same seat', () => mark(0, 'A01', '33', retried)],
      ['the same mark again (a retry)', () => mark(0, 'A01', '33', retried)],
      [
        'a paper mark, not yet confirmed',
        () =>
          post('paper-marks', seed.tokens.scorekeeper, {
            id: paperId,
            workstation: 'A03',
            item: 'assemblyQuality',
            seat: 'J3',
            value: '25',
          }),
      ],
      ['its confirmation', () => post(`paper-marks/${paperId}/confirm`, seed.tokens.scorekeeper2, {})],
      ['a tablet mark after it', () => mark(2, 'A03', '26')],
    ];
    for (const [step, act] of steps) {
      await act();
      const now = await positions();
      const latest = await kept.latest(app.db, cid, now.setup);
      expect(latest?.positions, step).toEqual(now);
      expect(latest?.marks, step).toEqual(await whole());
    }
    // Four seats marked: A01 by J1 (33, its newer mark) and J2, A02 by J1, A03 by J3 (26 after the paper 25).
    expect((await whole()).map((m) => m.value).sort()).toEqual(['26', '28', '31', '33']);

    // In a transaction's snapshot too, and from nothing.
    const fresh = marksInForce([seed.round.id]);
    expect(await fresh.at(app.db, cid, (await positions()).last)).toEqual(await whole());

    await auditSetupChange(app, cid, 'marks-in-force');
    expect(await kept.latest(app.db, cid, start.setup)).toBeNull();
  });

  it('give the live view the entry a recomputation from nothing gives', async () => {
    const rounds = createRoundCache(app.db);
    const cid = seed.competition.id;
    const rid = seed.round.id;
    // The first reads the round whole and keeps it; the next ones bring it forward.
    for (const value of ['35', '36', '37']) {
      await mark(3, 'A04', value);
      await mark(4, `A0${1 + (Number(value) % 4)}`, value);
      const kept = await snapshotRound(app.db, cid, rid, rounds);
      expect(kept).toEqual(await snapshotRound(app.db, cid, rid));
    }
    expect(rounds.held(cid, rid)?.marks).toBeDefined();
  });
});
