/**
 * pnpm bench:marks — what a judge's mark costs from the HTTP request to its durable commit.
 *
 * For each driver (Postgres, then in-process PGlite; pass driver names to run only some) the real app listens
 * on 127.0.0.1 (a free port) over a throwaway database, seeded like the tests (A01–A04, a 5-judge panel on
 * `assemblyQuality`), and Node's fetch (undici, keep-alive) posts marks to it:
 *
 * 1. sequential: 300 marks from one judge, one after another;
 * 2. panel: 5 judges × 200 marks, each judge one at a time, the five in parallel;
 *    in-flight 20: 1,000 marks from 20 senders at once (4 per judge);
 * 3. retries: 200 replays of stored ids (same body), one after another.
 *
 * After each run it checks that `marks` holds one row per distinct id sent and that the audit chain verifies.
 * During the concurrent runs on Postgres it samples pg_stat_activity to show where the server's backends wait.
 * Bounded (about 2,500 requests per driver) and loopback only; it closes the app (and so the database).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { count, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { marks } from '../src/db/schema';
import { verifyAuditChain } from '../src/modules/audit/service';
import { type Driver, drivers } from '../test/databases';
import { type Seeded, seedCompetition, testApp } from '../test/support';

const JUDGES = 5;
const WORKSTATIONS = ['A01', 'A02', 'A03', 'A04'];
// The same server the test databases are made on (server/test/databases.ts); only read here, for pg_stat_activity.
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface MarkBody {
  id: string;
  workstation: string;
  item: string;
  value: string;
}
interface Sent {
  judge: number;
  body: MarkBody;
}
interface Sample {
  ms: number;
  ok: boolean;
}

/** The i-th mark of a judge: workstations in turn, values 0–50 in steps of 0.5 (the drone assembly aspect). */
function newMark(judge: number, i: number): Sent {
  return {
    judge,
    body: {
      id: randomUUID(),
      workstation: WORKSTATIONS[i % WORKSTATIONS.length] ?? 'A01',
      item: 'assemblyQuality',
      value: String(((i * 7 + judge * 13) % 101) / 2),
    },
  };
}

class Client {
  private readonly tokens: string[];
  constructor(
    private readonly url: string,
    seed: Seeded,
  ) {
    this.tokens = Array.from({ length: JUDGES }, (_, i) => seed.tokens.judge(i));
  }

  /** Posts one mark; ok when the status is the expected one and the answer names the id sent. */
  async post(mark: Sent, expected: 200 | 201): Promise<Sample> {
    const start = performance.now();
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.tokens[mark.judge]}`, 'content-type': 'application/json' },
      body: JSON.stringify(mark.body),
    });
    const text = await res.text();
    const ms = performance.now() - start;
    let ok = res.status === expected;
    if (ok) ok = (JSON.parse(text) as { mark?: { id?: string } }).mark?.id === mark.body.id;
    else console.error(`  unexpected ${res.status} (wanted ${expected}): ${text.slice(0, 200)}`);
    return { ms, ok };
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat (null where there is none). */
function machineTicks(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Samples, every 20 ms, what the app's Postgres backends are doing; averages backends per state. */
function sampleBackends(monitor: postgres.Sql, database: string) {
  const seen = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = await monitor<{ state: string | null; type: string | null; event: string | null }[]>`
        select state, wait_event_type as type, wait_event as event from pg_stat_activity
        where datname = ${database} and backend_type = 'client backend'`;
      samples++;
      for (const r of rows) {
        let key: string | null = null;
        if (r.state === 'idle in transaction') key = 'in a transaction, waiting for Node';
        else if (r.state === 'active') key = r.type ? `waiting ${r.type}:${r.event}` : 'running';
        if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    return [...seen.entries()]
      .map(([state, n]) => ({ state, backends: n / Math.max(1, samples) }))
      .sort((a, b) => b.backends - a.backends);
  };
}

interface RunResult {
  run: string;
  requests: number;
  failed: number;
  wallMs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  nodeCpu: number;
  machineCpu: number | null;
  waits?: { state: string; backends: number }[];
}

async function measure(
  run: string,
  work: () => Promise<Sample[]>,
  monitor?: () => () => Promise<{ state: string; backends: number }[]>,
): Promise<RunResult> {
  const stop = monitor?.();
  const ticks = machineTicks();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const samples = await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const after = machineTicks();
  const waits = await stop?.();
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)] ?? 0;
  return {
    run,
    requests: samples.length,
    failed: samples.filter((s) => !s.ok).length,
    wallMs,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: ms.at(-1) ?? 0,
    nodeCpu: (used.user + used.system) / 1000 / wallMs,
    machineCpu: ticks && after ? (after.busy - ticks.busy) / Math.max(1, after.total - ticks.total) : null,
    ...(waits ? { waits } : {}),
  };
}

/** Sends each list one mark at a time, all lists in parallel. */
async function inParallel(client: Client, lists: Sent[][], expected: 200 | 201) {
  const results = await Promise.all(
    lists.map(async (list) => {
      const out: Sample[] = [];
      for (const mark of list) out.push(await client.post(mark, expected));
      return out;
    }),
  );
  return results.flat();
}

async function checks(app: FastifyInstance, seed: Seeded, distinct: number) {
  const [row] = await app.db.select({ n: count() }).from(marks);
  const rows = Number(row?.n ?? -1);
  const chain = await verifyAuditChain(app.db, seed.competition.id);
  const ok = rows === distinct && chain.ok && chain.entries === distinct;
  const verdict = chain.ok
    ? `verifies, ${chain.entries} entries`
    : `BROKEN at ${chain.brokenAt}: ${chain.reason}`;
  return { ok, line: `marks rows ${rows} / distinct ids ${distinct}; audit chain ${verdict}` };
}

async function bench(driver: Driver): Promise<{ results: RunResult[]; ok: boolean }> {
  const { app } = await testApp(driver);
  let monitorClient: postgres.Sql | undefined;
  try {
    const seed = await seedCompetition(app);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const client = new Client(
      `${base}/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/marks`,
      seed,
    );
    let monitor: (() => () => Promise<{ state: string; backends: number }[]>) | undefined;
    if (driver === 'postgres') {
      const res = await app.db.execute(sql`select current_database() as name`);
      const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as { name: string }[];
      const database = rows[0]?.name ?? '';
      const sampler = postgres(adminUrl, { max: 1, onnotice: () => {} });
      monitorClient = sampler;
      monitor = () => sampleBackends(sampler, database);
    }

    const sent: Sent[] = [];
    const results: RunResult[] = [];
    let ok = true;
    const record = async (result: RunResult) => {
      results.push(result);
      const check = await checks(app, seed, new Set(sent.map((s) => s.body.id)).size);
      const good = check.ok && result.failed === 0;
      ok &&= good;
      console.log(
        `  ${good ? 'ok  ' : 'FAIL'} ${result.run}: ${result.requests} requests, ${result.failed} failed; ${check.line}`,
      );
    };

    // Warm-up (not measured): JIT, connection pools, the first keep-alive sockets.
    const warm = Array.from({ length: JUDGES }, (_, j) =>
      Array.from({ length: 10 }, (_, i) => newMark(j, i)),
    );
    sent.push(...warm.flat());
    await inParallel(client, warm, 201);

    const sequential = Array.from({ length: 300 }, (_, i) => newMark(0, 100 + i));
    sent.push(...sequential);
    await record(await measure('sequential, 1 judge', () => inParallel(client, [sequential], 201)));

    const panel = Array.from({ length: JUDGES }, (_, j) =>
      Array.from({ length: 200 }, (_, i) => newMark(j, 1000 + i)),
    );
    sent.push(...panel.flat());
    await record(await measure('panel, 5 judges × 200', () => inParallel(client, panel, 201), monitor));

    const senders = Array.from({ length: 20 }, (_, s) =>
      Array.from({ length: 50 }, (_, i) => newMark(s % JUDGES, 2000 + s * 50 + i)),
    );
    sent.push(...senders.flat());
    await record(await measure('20 in flight × 50', () => inParallel(client, senders, 201), monitor));

    // Replays of stored ids, spread over everything sent so far: answered 200 with the original.
    const step = Math.floor(sent.length / 200);
    const replays = Array.from({ length: 200 }, (_, i) => sent[i * step]).filter((s) => s !== undefined);
    await record(await measure('retries (replayed ids)', () => inParallel(client, [replays], 200)));

    return { results, ok };
  } finally {
    await monitorClient?.end({ timeout: 5 });
    await app.close();
  }
}

const f = (n: number) => n.toFixed(1);
const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 100)}%`);

const chosen = process.argv.slice(2).length
  ? drivers.filter((d) => process.argv.slice(2).includes(d))
  : [...drivers];
let allOk = true;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`Node ${process.version}, ${cpus().length} cores, load average ${load()}`);
// Other work on the machine skews every figure: say how busy it was just before.
const before = machineTicks();
await new Promise((resolve) => setTimeout(resolve, 2000));
const after = machineTicks();
if (before && after) {
  const busy = (after.busy - before.busy) / Math.max(1, after.total - before.total);
  console.log(`machine busy before the run (2 s, nothing of ours running): ${pct(busy)}`);
}
const table: string[] = [
  'driver   | run                    | requests | marks/s | p50 ms | p95 ms | p99 ms | max ms | node CPU | machine CPU',
];
for (const driver of chosen) {
  console.log(`${driver}:`);
  const { results, ok } = await bench(driver);
  allOk &&= ok;
  for (const r of results) {
    table.push(
      [
        driver.padEnd(8),
        r.run.padEnd(22),
        String(r.requests).padStart(8),
        f((r.requests / r.wallMs) * 1000).padStart(7),
        f(r.p50).padStart(6),
        f(r.p95).padStart(6),
        f(r.p99).padStart(6),
        f(r.max).padStart(6),
        pct(r.nodeCpu).padStart(8),
        pct(r.machineCpu).padStart(11),
      ].join(' | '),
    );
    if (r.waits?.length) {
      const waits = r.waits.map((w) => `${w.state} ${w.backends.toFixed(2)}`).join(', ');
      console.log(`  ${r.run} — Postgres backends on average: ${waits}`);
    }
  }
}
console.log(`\n${table.join('\n')}`);
console.log(`load average at the end ${load()}`);
console.log(allOk ? '\nall checks passed' : '\nSOME CHECKS FAILED');
if (!allOk) process.exitCode = 1;
