import { readFileSync } from 'node:fs';
import {
  type CreateDeviceResponse,
  createDeviceRequest,
  type DevicesResponse,
  type EventMarkInput,
  type EventMarks,
  formatPairingCode,
  parseScheme,
  readMarksCsv,
  templateInputs,
} from '@jiangxin/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Env } from '../env';
import { loggableError } from '../plugins/errors';
import {
  ApiClient,
  addEvent,
  checked,
  finishRound,
  judgeLabels,
  markedRounds,
  openVenue,
  pause,
  renewTokens,
  signIn,
  submitMarks,
  type Venue,
} from '../rehearsal';
import { demoEvent } from './index';

/**
 * The demo that plays itself (embedded default, DEMO_PLAY=on): the Paris final marked again and again in a
 * competition of its own, by simulated judges on paired tablets through the real API at a human pace, each
 * round signed off, decrypted and published, then a fresh round. It is the rehearsal's machinery pointed at
 * the server's own URL, so /screen and /live show marks arriving as they would at a venue.
 */

export interface DemoPace {
  /** From one dive to the next. */
  diveMs: number;
  /** A dive's marks arrive, one judge after another, within this time after it starts. */
  marksWithinMs: number;
  /** After a round is published, before the next one starts. */
  betweenRoundsMs: number;
}

/** A dive every 5 s (72 dives: six minutes a round), as a newcomer can follow on the big screen. */
export const humanPace: DemoPace = { diveMs: 5000, marksWithinMs: 3000, betweenRoundsMs: 30_000 };

export interface DemoPlayerOptions {
  /** The server's own address, e.g. http://127.0.0.1:3000. */
  url: string;
  /** An organizer account to set the competition up with (the demo organizer). */
  organizer: { username: string; password: string };
  pace?: DemoPace;
}

export interface DemoPlayer {
  /** Stops playing; resolves once none of the player's requests is left in flight. */
  stop(): Promise<void>;
}

/** The player's requests say so (user-agent), so the server's log can leave them out. */
export const DEMO_PLAYER_AGENT = 'jiangxin-demo-player';

/** After this many failed rounds in a row the player gives up rather than fill the database with attempts. */
const FAILURES_BEFORE_GIVING_UP = 3;

/** Whether the settings ask for the player: the embedded default, DEMO_PLAY not off. */
export const demoPlays = (env: Pick<Env, 'DATABASE_URL' | 'DEMO_PLAY'>) =>
  !env.DATABASE_URL && env.DEMO_PLAY === 'on';

/** Starts the player when the settings ask for it; else null. */
export function startDemoPlayer(
  log: FastifyBaseLogger,
  env: Pick<Env, 'DATABASE_URL' | 'DEMO_PLAY'>,
  options: DemoPlayerOptions,
): DemoPlayer | null {
  if (!demoPlays(env)) return null;
  const controller = new AbortController();
  const running = play(log, options, controller.signal).catch((error: unknown) => {
    if (!controller.signal.aborted)
      log.warn({ error: loggableError(error) }, 'demo player: stopped (the rest of the server runs on)');
  });
  return {
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

async function play(log: FastifyBaseLogger, options: DemoPlayerOptions, signal: AbortSignal) {
  const pace = options.pace ?? humanPace;
  const { input, scheme } = finalOnly();
  const [event] = scheme ? readMarksCsv(readFileSync(demoEvent.marksFile, 'utf8'), scheme).events : [];
  if (!event) throw new Error(`the demo marks file ${demoEvent.marksFile} has no event`);
  const clients: ApiClient[] = [];
  const client = () => {
    const c = new ApiClient(options.url, DEMO_PLAYER_AGENT);
    clients.push(c);
    return c;
  };
  let venue: Venue | null = null;
  let screen: Promise<void> = Promise.resolve();
  // The screen's codes stop with the rounds, whether the server closes or the player gives up.
  const ended = new AbortController();
  const screenSignal = AbortSignal.any([signal, ended.signal]);
  let failures = 0;
  try {
    for (let round = 1; !signal.aborted; ) {
      try {
        if (venue) await renewTokens(venue);
        else {
          venue = await openVenue(await signIn(client(), options.organizer), client, {
            name: `演示：自动播放的跳水决赛（${clock(new Date())} 开始）`,
            organizerName: '演示组委会',
            venue: '演示跳水馆',
            judges: judgeLabels([event]),
          });
          screen = offerScreen(venue, options.url, log, screenSignal);
        }
        const playing = await addEvent(venue, event, input, `${demoEvent.title}（演示第 ${round} 场）`);
        for (const [, roundId] of markedRounds(playing)) {
          log.info(
            `demo player: 演示第 ${round} 场 is being marked; follow it at ${options.url}/live/${venue.competitionId}/${roundId}`,
          );
        }
        await submitMarks(venue, [playing], { pace: divePace(event, pace, signal), signal });
        if (signal.aborted) break;
        for (const [, roundId] of markedRounds(playing)) {
          await finishRound(venue, roundId, '演示：自动播放，由演示程序签字确认');
        }
        log.info(
          `demo player: 演示第 ${round} 场 published; the next starts in ${pace.betweenRoundsMs / 1000} s`,
        );
        round++;
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        // A demo organizer who cannot sign in (another password, an older data folder) will not come back.
        if (!venue || ++failures >= FAILURES_BEFORE_GIVING_UP) throw error;
        log.warn({ error: loggableError(error) }, 'demo player: a round failed; starting another');
      }
      await pause(pace.betweenRoundsMs, signal);
    }
  } finally {
    ended.abort();
    await screen;
    await Promise.all(clients.map((c) => c.close()));
  }
}

/**
 * The demo's scheme: diving with its final only. Open scoring shows every round to the public, and heats
 * that are never marked would hold the big screen's rotation on empty standings.
 */
function finalOnly() {
  const diving = templateInputs[demoEvent.scheme];
  const input = { ...diving, rounds: diving?.rounds?.filter((r) => r.id === 'Final') };
  const parsed = parseScheme(input);
  return { input, scheme: parsed.ok ? parsed.scheme : null };
}

/** Each mark at its dive's time: dives in the file's order, a dive's marks spread over `marksWithinMs`. */
function divePace(event: EventMarks, pace: DemoPace, signal: AbortSignal) {
  const dives = new Map<string, number>();
  const diveOf = (m: EventMarkInput) => `${m.round}\u0000${m.competitor}\u0000${m.item}`;
  for (const m of event.marks) if (!dives.has(diveOf(m))) dives.set(diveOf(m), dives.size);
  const started = performance.now();
  return (m: EventMarkInput) => {
    const at = (dives.get(diveOf(m)) ?? 0) * pace.diveMs + Math.random() * pace.marksWithinMs;
    return pause(started + at - performance.now(), signal);
  };
}

/**
 * A big screen for the competition: logs its pairing code and how to open /screen; when the code expires
 * unused it logs a fresh one, and once a screen paired it offers another screen a code of its own.
 */
async function offerScreen(venue: Venue, url: string, log: FastifyBaseLogger, signal: AbortSignal) {
  const { C, organizer } = venue;
  const newScreen = () =>
    organizer.must<CreateDeviceResponse>(
      'POST',
      `${C}/devices`,
      checked(createDeviceRequest, { kind: 'display', label: '大屏（自动播放演示）' }),
    );
  try {
    let offered = await newScreen();
    while (!signal.aborted) {
      log.info(
        `demo player: big screen: open ${url}/screen and enter the pairing code ` +
          `${formatPairingCode(offered.pairingCode)} (valid until ${clock(new Date(offered.pairingExpiresAt))}); ` +
          `phones: ${url}/live/${venue.competitionId}; DEMO_PLAY=off starts the server without it`,
      );
      await pause(Date.parse(offered.pairingExpiresAt) - Date.now(), signal);
      if (signal.aborted) break;
      const { devices } = await organizer.must<DevicesResponse>('GET', `${C}/devices`);
      const pending = devices.find((d) => d.id === offered.device.id)?.status === 'pending';
      offered = pending
        ? await organizer.must<CreateDeviceResponse>('POST', `${C}/devices/${offered.device.id}/pairing-code`)
        : await newScreen();
    }
  } catch (error) {
    // Never rejects: the rounds go on without a code to offer.
    if (!signal.aborted)
      log.warn({ error: loggableError(error) }, 'demo player: no pairing code for the big screen');
  }
}

/** 14:05, in the server's time zone: the time a newcomer reads off the log. */
const clock = (date: Date) =>
  `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
