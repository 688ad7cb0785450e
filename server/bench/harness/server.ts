/**
 * How a scenario runs the real server: `server/src/server.ts` in a child process, as `pnpm start` runs it,
 * pinned to CPU 1 (`taskset`, when there is one) while the load generator (this process) takes CPU 0.
 *
 * A backend is what the server processes share: a throwaway Postgres database (or the embedded PGlite in a
 * throwaway folder), a throwaway redis-server on a free port (the server has no key prefix setting, so the
 * live view and the Socket.IO adapter get a Redis of their own), one secret, one organizer account. Several
 * processes may run on one backend (scale-out). Everything stops by itself: `close()` drops what it made.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/client';
import { createOrganizerAccount } from '../../src/modules/auth/accounts';
import { freePort } from '../../src/start';
import { createTestDatabase } from '../../test/databases';
import { inspectFlag } from './inspector';

export { freePort };

const serverDir = fileURLToPath(new URL('../..', import.meta.url));
const hasTaskset = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');

export interface BenchBackend {
  kind: 'postgres' | 'embedded';
  /** postgres:// of the throwaway database (null: embedded). */
  databaseUrl: string | null;
  /** The embedded database's DATA_DIR (null: Postgres). */
  dataDir: string | null;
  /** redis:// of the throwaway redis-server (null: the embedded default's in-process live view). */
  redisUrl: string | null;
  secret: string;
  organizer: { username: string; password: string; displayName: string };
  /** Stops redis-server and drops the database or the folder. */
  close(): Promise<void>;
}

export interface BenchServer {
  url: string;
  pid: number;
  /** Its inspector's port, when started with `inspect` (harness/inspector.ts reads its heap). */
  inspectPort: number | null;
  /** The child's CPU time so far (user + system), ms, from /proc (null where there is none). */
  cpuMs(): number | null;
  /** SIGTERM, then waits for the exit (the server closes gracefully; a CPU profile is written then). */
  stop(): Promise<void>;
}

/** Pins this process (the load generator) to CPU 0, apart from the server on CPU 1. */
export function pinGenerator(): boolean {
  if (!hasTaskset) return false;
  try {
    execFileSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Spawns a command pinned to a CPU when taskset exists. */
function spawnPinned(
  cpu: number | null,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
) {
  const [file, argv] =
    hasTaskset && cpu !== null ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
  return spawn(file, argv, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Collects a child's output (the last 20 kB), for the error when it fails. */
function tail(child: ChildProcess) {
  let text = '';
  const add = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitFor(
  what: string,
  ready: () => Promise<boolean>,
  child: ChildProcess,
  output: () => string,
) {
  // Pinned to one CPU of a shared, loaded machine, a start (tsx compiling the server) took over 60 s.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not start within 180 s:\n${output()}`);
}

async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawnPinned(
    null,
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    process.env,
  );
  const output = tail(child);
  const url = `redis://127.0.0.1:${port}`;
  await waitFor('redis-server', async () => output().includes('Ready to accept connections'), child, output);
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/**
 * The shared parts of a run: Postgres (a throwaway database) and a throwaway Redis, or with `embedded` the
 * default a newcomer gets (PGlite in a throwaway DATA_DIR, the live view in process, no Redis).
 */
export async function createBackend(options: { embedded?: boolean } = {}): Promise<BenchBackend> {
  const organizer = {
    username: `bench-${randomBytes(4).toString('hex')}`,
    password: randomBytes(12).toString('hex'),
    displayName: 'bench organizer',
  };
  const secret = randomBytes(32).toString('hex');
  if (options.embedded) {
    const dataDir = mkdtempSync(join(tmpdir(), 'jx-bench-'));
    // The organizer is made before the server starts; the database folder is the server's once it runs.
    const handle = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    await createOrganizerAccount(handle.db, organizer);
    await handle.close();
    return {
      kind: 'embedded',
      databaseUrl: null,
      dataDir,
      redisUrl: null,
      secret,
      organizer,
      close: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await createTestDatabase();
  const redis = await startRedis().catch(async (error) => {
    await database.drop();
    throw error;
  });
  try {
    const handle = await openDatabase({ url: database.url });
    await createOrganizerAccount(handle.db, organizer);
    await handle.close();
  } catch (error) {
    await redis.stop();
    await database.drop();
    throw error;
  }
  return {
    kind: 'postgres',
    databaseUrl: database.url,
    dataDir: null,
    redisUrl: redis.url,
    secret,
    organizer,
    close: async () => {
      await redis.stop();
      await database.drop();
    },
  };
}

/** Clock ticks per second of /proc/<pid>/stat (100 on Linux). */
const TICKS = 100;

function cpuOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
  } catch {
    return null;
  }
}

/**
 * One server process on the backend, as `pnpm start` runs it (LOG_LEVEL warn: a log line per request would
 * be part of what is measured), on CPU `cpu` (default 1). `profileDir`: `node --cpu-prof` writes the
 * process's profile there when it stops.
 */
export function spawnServer(
  backend: BenchBackend,
  options: { cpu?: number | null; profileDir?: string; inspect?: boolean; env?: Record<string, string> } = {},
): Promise<BenchServer> {
  return spawnNodeServer('src/server.ts', {
    ...options,
    env: {
      LOG_LEVEL: 'warn',
      SECRET: backend.secret,
      DEMO_PLAY: 'off',
      DATABASE_URL: backend.databaseUrl ?? '',
      REDIS_URL: backend.redisUrl ?? '',
      DATA_DIR: backend.dataDir ?? '',
      ...options.env,
    },
  });
}

/**
 * A Node HTTP server of ours (`script`, relative to server/) in a child process on a free port (given as
 * PORT, HOST 127.0.0.1), pinned to `cpu` (default 1); ready once GET /api/health answers 200. `inspect`:
 * its inspector listens on a free loopback port.
 */
export async function spawnNodeServer(
  script: string,
  options: { cpu?: number | null; profileDir?: string; inspect?: boolean; env?: Record<string, string> },
): Promise<BenchServer> {
  const port = await freePort();
  const inspectPort = options.inspect ? await freePort() : null;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...options.env };
  const node = [
    ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
    ...(inspectPort === null ? [] : [inspectFlag(inspectPort)]),
    '--import',
    'tsx',
    script,
  ];
  const child = spawnPinned(
    options.cpu === undefined ? 1 : options.cpu,
    process.execPath,
    node,
    env,
    serverDir,
  );
  const output = tail(child);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(script, async () => (await fetch(`${url}/api/health`)).ok, child, output);
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    inspectPort,
    cpuMs: () => cpuOf(pid),
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}
