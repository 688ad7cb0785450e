import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@jiangxin/server/start';
import {
  assignSeatRequest,
  type CheckInResult,
  type CompetitionView,
  type CompetitorCreated,
  type CreateDeviceResponse,
  checkInRequest,
  createCompetitionRequest,
  createCompetitorRequest,
  createDeviceRequest,
  createEventRequest,
  createJudgeRequest,
  createPanelRequest,
  declareAttemptsRequest,
  type EventMarks,
  type EventView,
  grantMembershipRequest,
  type JudgeSignInResponse,
  type JudgeView,
  judgeSignInRequest,
  type LoginResponse,
  loginRequest,
  markOutcome,
  type PairDeviceResponse,
  type PanelView,
  pairDeviceRequest,
  type RoundSnapshot,
  readMarksCsv,
  type SubmitMarkRequest,
  setPinRequest,
  signOffRequest,
  submitMarkRequest,
} from '@jiangxin/shared';
import { readFlags, readText, runAsMain, UsageError, usageExit, type Writer } from './cli';
import { ApiClient, checked, RehearsalError } from './rehearse/api';
import { type Spectator, watch } from './rehearse/spectator';
import { loadScheme } from './scheme-file';

/**
 * `pnpm rehearse --scheme <template | scheme.json> --marks <marks.csv> [--server URL] [--rate MARKS_PER_S]`:
 * a dress rehearsal through the real system. It creates a competition from the scheme, registers the
 * competitors, their declared attempts and the judges found in the marks file, pairs a tablet for every
 * judge and signs the judge in on a connection of its own, submits every mark through the HTTP API (at the
 * given rate, or as fast as the server takes them), then signs off, decrypts and publishes each round and
 * prints the published standings (same shape as `pnpm results`) with latency figures. Without --server it
 * starts the server itself on the embedded default (a throwaway data folder).
 *
 * It is a client like the tablets and screens: HTTP requests built as the shared request types and checked
 * with their schemas, the tablet's retry rule (`markOutcome`), and the public Socket.IO events.
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
  /** Awaited once the competition is set up, before the first mark (a test pairs a big screen in it). */
  onReady?: (venue: { competitionId: string; organizerToken: string }) => Promise<void>;
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

/** The competition the rehearsal sets up through the API, ready for marks. */
interface Venue {
  /** `/api/competitions/:id` */
  C: string;
  competitionId: string;
  chief: ApiClient;
  officer: ApiClient;
  /** A judge's tablet, paired and signed in, by the judge's label in the marks file. */
  tablets: Map<string, ApiClient>;
  events: { event: EventMarks; rounds: Map<string, string>; codes: Map<string, string> }[];
}

/** The rounds of an event that the marks file has marks for, as [key, id]. */
const markedRounds = ({ event, rounds }: Venue['events'][number]) =>
  [...rounds].filter(([key]) => event.marks.some((m) => m.round === key));

/**
 * As an organizer would: a competition with open scoring, a chief judge and an encryption officer, the judges
 * of the marks file each with a tablet, and for every event its competitors, a panel, the draw, check-in and
 * the declared attempts.
 */
async function setUp(
  organizer: ApiClient,
  client: () => ApiClient,
  file: { events: EventMarks[] },
  scheme: string | Record<string, unknown>,
): Promise<Venue> {
  const today = new Date().toISOString().slice(0, 10);
  const competition = await organizer.must<CompetitionView>(
    'POST',
    '/api/competitions',
    checked(createCompetitionRequest, {
      name: `彩排 ${new Date().toISOString()}`,
      level: 'enterprise',
      organizer: '彩排',
      venue: '彩排场地',
      startsOn: today,
      endsOn: today,
      openScoring: true,
    }),
  );
  const C = `/api/competitions/${competition.id}`;
  // The chief judge and encryption officer accounts that close the rounds.
  const staff = async (role: 'chiefJudge' | 'encryptionOfficer') => {
    const credentials = {
      username: `${role}-${randomBytes(4).toString('hex')}`,
      password: randomBytes(12).toString('hex'),
    };
    await organizer.must(
      'POST',
      `${C}/members`,
      checked(grantMembershipRequest, { ...credentials, displayName: role, role }),
    );
    return signIn(client(), credentials);
  };
  const chief = await staff('chiefJudge');
  const officer = await staff('encryptionOfficer');

  // Judges: the labels of the marks file; a seat J1… for each, in that order when they are J1… already.
  const judgeLabels = [...new Set(file.events.flatMap((e) => e.marks.map((m) => m.judge)))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const pin = String(100000 + Math.floor(Math.random() * 900000));
  const judgeIds = new Map<string, string>();
  const tablets = new Map<string, ApiClient>();
  for (const label of judgeLabels) {
    const judge = await organizer.must<JudgeView>(
      'POST',
      `${C}/judges`,
      checked(createJudgeRequest, { name: label, unit: `裁判单位 ${label}`, region: '—' }),
    );
    await organizer.must('POST', `${C}/judges/${judge.id}/pin`, checked(setPinRequest, { pin }));
    judgeIds.set(label, judge.id);
    // A tablet per judge, paired and signed in on a connection of its own.
    const device = await organizer.must<CreateDeviceResponse>(
      'POST',
      `${C}/devices`,
      checked(createDeviceRequest, { kind: 'judge', label: `平板 ${label}` }),
    );
    const tablet = client();
    tablet.token = (
      await tablet.must<PairDeviceResponse>(
        'POST',
        '/api/devices/pair',
        checked(pairDeviceRequest, { code: device.pairingCode }),
      )
    ).token;
    tablet.token = (
      await tablet.must<JudgeSignInResponse>(
        'POST',
        '/api/devices/judge-sign-in',
        checked(judgeSignInRequest, { judgeId: judge.id, pin }),
      )
    ).token;
    tablets.set(label, tablet);
  }

  const events: Venue['events'] = [];
  for (const event of file.events) {
    const created = await organizer.must<EventView>(
      'POST',
      `${C}/events`,
      checked(createEventRequest, { name: event.event, scheme }),
    );
    const E = `${C}/events/${created.id}`;
    const competitorIds = new Map<string, string>();
    for (const name of new Set(event.marks.map((m) => m.competitor))) {
      const made = await organizer.must<CompetitorCreated>(
        'POST',
        `${E}/competitors`,
        checked(createCompetitorRequest, {
          name,
          unit: `参赛单位 ${name}`,
          region: '—',
          frontline: true,
          unionMember: true,
        }),
      );
      competitorIds.set(name, made.competitor.id);
    }
    const panel = await organizer.must<PanelView>(
      'POST',
      `${E}/panels`,
      checked(createPanelRequest, { name: `${event.event} 裁判组`, aspects: [] }),
    );
    for (const [index, label] of judgeLabels.entries()) {
      const seat = /^J\d+$/.test(label) ? label : `J${index + 1}`;
      await organizer.must(
        'PUT',
        `${C}/panels/${panel.id}/seats/${seat}`,
        checked(assignSeatRequest, { judgeId: judgeIds.get(label) ?? '' }),
      );
    }
    await organizer.must('POST', `${E}/draw`);
    const view = await organizer.must<EventView>('GET', E);
    const rounds = new Map(view.rounds.map((r) => [r.key, r.id]));
    const codes = new Map<string, string>();
    for (const [roundKey, roundId] of rounds) {
      const entrants = new Set(event.marks.filter((m) => m.round === roundKey).map((m) => m.competitor));
      for (const name of entrants) {
        const competitorId = competitorIds.get(name) ?? '';
        const checkedIn = await officer.must<CheckInResult>(
          'POST',
          `${C}/rounds/${roundId}/check-in`,
          checked(checkInRequest, { competitorId }),
        );
        codes.set(`${roundKey}\u0000${name}`, checkedIn.code);
        const declared = event.difficulties
          .filter((d) => d.round === roundKey && d.competitor === name)
          .map((d) => ({ attempt: d.attempt, difficulty: d.difficulty }));
        if (declared.length > 0) {
          await organizer.must(
            'PUT',
            `${C}/rounds/${roundId}/competitors/${competitorId}/attempts`,
            checked(declareAttemptsRequest, declared),
          );
        }
      }
    }
    events.push({ event, rounds, codes });
  }
  return { C, competitionId: competition.id, chief, officer, tablets, events };
}

async function signIn(client: ApiClient, credentials: { username: string; password: string }) {
  client.token = (
    await client.must<LoginResponse>('POST', '/api/auth/login', checked(loginRequest, credentials))
  ).token;
  return client;
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
    const venue = await setUp(organizer, client, file, input);
    const { C, chief, officer, tablets } = venue;
    const prepared = venue.events;

    // Spectators: public sockets joined to every round before the first mark.
    const watched = prepared.flatMap((e) => markedRounds(e).map(([, roundId]) => roundId));
    const spectators: Spectator[] = [];
    for (let i = 0; i < Math.max(1, options.spectators ?? 1); i++) {
      spectators.push(await watch(server.url, venue.competitionId, watched));
    }
    sockets.push(...spectators.map((sp) => sp.socket));
    await options.onReady?.({ competitionId: venue.competitionId, organizerToken: organizer.token ?? '' });

    // Every judge sends their marks in order, all judges at once; a shared pace when --rate is given.
    const submitted: number[] = [];
    const timings: { roundId: string; start: number; acknowledged: number }[] = [];
    let acknowledged = 0;
    let duplicates = 0;
    let sent = 0;
    const started = performance.now();
    const interval = options.rate ? 1000 / options.rate : 0;
    let next = 0;
    const pace = async () => {
      if (!interval) return;
      const slot = next++ * interval;
      const wait = started + slot - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    };
    await Promise.all(
      [...tablets].map(async ([label, tablet]) => {
        for (const { event, rounds, codes } of prepared) {
          for (const m of event.marks.filter((x) => x.judge === label)) {
            await pace();
            const mark: SubmitMarkRequest = checked(submitMarkRequest, {
              id: randomUUID(),
              workstation: codes.get(`${m.round}\u0000${m.competitor}`) ?? '',
              item: m.item,
              value: m.value,
            });
            const roundId = rounds.get(m.round) ?? '';
            const url = `${C}/rounds/${roundId}/marks`;
            sent++;
            const t0 = performance.now();
            // The tablet's rule (markOutcome): retry with the same id and body until stored or refused.
            for (let attempt = 0; attempt < 5; attempt++) {
              const answer = await tablet.send('POST', url, mark).catch(() => null);
              const outcome = markOutcome(answer?.status ?? null);
              if (outcome === 'stored') {
                acknowledged++;
                if (answer?.status === 200) duplicates++;
                submitted.push(performance.now() - t0);
                timings.push({ roundId, start: t0, acknowledged: performance.now() });
              }
              if (outcome !== 'retry') break;
              await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
            }
          }
        }
      }),
    );

    // Close the rounds as the chief judge and the encryption officer would; the spectators see it happen.
    const finals = new Map<string, number>();
    for (const e of prepared) {
      for (const [, roundId] of markedRounds(e)) {
        const R = `${C}/rounds/${roundId}`;
        await chief.must(
          'POST',
          `${R}/sign-off`,
          checked(signOffRequest, {
            confirm: true,
            force: true,
            reason: 'rehearsal: closed by the rehearsal tool',
          }),
        );
        await officer.must('POST', `${R}/decrypt`);
        await chief.must('POST', `${R}/publish`);
        finals.set(roundId, 0);
      }
    }
    // The final state of each round, as the cacheable public endpoint has it once every write has settled.
    const reader = client();
    const deadline = performance.now() + 10_000;
    for (const roundId of finals.keys()) {
      for (;;) {
        const live = await reader.send<RoundSnapshot>('GET', `${C}/rounds/${roundId}/live`);
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
    const spectatorsBehind = spectators.filter((sp) =>
      [...finals].some(([roundId, version]) => (sp.latest.get(roundId)?.state?.version ?? 0) < version),
    ).length;
    // Submit → the moment the last spectator received the first update after the mark was acknowledged.
    const toLastSpectator = timings.flatMap((t) => {
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
        submitToAcknowledged: percentiles(submitted),
        submitToLastSpectator: percentiles(toLastSpectator),
      },
      updates: updateFigures(spectators),
      spectators: spectators.length,
      spectatorsBehind,
      marksSent: sent,
      marksAcknowledged: acknowledged,
      duplicates,
      marksLost: sent - acknowledged,
      messagesLost: spectators.reduce((n, sp) => n + sp.gaps, 0),
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
    return usageExit(error, err);
  }
}

function rehearsalOptions(argv: string[]): RehearsalOptions {
  const values = readFlags(argv, ['scheme', 'marks', 'server', 'username', 'password', 'rate', 'spectators']);
  if (!values.scheme || !values.marks) {
    throw new UsageError(
      'usage: pnpm rehearse --scheme <template | scheme.json> --marks <marks.csv> [--server URL --username U --password P] [--spectators N] [--rate MARKS_PER_S]',
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
    spectators,
  };
}

runAsMain(import.meta.url, runRehearse);
