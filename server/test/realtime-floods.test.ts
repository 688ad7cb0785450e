import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildOptions, buildApp } from '../src/app';
import { connect, type LiveClient, listen, roundApi, socketPool } from './realtime-support';
import { type Seeded, seedCompetition } from './support';

type LiveLimitOptions = NonNullable<BuildOptions['liveLimits']>;

/** A listening app with a seeded competition for the describe block, closed with its sockets after it. */
function served(liveLimits: LiveLimitOptions = {}) {
  const server = {} as { app: FastifyInstance; origin: string; seed: Seeded };
  const sockets = socketPool();
  beforeAll(async () => {
    server.app = await buildApp({ clientDist: '/nonexistent', liveLimits });
    server.seed = await seedCompetition(server.app);
    server.origin = await listen(server.app);
  });
  afterAll(async () => {
    sockets.close();
    await server.app.close();
  });
  return { server, sockets };
}

/** One socket flooding the server with joins: refused cheaply, and judges' marks keep their pace. */
describe('a flood of events on one socket', () => {
  const { server, sockets } = served();

  it('refuses 3,000 joins beyond the budget as rate_limited while a judge’s mark is acknowledged promptly', async () => {
    const api = roundApi(server.seed);
    const timed = async (judge: number) => {
      const started = Date.now();
      const mark = await api.mark(server.app, judge, 'A01', '35');
      expect(mark.statusCode).toBe(201);
      return Date.now() - started;
    };
    // A quiet mark first: the bounds below allow for a machine that is slow anyway (shared CI cores).
    await timed(1);
    const quiet = await timed(2);
    const bound = (ms: number) => Math.max(ms, 4 * quiet);

    // An outsider on the venue network: no token.
    const flooder = await sockets.connect(server.origin);
    const started = Date.now();
    const flood = Promise.all(
      Array.from({ length: 3000 }, (_, i) =>
        i % 2 === 0
          ? flooder.emitWithAck('round:join', {
              competitionId: server.seed.competition.id,
              roundId: randomUUID(),
            })
          : flooder.emitWithAck('competition:join', { competitionId: randomUUID() }),
      ),
    );
    // Let the flood reach the server before the judge marks.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await timed(3)).toBeLessThan(bound(1000));

    const answers = await flood;
    expect(Date.now() - started).toBeLessThan(bound(3000));
    const limited = answers.filter((a) => 'error' in a && a.error.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(2900);
    expect(limited[0]).toEqual({
      error: { code: 'rate_limited', message: expect.stringContaining('请求过于频繁') },
    });
  }, 60_000);
});

/** Small budgets set through the app options, to reach them quickly. */
describe('the live budgets per socket and per address', () => {
  const { server, sockets } = served({ floodSeconds: 1, roomsPerSocket: 1, connectionsPerAddress: 3 });

  it('lets a socket follow only so many rooms at once; leaving one frees its place', async () => {
    const screen = await sockets.connect(server.origin, server.seed.tokens.chiefJudge);
    const competition = { competitionId: server.seed.competition.id };
    const round = { ...competition, roundId: server.seed.round.id };
    expect(await screen.emitWithAck('competition:join', competition)).toHaveProperty('data');
    // Joining the same room again is no new room.
    expect(await screen.emitWithAck('competition:join', competition)).toHaveProperty('data');
    expect(await screen.emitWithAck('round:join', round)).toMatchObject({
      error: { code: 'too_many_rooms', message: expect.stringContaining('最多同时关注 1 个') },
    });
    expect(await screen.emitWithAck('competition:leave', competition)).toHaveProperty('data');
    expect(await screen.emitWithAck('round:join', round)).toHaveProperty('data');
    screen.close();
  });

  it('ends a socket that keeps flooding past its budget, saying why', async () => {
    const flooder = await sockets.connect(server.origin);
    const ended = new Promise<string>((resolve) => flooder.once('session:ended', (e) => resolve(e.reason)));
    const gone = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    const sending = setInterval(() => {
      for (let i = 0; i < 10; i++)
        flooder.emit('competition:join', { competitionId: randomUUID() }, () => {});
    }, 20);
    try {
      expect(await ended).toBe('flooding');
      expect(await gone).toBe('io server disconnect');
    } finally {
      clearInterval(sending);
    }
  });

  it('refuses the connection over the cap per address, and takes one again after a disconnect', async () => {
    const held: LiveClient[] = [];
    for (let i = 0; i < 3; i++) held.push(await sockets.connect(server.origin));
    await expect(connect(server.origin)).rejects.toThrow('too_many_connections');
    held[0]?.close();
    // The server counts the socket down when its disconnect reaches it.
    const deadline = Date.now() + 2000;
    for (;;) {
      const again = await connect(server.origin).catch((error: Error) => error);
      if (!(again instanceof Error)) {
        held.push(again);
        break;
      }
      expect(again.message).toBe('too_many_connections');
      if (Date.now() > deadline) throw new Error('no place freed within 2 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const socket of held) socket.close();
  });
});
