import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type EventMarks,
  getTemplate,
  type LiveClientEvents,
  type LiveServerEvents,
  parseScheme,
  type RoundSnapshot,
  readMarksCsv,
  type Scheme,
  type SchemeInput,
  templateNames,
} from '@jiangxin/shared';
import { RoundFollower } from '@jiangxin/shared/live';
import { io, type Socket } from 'socket.io-client';
import { Agent, fetch } from 'undici';
import { buildApp } from '../app';
import { openDatabase } from '../db/client';
import { createOrganizerAccount } from '../modules/auth/accounts';

/**
 * `pnpm rehearse --scheme <template | scheme.json> --marks <marks.csv> [--server URL] [--rate MARKS_PER_S]`:
 * a dress rehearsal through the real system. It creates a competition from the scheme, registers the
 * competitors, their declared attempts and the judges found in the marks file, pairs a tablet for every
 * judge and signs the judge in on a connection of its own, submits every mark through the HTTP API (at the
 * given rate, or as fast as the server takes them), then signs off, decrypts and publishes each round and
 * prints the published standings (same shape as `pnpm results`) with latency figures. Without --server it
 * starts the server itself on the embedded default (a throwaway data folder).
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

class RehearsalError extends Error {}

function schemeArgument(nameOrPath: string): { scheme: Scheme; input: string | SchemeInput } {
  if (!nameOrPath.endsWith('.json')) {
    const scheme = getTemplate(nameOrPath);
    if (!scheme)
      throw new RehearsalError(`unknown template "${nameOrPath}"; templates: ${templateNames.join(', ')}`);
    return { scheme, input: nameOrPath };
  }
  const json = JSON.parse(readFileSync(nameOrPath, 'utf8')) as unknown;
  const parsed = parseScheme(json);
  if (!parsed.ok) {
    throw new RehearsalError(
      `scheme ${nameOrPath} is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  }
  return { scheme: parsed.scheme, input: json as SchemeInput };
}

/** One client of the API: its own connection (an undici Agent), its token. */
class Client {
  private readonly agent = new Agent({ connections: 1, pipelining: 1 });
  token: string | null = null;

  constructor(private readonly base: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      dispatcher: this.agent,
      headers: {
        accept: 'application/json',
        'accept-language': 'en',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
  }

  /** A call that must succeed; otherwise the rehearsal stops, saying what the server answered. */
  async must<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, json } = await this.call<T>(method, path, body);
    if (status >= 300) throw new RehearsalError(`${method} ${path} → ${status}: ${JSON.stringify(json)}`);
    return json;
  }

  close() {
    return this.agent.close();
  }
}

interface Spectator {
  socket: Socket<LiveServerEvents, LiveClientEvents>;
  /** Each round as this spectator's screen shows it. */
  latest: Map<string, RoundFollower>;
  arrivals: { roundId: string; at: number; kind: 'delta' | 'snapshot'; bytes: number }[];
  /** Updates it could not apply (a version gap): it joined the round again for a snapshot. */
  gaps: number;
}

/** A public socket that follows the rounds as a phone page does: snapshot on joining, then updates. */
async function watch(origin: string, competitionId: string, roundIds: readonly string[]): Promise<Spectator> {
  const socket: Socket<LiveServerEvents, LiveClientEvents> = io(origin, {
    transports: ['websocket'],
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const spectator: Spectator = { socket, latest: new Map(), arrivals: [], gaps: 0 };
  const join = async (roundId: string): Promise<void> => {
    const round = spectator.latest.get(roundId) ?? new RoundFollower();
    spectator.latest.set(roundId, round);
    round.joining();
    const answer = await socket.emitWithAck('round:join', { competitionId, roundId });
    if ('error' in answer) {
      round.joinFailed();
      throw new RehearsalError(`a spectator could not join round ${roundId}: ${answer.error.code}`);
    }
    if (round.joined(answer.data) === 'rejoin') {
      spectator.gaps++;
      await join(roundId);
    }
  };
  socket.on('round:update', (update) => {
    spectator.arrivals.push({
      roundId: update.roundId,
      at: performance.now(),
      kind: update.delta ? 'delta' : 'snapshot',
      // The JSON text is what Socket.IO puts on the wire (no compression).
      bytes: Buffer.byteLength(JSON.stringify(update)),
    });
    const round = spectator.latest.get(update.roundId);
    if (round?.update(update) === 'rejoin') {
      spectator.gaps++;
      join(update.roundId).catch(() => {});
    }
  });
  for (const roundId of roundIds) await join(roundId);
  return spectator;
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

export async function rehearse(options: RehearsalOptions): Promise<RehearsalReport> {
  const { scheme, input } = schemeArgument(options.scheme);
  const file = readMarksCsv(options.marksCsv, scheme);
  if (file.errors.length > 0) {
    throw new RehearsalError(
      `the marks file has bad lines: ${file.errors.map((e) => `line ${e.line}: ${e.message.en}`).join('; ')}`,
    );
  }

  let stop = async () => {};
  let server = options.server;
  if (!server) {
    const dataDir = mkdtempSync(join(tmpdir(), 'jx-rehearsal-'));
    const database = await openDatabase({ dataDir });
    const app = await buildApp({ database, secret: randomBytes(32).toString('hex') });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const credentials = { username: 'rehearsal', password: randomBytes(12).toString('hex') };
    await createOrganizerAccount(app.db, { ...credentials, displayName: '彩排组委会' });
    server = { url: address, ...credentials };
    stop = async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }

  const clients: Client[] = [];
  const sockets: Socket[] = [];
  const client = () => {
    const c = new Client(server.url);
    clients.push(c);
    return c;
  };
  try {
    const organizer = client();
    organizer.token = (
      await organizer.must<{ token: string }>('POST', '/api/auth/login', {
        username: server.username,
        password: server.password,
      })
    ).token;
    const today = new Date().toISOString().slice(0, 10);
    const competition = await organizer.must<{ id: string }>('POST', '/api/competitions', {
      name: `彩排 ${new Date().toISOString()}`,
      level: 'enterprise',
      organizer: '彩排',
      venue: '彩排场地',
      startsOn: today,
      endsOn: today,
      openScoring: true,
    });
    const C = `/api/competitions/${competition.id}`;
    // The chief judge and encryption officer accounts that close the rounds.
    const staff = async (role: 'chiefJudge' | 'encryptionOfficer') => {
      const credentials = {
        username: `${role}-${randomBytes(4).toString('hex')}`,
        password: randomBytes(12).toString('hex'),
      };
      await organizer.must('POST', `${C}/members`, { ...credentials, displayName: role, role });
      const c = client();
      c.token = (await c.must<{ token: string }>('POST', '/api/auth/login', credentials)).token;
      return c;
    };
    const chief = await staff('chiefJudge');
    const officer = await staff('encryptionOfficer');

    // Judges: the labels of the marks file; a seat J1… for each, in that order when they are J1… already.
    const judgeLabels = [...new Set(file.events.flatMap((e) => e.marks.map((m) => m.judge)))].sort((a, b) =>
      a.localeCompare(b, 'en', { numeric: true }),
    );
    const pin = String(100000 + Math.floor(Math.random() * 900000));
    const judgeIds = new Map<string, string>();
    for (const label of judgeLabels) {
      const judge = await organizer.must<{ id: string }>('POST', `${C}/judges`, {
        name: label,
        unit: `裁判单位 ${label}`,
        region: '—',
      });
      await organizer.must('POST', `${C}/judges/${judge.id}/pin`, { pin });
      judgeIds.set(label, judge.id);
    }
    // A tablet per judge, paired and signed in on a connection of its own.
    const tablets = new Map<string, Client>();
    for (const label of judgeLabels) {
      const device = await organizer.must<{ pairingCode: string }>('POST', `${C}/devices`, {
        kind: 'judge',
        label: `平板 ${label}`,
      });
      const tablet = client();
      tablet.token = (
        await tablet.must<{ token: string }>('POST', '/api/devices/pair', { code: device.pairingCode })
      ).token;
      tablet.token = (
        await tablet.must<{ token: string }>('POST', '/api/devices/judge-sign-in', {
          judgeId: judgeIds.get(label),
          pin,
        })
      ).token;
      tablets.set(label, tablet);
    }

    const prepared: { event: EventMarks; rounds: Map<string, string>; codes: Map<string, string> }[] = [];
    for (const event of file.events) {
      const created = await organizer.must<{ id: string }>('POST', `${C}/events`, {
        name: event.event,
        scheme: input,
      });
      const E = `${C}/events/${created.id}`;
      const names = [...new Set(event.marks.map((m) => m.competitor))];
      const competitorIds = new Map<string, string>();
      for (const name of names) {
        const made = await organizer.must<{ competitor: { id: string } }>('POST', `${E}/competitors`, {
          name,
          unit: `参赛单位 ${name}`,
          region: '—',
          frontline: true,
          unionMember: true,
        });
        competitorIds.set(name, made.competitor.id);
      }
      const panel = await organizer.must<{ id: string }>('POST', `${E}/panels`, {
        name: `${event.event} 裁判组`,
        aspects: [],
      });
      for (const [index, label] of judgeLabels.entries()) {
        const seat = /^J\d+$/.test(label) ? label : `J${index + 1}`;
        await organizer.must('PUT', `${C}/panels/${panel.id}/seats/${seat}`, {
          judgeId: judgeIds.get(label),
        });
      }
      await organizer.must('POST', `${E}/draw`);
      const view = await organizer.must<{ rounds: { id: string; key: string }[] }>('GET', E);
      const rounds = new Map(view.rounds.map((r) => [r.key, r.id]));
      const codes = new Map<string, string>();
      for (const [roundKey, roundId] of rounds) {
        const entrants = [
          ...new Set(event.marks.filter((m) => m.round === roundKey).map((m) => m.competitor)),
        ];
        for (const name of entrants) {
          const checkedIn = await officer.must<{ code: string }>('POST', `${C}/rounds/${roundId}/check-in`, {
            competitorId: competitorIds.get(name),
          });
          codes.set(`${roundKey}\u0000${name}`, checkedIn.code);
          const declared = event.difficulties
            .filter((d) => d.round === roundKey && d.competitor === name)
            .map((d) => ({ attempt: d.attempt, difficulty: d.difficulty }));
          if (declared.length > 0) {
            await organizer.must(
              'PUT',
              `${C}/rounds/${roundId}/competitors/${competitorIds.get(name)}/attempts`,
              declared,
            );
          }
        }
      }
      prepared.push({ event, rounds, codes });
    }

    // Spectators: public sockets joined to every round before the first mark.
    const watched = prepared.flatMap(({ event, rounds }) =>
      [...rounds].filter(([key]) => event.marks.some((m) => m.round === key)).map(([, roundId]) => roundId),
    );
    const spectators: Spectator[] = [];
    for (let i = 0; i < Math.max(1, options.spectators ?? 1); i++) {
      spectators.push(await watch(server.url, competition.id, watched));
    }
    sockets.push(...spectators.map((sp) => sp.socket));

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
      judgeLabels.map(async (label) => {
        const tablet = tablets.get(label) as Client;
        for (const { event, rounds, codes } of prepared) {
          for (const m of event.marks.filter((x) => x.judge === label)) {
            await pace();
            const body = {
              id: randomUUID(),
              workstation: codes.get(`${m.round}\u0000${m.competitor}`),
              item: m.item,
              value: m.value,
            };
            const roundId = rounds.get(m.round) ?? '';
            const url = `${C}/rounds/${roundId}/marks`;
            sent++;
            const t0 = performance.now();
            // The tablet's rule: retry a 5xx or a dropped connection with the same id and body.
            for (let attempt = 0; attempt < 5; attempt++) {
              const answer = await tablet.call('POST', url, body).catch(() => null);
              if (answer && answer.status < 500) {
                if (answer.status === 201 || answer.status === 200) {
                  acknowledged++;
                  if (answer.status === 200) duplicates++;
                  submitted.push(performance.now() - t0);
                  timings.push({ roundId, start: t0, acknowledged: performance.now() });
                }
                break;
              }
            }
          }
        }
      }),
    );

    // Close the rounds as the chief judge and the encryption officer would; the spectators see it happen.
    const finals = new Map<string, number>();
    for (const { event, rounds } of prepared) {
      for (const [roundKey, roundId] of rounds) {
        if (!event.marks.some((m) => m.round === roundKey)) continue;
        const R = `${C}/rounds/${roundId}`;
        await chief.must('POST', `${R}/sign-off`, {
          confirm: true,
          force: true,
          reason: 'rehearsal: closed by the rehearsal tool',
        });
        await officer.must('POST', `${R}/decrypt`, {});
        await chief.must('POST', `${R}/publish`, {});
        finals.set(roundId, 0);
      }
    }
    // The final state of each round, as the cacheable public endpoint has it once every write has settled.
    const reader = client();
    const deadline = performance.now() + 10_000;
    for (const roundId of finals.keys()) {
      for (;;) {
        const live = await reader.call<RoundSnapshot>('GET', `${C}/rounds/${roundId}/live`);
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
    const events: RehearsalReport['events'] = prepared.map(({ event, rounds }) => {
      const lastRound =
        [...rounds].filter(([key]) => event.marks.some((m) => m.round === key)).at(-1)?.[1] ?? '';
      const seen = spectators[0]?.latest.get(lastRound)?.state;
      return {
        event: event.event,
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

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scheme: { type: 'string' },
      marks: { type: 'string' },
      server: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      rate: { type: 'string' },
      spectators: { type: 'string' },
    },
    strict: true,
  });
  if (!values.scheme || !values.marks) {
    console.error(
      'usage: pnpm rehearse --scheme <template | scheme.json> --marks <marks.csv> [--server URL --username U --password P] [--spectators N] [--rate MARKS_PER_S]',
    );
    return 2;
  }
  const spectators = values.spectators === undefined ? 1 : Number(values.spectators);
  if (!Number.isInteger(spectators) || spectators < 1 || spectators > 2000) {
    console.error('--spectators must be a whole number from 1 to 2000');
    return 2;
  }
  if (values.server && (!values.username || !values.password)) {
    console.error('--server needs --username and --password of an organizer account');
    return 2;
  }
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (rate !== undefined && !(rate > 0)) {
    console.error('--rate must be a positive number of marks per second');
    return 2;
  }
  try {
    const report = await rehearse({
      scheme: values.scheme,
      marksCsv: readFileSync(values.marks, 'utf8'),
      ...(values.server
        ? { server: { url: values.server, username: values.username ?? '', password: values.password ?? '' } }
        : {}),
      ...(rate ? { rate } : {}),
      spectators,
    });
    console.log(JSON.stringify(report, null, 2));
    return report.marksLost === 0 && report.spectatorsBehind === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof RehearsalError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2).filter((a) => a !== '--'));
}
