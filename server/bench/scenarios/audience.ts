/**
 * audience: `--spectators` light spectators (default 1,000) follow one round's public room while its five
 * judges mark at a steady 10 marks a second. Measured in the same run, one after the other on the same CPUs
 * (servers on CPU 1, the generator on CPU 0):
 * - bare: a bare Socket.IO server broadcasting ~200 B at the same rate to the same number of light clients
 *   (send → last client), and its RSS growth per client;
 * - ours: a mark's acknowledgement → the last spectator holding a round version that contains it (the first
 *   version whose live entry was computed at or after the audit position the mark's commit reached: the
 *   bench samples the live store's version and source in Redis), and the server's RSS growth per spectator;
 * - a reconnect storm: every connection dropped at once, each back after socket.io-client's randomised
 *   delay (0.5–1.5 s), recovering its session or joining again, until all hold the round's current version.
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { type Audience, bareFanOut, rssKB, startAudience, toLastSpectator } from '../harness/audience';
import { heapAfterCollectionKB } from '../harness/inspector';
import { markAsFastAsAcknowledged } from '../harness/judges';
import { type BenchReport, percentiles, round1, type ScenarioOptions } from '../harness/report';
import {
  type BenchBackend,
  type BenchServer,
  createBackend,
  freePort,
  pinGenerator,
  spawnServer,
} from '../harness/server';
import { type BenchVenue, openBenchVenue } from '../harness/venue';
import { verifyRun } from '../harness/verify';

/** Marks a second, from the round's five judges together. */
export const MARK_RATE = 10;
/** The generator's CPU; the servers (and the bare broadcaster, and nginx) take the other. */
export const GENERATOR_CPU = 0;
export const SERVER_CPU = 1;
/** Live connections one address may hold: every bench spectator comes from 127.0.0.1. */
export const SERVER_ENV = { LIVE_CONNECTIONS_PER_ADDRESS: '100000' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The round's live versions as Redis holds them: each version and the audit position it was computed at. */
function sampleVersions(backend: BenchBackend, roundId: string) {
  const redis = new Redis(backend.redisUrl ?? '', { maxRetriesPerRequest: 3 });
  const seen: { version: number; source: number }[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      // The servers keep their live view under the default prefix (server.ts sets none).
      const [version, source] = await redis.hmget(`jx:live:round:${roundId}`, 'version', 'sourceVersion');
      if (version && seen.at(-1)?.version !== Number(version))
        seen.push({ version: Number(version), source: Number(source) });
      await sleep(2);
    }
  })();
  return {
    /** The first version computed at or after `position` (null: none yet). */
    containing: (position: number) => seen.find((s) => s.source >= position)?.version ?? null,
    current: () => seen.at(-1)?.version ?? 0,
    async stop() {
      running = false;
      await done;
      redis.disconnect();
    },
  };
}

export interface FanOut {
  lastSpectatorMs: number[];
  /** Acknowledged marks no version reached every spectator with. */
  missed: number;
  rssPerSpectatorKB: number;
  /** Heap and external memory after a full collection, per spectator (null: a server without an inspector). */
  heapPerSpectatorKB: number | null;
  connectErrors: number;
  ready: number;
  generatorCpu: number;
  /** The servers' CPU while the judges marked, percent of one core (all processes together). */
  serverCpu: number;
  reconnectSeconds: number;
  stormBehind: number;
  stormErrors: number;
  acknowledged: string[];
  refused: string[];
  ackMs: number[];
  marksPerSecond: number;
}

/**
 * Our fan-out: `count` spectators join the round through `origin` (a server or the proxy), the judges mark
 * at MARK_RATE for `seconds` through `markUrl`, then the storm. `servers`: their pids, for RSS.
 */
export async function ourFanOut(
  audience: Audience,
  backend: BenchBackend,
  venue: BenchVenue,
  options: {
    origin: string;
    markUrl: string;
    servers: BenchServer[];
    count: number;
    seconds: number;
  },
): Promise<FanOut> {
  const round = venue.rounds[0];
  if (!round) throw new Error('the venue has no round');
  const sql = postgres(backend.databaseUrl ?? '', { max: 1, onnotice: () => {} });
  const versions = sampleVersions(backend, round.roundId);
  try {
    const rss = () => options.servers.reduce((sum, server) => sum + rssKB(server.pid), 0);
    const cpuMs = () => options.servers.reduce((sum, server) => sum + (server.cpuMs() ?? 0), 0);
    // Read through the inspector of each server started with one; null when any was started without.
    const heap = async () => {
      let sum = 0;
      for (const server of options.servers) {
        if (server.inspectPort === null) return null;
        sum += await heapAfterCollectionKB(server.inspectPort);
      }
      return sum;
    };
    // The idle RSS after the collection: the same baseline for both figures.
    const idleHeap = await heap();
    const idle = rss();
    const connected = await audience.connect(
      {
        origin: options.origin.replace(/^http/, 'ws'),
        join: { competitionId: venue.competitionId, roundId: round.roundId },
      },
      options.count,
    );
    const rssPerSpectatorKB = (rss() - idle) / options.count;
    const joinedHeap = await heap();
    const heapPerSpectatorKB =
      idleHeap === null || joinedHeap === null ? null : (joinedHeap - idleHeap) / options.count;
    await audience.cpuPercent();
    const serverCpuBefore = { at: performance.now(), ms: cpuMs() };
    const changes: Promise<{ at: number; position: number }>[] = [];
    const run = await markAsFastAsAcknowledged(options.markUrl, venue, {
      seconds: options.seconds,
      maxMarks: MARK_RATE * options.seconds + 1,
      rate: MARK_RATE,
      onAcknowledged: (_, at) => {
        const wall = performance.timeOrigin + at;
        // The audit position after the answer includes the mark (a later one at worst: counted late, never early).
        changes.push(
          sql<
            { seq: number }[]
          >`select max(seq) as seq from audit_log where competition_id = ${venue.competitionId}`.then(
            ([row]) => ({ at: wall, position: Number(row?.seq ?? 0) }),
          ),
        );
      },
    });
    const generatorCpu = await audience.cpuPercent();
    const serverCpu = ((cpuMs() - serverCpuBefore.ms) / (performance.now() - serverCpuBefore.at)) * 100;
    // Until every spectator holds a version containing the last mark (or 30 s): the last marks' pushes land.
    // The live view may compute that version a push interval after the answer: waited for, not assumed.
    const positions = await Promise.all(changes);
    const last = Math.max(0, ...positions.map((c) => c.position));
    let { arrivals } = await audience.arrivals();
    for (const until = Date.now() + 30_000; Date.now() < until; { arrivals } = await audience.arrivals()) {
      const latest = versions.containing(last);
      if (latest !== null && arrivals.some((a) => a.version >= latest && a.reached >= options.count)) break;
      await sleep(250);
    }
    const contained = positions.map((c) => ({
      at: c.at,
      version: versions.containing(c.position) ?? Number.POSITIVE_INFINITY,
    }));
    const { delays, missed } = toLastSpectator(contained, arrivals, options.count);

    const storm = await audience.storm(versions.current(), 120_000);
    await audience.disconnect();
    return {
      lastSpectatorMs: delays,
      missed,
      rssPerSpectatorKB,
      heapPerSpectatorKB,
      connectErrors: connected.errors,
      ready: connected.ready,
      generatorCpu,
      serverCpu,
      reconnectSeconds: storm.ms / 1000,
      stormBehind: storm.behind,
      stormErrors: storm.errors,
      acknowledged: run.acknowledged,
      refused: run.refused,
      ackMs: run.ackMs,
      marksPerSecond: (run.acknowledged.length * 1000) / run.wallMs,
    };
  } finally {
    await versions.stop();
    await sql.end({ timeout: 5 });
  }
}

/** Whether a process still runs (a restart would show as a process gone). */
export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function run(options: ScenarioOptions): Promise<BenchReport> {
  const loadAtStart = loadavg()[0] ?? 0;
  const pinned = pinGenerator();
  const seconds = options.smoke ? Math.min(options.seconds, 3) : options.seconds;
  const audience = await startAudience(pinned ? GENERATOR_CPU : null);
  const backend = await createBackend();
  try {
    const bare = await bareFanOut(audience, {
      cpu: pinned ? SERVER_CPU : null,
      port: await freePort(),
      count: options.spectators,
      rate: MARK_RATE,
      seconds,
    });
    const server = await spawnServer(backend, {
      cpu: pinned ? SERVER_CPU : null,
      inspect: true,
      env: SERVER_ENV,
    });
    let venue: BenchVenue | null = null;
    let ours: FanOut;
    let restarts = 0;
    try {
      venue = await openBenchVenue(server.url, backend, { rounds: 1, competitors: 12 });
      ours = await ourFanOut(audience, backend, venue, {
        origin: server.url,
        markUrl: server.url,
        servers: [server],
        count: options.spectators,
        seconds,
      });
      if (!alive(server.pid)) restarts++;
    } finally {
      await venue?.close();
      await server.stop();
    }
    const verdict = await verifyRun(backend, [venue.competitionId], ours);
    const last = percentiles(ours.lastSpectatorMs);
    const bareMs = percentiles(bare.delays);
    return {
      scenario: 'audience',
      marksPerSecond: ours.marksPerSecond,
      bareInsertPerSecond: null,
      ratio: last && bareMs ? last.p99 / bareMs.p99 : null,
      ackMs: percentiles(ours.ackMs),
      lastSpectatorMs: last,
      spectators: options.spectators,
      bareBroadcastMs: bareMs,
      rssPerSpectatorKB: ours.rssPerSpectatorKB,
      lost: verdict.lost,
      duplicates: verdict.duplicates,
      generatorCpu: ours.generatorCpu,
      liveViewMatches: verdict.liveViewMatches,
      loadAverage: [loadAtStart, loadavg()[0] ?? 0],
      extra: {
        bareRssPerSpectatorKB: round1(bare.rssPerSpectatorKB),
        rssRatio: round2(ours.rssPerSpectatorKB / bare.rssPerSpectatorKB),
        heapPerSpectatorKB: ours.heapPerSpectatorKB === null ? null : round1(ours.heapPerSpectatorKB),
        bareHeapPerSpectatorKB: round1(bare.heapPerSpectatorKB),
        heapRatio:
          ours.heapPerSpectatorKB === null ? null : round2(ours.heapPerSpectatorKB / bare.heapPerSpectatorKB),
        reconnectSeconds: round2(ours.reconnectSeconds),
        reconnectBehind: ours.stormBehind,
        reconnectErrors: ours.stormErrors,
        connectErrors: ours.connectErrors + bare.connected.errors,
        spectatorsJoined: ours.ready,
        marksNotSeenByAll: ours.missed + bare.missed,
        serverCpu: round1(ours.serverCpu),
        restarts,
        auditChainOk: verdict.auditChainOk,
        pinned,
      },
      notes: [
        `ratio = p99 ack → last spectator / p99 bare broadcast → last client (target ≤ 1.5); ${MARK_RATE} marks/s from 5 judges on one round of 12`,
        'bare: a Socket.IO server of no code of ours broadcasting ~200 B at the same rate to the same light clients, on the same CPU, in the same run',
        'memory per spectator: RSS growth right after the joins (garbage not yet collected counts), and heap + external after two full collections through the inspector (what each connection keeps)',
        'reconnect storm: every connection dropped at once; back after 0.5–1.5 s (socket.io-client defaults), recovered or joined again, until all hold the current version',
        ...verdict.differences,
      ],
    };
  } finally {
    await audience.stop();
    await backend.close();
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;
