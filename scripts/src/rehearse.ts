import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  addEvent,
  finishRound,
  judgeLabels,
  markedRounds,
  openVenue,
  RehearsalError,
  type SentMark,
  signIn,
  submitMarks,
  type VenueEvent,
} from '@jiangxin/server/rehearsal';
import { type RunningServer, startServer } from '@jiangxin/server/start';
import { type RoundSnapshot, readMarksCsv } from '@jiangxin/shared';
import { readFlags, readText, runAsMain, UsageError, usageExit, type Writer } from './cli';
import { type Spectator, watch } from './rehearse/spectator';
import { loadScheme } from './scheme-file';

/**
 * `pnpm rehearse --scheme <template | scheme.json> --marks <marks.csv> [--server URL] [--rate MARKS_PER_S]
 * [--export DIR]`:
 * a dress rehearsal through the real system. It creates a competition from the scheme, registers the
 * competitors, their declared attempts and the judges found in the marks file, pairs a tablet for every
 * judge and signs the judge in on a connection of its own, submits every mark through the HTTP API (at the
 * given rate, or as fast as the server takes them), then signs off, decrypts and publishes each round and
 * prints the published standings (same shape as `pnpm results`) with latency figures. With --export DIR it
 * downloads the official exports as the organizer through the export API (results.xlsx, results.pdf,
 * results.csv, and per event <event>.marks.csv with <event>.scheme.json, which `pnpm results --scheme
 * <event>.scheme.json --marks <event>.marks.csv` recomputes). Without --server it
 * starts the server itself on the embedded default (a throwaway data folder).
 *
 * It is a client like the tablets and screens: HTTP requests built as the shared request types and checked
 * with their schemas, the tablet's retry rule (`markOutcome`), and the public Socket.IO events. The set-up,
 * the marking and the closing of rounds are `@jiangxin/server/rehearsal`, which the demo player uses too;
 * this file adds the spectators, the pace of --rate and the report.
 *
 * The competition uses open scoring (公开评分), as open sports do: the spectators (--spectators N public
 * sockets) follow every round live under the competitors' names, and the standings printed are the ones
 * the spectators received last.
 */

export interface RehearsalOptions {
  scheme: string;
  marksCsv: string;
  /** A running server; when absent, one is started in this process on a throwaway embedded database. */
  server?: { url: string; username: string; password: string };
  /** Marks per second across all judges; absent: as fast as the server takes them. */
  rate?: number;
  /** Public sockets that watch every round (at least one: the standings are read from a spectator). */
  spectators?: number;
  /** Where to write the competition's official exports once every round is published. */
  exportDir?: string;
  /** Awaited once the competition is set up, before the first mark (a test pairs a big screen in it). */
  onReady?: (venue: { competitionId: string; organizerToken: string }) => Promise<void>;
  /** Given every mark as sent (when it left, when it was acknowledged: `performance.now()`), once all are. */
  onMarksSent?: (marks: readonly SentMark[]) => void;
}

interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RehearsalReport {
  events: { event: string; standings: unknown[] }[];
  latency: { submitToAcknowledged: Percentiles; submitToLastSpectator: Percentiles };
  spectators: number;
  /** Spectators that did not end on the final state of every round (a lost message they never recovered). */
  spectatorsBehind: number;
  /** What each spectator received: updates, how many were deltas, and their sizes in bytes. */
  updates: {
    perSpectator: number;
    deltas: number;
    snapshots: number;
    deltaBytes: Percentiles;
    snapshotBytes: Percentiles;
  };
  marksSent: number;
  marksAcknowledged: number;
  /** Marks the server answered 200 to: a retry of a mark it had already stored. */
  duplicates: number;
  /** Marks refused or never acknowledged. */
  marksLost: number;
  /** Updates spectators could not apply (a version gap), across all spectators: each cost a new join. */
  messagesLost: number;
  /** With --export: the files written and the audit position the server named for them. */
  exports?: { dir: string; files: string[]; auditPosition: string };
}

/** A file name from an event's name (the marks file's event column). */
const fileName = (name: string) => name.replace(/[\\/:*?"<>|\s]+/g, '_');

/**
 * The competition's official exports, downloaded as the organizer through the export API once every round
 * is published: each must come back official (not a draft), all from one audit position or later.
 */
async function writeExports(
  venue: { C: string; organizer: ApiClient },
  events: readonly VenueEvent[],
  dir: string,
): Promise<NonNullable<RehearsalReport['exports']>> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let auditPosition = '';
  const save = async (path: string, name: string) => {
    const { bytes, headers } = await venue.organizer.download(path);
    if (headers['x-results-status'] !== 'official')
      throw new RehearsalError(`GET ${path} answered a ${headers['x-results-status'] ?? 'unmarked'} export`);
    auditPosition = headers['x-audit-position'] ?? '';
    writeFileSync(join(dir, name), bytes);
    files.push(name);
  };
  for (const format of ['xlsx', 'pdf', 'csv'])
    await save(`${venue.C}/exports/results.${format}`, `results.${format}`);
  for (const e of events) {
    const E = `${venue.C}/events/${e.eventId}/exports`;
    await save(`${E}/marks.csv`, `${fileName(e.event.event)}.marks.csv`);
    await save(`${E}/scheme.json`, `${fileName(e.event.event)}.scheme.json`);
  }
  return { dir, files, auditPosition };
}

const percentiles = (samples: number[]): Percentiles => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Number((sorted.at(-1) ?? 0).toFixed(1)) };
};

function updateFigures(spectators: readonly Spectator[]): RehearsalReport['updates'] {
  const all = spectators.flatMap((sp) => sp.arrivals);
  const sizes = (kind: 'delta' | 'snapshot') => all.filter((a) => a.kind === kind).map((a) => a.bytes);
  return {
    perSpectator: spectators.length === 0 ? 0 : Math.round(all.length / spectators.length),
    deltas: sizes('delta').length,
    snapshots: sizes('snapshot').length,
    deltaBytes: percentiles(sizes('delta')),
    snapshotBytes: percentiles(sizes('snapshot')),
  };
}

/** A server of the rehearsal's own: the embedded default on a throwaway data folder, with an organizer. */
async function embeddedServer(): Promise<{
  server: Required<RehearsalOptions>['server'];
  stop(): Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jx-rehearsal-'));
  const credentials = { username: 'rehearsal', password: randomBytes(12).toString('hex') };
  let running: RunningServer;
  try {
    running = await startServer({ dataDir, organizer: { ...credentials, displayName: '彩排组委会' } });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    server: { url: running.url, ...credentials },
    stop: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function rehearse(options: RehearsalOptions): Promise<RehearsalReport> {
  const { scheme, input } = loadScheme(options.scheme);
  const file = readMarksCsv(options.marksCsv, scheme);
  if (file.errors.length > 0) {
    throw new RehearsalError(
      `the marks file has bad lines: ${file.errors.map((e) => `line ${e.line}: ${e.message.en}`).join('; ')}`,
    );
  }

  const { server, stop } = options.server
    ? { server: options.server, stop: async () => {} }
    : await embeddedServer();
  const clients: ApiClient[] = [];
  const sockets: Spectator['socket'][] = [];
  const client = () => {
    const c = new ApiClient(server.url);
    clients.push(c);
    return c;
  };
  try {
    const organizer = await signIn(client(), { username: server.username, password: server.password });
    const venue = await openVenue(organizer, client, {
      name: `彩排 ${new Date().toISOString()}`,
      organizerName: '彩排',
      venue: '彩排场地',
      judges: judgeLabels(file.events),
    });
    const prepared: VenueEvent[] = [];
    for (const event of file.events) prepared.push(await addEvent(venue, event, input));

    // Spectators: public sockets joined to every round before the first mark.
    const watched = prepared.flatMap((e) => markedRounds(e).map(([, roundId]) => roundId));
    const spectators: Spectator[] = [];
    for (let i = 0; i < Math.max(1, options.spectators ?? 1); i++) {
      spectators.push(await watch(server.url, venue.competitionId, watched));
    }
    sockets.push(...spectators.map((sp) => sp.socket));
    await options.onReady?.({ competitionId: venue.competitionId, organizerToken: organizer.token ?? '' });

    // Every judge sends their marks in order, all judges at once; a shared pace when --rate is given.
    const started = performance.now();
    const interval = options.rate ? 1000 / options.rate : 0;
    let next = 0;
    const pace = async () => {
      const wait = started + next++ * interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    };
    const sent = await submitMarks(venue, prepared, interval ? { pace } : {});
    options.onMarksSent?.(sent);
    const stored = sent.flatMap((m) =>
      m.acknowledgedAt === null ? [] : [{ ...m, acknowledged: m.acknowledgedAt }],
    );

    // Close the rounds as the chief judge and the encryption officer would; the spectators see it happen.
    const finals = new Map<string, number>();
    for (const e of prepared) {
      for (const [, roundId] of markedRounds(e)) {
        await finishRound(venue, roundId, 'rehearsal: closed by the rehearsal tool');
        finals.set(roundId, 0);
      }
    }
    // The final state of each round, as the cacheable public endpoint has it once every write has settled.
    const reader = client();
    const deadline = performance.now() + 10_000;
    for (const roundId of finals.keys()) {
      for (;;) {
        const live = await reader.send<RoundSnapshot>('GET', `${venue.C}/rounds/${roundId}/live`);
        const published = live.status === 200 && live.json.status.published;
        if (
          published &&
          spectators.every((sp) => (sp.latest.get(roundId)?.state?.version ?? 0) >= live.json.version)
        ) {
          finals.set(roundId, live.json.version);
          break;
        }
        if (performance.now() > deadline) {
          if (live.status === 200) finals.set(roundId, live.json.version);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const exported = options.exportDir ? await writeExports(venue, prepared, options.exportDir) : undefined;
    const spectatorsBehind = spectators.filter((sp) =>
      [...finals].some(([roundId, version]) => (sp.latest.get(roundId)?.state?.version ?? 0) < version),
    ).length;
    // Submit → the moment the last spectator received the first update after the mark was acknowledged.
    const toLastSpectator = stored.flatMap((t) => {
      const arrivals = spectators.map(
        (sp) => sp.arrivals.find((a) => a.roundId === t.roundId && a.at >= t.acknowledged)?.at,
      );
      return arrivals.every((at) => at !== undefined) ? [Math.max(...(arrivals as number[])) - t.start] : [];
    });
    const events: RehearsalReport['events'] = prepared.map((e) => {
      const lastRound = markedRounds(e).at(-1)?.[1] ?? '';
      const seen = spectators[0]?.latest.get(lastRound)?.state;
      return {
        event: e.event.event,
        // The lines of `pnpm results`: the workstation code is the live view's key only.
        standings: (seen?.standings ?? []).map(({ workstation: _, ...line }) => line),
      };
    });
    return {
      events,
      latency: {
        submitToAcknowledged: percentiles(stored.map((m) => m.acknowledged - m.start)),
        submitToLastSpectator: percentiles(toLastSpectator),
      },
      updates: updateFigures(spectators),
      spectators: spectators.length,
      spectatorsBehind,
      marksSent: sent.length,
      marksAcknowledged: stored.length,
      duplicates: stored.filter((m) => m.duplicate).length,
      marksLost: sent.length - stored.length,
      messagesLost: spectators.reduce((n, sp) => n + sp.gaps, 0),
      ...(exported ? { exports: exported } : {}),
    };
  } finally {
    for (const socket of sockets) socket.close();
    await Promise.all(clients.map((c) => c.close()));
    await stop();
  }
}

/** Runs the tool; returns the process exit code (0: nothing lost, 1: marks or messages lost, 2: it could not run). */
export async function runRehearse(argv: string[], out: Writer, err: Writer): Promise<number> {
  try {
    const report = await rehearse(rehearsalOptions(argv));
    out(`${JSON.stringify(report, null, 2)}\n`);
    return report.marksLost === 0 && report.spectatorsBehind === 0 ? 0 : 1;
  } catch (error) {
    // A refused step ends the tool as a usage error does: its message and exit 2.
    return usageExit(error instanceof RehearsalError ? new UsageError(error.message) : error, err);
  }
}

function rehearsalOptions(argv: string[]): RehearsalOptions {
  const values = readFlags(argv, [
    'scheme',
    'marks',
    'server',
    'username',
    'password',
    'rate',
    'spectators',
    'export',
  ]);
  if (!values.scheme || !values.marks) {
    throw new UsageError(
      'usage: pnpm rehearse --scheme <template | scheme.json> --marks <marks.csv> [--server URL --username U --password P] [--spectators N] [--rate MARKS_PER_S] [--export DIR]',
    );
  }
  const spectators = values.spectators === undefined ? 1 : Number(values.spectators);
  if (!Number.isInteger(spectators) || spectators < 1 || spectators > 2000)
    throw new UsageError('--spectators must be a whole number from 1 to 2000');
  if (values.server && (!values.username || !values.password))
    throw new UsageError('--server needs --username and --password of an organizer account');
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0))
    throw new UsageError('--rate must be a positive number of marks per second');
  return {
    scheme: values.scheme,
    marksCsv: readText('marks', values.marks),
    ...(values.server
      ? { server: { url: values.server, username: values.username ?? '', password: values.password ?? '' } }
      : {}),
    ...(rate ? { rate } : {}),
    ...(values.export ? { exportDir: values.export } : {}),
    spectators,
  };
}

runAsMain(import.meta.url, runRehearse);
