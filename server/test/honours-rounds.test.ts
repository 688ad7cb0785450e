import { randomUUID } from 'node:crypto';
import type { CheckInResult } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Built,
  buildCompetition,
  candidate,
  closeRound,
  entrants,
  failed,
  figure,
  honoursList,
  honoursScheme,
  recommended,
} from './honours-fixtures';
import { call } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

/**
 * A final that does not carry the preliminary over: the honours place everyone by the event's overall
 * standings (finalists by the final, then the preliminary's exits), not by the final's own ranking only.
 */

const twoRounds = {
  ...honoursScheme,
  id: 'honours-two-rounds',
  rounds: [
    { id: 'Preliminary', name: '预赛', advance: 2 },
    { id: 'Final', name: '决赛' },
  ],
};

describe('honours over an event of two rounds, the final starting from zero (Postgres)', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let built: Built;

  beforeAll(async () => {
    ({ app } = await testApp('postgres'));
    seed = await seedCompetition(app);
    // K01…K04 in the preliminary (practical 95 … 92); K01 and K02 advance.
    built = await buildCompetition(app, seed, {
      level: 'county',
      events: { 钳工: entrants('K', 4) },
      scheme: twoRounds,
    });
  }, 120_000);
  afterAll(() => app?.close());

  it('places the preliminary’s exits below the finalists, and the final decides between the finalists', async () => {
    const event = built.events.get('钳工');
    const finalId = event?.roundIds[1] ?? '';
    expect(event?.roundIds).toHaveLength(2);
    await closeRound(app, built, '钳工');

    // The final, from zero: K02 beats K01.
    const C = built.C;
    for (const [name, practical] of [
      ['K01', '70'],
      ['K02', '88'],
    ] as const) {
      const res = await call(app, built.tokens.encryptionOfficer, 'POST', `${C}/rounds/${finalId}/check-in`, {
        competitorId: event?.ids.get(name),
      });
      expect(res.statusCode, res.body).toBe(200);
      const { code } = res.json() as CheckInResult;
      for (const [item, value] of [
        ['theoryPaper', '90'],
        ['practicalSheet', practical],
      ])
        expect(
          (
            await call(app, built.judgeToken, 'POST', `${C}/rounds/${finalId}/marks`, {
              id: randomUUID(),
              workstation: code,
              item,
              value,
            })
          ).statusCode,
        ).toBe(201);
    }
    // Before the final is published the event's results are not official.
    const before = await honoursList(app, built);
    expect(before.events).toMatchObject([{ event: '钳工', roundId: finalId, status: 'notPublished' }]);
    expect(before.candidates).toEqual([]);

    await closeRound(app, built, '钳工', true, finalId);
    const list = await honoursList(app, built);
    expect(list.events).toMatchObject([{ event: '钳工', status: 'computed' }]);
    const places = list.candidates
      .filter((c) => c.honour === 'county-may-day-medal')
      .map((c) => [c.competitor, c.place]);
    expect(places).toEqual([
      ['K02', 1],
      ['K01', 2],
      ['K03', 3],
      ['K04', 4],
    ]);
    expect(recommended(list, 'county-may-day-medal')).toEqual(['K02']);
    // K03 went out in the preliminary: placed 3rd of 4 entrants, not left out of the list.
    const k03 = candidate(list, 'county-may-day-medal', 'K03');
    expect(failed(k03)).toEqual(['place']);
    expect(figure(k03, 'place')).toMatchObject({ en: expect.stringContaining('place 3 of 4') });
  }, 120_000);
});
