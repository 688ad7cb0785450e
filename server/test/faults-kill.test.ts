import { describe, expect, it } from 'vitest';
import {
  expectChainVerifies,
  expectEveryMarkOnce,
  expectLiveEqualsRecomputation,
  expectOnlyRetryableRefusals,
  faultBed,
  judgesMark,
  planMarks,
  recordCounts,
  type ServerProcess,
  seedRound,
  startServerProcess,
} from './faults-support';

/**
 * A server process killed (SIGKILL, as a power cut) at each point of a mark's way while five judges keep
 * submitting: before its transaction commits, after the commit before the live view hears of it, and after
 * the live view is updated before the HTTP reply. The tablets retry with the same ids against the restarted
 * process; every mark is stored once, every replay answers the same sequence number, the live view equals
 * Postgres' recomputation and the audit chain verifies.
 */
describe('a server process killed in the middle of a mark', () => {
  const bed = faultBed();

  const points = [
    ['before-commit', 'SIGKILL before the mark’s transaction commits'],
    ['after-commit', 'SIGKILL after the commit, before the live update'],
    ['after-live', 'SIGKILL after the live update, before the HTTP reply'],
  ] as const;

  it.each(points)(
    'loses and doubles nothing when killed at %s',
    async (point, fault) => {
      const { app, redis } = bed;
      const { seed, codes } = await seedRound(app);
      const settings = await bed.settings();
      // Killed at its 37th pass of the point: well into the burst, with marks of every judge in flight.
      let server: ServerProcess = await startServerProcess({ ...settings, fault: `${point}:37` });
      const killed: (NodeJS.Signals | null)[] = [];
      const restarted = server.exited.then(async (signal) => {
        killed.push(signal);
        server = await startServerProcess(settings);
      });

      const plan = planMarks(codes);
      const outcomes = await judgesMark(() => server.url, seed, plan, { retryMs: 100 });
      await restarted;
      try {
        expect(killed).toEqual(['SIGKILL']);
        // The judges whose marks were in flight saw no answer, and retried.
        const unanswered = outcomes.filter((o) => o.refusals.some((r) => r.startsWith('no answer')));
        expect(unanswered.length).toBeGreaterThan(0);
        // The killed mark itself: rolled back (stored by its retry, 201), or committed (its retry a replay, 200).
        expect(unanswered.map((o) => o.status)).toContain(point === 'before-commit' ? 201 : 200);
        expectOnlyRetryableRefusals(outcomes, []);
        const counts = await expectEveryMarkOnce(app, () => server.url, seed, outcomes);
        expect(counts).toMatchObject({
          sent: plan.length,
          acknowledged: plan.length,
          stored: plan.length,
          lost: 0,
        });
        await expectLiveEqualsRecomputation(app, redis.url);
        await expectChainVerifies(app, seed.competition.id);
        await recordCounts(`kill-${point}`, fault, counts);
      } finally {
        await server.stop();
      }
    },
    240_000,
  );
});
