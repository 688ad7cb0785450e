import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rounds } from '../src/db/schema';
import {
  expectChainVerifies,
  expectEveryMarkOnce,
  expectLiveEqualsRecomputation,
  expectOnlyRetryableRefusals,
  faultBed,
  judgesMark,
  planMarks,
  postMark,
  recordCounts,
  type ServerProcess,
  seedRound,
  sleep,
} from './faults-support';

/** How long Postgres stays away (issue 15: 30 s); FAULT_OUTAGE_SECONDS shortens it while working on the test. */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_SECONDS ?? 30) * 1000;

/**
 * Postgres unavailable for 30 s mid-round while five judges mark: every mark is refused with a retryable 503
 * (storage_unavailable, Retry-After), none half-applied to the live view; once Postgres is back every mark
 * arrives once, the live view equals the recomputation and the audit chain verifies.
 */
describe('Postgres unavailable in the middle of a round', () => {
  const bed = faultBed({ processes: 1, ownPostgres: true });

  it('refuses marks with a retryable 503 while it is away, and takes every one once it is back', async () => {
    const { app, redis, servers } = bed;
    const [server] = servers as [ServerProcess];
    const postgres = bed.postgres as NonNullable<typeof bed.postgres>;
    const { seed, codes } = await seedRound(app);
    const plan = planMarks(codes);
    const judging = judgesMark(() => server.url, seed, plan, {
      pauseMs: 200,
      retryMs: 1000,
      giveUpMs: OUTAGE_MS + 120_000,
    });
    await sleep(1500);

    const liveKey = `jx:live:round:${seed.round.id}`;
    const { Redis } = await import('ioredis');
    const watcher = new Redis(redis.url);
    await postgres.stop();
    const during: string[] = [];
    try {
      const frozen = await watcher.hget(liveKey, 'sourceVersion');
      // A mark sent while Postgres is away: refused, retryably, in words a tablet (and a person) understands.
      const refused = await postMark(() => server.url, seed, {
        id: crypto.randomUUID(),
        judge: 0,
        workstation: 'A01',
        value: '30',
      });
      expect(refused.status, `${refused.body} ${server.stderr()}`).toBe(503);
      expect(refused.retryAfter).toMatch(/^\d+$/);
      expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'storage_unavailable' } });
      await sleep(OUTAGE_MS);
      // Nothing reached the live view while nothing could be stored.
      during.push(String(await watcher.hget(liveKey, 'sourceVersion')));
      expect(during).toEqual([String(frozen)]);
    } finally {
      await postgres.start();
      watcher.disconnect();
    }

    const outcomes = await judging;
    const refusedWhileAway = outcomes.filter((o) =>
      o.refusals.some((r) => r.includes('storage_unavailable')),
    );
    expect(refusedWhileAway.length).toBeGreaterThan(0);
    expectOnlyRetryableRefusals(outcomes, ['storage_unavailable']);
    const counts = await expectEveryMarkOnce(app, () => server.url, seed, outcomes);
    expect(counts).toMatchObject({
      sent: plan.length,
      acknowledged: plan.length,
      stored: plan.length,
      lost: 0,
    });
    // The round row is still there and the process took marks again without a restart.
    expect((await app.db.select({ n: sql<number>`count(*)` }).from(rounds))[0]?.n).toBeDefined();
    await expectLiveEqualsRecomputation(app, redis.url);
    await expectChainVerifies(app, seed.competition.id);
    await recordCounts('postgres-away', `Postgres stopped for ${OUTAGE_MS / 1000} s mid-round`, counts);
  }, 300_000);
});
