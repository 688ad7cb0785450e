/**
 * burst: judges marking as fast as the server acknowledges (issue 14's mark target). The real server in a
 * child process on Postgres and Redis (CPU 1), 8 rounds × 5 judges' tablets posting one mark at a time each
 * (40 in flight) for `--seconds` (or, with `--rate N`, N marks a second from all of them together), then in the same run postgres.js's bare durable inserts on the same
 * database; the ratio is the first over the second. A second row: the embedded default (PGlite, the live view
 * in process), for the same time. Each row ends with the run's verification (harness/verify.ts).
 *
 * BENCH_CPU_PROF=<folder> writes the server's CPU profile there (`node --cpu-prof`) and summarises the
 * measured phase's samples.
 */
import { loadavg } from 'node:os';
import { bareInsertsPerSecond } from '../harness/bare';
import { markAsFastAsAcknowledged } from '../harness/judges';
import { profileClock, summariseProfiles } from '../harness/profile';
import { type BenchReport, percentiles, round1, type ScenarioOptions } from '../harness/report';
import { createBackend, pinGenerator, spawnServer } from '../harness/server';
import { openBenchVenue } from '../harness/venue';
import { type LiveVerdict, verifyLiveView, verifyRun } from '../harness/verify';

interface Row {
  marksPerSecond: number;
  /** Last acknowledgement → the live view equal to the recomputation, ms (null: embedded). */
  liveSettleMs: number | null;
  ackMs: number[];
  acknowledged: number;
  unanswered: number;
  refused: number;
  serverCpu: number | null;
  generatorCpu: number;
  bare: number | null;
  lost: number;
  duplicates: number;
  auditChainOk: boolean;
  liveViewMatches: boolean | null;
  notes: string[];
}

async function burstRow(embedded: boolean, options: ScenarioOptions): Promise<Row> {
  const backend = await createBackend({ embedded });
  const profileDir = process.env.BENCH_CPU_PROF;
  try {
    const server = await spawnServer(backend, profileDir ? { profileDir } : {});
    let row: Omit<Row, 'lost' | 'duplicates' | 'auditChainOk' | 'liveViewMatches' | 'liveSettleMs'>;
    let competitionId: string;
    let ledger: { acknowledged: string[]; refused: string[] };
    const window: [number, number] = [0, 0];
    let live: LiveVerdict | undefined;
    try {
      const venue = await openBenchVenue(server.url, backend, {
        rounds: options.smoke ? 2 : 8,
        competitors: options.smoke ? 5 : 30,
      });
      competitionId = venue.competitionId;
      // Warm-up, not measured: the JIT, the pools, the first recomputation of each round.
      const warm = await markAsFastAsAcknowledged(server.url, venue, { seconds: 2, maxMarks: 400 });
      const serverBefore = server.cpuMs();
      window[0] = profileClock();
      const cpu = process.cpuUsage();
      const run = await markAsFastAsAcknowledged(server.url, venue, {
        seconds: options.seconds,
        maxMarks: options.smoke ? 3_000 : 3_000 * options.seconds,
        ...(options.rate ? { rate: options.rate } : {}),
      });
      const used = process.cpuUsage(cpu);
      window[1] = profileClock();
      const serverAfter = server.cpuMs();
      await venue.close();
      live = await verifyLiveView(backend);
      ledger = {
        acknowledged: [...warm.acknowledged, ...run.acknowledged],
        refused: [...warm.refused, ...run.refused],
      };
      row = {
        marksPerSecond: (run.acknowledged.length * 1000) / run.wallMs,
        ackMs: run.ackMs,
        acknowledged: run.acknowledged.length,
        unanswered: run.unanswered,
        refused: run.refused.length,
        serverCpu:
          serverBefore !== null && serverAfter !== null
            ? ((serverAfter - serverBefore) / run.wallMs) * 100
            : null,
        generatorCpu: ((used.user + used.system) / 1000 / run.wallMs) * 100,
        bare: backend.databaseUrl
          ? await bareInsertsPerSecond(backend.databaseUrl, Math.min(options.seconds, 5))
          : null,
        notes: [...warm.problems, ...run.problems].map((p) => `unexpected answer ${p}`),
      };
    } finally {
      await server.stop();
    }
    const verdict = await verifyRun(backend, [competitionId], ledger, live);
    if (profileDir) row.notes.push(...summariseProfiles(profileDir, 15, window));
    return {
      ...row,
      liveSettleMs: live?.settleMs ?? null,
      lost: verdict.lost,
      duplicates: verdict.duplicates,
      auditChainOk: verdict.auditChainOk,
      liveViewMatches: verdict.liveViewMatches,
      notes: [...row.notes, ...verdict.differences.map((d) => `live view differs: ${d}`)],
    };
  } finally {
    await backend.close();
  }
}

export async function run(options: ScenarioOptions): Promise<BenchReport> {
  const loadAtStart = loadavg()[0] ?? 0;
  const pinned = pinGenerator();
  const pg = await burstRow(false, options);
  const embedded = await burstRow(true, options);
  const embeddedAck = percentiles(embedded.ackMs);
  return {
    scenario: 'burst',
    marksPerSecond: round1(pg.marksPerSecond),
    bareInsertPerSecond: round1(pg.bare),
    ratio: pg.bare ? Math.round((pg.marksPerSecond / pg.bare) * 1000) / 1000 : null,
    ackMs: percentiles(pg.ackMs),
    lastSpectatorMs: null,
    spectators: 0,
    bareBroadcastMs: null,
    rssPerSpectatorKB: null,
    lost: pg.lost + embedded.lost,
    duplicates: pg.duplicates + embedded.duplicates,
    generatorCpu: round1(pg.generatorCpu),
    liveViewMatches: pg.liveViewMatches,
    loadAverage: [loadAtStart, 0],
    extra: {
      acknowledged: pg.acknowledged,
      refused: pg.refused,
      unanswered: pg.unanswered,
      serverCpu: round1(pg.serverCpu),
      auditChainOk: pg.auditChainOk && embedded.auditChainOk,
      liveSettleMs: round1(pg.liveSettleMs),
      embeddedMarksPerSecond: round1(embedded.marksPerSecond),
      embeddedAckP50: round1(embeddedAck?.p50 ?? null),
      embeddedAckP99: round1(embeddedAck?.p99 ?? null),
      embeddedAcknowledged: embedded.acknowledged,
      embeddedLost: embedded.lost,
      embeddedDuplicates: embedded.duplicates,
      embeddedServerCpu: round1(embedded.serverCpu),
      embeddedGeneratorCpu: round1(embedded.generatorCpu),
      pinned,
    },
    notes: [
      `Postgres + Redis: 1 server process ${pinned ? 'on CPU 1, the generator on CPU 0' : '(no taskset: not pinned)'}; ` +
        `${options.smoke ? '2 rounds × 5' : '8 rounds × 5'} judges' tablets, one mark at a time each` +
        `${options.rate ? `, ${options.rate} marks a second from all together (the ack measured from each send)` : ', as fast as acknowledged'}; ` +
        'the embedded row: PGlite in a throwaway folder, the live view in process (not compared after the stop: it lived in its memory).',
      ...pg.notes,
      ...embedded.notes.map((n) => `embedded: ${n}`),
    ],
  };
}
