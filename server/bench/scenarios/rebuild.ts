/**
 * rebuild: the live view of a competition's marks rebuilt from Postgres into Redis (issue 14: 100,000 marks in
 * under 3 s), as a process does at start-up or after Redis lost its data. A bench venue of 10 rounds (smoke:
 * 2), 5 competitors each, is set up through the API; each round's field is then filled to 2,000 (smoke: 20) and
 * every seated judge's mark written straight into Postgres (5 per competitor: 100,000), since adding
 * competitors one request at a time would take most of an hour and sending marks through the mark path is
 * what `burst` measures. Each repetition empties Redis and rebuilds with a fresh live state (nothing kept from the one
 * before), then one round is recomputed alone; the run ends with the live view compared to a recomputation.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { count, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { openDatabase } from '../../src/db/client';
import { competitors, marks, rounds, workstations } from '../../src/db/schema';
import { RedisLiveStore } from '../../src/live/redis-store';
import { createLiveState } from '../../src/live/service';
import { loadRound } from '../../src/scoring/round';
import { roundView } from '../../src/scoring/round-view';
import { type BenchReport, round1, type ScenarioOptions } from '../harness/report';
import { createBackend, spawnServer } from '../harness/server';
import { BENCH_ITEM, openBenchVenue } from '../harness/venue';

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function run(options: ScenarioOptions): Promise<BenchReport> {
  const loadAtStart = loadavg()[0] ?? 0;
  const size = options.smoke ? { rounds: 2, competitors: 20 } : { rounds: 10, competitors: 2_000 };
  const repetitions = options.smoke ? 1 : 3;
  const backend = await createBackend();
  const { databaseUrl, redisUrl } = backend;
  if (!databaseUrl || !redisUrl) throw new Error('the rebuild scenario needs Postgres and Redis');
  try {
    const setupStart = performance.now();
    const server = await spawnServer(backend);
    let competitionId: string;
    let roundIds: string[];
    try {
      const venue = await openBenchVenue(server.url, backend, { rounds: size.rounds, competitors: 5 });
      competitionId = venue.competitionId;
      roundIds = venue.rounds.map((r) => r.roundId);
      await venue.close();
    } finally {
      await server.stop();
    }
    const setupMs = performance.now() - setupStart;

    const handle = await openDatabase({ url: databaseUrl });
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
    try {
      // The rest of each round's field, drawn to workstations as the draw does (the scoring reads only those).
      for (const roundId of roundIds) {
        const [round] = await handle.db
          .select({ eventId: rounds.eventId })
          .from(rounds)
          .where(eq(rounds.id, roundId));
        const more = Array.from({ length: size.competitors - 5 }, (_, i) => ({
          competitionId,
          eventId: round?.eventId ?? '',
          name: `补-${i + 1}`,
          unit: `单位 ${i % 97}`,
          region: '—',
          frontline: true,
          unionMember: true,
        }));
        for (let i = 0; i < more.length; i += 1_000) {
          const added = await handle.db
            .insert(competitors)
            .values(more.slice(i, i + 1_000))
            .returning({ id: competitors.id });
          await handle.db.insert(workstations).values(
            added.map((c, k) => ({
              roundId,
              competitorId: c.id,
              code: `Z${String(i + k).padStart(5, '0')}`,
            })),
          );
        }
      }
      // Every seat of every competitor's panel marks the bench item once, as the judges would have.
      let written = 0;
      for (const roundId of roundIds) {
        const view = await roundView(handle.db, await loadRound(handle.db, competitionId, roundId));
        const rows = view.competitors.flatMap((competitor) =>
          view.slots(BENCH_ITEM, competitor.id).flatMap((slot, seat) =>
            slot.judgeId === null
              ? []
              : [
                  {
                    id: randomUUID(),
                    roundId,
                    competitorId: competitor.id,
                    item: BENCH_ITEM,
                    judgeId: slot.judgeId,
                    value: String(((written + seat * 7) % 101) / 2),
                    source: 'tablet',
                    enteredBy: slot.judgeId,
                    bodyHash: 'bench-rebuild',
                  },
                ],
          ),
        );
        for (let i = 0; i < rows.length; i += 5_000)
          await handle.db.insert(marks).values(rows.slice(i, i + 5_000));
        written += rows.length;
      }
      const [stored] = await handle.db.select({ n: count() }).from(marks);

      const rebuildMs: number[] = [];
      const rebuildCpuMs: number[] = [];
      const roundMs: number[] = [];
      const store = new RedisLiveStore(redis, { prefix: 'jx:rebuild:' });
      for (let i = 0; i < repetitions; i++) {
        await store.clear();
        const live = createLiveState(handle.db, store);
        const cpu = process.cpuUsage();
        const start = performance.now();
        const rebuilt = await live.rebuild();
        rebuildMs.push(performance.now() - start);
        const used = process.cpuUsage(cpu);
        rebuildCpuMs.push((used.user + used.system) / 1000);
        if (rebuilt !== roundIds.length) throw new Error(`rebuilt ${rebuilt} rounds of ${roundIds.length}`);
        // One round alone, with its setup kept from the rebuild (as after a mark): the marks read and scored.
        const one = roundIds[0] ?? '';
        const oneStart = performance.now();
        await live.refresh(competitionId, one);
        roundMs.push(performance.now() - oneStart);
      }
      const differences = await createLiveState(handle.db, store).check();
      const [firstRound] = await handle.db
        .select({ key: rounds.key })
        .from(rounds)
        .where(eq(rounds.id, roundIds[0] ?? ''));
      return {
        scenario: 'rebuild',
        marksPerSecond: null,
        bareInsertPerSecond: null,
        ratio: null,
        ackMs: null,
        lastSpectatorMs: null,
        spectators: 0,
        bareBroadcastMs: null,
        rssPerSpectatorKB: null,
        lost: Math.max(0, written - (stored?.n ?? 0)),
        duplicates: Math.max(0, (stored?.n ?? 0) - written),
        generatorCpu: null,
        liveViewMatches: differences.length === 0,
        loadAverage: [loadAtStart, 0],
        extra: {
          marks: written,
          rounds: roundIds.length,
          competitorsPerRound: size.competitors,
          rebuildMsMedian: round1(median(rebuildMs)),
          rebuildMsMin: round1(Math.min(...rebuildMs)),
          rebuildMsMax: round1(Math.max(...rebuildMs)),
          rebuildCpuMsMedian: round1(median(rebuildCpuMs)),
          marksRebuiltPerSecond: Math.round((written * 1000) / median(rebuildMs)),
          oneRoundMsMedian: round1(median(roundMs)),
          repetitions,
          setupMs: round1(setupMs),
        },
        notes: [
          `${roundIds.length} rounds (${firstRound?.key ?? '?'}) × ${size.competitors} competitors × 5 judges' marks ` +
            'written straight into Postgres after an API set-up; each repetition: Redis emptied, a fresh live state, ' +
            'rebuild() timed in this process (Postgres and Redis local), then one round recomputed alone.',
          ...differences.slice(0, 5).map((d) => `live view differs: ${d}`),
        ],
      };
    } finally {
      await redis.quit();
      await handle.close();
    }
  } finally {
    await backend.close();
  }
}
