import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { openDatabase } from '../src/db/client';
import { RedisLiveStore } from '../src/live/redis-store';
import { createTestDatabase, testRedisUrl } from './databases';
import { connect, join, type LiveClient, listen, roundApi, updatesOf } from './realtime-support';
import { type Seeded, seedCompetition } from './support';

/** Three server processes on one Postgres database and one Redis, as behind a venue's proxy. */
describe('the live push with three server processes on Postgres and Redis', () => {
  let database: { url: string; drop(): Promise<void> };
  let apps: [FastifyInstance, FastifyInstance, FastifyInstance];
  let origins: string[];
  let seed: Seeded;
  let api: ReturnType<typeof roundApi>;
  const prefix = `jx:test:${randomBytes(4).toString('hex')}:`;
  const sockets: LiveClient[] = [];
  const client = async (process: number, token?: string, reconnectionDelay?: number) => {
    const socket = await connect(origins[process] ?? '', token, { reconnectionDelay });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    const started: FastifyInstance[] = [];
    for (let i = 0; i < 3; i++) {
      started.push(
        await buildApp({
          database: await openDatabase({ url: database.url }),
          secret,
          clientDist: '/nonexistent',
          liveStore: new RedisLiveStore(testRedisUrl, { prefix: `${prefix}live:` }),
          redisUrl: testRedisUrl,
          redisPrefix: prefix,
        }),
      );
    }
    apps = started as [FastifyInstance, FastifyInstance, FastifyInstance];
    origins = await Promise.all(apps.map(listen));
    seed = await seedCompetition(apps[0]);
    api = roundApi(seed);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await apps[0].live.store.clear();
    for (const app of apps) await app.close();
    const redis = new Redis(testRedisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await database.drop();
  });

  it('brings a mark sent to process 1 to a chief judge connected to process 3', async () => {
    const chief = await client(2, seed.tokens.chiefJudge);
    const snapshot = await join(chief, seed);
    const updates = updatesOf(chief);
    expect((await api.mark(apps[0], 0, 'A01', '41')).statusCode).toBe(201);
    const update = await updates.next((u) => u.version > snapshot.version);
    expect(update.snapshot.standings.map((s) => s.competitor)).toContain('A01');
  });

  it('brings a change made through process 1 to spectators on processes 2 and 3 once published', async () => {
    for (let judge = 0; judge < 5; judge++)
      expect(
        (await api.mark(apps[judge % 3] as FastifyInstance, judge, 'A02', String(35 + judge))).statusCode,
      ).toBe(201);
    const early = await client(2);
    const refused = await early.emitWithAck('round:join', {
      competitionId: seed.competition.id,
      roundId: seed.round.id,
    });
    expect(refused).toMatchObject({ error: { code: 'round_unpublished' } });

    await api.signOffAndPublish(apps[1]);
    // The live view follows Postgres a moment after the response (see plugins/live.ts).
    await Promise.all(apps.map((a) => a.live.settle()));
    const spectators = [await client(1), await client(2)];
    const snapshots = await Promise.all(spectators.map((s) => join(s, seed)));
    const updates = spectators.map(updatesOf);
    await api.correct(apps[0], 'A02', 'J2', '48');
    for (const [i, spectator] of updates.entries()) {
      const update = await spectator.next((u) => u.version > (snapshots[i]?.version ?? 0));
      expect(update.snapshot).toMatchObject({ audience: 'public', status: { published: true } });
    }
    await Promise.all(apps.map((a) => a.live.settle()));
    const latest = await apps[2].live.store.get(seed.round.id);
    const last = await updates[1]?.next((u) => u.version === latest?.version);
    expect(last?.snapshot.standings).toEqual((await join(spectators[1] as LiveClient, seed)).standings);
  });

  it('gives a spectator whose connection dropped what it missed (connection-state recovery through Redis)', async () => {
    const spectator = await client(2, undefined, 1000);
    const snapshot = await join(spectator, seed);
    const updates = updatesOf(spectator);
    // A first push gives the socket a position in the stream to resume from.
    await api.correct(apps[0], 'A01', 'J4', '44');
    await Promise.all(apps.map((a) => a.live.settle()));
    const current = (await apps[0].live.store.get(seed.round.id))?.version;
    const before = await updates.next((u) => u.version === current);
    expect(before.version).toBeGreaterThan(snapshot.version);

    const dropped = new Promise<void>((resolve) => spectator.once('disconnect', () => resolve()));
    spectator.io.engine.close();
    await dropped;
    await api.correct(apps[1], 'A01', 'J5', '46');
    await Promise.all(apps.map((a) => a.live.settle()));
    await new Promise((resolve) => setTimeout(resolve, 150)); // past the push's coalescing interval
    expect(spectator.connected).toBe(false);
    expect(updates.seen.at(-1)?.version).toBe(before.version);

    await new Promise<void>((resolve) => spectator.once('connect', () => resolve()));
    expect(spectator.recovered).toBe(true);
    const missed = await updates.next((u) => u.version > before.version);
    expect(missed.snapshot.audience).toBe('public');
  });
});
