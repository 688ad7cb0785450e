/**
 * The audience of a scenario: light spectators (spectator.ts) in a process of their own, pinned to the
 * load generator's CPU, with the open-file limit raised for 10,000 connections. It reports, per round
 * version, when the last spectator held it, and its own CPU so that a saturated generator shows.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/start';
import { heapAfterCollectionKB, inspectFlag } from './inspector';
import type { Target } from './spectator';

export interface VersionArrival {
  version: number;
  /** Spectators holding this version or a later one. */
  reached: number;
  /** When the last of them got there (wall clock, ms since the epoch, sub-millisecond). */
  lastAt: number;
}

export type AudienceRequest =
  | { type: 'connect'; target: Target; count: number; batch: number }
  | { type: 'arrivals' }
  | { type: 'storm'; version: number; ms: number }
  | { type: 'close' };

export type AudienceReply =
  | { type: 'started' }
  | { type: 'connected'; ready: number; ms: number; errors: number; sample: string[] }
  | {
      type: 'arrivals';
      arrivals: VersionArrival[];
      spectators: number;
      behind: number;
      cpu: NodeJS.CpuUsage;
      errors: number;
    }
  | { type: 'stormed'; ms: number; behind: number; errors: number }
  | { type: 'closed' };

/** The wall clock this process and the generator share (performance.now() is per process). */
export const wallNow = () => performance.timeOrigin + performance.now();

/** Open files a process may hold for the audience (two per connection through a proxy, and some). */
export const OPEN_FILES = 65_536;

/**
 * A command run with CPU affinity (taskset) and the open-file limit raised as far as the hard limit allows
 * (prlimit; a container may forbid raising the hard limit even to root), where those tools exist.
 */
export function confined(cpu: number | null, command: string, args: string[]): [string, string[]] {
  let file = command;
  let argv = args;
  if (cpu !== null && existsSync('/usr/bin/taskset')) {
    argv = ['-c', String(cpu), file, ...argv];
    file = 'taskset';
  }
  const limit = Math.min(OPEN_FILES, openFileLimit('H'));
  if (existsSync('/usr/bin/prlimit') && openFileLimit('S') < limit) {
    argv = [`--nofile=${limit}`, file, ...argv];
    file = 'prlimit';
  }
  return [file, argv];
}

/** This process's open-file limit, soft (S) or hard (H). */
export function openFileLimit(kind: 'S' | 'H'): number {
  const text = execFileSync('sh', ['-c', `ulimit -${kind}n`])
    .toString()
    .trim();
  return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
}

const worker = fileURLToPath(new URL('./audience-worker.ts', import.meta.url));

export interface Audience {
  /** Connects `count` spectators to `target` (`batch` handshakes at a time) and joins them. */
  connect(
    target: Target,
    count: number,
    batch?: number,
  ): Promise<Extract<AudienceReply, { type: 'connected' }>>;
  arrivals(): Promise<Extract<AudienceReply, { type: 'arrivals' }>>;
  /** Drops every connection at once; resolves when all are back holding `version` (or after `ms`). */
  storm(version: number, ms: number): Promise<Extract<AudienceReply, { type: 'stormed' }>>;
  /** Disconnects every spectator (the process stays for the next audience). */
  disconnect(): Promise<void>;
  /** The generator's CPU, percent of one core, since the last call (or the start). */
  cpuPercent(): Promise<number>;
  pid: number;
  stop(): Promise<void>;
}

export async function startAudience(cpu: number | null): Promise<Audience> {
  const [file, argv] = confined(cpu, process.execPath, ['--import', 'tsx', worker]);
  const child: ChildProcess = spawn(file, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting: ((reply: AudienceReply) => void)[] = [];
  child.on('message', (reply: AudienceReply) => waiting.shift()?.(reply));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = () => new Promise<AudienceReply>((resolve) => waiting.push(resolve));
  const ask = async <T extends AudienceReply['type']>(request: AudienceRequest, type: T) => {
    const answer = next();
    child.send(request);
    const reply = await Promise.race([answer, exited.then(() => null)]);
    if (reply?.type !== type) throw new Error(`the audience process answered ${reply?.type ?? 'nothing'}`);
    return reply as Extract<AudienceReply, { type: T }>;
  };
  const started = await Promise.race([next(), exited.then(() => null)]);
  if (started?.type !== 'started') throw new Error('the audience process did not start');
  let since = { at: wallNow(), cpu: { user: 0, system: 0 } };
  return {
    pid: child.pid ?? 0,
    connect: (target, count, batch = 250) => ask({ type: 'connect', target, count, batch }, 'connected'),
    arrivals: () => ask({ type: 'arrivals' }, 'arrivals'),
    storm: (version, ms) => ask({ type: 'storm', version, ms }, 'stormed'),
    disconnect: async () => {
      await ask({ type: 'close' }, 'closed');
    },
    async cpuPercent() {
      const { cpu } = await ask({ type: 'arrivals' }, 'arrivals');
      const at = wallNow();
      const used = cpu.user + cpu.system - since.cpu.user - since.cpu.system;
      const percent = (used / 1000 / (at - since.at)) * 100;
      since = { at, cpu };
      return percent;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * For each change (a mark's acknowledgement at `at`, contained from round version `version` on): how long
 * until the last of `spectators` held that version or a later one. A change no version reached by every
 * spectator is counted in `missed`.
 */
export function toLastSpectator(
  changes: readonly { at: number; version: number }[],
  arrivals: readonly VersionArrival[],
  spectators: number,
) {
  const sorted = [...arrivals].sort((a, b) => a.version - b.version);
  const delays: number[] = [];
  let missed = 0;
  for (const change of changes) {
    const first = sorted.find((a) => a.version >= change.version && a.reached >= spectators);
    if (first) delays.push(Math.max(0, first.lastAt - change.at));
    else missed++;
  }
  return { delays, missed };
}

const bareScript = fileURLToPath(new URL('./bare-broadcast.ts', import.meta.url));

/** Resident memory of a process, KB (Linux /proc). */
export function rssKB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
}

/**
 * The bare Socket.IO broadcast (bare-broadcast.ts, on the server's CPU) to `count` of the audience's light
 * spectators at `rate` messages a second for `seconds`: send → last spectator of every message, and the
 * bare server's growth per connected spectator: RSS, and heap after a full collection (harness/inspector.ts).
 */
export async function bareFanOut(
  audience: Audience,
  options: { cpu: number | null; port: number; count: number; rate: number; seconds: number },
) {
  const inspectPort = await freePort();
  const [file, argv] = confined(options.cpu, process.execPath, [
    inspectFlag(inspectPort),
    '--import',
    'tsx',
    bareScript,
    String(options.port),
  ]);
  const child = spawn(file, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = <T>() => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  try {
    await next<{ listening: number }>();
    const pid = child.pid ?? 0;
    const idleHeap = await heapAfterCollectionKB(inspectPort);
    const idle = rssKB(pid);
    const connected = await audience.connect(
      { origin: `ws://127.0.0.1:${options.port}`, join: null },
      options.count,
    );
    const rssPerSpectatorKB = (rssKB(pid) - idle) / options.count;
    const heapPerSpectatorKB = ((await heapAfterCollectionKB(inspectPort)) - idleHeap) / options.count;
    const answer = next<{ sent: [number, number][] }>();
    child.send({ type: 'broadcast', rate: options.rate, seconds: options.seconds });
    const { sent } = await answer;
    // The last message's arrivals a moment to land.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { arrivals } = await audience.arrivals();
    const { delays, missed } = toLastSpectator(
      sent.map(([version, at]) => ({ version, at })),
      arrivals,
      options.count,
    );
    await audience.disconnect();
    return { delays, missed, rssPerSpectatorKB, heapPerSpectatorKB, connected };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
