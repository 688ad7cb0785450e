/**
 * The load generator's process (started by audience.ts, pinned apart from the servers): light spectators,
 * told over IPC what to connect to. For every round version any spectator received it counts how many hold
 * it (or a later one) and when the last of them got there, on the wall clock shared with the bench.
 */
import type { AudienceReply, AudienceRequest, VersionArrival } from './audience';
import { Spectator, type Target } from './spectator';

const now = () => performance.timeOrigin + performance.now();

let spectators: Spectator[] = [];
/** Versions seen, ascending, and per version: spectators that reached it, and when the last did. */
let versions: number[] = [];
let arrivals = new Map<number, VersionArrival>();
let errors: string[] = [];
let errorCount = 0;
let readyCount = 0;
let onReady: (() => void) | null = null;

function register(version: number) {
  if (arrivals.has(version)) return;
  arrivals.set(version, { version, reached: 0, lastAt: 0 });
  let i = versions.length;
  while (i > 0 && (versions[i - 1] ?? 0) > version) i--;
  versions.splice(i, 0, version);
}

const events = {
  reached(_: Spectator, from: number, to: number) {
    register(to);
    const at = now();
    // Every version between: a spectator that skips one (joined later, or recovered) holds what it carried.
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i] ?? 0;
      if (v <= from) break;
      if (v > to) continue;
      const arrival = arrivals.get(v);
      if (arrival) {
        arrival.reached++;
        arrival.lastAt = at;
      }
    }
  },
  ready() {
    readyCount++;
    onReady?.();
  },
  error(_: Spectator, what: string) {
    errorCount++;
    if (errors.length < 20) errors.push(what);
  },
};

const reply = (message: AudienceReply) => process.send?.(message);

/** Resolves once `count` spectators are ready, or after `ms` (the caller sees how many were). */
function readyWithin(count: number, ms: number) {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      onReady = null;
      resolve();
    }
    onReady = () => {
      if (readyCount >= count) done();
    };
    onReady();
  });
}

async function connect(target: Target, count: number, batch: number) {
  const started = now();
  for (let i = 0; i < count; i += batch) {
    const wave: Spectator[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) wave.push(new Spectator(j, target, events));
    spectators.push(...wave);
    const before = readyCount;
    for (const s of wave) s.connect();
    // Each wave joined before the next: a bounded number of handshakes in flight.
    await readyWithin(before + wave.length, 30_000);
  }
  return now() - started;
}

/** Drops every connection at once; resolves when all are back and hold at least `version`. */
async function storm(version: number, ms: number) {
  const started = now();
  const errorsBefore = errorCount;
  readyCount = 0;
  for (const s of spectators) s.drop();
  const deadline = started + ms;
  for (;;) {
    const behind = spectators.filter((s) => !s.ready || s.version < version).length;
    if (behind === 0 || now() > deadline)
      return { ms: now() - started, behind, errors: errorCount - errorsBefore };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

process.on('message', async (request: AudienceRequest) => {
  if (request.type === 'connect') {
    const ms = await connect(request.target, request.count, request.batch);
    reply({
      type: 'connected',
      ready: spectators.filter((s) => s.ready).length,
      ms,
      errors: errorCount,
      sample: errors,
    });
  } else if (request.type === 'arrivals') {
    reply({
      type: 'arrivals',
      arrivals: versions.map((v) => arrivals.get(v) as VersionArrival),
      spectators: spectators.length,
      behind: spectators.filter((s) => s.version < (versions.at(-1) ?? 0)).length,
      cpu: process.cpuUsage(),
      errors: errorCount,
    });
  } else if (request.type === 'storm') {
    reply({ type: 'stormed', ...(await storm(request.version, request.ms)) });
  } else if (request.type === 'close') {
    for (const s of spectators) s.close();
    spectators = [];
    versions = [];
    arrivals = new Map();
    errors = [];
    errorCount = 0;
    readyCount = 0;
    reply({ type: 'closed' });
  }
});
reply({ type: 'started' });
