import { io } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectChainVerifies,
  expectEveryMarkOnce,
  expectLiveEqualsRecomputation,
  expectOnlyRetryableRefusals,
  faultBed,
  judgesMark,
  planMarks,
  recordCounts,
  seedRound,
  sleep,
} from './faults-support';
import { follow, join, type LiveClient } from './realtime-support';

/** How long Redis stays away (issue 15: 30 s); FAULT_OUTAGE_SECONDS shortens it while working on the test. */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_SECONDS ?? 30) * 1000;

/**
 * Redis stopped for 30 s mid-round and restarted empty, under two server processes with screens on each:
 * judges' marks keep being accepted throughout (Postgres is the truth; the live view follows it), and
 * afterwards the live view and every screen resynchronise to Postgres' recomputation.
 */
describe('Redis stopped and restarted empty in the middle of a round', () => {
  const bed = faultBed({ processes: 2 });
  const screens: LiveClient[] = [];
  afterAll(() => {
    for (const screen of screens) screen.close();
  });

  it('keeps taking marks while Redis is away, then brings the live view and every screen back to Postgres', async () => {
    const { app, redis, servers } = bed;
    const { seed, codes } = await seedRound(app);
    const urls = servers.map((s) => s.url);
    const views = [];
    for (const url of [...urls, ...urls]) {
      const screen: LiveClient = io(url, {
        transports: ['websocket'],
        auth: { token: seed.tokens.chiefJudge },
        reconnectionDelay: 200,
        reconnectionDelayMax: 1000,
        randomizationFactor: 0,
      });
      screens.push(screen);
      const view = follow(screen, seed);
      await new Promise<void>((resolve) => screen.once('connect', () => resolve()));
      await view.join();
      screen.io.on('reconnect', () => void view.join());
      views.push({ screen, view });
    }

    const plan = planMarks(codes);
    const perJudge = plan.length / 5;
    // Spread over the outage and some seconds either side, each judge on one of the two processes.
    const judging = judgesMark(() => urls[0] ?? '', seed, plan, {
      pauseMs: Math.round((OUTAGE_MS + 12_000) / perJudge),
      retryMs: 500,
      urlOf: (judge) => urls[judge % 2] ?? '',
    });
    await sleep(3000);
    await redis.stop();
    const stoppedAt = Date.now();
    await sleep(OUTAGE_MS);
    await redis.start();
    const restartedAt = Date.now();

    const outcomes = await judging;
    // Marks were taken while Redis was away: acknowledged then, not only retried after.
    const stored = await app.db.query.marks.findMany({ columns: { id: true, createdAt: true } });
    const during = stored.filter(
      (m) => m.createdAt.getTime() > stoppedAt + 1000 && m.createdAt.getTime() < restartedAt - 1000,
    );
    expect(during.length).toBeGreaterThan(10);
    expectOnlyRetryableRefusals(outcomes, []);
    const counts = await expectEveryMarkOnce(app, () => urls[0] ?? '', seed, outcomes);
    expect(counts).toMatchObject({
      sent: plan.length,
      acknowledged: plan.length,
      stored: plan.length,
      lost: 0,
    });

    await expectLiveEqualsRecomputation(app, redis.url);
    for (const { screen, view } of views) {
      const truth = JSON.stringify((await join(screen, seed)).standings);
      await expect
        .poll(() => screen.connected && JSON.stringify(view.state?.standings), { timeout: 30_000 })
        .toBe(truth);
    }
    await expectChainVerifies(app, seed.competition.id);
    await recordCounts('redis-away', `Redis stopped for ${OUTAGE_MS / 1000} s, restarted empty`, counts);
  }, 300_000);
});
