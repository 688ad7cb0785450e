import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarkResponse } from '@jiangxin/shared';
import { inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../src/app';
import { openDatabase } from '../src/db/client';
import { competitors, marks, workstations } from '../src/db/schema';
import { RedisLiveStore } from '../src/live/redis-store';
import { createLiveState } from '../src/live/service';
import { verifyAuditChain } from '../src/modules/audit/service';
import { freePort } from '../src/start';
import { createTestDatabase } from './databases';
import { type Seeded, seedCompetition } from './support';

export { freePort };

/**
 * The fault suite's harness: server processes started as `pnpm start` starts them (src/server.ts in a child
 * process, so they can be killed), a Redis and a Postgres of the test's own when the test stops them (never
 * the shared ones), judges whose tablets retry with the same mark id as the outbox does, and the counts the
 * suite writes into docs/RELIABILITY.md.
 */

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../..', import.meta.url));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | null>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

/** A Redis server of this test's own, on a port of its own, keeping nothing on disk (a restart is empty). */
export async function ownRedis() {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await until('redis-server answers', async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG' ? true : null;
      } finally {
        probe.disconnect();
      }
    });
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url, start, stop };
}
export type OwnRedis = Awaited<ReturnType<typeof ownRedis>>;

/** The newest Postgres binaries installed by the postgresql package (/usr/lib/postgresql/<version>/bin). */
function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no Postgres binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

/** A Postgres cluster of this test's own (initdb in a temporary folder, trust), which it may stop. */
export async function ownPostgres() {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'jx-faults-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  // initdb and the server refuse to run as root; CI may run as root, so the cluster belongs to nobody then.
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'nobody', '--', `${bin}/${command}`, ...args], { stdio: 'pipe' })
      : execFileSync(`${bin}/${command}`, args, { stdio: 'pipe' });
  if (asRoot) execFileSync('chown', ['nobody', dir]);
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const start = async () => {
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c fsync=off`,
      '-w',
      'start',
    ]);
  };
  const stop = async () => {
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await start();
  return {
    url,
    start,
    stop,
    async destroy() {
      try {
        await stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ServerProcess {
  url: string;
  /** Resolves when the process has exited, with the signal that ended it (SIGKILL from a fault point). */
  exited: Promise<NodeJS.Signals | null>;
  /** Sends a signal (SIGKILL by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Sends a signal without waiting. */
  signal(signal: NodeJS.Signals): void;
  /** The process's resident memory now, in bytes (Linux /proc). */
  rss(): number;
  /** Its log and anything it printed to stderr. */
  stderr(): string;
}

export interface ServerSettings {
  databaseUrl: string;
  redisUrl: string;
  secret: string;
  port: number;
  /** JIANGXIN_FAULT: `<point>:<n>` (server/src/faults.ts). */
  fault?: string;
  /** Further settings (TRUST_PROXY behind a proxy …). */
  env?: Record<string, string>;
}

/** `pnpm start`'s server in a child process on Postgres and Redis; resolves once /api/health answers. */
export async function startServerProcess(settings: ServerSettings): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: settings.databaseUrl,
      REDIS_URL: settings.redisUrl,
      SECRET: settings.secret,
      PORT: String(settings.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DEMO_PLAY: 'off',
      JIANGXIN_FAULT: settings.fault ?? '',
      ...settings.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Its log (stdout, warnings and worse) and anything it printed on the way out (stderr).
  let stderr = '';
  const keep = (chunk: Buffer) => {
    stderr += chunk;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  const url = `http://127.0.0.1:${settings.port}`;
  await until('the server answers /api/health', async () => {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
    const response = await fetch(`${url}/api/health`);
    return response.ok ? true : null;
  });
  return {
    url,
    exited,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    signal: (signal) => child.kill(signal),
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
    },
    stderr: () => stderr,
  };
}

/**
 * An app of this test process on the database the server processes use, with the same secret (the tokens
 * it issues hold on every process): it seeds competitions, reads what was stored and checks the chain.
 */
export async function seeder(databaseUrl: string, secret: string) {
  return buildApp({ database: await openDatabase({ url: databaseUrl }), secret, clientDist: '/nonexistent' });
}

/** A competition seeded straight into the database, with `workstationCount` competitors in its round. */
export async function seedRound(app: FastifyInstance, workstationCount = 24) {
  const seed = await seedCompetition(app);
  const extra =
    workstationCount <= seed.competitors.length
      ? []
      : await app.db
          .insert(competitors)
          .values(
            Array.from({ length: workstationCount - seed.competitors.length }, (_, i) => ({
              name: `选手${i + 5}`,
              unit: `单位${i + 5}`,
              region: '福州',
              competitionId: seed.competition.id,
              eventId: seed.event.id,
              frontline: true,
              unionMember: true,
              entryNumber: i + 5,
            })),
          )
          .returning();
  if (extra.length > 0)
    await app.db
      .insert(workstations)
      .values(
        extra.map((c, i) => ({ roundId: seed.round.id, competitorId: c.id, code: workstationCode(i + 4) })),
      );
  const codes = Array.from({ length: workstationCount }, (_, i) => workstationCode(i));
  return { seed, codes };
}

const workstationCode = (index: number) => `A${String(index + 1).padStart(2, '0')}`;

/** Every mark of the round in Postgres, by id (each id at most once: it is the primary key). */
export async function storedMarks(app: FastifyInstance, ids: string[]) {
  if (ids.length === 0) return [];
  return app.db.select().from(marks).where(inArray(marks.id, ids));
}

/** The audit chain of the competition verifies from its first entry to its last. */
export async function expectChainVerifies(app: FastifyInstance, competitionId: string) {
  const verdict = await verifyAuditChain(app.db, competitionId);
  expect(verdict).toMatchObject({ ok: true });
  return verdict.entries;
}

/** The differences between the live view in Redis and Postgres' recomputation, until there are none. */
export async function expectLiveEqualsRecomputation(app: FastifyInstance, redisUrl: string, ms = 20_000) {
  const redis = new Redis(redisUrl);
  try {
    // The processes keep their live view under the default prefix (server.ts sets none).
    const live = createLiveState(app.db, new RedisLiveStore(redis, { prefix: 'jx:live:' }));
    let differences: string[] = [];
    const deadline = Date.now() + ms;
    do {
      differences = await live.check();
      if (differences.length === 0) return;
      await sleep(200);
    } while (Date.now() < deadline);
    expect(differences).toEqual([]);
  } finally {
    redis.disconnect();
  }
}

/** One mark a judge's tablet holds in its outbox until the server acknowledges it. */
export interface PlannedMark {
  id: string;
  judge: number;
  workstation: string;
  value: string;
}

/** What happened to one mark: its attempts, and the answer that acknowledged it. */
export interface MarkOutcome extends PlannedMark {
  attempts: number;
  /** Answers that were not an acknowledgement (503, a dropped connection…), as the tablet saw them. */
  refusals: string[];
  status: number | null;
  seq: number | null;
}

/** The round's marks: each judge marks every workstation once, values spread over the item's range. */
export function planMarks(codes: string[], judges = 5): PlannedMark[] {
  const plan: PlannedMark[] = [];
  for (const [w, workstation] of codes.entries())
    for (let judge = 0; judge < judges; judge++)
      plan.push({ id: randomUUID(), judge, workstation, value: String(20 + ((w * 7 + judge * 3) % 30)) });
  return plan;
}

/** One attempt at a mark: the status and body, or the network error a tablet would see. */
export async function postMark(url: () => string, seed: Seeded, mark: PlannedMark) {
  try {
    const response = await fetch(
      `${url()}/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/marks`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${seed.tokens.judge(mark.judge)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          id: mark.id,
          workstation: mark.workstation,
          item: 'assemblyQuality',
          value: mark.value,
        }),
        signal: AbortSignal.timeout(30_000),
      },
    );
    const text = await response.text();
    return { status: response.status, body: text, retryAfter: response.headers.get('retry-after') };
  } catch (error) {
    return {
      status: null,
      body: `no answer: ${String((error as Error).cause ?? error)}`,
      retryAfter: null,
    };
  }
}

/**
 * Judges marking at once, each through its own outbox: one mark at a time in order, every mark retried
 * with its id until the server acknowledges it (201, or 200 for a replay) as the tablet does after a
 * dropped connection or a 503. Anything else (a 4xx, a 500) fails the mark, and the test.
 */
export async function judgesMark(
  url: () => string,
  seed: Seeded,
  plan: PlannedMark[],
  options: { pauseMs?: number; retryMs?: number; giveUpMs?: number; urlOf?: (judge: number) => string } = {},
): Promise<MarkOutcome[]> {
  const judges = [...new Set(plan.map((m) => m.judge))];
  const outcomes = new Map<string, MarkOutcome>();
  await Promise.all(
    judges.map(async (judge) => {
      for (const mark of plan.filter((m) => m.judge === judge)) {
        const outcome: MarkOutcome = { ...mark, attempts: 0, refusals: [], status: null, seq: null };
        outcomes.set(mark.id, outcome);
        const deadline = Date.now() + (options.giveUpMs ?? 120_000);
        while (Date.now() < deadline) {
          outcome.attempts++;
          const answer = await postMark(options.urlOf ? () => options.urlOf?.(judge) ?? '' : url, seed, mark);
          if (answer.status === 201 || answer.status === 200) {
            outcome.status = answer.status;
            outcome.seq = (JSON.parse(answer.body) as MarkResponse).mark.seq;
            break;
          }
          outcome.refusals.push(answer.status === null ? answer.body : `${answer.status} ${answer.body}`);
          if (answer.status !== null && answer.status !== 503) break;
          await sleep(options.retryMs ?? 200);
        }
        if (options.pauseMs) await sleep(options.pauseMs);
      }
    }),
  );
  return plan.map((m) => outcomes.get(m.id) as MarkOutcome);
}

/** Refusals a tablet retries: no answer at all, or 503 with Retry-After and a code saying why. */
export function expectOnlyRetryableRefusals(outcomes: MarkOutcome[], codes: string[]) {
  for (const outcome of outcomes)
    for (const refusal of outcome.refusals) {
      if (refusal.startsWith('no answer')) continue;
      expect(refusal).toMatch(new RegExp(`^503 .*"code":"(${codes.join('|')})"`));
    }
}

/** The counts a fault test writes into docs/RELIABILITY.md. */
export interface FaultCounts {
  sent: number;
  acknowledged: number;
  stored: number;
  lost: number;
  /** Marks the tablet had to send more than once (the fault answered, or nothing did). */
  retried: number;
}

/**
 * Checks the suite's promise for marks sent through a fault (each acknowledged, stored exactly once with
 * the value sent, every replay answered 200 with the same sequence number) and returns the counts.
 */
export async function expectEveryMarkOnce(
  app: FastifyInstance,
  url: () => string,
  seed: Seeded,
  outcomes: MarkOutcome[],
): Promise<FaultCounts> {
  const stored = await storedMarks(
    app,
    outcomes.map((o) => o.id),
  );
  const byId = new Map(stored.map((row) => [row.id, row]));
  for (const outcome of outcomes) {
    expect(outcome.status, `mark ${outcome.id}: ${outcome.refusals.join('; ')}`).not.toBeNull();
    const row = byId.get(outcome.id);
    expect(row?.value).toBe(outcome.value);
    expect(row?.seq).toBe(outcome.seq);
  }
  // The outbox replays a mark it is unsure of: the server answers with the original.
  for (const outcome of outcomes) {
    const replay = await postMark(url, seed, outcome);
    expect(replay.status).toBe(200);
    expect((JSON.parse(replay.body) as MarkResponse).mark.seq).toBe(outcome.seq);
  }
  const acknowledged = outcomes.filter((o) => o.status !== null).length;
  return {
    sent: outcomes.length,
    acknowledged,
    stored: stored.length,
    lost: outcomes.length - stored.length,
    retried: outcomes.filter((o) => o.attempts > 1).length,
  };
}

const DOC = join(repoDir, 'docs/RELIABILITY.md');
const START = '<!-- fault-counts:start (written by the fault suite: pnpm test:faults) -->';
const END = '<!-- fault-counts:end -->';

/**
 * Writes one fault's counts into the generated table of docs/RELIABILITY.md (under a lock: the fault files
 * run in parallel). The rows are kept in the order of their keys, so a run changes only its numbers.
 */
export async function recordCounts(key: string, fault: string, counts: FaultCounts) {
  const lock = join(repoDir, 'docs/.reliability-counts.lock');
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 600) rmSync(lock, { recursive: true, force: true });
      await sleep(50);
    }
  }
  try {
    const doc = readFileSync(DOC, 'utf8');
    const from = doc.indexOf(START);
    const to = doc.indexOf(END);
    if (from < 0 || to < from) throw new Error(`docs/RELIABILITY.md lacks the markers ${START} … ${END}`);
    const rows = new Map<string, string>();
    for (const line of doc.slice(from + START.length, to).split('\n')) {
      const match = /^\| `([^`]+)` \|/.exec(line);
      if (match?.[1]) rows.set(match[1], line);
    }
    rows.set(
      key,
      `| \`${key}\` | ${fault} | ${counts.sent} | ${counts.acknowledged} | ${counts.stored} | ${counts.lost} | ${counts.retried} |`,
    );
    const table = [
      '| test | fault | marks sent | acknowledged | stored | lost | retried by the tablet |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
      ...[...rows.keys()].sort().map((k) => rows.get(k)),
    ].join('\n');
    writeFileSync(DOC, `${doc.slice(0, from + START.length)}\n${table}\n${doc.slice(to)}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A secret shared by a test's processes (so tokens hold across a restart and on every process). */
export const sharedSecret = () => randomBytes(32).toString('hex');

export interface FaultBed {
  /** Postgres (a throwaway database on the shared server, or the test's own cluster) and the test's Redis. */
  databaseUrl: string;
  redis: OwnRedis;
  /** The test's own Postgres cluster, when asked for (the test stops it). */
  postgres: Awaited<ReturnType<typeof ownPostgres>> | null;
  secret: string;
  /** The seeding and checking app of this process (see `seeder`). */
  app: FastifyInstance;
  /** The server processes started before the tests (more may be started with `settings`). */
  servers: ServerProcess[];
  /** What a further process of this bed is started with, on a fresh port. */
  settings(): Promise<ServerSettings>;
}

/**
 * A fault test's bed, set up before its tests and torn down after: Postgres, the test's own Redis, the
 * seeding app and `processes` server processes on them, all with one secret.
 */
export function faultBed(options: { processes?: number; ownPostgres?: boolean } = {}): FaultBed {
  const bed = {
    servers: [] as ServerProcess[],
    postgres: null,
    secret: sharedSecret(),
  } as unknown as FaultBed;
  let dropDatabase = async () => {};
  bed.settings = async () => ({
    databaseUrl: bed.databaseUrl,
    redisUrl: bed.redis.url,
    secret: bed.secret,
    port: await freePort(),
  });
  beforeAll(async () => {
    if (options.ownPostgres) {
      bed.postgres = await ownPostgres();
      bed.databaseUrl = bed.postgres.url;
    } else {
      const database = await createTestDatabase();
      bed.databaseUrl = database.url;
      dropDatabase = database.drop;
    }
    bed.redis = await ownRedis();
    bed.app = await seeder(bed.databaseUrl, bed.secret);
    for (let i = 0; i < (options.processes ?? 0); i++)
      bed.servers.push(await startServerProcess(await bed.settings()));
  }, 120_000);
  afterAll(async () => {
    for (const server of bed.servers) await server.stop();
    await bed.app?.close();
    await bed.redis?.stop();
    await bed.postgres?.destroy();
    await dropDatabase();
  }, 60_000);
  return bed;
}
