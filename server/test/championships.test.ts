import { randomUUID } from 'node:crypto';
import type { SchemeInput } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

/**
 * Real championships through the live path, on real Postgres: a round of its own size (a semifinal of five
 * dives where the scheme's dives are six), a diver who withdraws after two dives.
 */

const SEATS = ['J1', 'J2', 'J3', 'J4', 'J5'];

const diving: SchemeInput = {
  id: 'diving-5',
  name: '跳水（5 名裁判）',
  components: [
    {
      id: 'dives',
      name: '跳水动作',
      attempts: { label: 'dive', count: 6, difficulty: true },
      aspects: [
        {
          kind: 'judgement',
          id: 'award',
          name: '完成分',
          panel: 5,
          range: { min: '0', max: '10' },
          step: '0.5',
          aggregation: { method: 'sum', dropHighest: 1, dropLowest: 1 },
        },
      ],
    },
  ],
  rounds: [{ id: 'Semi', name: '半决赛', attempts: { dives: 5 } }],
};

interface Diver {
  id: string;
  code: string;
}

describe('rounds of their own size through the API (Postgres)', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let base: string;
  let roundUrl: string;
  let full: Diver;
  let withdrawn: Diver;

  beforeAll(async () => {
    ({ app } = await testApp('postgres'));
    seed = await seedCompetition(app);
    await app.live.rebuild();
    const t = seed.tokens;
    base = `/api/competitions/${seed.competition.id}`;
    const event = (
      await call(app, t.organizer, 'POST', `${base}/events`, { name: '跳水', scheme: diving })
    ).json();
    const roundId = event.rounds[0].id as string;
    roundUrl = `${base}/rounds/${roundId}`;
    const divers = [];
    for (const name of ['全红婵', '陈芋汐']) {
      const res = await call(app, t.organizer, 'POST', `${base}/events/${event.id}/competitors`, {
        name,
        unit: `${name}所在队`,
        region: '广东',
        frontline: true,
        unionMember: true,
      });
      divers.push(res.json().competitor.id as string);
    }
    const panel = (
      await call(app, t.organizer, 'POST', `${base}/events/${event.id}/panels`, { name: '跳水裁判组' })
    ).json();
    for (const [i, seat] of SEATS.entries()) {
      const res = await call(app, t.chiefJudge, 'PUT', `${base}/panels/${panel.id}/seats/${seat}`, {
        judgeId: seed.judges[i]?.id,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await call(app, t.organizer, 'POST', `${base}/events/${event.id}/draw`)).statusCode).toBe(200);
    for (const competitorId of divers) {
      const res = await call(app, t.encryptionOfficer, 'POST', `${roundUrl}/check-in`, { competitorId });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    const mapping = (await call(app, t.chiefJudge, 'GET', `${roundUrl}/mapping`)).json() as {
      code: string;
      competitorId: string;
    }[];
    const diverOf = (id: string | undefined): Diver => ({
      id: id ?? '',
      code: mapping.find((m) => m.competitorId === id)?.code ?? '',
    });
    [full, withdrawn] = [diverOf(divers[0]), diverOf(divers[1])];
  });
  afterAll(() => app.close());

  const mark = (judge: number, workstation: string, item: string, value: string) =>
    call(app, seed.tokens.judge(judge), 'POST', `${roundUrl}/marks`, {
      id: randomUUID(),
      workstation,
      item,
      value,
    });

  async function dive(diver: Diver, n: number, award: string) {
    for (const judge of SEATS.keys()) {
      const res = await mark(judge, diver.code, `dive-${n}`, award);
      expect(res.statusCode, res.body).toBe(201);
    }
  }

  it('accepts a dive list as long as the round, and a shorter one; refuses one longer than the round', async () => {
    const t = seed.tokens;
    const attemptsUrl = (d: Diver) => `${roundUrl}/competitors/${d.id}/attempts`;
    const six = [1, 2, 3, 4, 5, 6].map((attempt) => ({ attempt, difficulty: '3' }));
    const tooLong = await call(app, t.chiefJudge, 'PUT', attemptsUrl(full), six, { 'accept-language': 'en' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'attempts_invalid', field: '5.attempt' });
    expect(tooLong.json().error.message).toContain('the round has 5 attempts');
    const five = await call(app, t.chiefJudge, 'PUT', attemptsUrl(full), six.slice(0, 5));
    expect(five.statusCode, five.body).toBe(200);
    // Declared six, performed two: the list is cut to the two dives performed.
    const declared = await call(app, t.chiefJudge, 'PUT', attemptsUrl(withdrawn), six.slice(0, 5));
    expect(declared.statusCode, declared.body).toBe(200);
    const cut = await call(app, t.chiefJudge, 'PUT', attemptsUrl(withdrawn), [
      { attempt: 1, difficulty: '3.2' },
      { attempt: 2, difficulty: '3.4' },
    ]);
    expect(cut.statusCode, cut.body).toBe(200);
    expect(cut.json()).toHaveLength(2);
  });

  it('scores the round: five dives for one diver, two for the one who withdrew, flagged not performed', async () => {
    for (const n of [1, 2, 3, 4, 5]) await dive(full, n, '8');
    await dive(withdrawn, 1, '9');
    await dive(withdrawn, 2, '8.5');
    // The semifinal has no sixth dive.
    const sixth = await mark(0, full.code, 'dive-6', '8');
    expect(sixth.statusCode).toBe(400);
    await app.live.settle();

    const review = await call(app, seed.tokens.chiefJudge, 'GET', `${roundUrl}/review`);
    expect(review.statusCode, review.body).toBe(200);
    const body = review.json();
    const standings = body.event.rounds[0].standings as { competitor: string; rank: number; total: string }[];
    // full: 5 × (3 × 8) × 3.0 = 360; withdrawn: 27 × 3.2 + 25.5 × 3.4 = 86.4 + 86.7 = 173.1.
    expect(standings.map((s) => [s.competitor, s.rank, s.total])).toEqual([
      [full.code, 1, '360.00'],
      [withdrawn.code, 2, '173.10'],
    ]);
    const line = body.event.standings.find((s: { competitor: string }) => s.competitor === withdrawn.code);
    expect(line.complete).toBe(true);
    expect(line.flags).toEqual([1, 2, 3].map(() => ({ code: 'notPerformed' })));
    expect(
      line.components[0].attempts.map((a: { attempt: number; counted: boolean }) => [a.attempt, a.counted]),
    ).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, false],
      [5, false],
    ]);
    // Nothing is missing: the round can be signed off without force.
    expect(body.blockers).toMatchObject({ missing: [], flagged: [] });
    expect(
      body.competitors.find((c: { workstation: string }) => c.workstation === withdrawn.code).missing,
    ).toEqual([]);

    // The live view shows the same flagged result, and equals a recomputation from Postgres.
    expect(await app.live.check()).toEqual([]);
    const live = (await call(app, seed.tokens.chiefJudge, 'GET', `${roundUrl}/live`)).json();
    const liveLine = live.standings.find((s: { competitor: string }) => s.competitor === withdrawn.code);
    expect(liveLine.total).toBe('173.10');
    expect(liveLine.flags).toEqual(line.flags);

    const signOff = await call(app, seed.tokens.chiefJudge, 'POST', `${roundUrl}/sign-off`, {
      confirm: true,
    });
    expect(signOff.statusCode, signOff.body).toBe(200);
    expect(signOff.json().forced).toBe(false);
  });
});
