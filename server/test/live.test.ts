import { randomBytes, randomUUID } from 'node:crypto';
import type { EventJson } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACE_GAP } from '../src/live/pace';
import { RedisLiveStore } from '../src/live/redis-store';
import { snapshotRound } from '../src/live/service';
import { type LiveRoundInput, type LiveStore, MemoryLiveStore, type PushClaim } from '../src/live/store';
import { testRedisUrl } from './databases';
import { type Processes, startProcesses } from './realtime-support';
import { bearer, type Seeded, seedCompetition } from './support';

const prefix = () => `jx:test:${randomBytes(4).toString('hex')}:`;
const emptyEvent = { event: 'E', scheme: 's', standings: [], rounds: [] } as unknown as EventJson;
const entry = (roundId: string, sourceVersion: number): LiveRoundInput => ({
  roundId,
  competitionId: 'c',
  round: 'Final',
  sourceVersion,
  status: { signedOff: false, decrypted: false, published: false, markingClosed: false },
  open: false,
  names: null,
  freeze: null,
  event: { ...emptyEvent, event: `at ${sourceVersion}` },
});

/** Connections the store tests open, closed after them. */
const connections: Redis[] = [];
const connection = () => {
  const redis = new Redis(testRedisUrl);
  connections.push(redis);
  return redis;
};
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});

describe.each([
  ['in process', () => new MemoryLiveStore()],
  ['Redis', () => new RedisLiveStore(connection(), { prefix: prefix() })],
] as const)('the live store contract (%s)', (_, make) => {
  let store: LiveStore;
  beforeAll(() => {
    store = make();
  });
  afterAll(async () => {
    await store.clear();
    await store.close();
  });

  it('keeps the entry computed from the later source, and bumps the version on every accepted write', async () => {
    // The first version is the store's own (1, or the clock in Redis: see redis-store.ts); then one up.
    const first = (await store.put(entry('r1', 5))) ?? 0;
    expect(first).toBeGreaterThan(0);
    expect(await store.put(entry('r1', 7))).toBe(first + 1);
    expect(await store.put(entry('r1', 6))).toBeNull();
    expect(await store.put(entry('r1', 7))).toBe(first + 2);
    const live = await store.get('r1');
    expect([live?.sourceVersion, live?.version, live?.event.event]).toEqual([7, first + 2, 'at 7']);
    expect(await store.get('nope')).toBeNull();
  });

  it('lets pushes through at one per interval, two within one a gap apart, from what screens were last sent to the newest entry', async () => {
    const waitOut = (claim: PushClaim) =>
      new Promise((resolve) => setTimeout(resolve, claim.kind === 'wait' ? claim.ms + 5 : 0));
    expect(await store.claimPush('p1', 200)).toEqual({ kind: 'none' });
    const v1 = (await store.put(entry('p1', 1))) ?? 0;
    const first = await store.claimPush('p1', 200);
    const firstAt = performance.now();
    expect(first).toMatchObject({ kind: 'send', previous: null, current: { version: v1 } });
    expect((await store.entries('p1'))?.pushed?.version).toBe(v1);
    // Nothing new: nothing to send, whatever the interval.
    expect(await store.claimPush('p1', 200)).toEqual({ kind: 'none' });
    await store.put(entry('p1', 2));
    const gap = await store.claimPush('p1', 200);
    expect(gap.kind === 'wait' && gap.ms > 0 && gap.ms <= 200 * PACE_GAP).toBe(true);
    await waitOut(gap);
    // The second push of the interval goes once the gap has passed, not a whole interval after the first.
    expect(await store.claimPush('p1', 200)).toMatchObject({
      kind: 'send',
      previous: { version: v1 },
      current: { version: v1 + 1 },
    });
    expect(performance.now() - firstAt).toBeLessThan(200);
    await store.put(entry('p1', 3));
    await store.put(entry('p1', 4));
    const early = await store.claimPush('p1', 200);
    expect(early.kind === 'wait' && early.ms > 0 && early.ms <= 200).toBe(true);
    expect((await store.entries('p1'))?.pushed?.version).toBe(v1 + 1);
    await waitOut(early);
    const trailing = await store.claimPush('p1', 200);
    expect(trailing).toMatchObject({
      kind: 'send',
      previous: { version: v1 + 1, event: { event: 'at 2' } },
      current: { version: v1 + 3, sourceVersion: 4, event: { event: 'at 4' } },
    });
  });

  it('keeps each round’s ranking in the engine’s order, replaced whole with every accepted write', async () => {
    const ranked = (sourceVersion: number, codes: string[]): LiveRoundInput => {
      const base = entry('k1', sourceVersion);
      const standings = codes.map((competitor) => ({ competitor }));
      return { ...base, event: { ...base.event, standings } as unknown as EventJson };
    };
    await store.put(ranked(1, ['A02', 'A01', 'A03']));
    expect(await store.ranking('k1')).toEqual(['A02', 'A01', 'A03']);
    await store.put(ranked(2, ['A03', 'A02']));
    expect(await store.ranking('k1')).toEqual(['A03', 'A02']);
    // An older computation changes nothing, the ranking included.
    await store.put(ranked(1, ['A01']));
    expect(await store.ranking('k1')).toEqual(['A03', 'A02']);
    expect(await store.ranking('nope')).toEqual([]);
  });

  it('gives a burst of claims from many processes exactly one push', async () => {
    await store.put(entry('p2', 1));
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.claimPush('p2', 500)));
    expect(claims.filter((c) => c.kind === 'send')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'none')).toHaveLength(19);
  });

  it('loses no update when writers race: the latest source wins whatever the order', async () => {
    const versions = Array.from({ length: 40 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
    await Promise.all(versions.map((v) => store.put(entry('r2', v))));
    expect((await store.get('r2'))?.sourceVersion).toBe(40);
    expect((await store.roundIds()).sort()).toEqual(['k1', 'p1', 'p2', 'r1', 'r2']);
    await store.clear();
    expect(await store.roundIds()).toEqual([]);
    expect(await store.entries('p1')).toBeNull();
  });
});

describe('the Redis live store between processes', () => {
  it('parses an entry once per process: what it stored or read is reused, another process reads its own copy', async () => {
    const shared = prefix();
    const [one, two] = [
      new RedisLiveStore(connection(), { prefix: shared }),
      new RedisLiveStore(connection(), { prefix: shared }),
    ];
    const v1 = (await one.put(entry('h1', 1))) ?? 0;
    const fromOne = await one.entries('h1');
    const fromTwo = await two.entries('h1');
    expect(fromOne?.current).toMatchObject({ version: v1, sourceVersion: 1, event: { event: 'at 1' } });
    expect(fromTwo?.current).toEqual(fromOne?.current);
    expect(fromTwo?.current).not.toBe(fromOne?.current);
    expect((await one.entries('h1'))?.current).toBe(fromOne?.current);
    expect((await two.entries('h1'))?.current).toBe(fromTwo?.current);
    // A newer entry stored by the other process: the claim gives this one the body it lacks, the older side held.
    await two.put(entry('h1', 2));
    const claim = await one.claimPush('h1', 50);
    expect(claim).toMatchObject({
      kind: 'send',
      previous: null,
      current: { version: v1 + 1, event: { event: 'at 2' } },
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await one.put(entry('h1', 3));
    const next = await two.claimPush('h1', 50);
    expect(next).toMatchObject({
      kind: 'send',
      previous: { version: v1 + 1, event: { event: 'at 2' } },
      current: { version: v1 + 2, event: { event: 'at 3' } },
    });
    expect(next.kind === 'send' && Object.isFrozen(next.current)).toBe(true);
    await one.clear();
  });
});

/** Three server processes on one Postgres database and one Redis, as behind a venue's proxy. */
describe('live standings with three server processes on Postgres and Redis', () => {
  let processes: Processes<3>;
  let apps: FastifyInstance[];
  let livePrefix: string;
  let seed: Seeded;

  beforeAll(async () => {
    processes = await startProcesses(3);
    ({ apps, livePrefix } = processes);
    seed = await seedCompetition(processes.apps[0]);
  });
  afterAll(() => processes.close());

  const settle = () => Promise.all(apps.map((a) => a.live.settle()));
  const mark = (app: FastifyInstance, judge: number, workstation: string, value: string) =>
    app.inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/marks`,
      headers: bearer(seed.tokens.judge(judge)),
      payload: { id: randomUUID(), workstation, item: 'assemblyQuality', value },
    });

  it('loses nothing when marks for one competitor reach all three processes at the same moment', async () => {
    // Five judges mark A01 and A02 several times over, each request sent to a different process.
    const requests = [];
    for (let round = 0; round < 4; round++) {
      for (let judge = 0; judge < 5; judge++) {
        for (const workstation of ['A01', 'A02']) {
          const app = apps[(round + judge) % 3] as FastifyInstance;
          requests.push(mark(app, judge, workstation, String(30 + ((round * 7 + judge * 3) % 20))));
        }
      }
    }
    const answers = await Promise.all(requests);
    expect(answers.map((a) => a.statusCode)).toEqual(Array(requests.length).fill(201));
    await settle();
    const [first] = apps as [FastifyInstance];
    const truth = await snapshotRound(first.db, seed.competition.id, seed.round.id);
    for (const app of apps) {
      const live = await app.live.store.get(seed.round.id);
      expect(live?.event.standings.map((s) => [s.competitor, s.rank, s.total])).toEqual(
        truth.event.standings.map((s) => [s.competitor, s.rank, s.total]),
      );
      expect(live?.sourceVersion).toBe(truth.sourceVersion);
    }
    expect(await first.live.check()).toEqual([]);
  });

  it('names what is missing after Redis loses its data, and is exact again after a rebuild', async () => {
    const [first, second] = apps as [FastifyInstance, FastifyInstance];
    const redis = new Redis(testRedisUrl);
    const keys = await redis.keys(`${livePrefix}*`);
    await redis.del(...keys);
    await redis.quit();
    const differences = await first.live.check();
    expect(differences).toContain(`round ${seed.round.id}: missing from the live store`);
    await second.live.rebuild();
    // A ranking out of order in Redis is named too.
    const order = await first.live.store.ranking(seed.round.id);
    expect(order.length).toBeGreaterThan(1);
    const writer = new Redis(testRedisUrl);
    await writer.zadd(`${livePrefix}round:${seed.round.id}:ranking`, -1, order.at(-1) as string);
    await writer.quit();
    expect((await first.live.check()).join('\n')).toMatch(
      new RegExp(`round ${seed.round.id}: ranking ${order.at(-1)} `),
    );
    await second.live.rebuild();
    expect(await first.live.check()).toEqual([]);
    const live = await first.live.store.get(seed.round.id);
    expect(live?.event.standings.length).toBeGreaterThan(0);
  });

  it('rebuilds every round by itself after Redis loses its data (FLUSHALL), at the next mark', async () => {
    const [first, second] = apps as [FastifyInstance, FastifyInstance];
    // A second competition no one touches afterwards: it must come back too.
    const other = await seedCompetition(first);
    await first.live.refresh(other.competition.id, other.round.id);
    expect(await first.live.check()).toEqual([]);
    // FLUSHALL, limited to this test's keys so that tests running beside it keep theirs.
    const redis = new Redis(testRedisUrl);
    await redis.del(...(await redis.keys(`${livePrefix}*`)));
    await redis.quit();
    expect(await first.live.check()).toContain(`round ${other.round.id}: missing from the live store`);

    const res = await second.inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/marks`,
      headers: bearer(seed.tokens.judge(4)),
      payload: { id: randomUUID(), workstation: 'A04', item: 'assemblyQuality', value: '33' },
    });
    expect(res.statusCode).toBe(201);
    for (const app of apps) await app.live.settle();
    expect(await first.live.check()).toEqual([]);
    expect((await first.live.store.get(other.round.id))?.roundId).toBe(other.round.id);
  });

  it('follows sign-off from any process', async () => {
    const [, , third] = apps as [FastifyInstance, FastifyInstance, FastifyInstance];
    const res = await third.inject({
      method: 'POST',
      url: `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/sign-off`,
      headers: bearer(seed.tokens.chiefJudge),
      payload: { confirm: true, force: true, reason: '演示：强制签字' },
    });
    expect(res.statusCode).toBe(200);
    await settle();
    expect((await third.live.store.get(seed.round.id))?.status.signedOff).toBe(true);
    expect(await third.live.check()).toEqual([]);
  });
});
