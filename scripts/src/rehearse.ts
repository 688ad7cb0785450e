import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiClient,
  createEvent,
  finishRound,
  judgeLabels,
  markedRounds,
  openRound,
  openVenue,
  RehearsalError,
  roundPanels,
  type SentMark,
  seatPanel,
  signIn,
  submitMarks,
  type Venue,
  type VenueEvent,
} from '@jiangxin/server/rehearsal';
import { type RunningServer, startServer } from '@jiangxin/server/start';
import {
  csvRow,
  type EventJson,
  parseCsv,
  parseScheme,
  type RoundResultsResponse,
  type RoundSnapshot,
  readMarksCsv,
  type Scheme,
} from '@jiangxin/shared';
import { readFlags, readText, runAsMain, UsageError, usageExit, type Writer } from './cli';
import { type Spectator, watch } from './rehearse/spectator';
import { formatResults, standingsOf } from './results';
import { loadSchemes } from './scheme-file';

/**
 * `pnpm rehearse --scheme <template | scheme.json> [--scheme EVENT=<template | scheme.json> …] --marks
 * <marks.csv> [--server URL] [--rate MARKS_PER_S] [--export DIR]`: a dress rehearsal through the real system
 * of every round of every event in a marks file, in order. It creates a competition with the judges found in
 * the file, pairs a tablet for every judge and signs the judge in on a connection of its own; then, event by
 * event and round by round as the scheme orders them: seats the round's panels as the file shows them (the
 * judges who marked a competitor are that competitor's panel), checks in the round's competitors (only those
 * the engine advanced from the round before: the file must agree, or the rehearsal stops saying who differs),
 * declares the attempts the file has for each, submits every mark through the HTTP API (at the given rate, or
 * as fast as the server takes them), signs the round off, decrypts and publishes it.
 *
 * On stdout it prints each event's standings exactly as `pnpm results --format json` prints them, computed by
 * the same function from what the server published (the event's official marks.csv and scheme.json, read back
 * through the export API); on stderr its figures as JSON: latency, marks and messages lost, update sizes, the
 * rounds it ran, and the events whose published standings differ from `pnpm results` over the input file.
 * With --export DIR it also writes the official exports (results.xlsx, results.pdf, results.csv, and per event
 * <event>.marks.csv with <event>.scheme.json). Without --server it starts the server itself on the embedded
 * default (a throwaway data folder).
 *
 * It is a client like the tablets and screens: HTTP requests built as the shared request types and checked
 * with their schemas, the tablet's retry rule (`markOutcome`), and the public Socket.IO events. The set-up,
 * the marking and the closing of rounds are `@jiangxin/server/rehearsal`, which the demo player uses too;
 * this file adds the order of rounds, the spectators, the pace of --rate and the report.
 *
 * The competition uses open scoring (公开评分), as open sports do: the spectators (--spectators N public
 * sockets) follow every round live (by workstation code until decryption, as blind marking needs).
 */

export interface RehearsalOptions {
  /** `--scheme` as given: one for every event, and/or `EVENT=<template | scheme.json>` once per event. */
  scheme: string | readonly string[];
  marksCsv: string;
  /** A running server; when absent, one is started in this process on a throwaway embedded database. */
  server?: { url: string; username: string; password: string };
  /** Marks per second across all judges; absent: as fast as the server takes them. */
  rate?: number;
  /** Public sockets that watch every round (at least one). */
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

/** A round as the rehearsal ran it: how many competitors it checked in, the panels it seated. */
export interface RoundRun {
  event: string;
  round: string;
  competitors: number;
  /** Each panel's seats (the file's judge labels), how many competitors it marked and which attempts (empty: all). */
  panels: { seats: string[]; competitors: number; attempts: number[] }[];
}

export interface RehearsalReport {
  /** Each event's standings as published, exactly as `pnpm results --format json` computes them. */
  events: EventJson[];
  /** Events whose published standings differ from `pnpm results` over the input file (none: they agree). */
  standingsDiffer: string[];
  rounds: RoundRun[];
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

/** An exported marks file with each seat named by the marks file's judge label again (the seats were J1, J2 … for them). */
function labelled(marksCsv: string, seats: ReadonlyMap<string, string>): string {
  const labelOf = new Map([...seats].map(([label, seat]) => [seat, label]));
  if ([...labelOf].every(([seat, label]) => seat === label)) return marksCsv;
  const [header = [], ...rows] = parseCsv(marksCsv).records.map((r) => r.fields);
  const judge = header.indexOf('judge');
  const renamed = rows.map((row) =>
    row.map((field, i) => (i === judge ? (labelOf.get(field) ?? field) : field)),
  );
  return `${[header, ...renamed].map(csvRow).join('\n')}\n`;
}

interface OfficialFiles {
  files: { name: string; bytes: Buffer }[];
  auditPosition: string;
  /** Each event's standings from its official marks.csv and scheme.json, as `pnpm results` computes them. */
  events: EventJson[];
}

/**
 * The official files, downloaded as the organizer through the export API once every round is published: each
 * must come back official (not a draft). Per event its marks.csv and scheme.json, from which its standings
 * are computed; with `documents`, the competition's results.xlsx, .pdf and .csv first.
 */
async function officialFiles(
  venue: Venue,
  events: readonly VenueEvent[],
  documents: boolean,
): Promise<OfficialFiles> {
  const official: OfficialFiles = { files: [], auditPosition: '', events: [] };
  const get = async (path: string, name: string) => {
    const { bytes, headers } = await venue.organizer.download(path);
    if (headers['x-results-status'] !== 'official')
      throw new RehearsalError(`GET ${path} answered a ${headers['x-results-status'] ?? 'unmarked'} export`);
    official.auditPosition = headers['x-audit-position'] ?? '';
    official.files.push({ name, bytes });
    return bytes.toString('utf8');
  };
  if (documents)
    for (const format of ['xlsx', 'pdf', 'csv'])
      await get(`${venue.C}/exports/results.${format}`, `results.${format}`);
  for (const e of events) {
    const E = `${venue.C}/events/${e.eventId}/exports`;
    const marks = labelled(await get(`${E}/marks.csv`, `${fileName(e.event.event)}.marks.csv`), venue.seats);
    const parsed = parseScheme(
      JSON.parse(await get(`${E}/scheme.json`, `${fileName(e.event.event)}.scheme.json`)),
    );
    if (!parsed.ok) throw new RehearsalError(`the exported scheme of ${e.event.event} does not parse`);
    const computed = standingsOf(marks, () => parsed.scheme);
    if (computed.errors.length > 0)
      throw new RehearsalError(
        `the exported marks of ${e.event.event} have bad lines: ${computed.errors.map((x) => `line ${x.line}: ${x.message.en}`).join('; ')}`,
      );
    official.events.push(...computed.events);
  }
  return official;
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

/** The names the marks file has in a round. */
const entrantsOf = (e: VenueEvent, round: string) => [
  ...new Set(e.event.marks.filter((m) => m.round === round).map((m) => m.competitor)),
];

/**
 * After a round is published: the competitors the marks file has in the next round must be those the engine
 * advanced (as the server published the round), or the rehearsal stops naming who differs.
 */
async function checkAdvancement(venue: Venue, e: VenueEvent, from: [string, string], to: string) {
  const [fromKey, fromId] = from;
  const published = await venue.chief.must<RoundResultsResponse>(
    'GET',
    `${venue.C}/rounds/${fromId}/results`,
  );
  const advancement = published.event.rounds.find((r) => r.round === fromKey)?.advancement;
  if (!advancement) return;
  const advanced = new Set(advancement.advancing);
  const inFile = new Set(entrantsOf(e, to));
  const notAdvanced = [...inFile].filter((c) => !advanced.has(c));
  const absent = [...advanced].filter((c) => !inFile.has(c));
  if (notAdvanced.length === 0 && absent.length === 0) return;
  throw new RehearsalError(
    [
      `${e.event.event}: the marks file's round ${to} is not who the engine advances from ${fromKey} (the top ${advancement.count}${advancement.tiedAtCut.length > 0 ? `, tied at the cut: ${advancement.tiedAtCut.join(', ')}` : ''})`,
      ...(notAdvanced.length > 0 ? [`in ${to} in the file but not advanced: ${notAdvanced.join(', ')}`] : []),
      ...(absent.length > 0 ? [`advanced but not in ${to} in the file: ${absent.join(', ')}`] : []),
    ].join('; '),
  );
}

/**
 * Seats the panels of the event as the marks file shows them: one panel for the whole event when every round
 * was marked by the same judges (as a final's panel marks every round), else per round one panel for each set
 * of judges, covering the competitors they marked (two panels alternating: A组 and B组), its seats the file's
 * labels (J8…J14 on the second of a pool of fourteen).
 */
async function seatPanels(venue: Venue, e: VenueEvent, scheme: Scheme): Promise<RoundRun[]> {
  const name = e.event.event;
  const rounds = markedRounds(e).map(([round, roundId]) => ({
    round,
    roundId,
    panels: roundPanels(e.event, scheme, round),
  }));
  const only = rounds[0]?.panels[0];
  const oneForAll =
    only !== undefined &&
    rounds.every(
      (r) =>
        r.panels.length === 1 &&
        r.panels[0]?.judges.join(' ') === only.judges.join(' ') &&
        r.panels[0].competitors.length + r.panels[0].attempts.length + r.panels[0].aspects.length === 0,
    );
  if (oneForAll) await seatPanel(venue, e, { name: `${name} 裁判组`, judges: only.judges });
  else
    for (const { round, roundId, panels } of rounds)
      for (const [index, panel] of panels.entries()) {
        const group = panels.length > 1 ? `${String.fromCharCode(65 + index)}组` : '';
        await seatPanel(venue, e, {
          name: `${name} ${round} 裁判组${group ? ` ${group}` : ''}`,
          judges: panel.judges,
          roundId,
          competitors: panel.competitors,
          attempts: panel.attempts,
          aspects: panel.aspects,
          group,
        });
      }
  return rounds.map(({ round, panels }) => ({
    event: name,
    round,
    competitors: entrantsOf(e, round).length,
    panels: panels.map((p) => ({
      seats: p.judges,
      competitors: p.competitors.length || entrantsOf(e, round).length,
      attempts: p.attempts,
    })),
  }));
}

export async function rehearse(options: RehearsalOptions): Promise<RehearsalReport> {
  const schemes = loadSchemes(typeof options.scheme === 'string' ? [options.scheme] : options.scheme);
  const schemeOf = (event: string): Scheme | undefined => schemes(event)?.scheme;
  const file = readMarksCsv(options.marksCsv, schemeOf);
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
    const ran: RoundRun[] = [];
    for (const event of file.events) {
      const e = await createEvent(venue, event, schemes(event.event)?.input ?? '');
      ran.push(...(await seatPanels(venue, e, schemeOf(event.event) as Scheme)));
      prepared.push(e);
    }

    // Spectators: public sockets joined to every round before the first mark.
    const watched = prepared.flatMap((e) => markedRounds(e).map(([, roundId]) => roundId));
    const spectators: Spectator[] = [];
    for (let i = 0; i < Math.max(1, options.spectators ?? 1); i++) {
      spectators.push(await watch(server.url, venue.competitionId, watched));
    }
    sockets.push(...spectators.map((sp) => sp.socket));
    await options.onReady?.({ competitionId: venue.competitionId, organizerToken: organizer.token ?? '' });

    // Round by round: the judges of the round send their marks in order, all at once; a shared pace when
    // --rate is given. The chief judge and the encryption officer then close the round; the spectators see it.
    const started = performance.now();
    const interval = options.rate ? 1000 / options.rate : 0;
    let next = 0;
    const pace = async () => {
      const wait = started + next++ * interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    };
    const sent: SentMark[] = [];
    const finals = new Map<string, number>();
    for (const e of prepared) {
      const held = markedRounds(e);
      const order = (schemeOf(e.event.event)?.rounds ?? []).map((r) => r.id);
      for (const [index, [round, roundId]] of held.entries()) {
        const before = held[index - 1];
        if (before && order.indexOf(before[0]) === order.indexOf(round) - 1)
          await checkAdvancement(venue, e, before, round);
        await openRound(venue, e, round);
        const only = { ...e, event: { ...e.event, marks: e.event.marks.filter((m) => m.round === round) } };
        sent.push(...(await submitMarks(venue, [only], interval ? { pace } : {})));
        await finishRound(venue, roundId, 'rehearsal: closed by the rehearsal tool');
        finals.set(roundId, 0);
      }
    }
    options.onMarksSent?.(sent);
    const stored = sent.flatMap((m) =>
      m.acknowledgedAt === null ? [] : [{ ...m, acknowledged: m.acknowledgedAt }],
    );

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
    const official = await officialFiles(venue, prepared, options.exportDir !== undefined);
    let exported: RehearsalReport['exports'];
    if (options.exportDir) {
      mkdirSync(options.exportDir, { recursive: true });
      for (const f of official.files) writeFileSync(join(options.exportDir, f.name), f.bytes);
      exported = {
        dir: options.exportDir,
        files: official.files.map((f) => f.name),
        auditPosition: official.auditPosition,
      };
    }
    // What `pnpm results` computes from the input file: the published standings must be the same, line by line.
    const offline = new Map(standingsOf(options.marksCsv, schemeOf).events.map((e) => [e.event, e]));
    const standingsDiffer = official.events
      .filter((e) => JSON.stringify(e) !== JSON.stringify(offline.get(e.event)))
      .map((e) => e.event);
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
    return {
      events: official.events,
      standingsDiffer,
      rounds: ran,
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

/**
 * Runs the tool; returns the process exit code (0: nothing lost and the standings agree with `pnpm results`,
 * 1: marks or messages lost, or standings that differ, 2: it could not run). The standings go to stdout, the
 * figures to stderr.
 */
export async function runRehearse(argv: string[], out: Writer, err: Writer): Promise<number> {
  try {
    const { events, ...figures } = await rehearse(rehearsalOptions(argv));
    out(formatResults(events, 'json'));
    err(`${JSON.stringify(figures, null, 2)}\n`);
    return figures.marksLost === 0 && figures.spectatorsBehind === 0 && figures.standingsDiffer.length === 0
      ? 0
      : 1;
  } catch (error) {
    // A refused step ends the tool as a usage error does: its message and exit 2.
    return usageExit(error instanceof RehearsalError ? new UsageError(error.message) : error, err);
  }
}

function rehearsalOptions(argv: string[]): RehearsalOptions {
  const values = readFlags(
    argv,
    ['scheme', 'marks', 'server', 'username', 'password', 'rate', 'spectators', 'export'],
    ['scheme'],
  );
  if (!values.scheme || !values.marks) {
    throw new UsageError(
      'usage: pnpm rehearse --scheme <template | scheme.json> [--scheme EVENT=<template | scheme.json> …] --marks <marks.csv> [--server URL --username U --password P] [--spectators N] [--rate MARKS_PER_S] [--export DIR]',
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
  // Read now, so a bad --scheme is a usage error before anything starts.
  loadSchemes(values.scheme);
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
