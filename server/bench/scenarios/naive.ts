/**
 * naive: our server against what a quick build would do (bench/naive-server.ts: store the mark, recompute the
 * round's standings with one SQL query, send the whole board to every spectator, on every mark), at the same
 * audience (`--spectators`, 2,000 for the target) and the same judges (8 rounds × 5 tablets, one mark
 * at a time each, as fast as acknowledged), one after the other on the same Postgres database, each server a
 * child process on CPU 1, the generator and its raw Engine.IO spectators on CPU 0. Our spectators are spread
 * over the rounds (each follows one round); the naive build sends every board to all of them.
 * `ratio` = ours / naive marks per second.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import postgres from 'postgres';
import { type MarkingResult, markAsFastAsAcknowledged } from '../harness/judges';
import { type BenchReport, percentiles, round1, type ScenarioOptions } from '../harness/report';
import {
  type BenchBackend,
  type BenchServer,
  createBackend,
  pinGenerator,
  spawnNodeServer,
  spawnServer,
} from '../harness/server';
import { connectSpectators } from '../harness/spectators';
import { type BenchVenue, openBenchVenue, PANEL } from '../harness/venue';
import { type LiveVerdict, verifyLiveView, verifyRun } from '../harness/verify';

interface Leg {
  run: MarkingResult;
  frames: number;
  joined: number;
  generatorCpu: number;
  serverCpu: number | null;
}

/** Warm-up, then `count` spectators join (rounds in turn), then the judges mark for `seconds`. */
async function leg(
  server: BenchServer,
  venue: BenchVenue,
  options: ScenarioOptions,
): Promise<Leg & { warm: MarkingResult }> {
  const warm = await markAsFastAsAcknowledged(server.url, venue, { seconds: 2, maxMarks: 200 });
  const spectators = await connectSpectators(server.url, {
    count: options.spectators,
    join: (i) => ({
      competitionId: venue.competitionId,
      roundId: venue.rounds[i % venue.rounds.length]?.roundId ?? '',
    }),
  });
  try {
    const joined = spectators.joined();
    const framesBefore = spectators.frames();
    const serverBefore = server.cpuMs();
    const cpu = process.cpuUsage();
    const run = await markAsFastAsAcknowledged(server.url, venue, {
      seconds: options.seconds,
      maxMarks: options.smoke ? 2_000 : 1_500 * options.seconds,
    });
    const used = process.cpuUsage(cpu);
    const serverAfter = server.cpuMs();
    return {
      warm,
      run,
      joined,
      frames: spectators.frames() - framesBefore,
      generatorCpu: ((used.user + used.system) / 1000 / run.wallMs) * 100,
      serverCpu:
        serverBefore !== null && serverAfter !== null
          ? ((serverAfter - serverBefore) / run.wallMs) * 100
          : null,
    };
  } finally {
    spectators.close();
  }
}

async function ours(backend: BenchBackend, options: ScenarioOptions) {
  const server = await spawnServer(backend);
  let result: Leg & { warm: MarkingResult };
  let competitionId: string;
  let live: LiveVerdict;
  try {
    const venue = await openBenchVenue(server.url, backend, {
      rounds: options.smoke ? 2 : 8,
      competitors: options.smoke ? 5 : 30,
    });
    competitionId = venue.competitionId;
    result = await leg(server, venue, options);
    await venue.close();
    live = await verifyLiveView(backend);
  } finally {
    await server.stop();
  }
  const verdict = await verifyRun(
    backend,
    [competitionId],
    {
      acknowledged: [...result.warm.acknowledged, ...result.run.acknowledged],
      refused: [...result.warm.refused, ...result.run.refused],
    },
    live,
  );
  return { ...result, verdict, liveSettleMs: live.settleMs };
}

/** The naive build's venue: its own round ids, workstation codes A01…, and tokens that name the judges. */
function naiveVenue(options: ScenarioOptions): BenchVenue {
  const rounds = options.smoke ? 2 : 8;
  const competitors = options.smoke ? 5 : 30;
  return {
    competitionId: randomUUID(),
    rounds: Array.from({ length: rounds }, (_, r) => ({
      roundId: randomUUID(),
      codes: Array.from({ length: competitors }, (_, c) => `A${String(c + 1).padStart(2, '0')}`),
      judges: Array.from({ length: PANEL }, (_, j) => `R${r + 1}J${j + 1}`),
    })),
    close: async () => {},
  };
}

async function naive(backend: BenchBackend, options: ScenarioOptions) {
  const databaseUrl = backend.databaseUrl ?? '';
  const server = await spawnNodeServer('bench/naive-server.ts', { env: { DATABASE_URL: databaseUrl } });
  let result: Leg & { warm: MarkingResult };
  try {
    result = await leg(server, naiveVenue(options), options);
  } finally {
    await server.stop();
  }
  // Its own check: every acknowledged id is in its table (the primary key makes a second row impossible).
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const acknowledged = [...result.warm.acknowledged, ...result.run.acknowledged];
    const [row] = await sql<{ n: number }[]>`
      select count(*)::int as n from naive_marks where id = any(${acknowledged}::uuid[])`;
    return { ...result, lost: acknowledged.length - (row?.n ?? 0) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const rate = (run: MarkingResult) => (run.acknowledged.length * 1000) / run.wallMs;

export async function run(options: ScenarioOptions): Promise<BenchReport> {
  const loadAtStart = loadavg()[0] ?? 0;
  const pinned = pinGenerator();
  const backend = await createBackend();
  try {
    const our = await ours(backend, options);
    const peer = await naive(backend, options);
    const oursRate = rate(our.run);
    const naiveRate = rate(peer.run);
    const naiveAck = percentiles(peer.run.ackMs);
    return {
      scenario: 'naive',
      marksPerSecond: round1(oursRate),
      bareInsertPerSecond: null,
      ratio: naiveRate > 0 ? Math.round((oursRate / naiveRate) * 100) / 100 : null,
      ackMs: percentiles(our.run.ackMs),
      lastSpectatorMs: null,
      spectators: options.spectators,
      bareBroadcastMs: null,
      rssPerSpectatorKB: null,
      lost: our.verdict.lost + peer.lost,
      duplicates: our.verdict.duplicates,
      generatorCpu: round1(our.generatorCpu),
      liveViewMatches: our.verdict.liveViewMatches,
      loadAverage: [loadAtStart, 0],
      extra: {
        naiveMarksPerSecond: round1(naiveRate),
        naiveAckP50: round1(naiveAck?.p50 ?? null),
        naiveAckP99: round1(naiveAck?.p99 ?? null),
        naiveGeneratorCpu: round1(peer.generatorCpu),
        naiveServerCpu: round1(peer.serverCpu),
        naiveFramesPerSecond: round1((peer.frames * 1000) / peer.run.wallMs),
        naiveSpectatorsJoined: peer.joined,
        serverCpu: round1(our.serverCpu),
        framesPerSecond: round1((our.frames * 1000) / our.run.wallMs),
        spectatorsJoined: our.joined,
        auditChainOk: our.verdict.auditChainOk,
        liveSettleMs: round1(our.liveSettleMs),
        pinned,
      },
      notes: [
        '`ratio` here is ours / the naive build, marks per second at the same audience and judges.',
        'Frames per second: every frame all spectators received together during the marking (pings excluded).',
        ...[...our.run.problems, ...peer.run.problems].map((p) => `unexpected answer ${p}`),
        ...our.verdict.differences.map((d) => `live view differs: ${d}`),
      ],
    };
  } finally {
    await backend.close();
  }
}
