import type { CompetitionUpdate } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { type LiveClient, listen, roundApi, settle, socketPool } from './realtime-support';
import { bearer, type Seeded, seedCompetition } from './support';

/** A competition's room: which rounds an audience may watch, announced as they appear and change. */
describe('the competition room', () => {
  let app: FastifyInstance;
  let origin: string;
  let seed: Seeded;
  const sockets = socketPool();
  const client = (token?: string) => sockets.connect(origin, token);
  const updatesOf = (socket: LiveClient) => {
    const seen: CompetitionUpdate[] = [];
    socket.on('competition:update', (u) => seen.push(u));
    return seen;
  };
  /** Waits for what a socket should have received by now (delivery follows the emit by a few ms). */
  const eventually = async (check: () => boolean, ms = 2000) => {
    const until = Date.now() + ms;
    while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  const joinCompetition = async (socket: LiveClient, competitionId = seed.competition.id) =>
    socket.emitWithAck('competition:join', { competitionId });

  beforeAll(async () => {
    app = await buildApp({ clientDist: '/nonexistent' });
    seed = await seedCompetition(app);
    origin = await listen(app);
  });
  afterAll(async () => {
    sockets.close();
    await app.close();
  });

  it('refuses a malformed join, and names an unknown competition', async () => {
    const socket = await client();
    expect(await socket.emitWithAck('competition:join', { competitionId: 'x' })).toMatchObject({
      error: { code: 'request_invalid' },
    });
    expect(await joinCompetition(socket, '00000000-0000-4000-8000-000000000000')).toMatchObject({
      error: { code: 'competition_not_found' },
    });
  });

  it('lists an unpublished round to staff only, announces it to the public on publication, and hears only the first mark of a round', async () => {
    const api = roundApi(seed);
    const chief = await client(seed.tokens.chiefJudge);
    const spectator = await client();
    const staffUpdates = updatesOf(chief);
    const publicUpdates = updatesOf(spectator);
    expect(await joinCompetition(chief)).toEqual({
      data: {
        competitionId: seed.competition.id,
        audience: 'staff',
        rounds: [
          expect.objectContaining({
            roundId: seed.round.id,
            round: expect.any(String),
            status: { signedOff: false, decrypted: false, published: false, markingClosed: false },
            marked: false,
            frozen: false,
          }),
        ],
      },
    });
    expect(await joinCompetition(spectator)).toEqual({
      data: { competitionId: seed.competition.id, audience: 'public', rounds: [] },
    });
    // The round's first push announces it (to staff) whatever came before; from here on, only changes.
    await settle(app);
    staffUpdates.length = 0;
    publicUpdates.length = 0;

    for (let judge = 0; judge < 5; judge++)
      expect((await api.mark(app, judge, 'A01', String(30 + judge))).statusCode).toBe(201);
    await settle(app);
    // Marks go to the round's room: the competition's rooms hear only that the round is marked now (staff:
    // the public may not watch this round yet), once, whatever the marks that follow (given time to arrive).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(staffUpdates.map((u) => u.round?.marked)).toEqual([true]);
    expect(publicUpdates).toEqual([]);
    staffUpdates.length = 0;
    for (let judge = 0; judge < 5; judge++)
      expect((await api.mark(app, judge, 'A02', String(20 + judge))).statusCode).toBe(201);
    await settle(app);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([...staffUpdates, ...publicUpdates]).toEqual([]);

    await api.signOffAndPublish(app);
    await settle(app);
    await eventually(() => publicUpdates.some((u) => u.round?.status.published));
    expect(publicUpdates.at(-1)).toMatchObject({
      competitionId: seed.competition.id,
      round: {
        roundId: seed.round.id,
        status: { signedOff: true, published: true },
        marked: true,
        frozen: false,
      },
    });
    expect(staffUpdates.at(-1)?.round?.status).toEqual({
      signedOff: true,
      decrypted: false,
      published: true,
      markingClosed: false,
    });
    const listed = await joinCompetition(spectator);
    expect('data' in listed && listed.data.rounds.map((r) => r.roundId)).toEqual([seed.round.id]);

    // The ceremony freeze: the public list says frozen; staff keep the live standings, so no change for them.
    const staffBefore = staffUpdates.length;
    const frozen = await app.inject({
      method: 'POST',
      url: api.url('freeze'),
      headers: bearer(seed.tokens.chiefJudge),
      payload: {},
    });
    expect(frozen.statusCode).toBe(200);
    await settle(app);
    await eventually(() => publicUpdates.at(-1)?.round?.frozen === true);
    expect(publicUpdates.at(-1)?.round?.frozen).toBe(true);
    expect(staffUpdates.length).toBe(staffBefore);

    const left = await spectator.emitWithAck('competition:leave', { competitionId: seed.competition.id });
    expect(left).toEqual({ data: { competitionId: seed.competition.id } });
  });
});
