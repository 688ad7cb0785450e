import { randomBytes } from 'node:crypto';
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
  groupBy,
  type JudgeSignInResponse,
  type JudgeView,
  judgeSignInRequest,
  type LoginResponse,
  loginRequest,
  type PairDeviceResponse,
  type PanelView,
  pairDeviceRequest,
  type RefreshResponse,
  resolveItem,
  type Scheme,
  setPinRequest,
} from '@jiangxin/shared';
import { type ApiClient, checked, RehearsalError } from './api';

/** The competition a rehearsal sets up through the API, ready for marks. */
export interface Venue {
  /** `/api/competitions/:id` */
  C: string;
  competitionId: string;
  organizer: ApiClient;
  chief: ApiClient;
  officer: ApiClient;
  /** A judge's tablet, paired and signed in, by the judge's label in the marks file. */
  tablets: Map<string, ApiClient>;
  /** The judges' ids by label, in seat order. */
  judgeIds: Map<string, string>;
  /** Each judge's seat by label (`seatNames`). */
  seats: Map<string, string>;
}

/** An event of the marks file, set up in the venue: its rounds by key and workstation codes by round and name. */
export interface VenueEvent {
  event: EventMarks;
  eventId: string;
  rounds: Map<string, string>;
  /** Workstation codes by `codeKey(round, competitor)`, drawn as rounds open. */
  codes: Map<string, string>;
  /** The competitors' ids by their name in the file. */
  competitorIds: Map<string, string>;
}

/** The key of a competitor's workstation code in `VenueEvent.codes`. */
export const codeKey = (round: string, competitor: string) => `${round}\u0000${competitor}`;

/** The rounds of an event that the marks file has marks for, as [key, id]. */
export const markedRounds = ({ event, rounds }: VenueEvent) =>
  [...rounds].filter(([key]) => event.marks.some((m) => m.round === key));

/** Judges' labels in seat order: J2 before J10. */
const byLabel = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** The judges' labels of a marks file, in seat order (J1, J2 … when they are named so). */
export const judgeLabels = (events: readonly EventMarks[]) =>
  [...new Set(events.flatMap((e) => e.marks.map((m) => m.judge)))].sort(byLabel);

export async function signIn(client: ApiClient, credentials: { username: string; password: string }) {
  client.token = (
    await client.must<LoginResponse>('POST', '/api/auth/login', checked(loginRequest, credentials))
  ).token;
  return client;
}

/**
 * As an organizer would: a competition with open scoring (the public follows every round under names), a
 * chief judge and an encryption officer, and the given judges each with a tablet paired and signed in on a
 * connection of its own. `client` makes each new connection (the caller closes them).
 */
export async function openVenue(
  organizer: ApiClient,
  client: () => ApiClient,
  options: { name: string; organizerName: string; venue: string; judges: readonly string[] },
): Promise<Venue> {
  const today = new Date().toISOString().slice(0, 10);
  const competition = await organizer.must<CompetitionView>(
    'POST',
    '/api/competitions',
    checked(createCompetitionRequest, {
      name: options.name,
      level: 'enterprise',
      organizer: options.organizerName,
      venue: options.venue,
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

  const pin = String(100000 + Math.floor(Math.random() * 900000));
  const judgeIds = new Map<string, string>();
  const tablets = new Map<string, ApiClient>();
  for (const label of options.judges) {
    const judge = await organizer.must<JudgeView>(
      'POST',
      `${C}/judges`,
      checked(createJudgeRequest, { name: label, unit: `裁判单位 ${label}`, region: '—' }),
    );
    await organizer.must('POST', `${C}/judges/${judge.id}/pin`, checked(setPinRequest, { pin }));
    judgeIds.set(label, judge.id);
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
  const seats = seatNames(options.judges);
  return { C, competitionId: competition.id, organizer, chief, officer, tablets, judgeIds, seats };
}

/**
 * An event of the marks file in the venue (under `name`, by default the file's): its competitors, a panel
 * seating every judge, the draw, check-in and the declared attempts of every round it has marks for.
 */
export async function addEvent(
  venue: Venue,
  event: EventMarks,
  scheme: string | Record<string, unknown>,
  name = event.event,
): Promise<VenueEvent> {
  const created = await createEvent(venue, event, scheme, name);
  await seatPanel(venue, created, { name: `${name} 裁判组`, judges: [...venue.judgeIds.keys()] });
  for (const [roundKey] of markedRounds(created)) await openRound(venue, created, roundKey);
  return created;
}

/** An event of the marks file in the venue, its competitors registered and drawn; no panel, no round open. */
export async function createEvent(
  venue: Venue,
  event: EventMarks,
  scheme: string | Record<string, unknown>,
  name = event.event,
): Promise<VenueEvent> {
  const { C, organizer } = venue;
  const created = await organizer.must<EventView>(
    'POST',
    `${C}/events`,
    checked(createEventRequest, { name, scheme }),
  );
  const E = `${C}/events/${created.id}`;
  const competitorIds = new Map<string, string>();
  for (const competitor of new Set(event.marks.map((m) => m.competitor))) {
    const made = await organizer.must<CompetitorCreated>(
      'POST',
      `${E}/competitors`,
      checked(createCompetitorRequest, {
        name: competitor,
        unit: `参赛单位 ${competitor}`,
        region: '—',
        frontline: true,
        unionMember: true,
      }),
    );
    competitorIds.set(competitor, made.competitor.id);
  }
  await organizer.must('POST', `${E}/draw`);
  const view = await organizer.must<EventView>('GET', E);
  const rounds = new Map(view.rounds.map((r) => [r.key, r.id]));
  return { event, eventId: created.id, rounds, codes: new Map(), competitorIds };
}

/**
 * A panel of the marks file: the judges (by label) who marked the same items of a round. Each limit is left
 * empty when the panel has none in its round: `competitors` (empty: the whole field), `attempts` (empty:
 * every attempt), `aspects` (empty: every aspect).
 */
export interface PanelPlan {
  round: string;
  judges: string[];
  competitors: string[];
  attempts: number[];
  aspects: string[];
}

/**
 * The panels of a round as the marks file shows them: the judges who marked an item (a competitor's attempt
 * of an aspect) are that item's panel. A set of judges marking every item it touches in the product of its
 * competitors, attempts and aspects is one panel (two panels of seven taking turns by dive: each covers
 * its dives of every diver; two alternating by competitor: each its half of the field); otherwise it is
 * split per aspect and per group of attempts marking the same competitors, so that no item has two panels.
 */
export function roundPanels(event: EventMarks, scheme: Scheme, round: string): PanelPlan[] {
  const judgesOf = new Map<
    string,
    { competitor: string; aspect: string; attempt: number; judges: Set<string> }
  >();
  for (const m of event.marks) {
    if (m.round !== round) continue;
    const ref = resolveItem(scheme, m.item, round);
    if (!ref) throw new RehearsalError(`${m.item} is not an item of ${event.event} in ${round}`);
    const attempt = ref.attempt ?? 0;
    const key = [m.competitor, ref.aspect.id, attempt].join('\u0000');
    const cell = judgesOf.get(key) ?? {
      competitor: m.competitor,
      aspect: ref.aspect.id,
      attempt,
      judges: new Set(),
    };
    cell.judges.add(m.judge);
    judgesOf.set(key, cell);
  }
  const cells = [...judgesOf.values()];
  const all = {
    competitors: new Set(cells.map((c) => c.competitor)),
    attempts: new Set(cells.map((c) => c.attempt)),
    aspects: new Set(cells.map((c) => c.aspect)),
  };
  const bySet = groupBy(cells, (c) => [...c.judges].sort(byLabel).join('\u0000'));
  const plans: PanelPlan[] = [];
  const plan = (judges: string, part: typeof cells) => {
    const of = <T>(pick: (c: (typeof cells)[number]) => T, whole: Set<T>) => {
      const mine = new Set(part.map(pick));
      return mine.size === whole.size ? [] : [...mine];
    };
    plans.push({
      round,
      judges: judges.split('\u0000'),
      competitors: of((c) => c.competitor, all.competitors),
      attempts: of((c) => c.attempt, all.attempts)
        .filter((a) => a > 0)
        .sort((a, b) => a - b),
      aspects: of((c) => c.aspect, all.aspects).sort(),
    });
  };
  for (const [judges, part] of bySet) {
    const mine = {
      competitors: new Set(part.map((c) => c.competitor)),
      attempts: new Set(part.map((c) => c.attempt)),
      aspects: new Set(part.map((c) => c.aspect)),
    };
    // One panel when what it would cover holds no other set's item (a missing dive of a withdrawn diver is fine).
    const covered = (c: (typeof cells)[number]) =>
      mine.competitors.has(c.competitor) && mine.attempts.has(c.attempt) && mine.aspects.has(c.aspect);
    if (!cells.some((c) => !part.includes(c) && covered(c))) {
      plan(judges, part);
      continue;
    }
    for (const ofAspect of groupBy(part, (c) => c.aspect).values()) {
      const byAttempt = groupBy(ofAspect, (c) => String(c.attempt));
      const byField = groupBy([...byAttempt.values()], (list) =>
        list
          .map((c) => c.competitor)
          .sort()
          .join('\u0000'),
      );
      for (const lists of byField.values()) plan(judges, lists.flat());
    }
  }
  return plans;
}

/**
 * The seat each judge of the file sits in, on whichever panel: the file's label when every label is a seat
 * name (J8), else J1, J2 … in label order over the whole file, so that a seat names one judge of the file
 * and the published marks can be read back under the file's labels.
 */
export function seatNames(labels: readonly string[]): Map<string, string> {
  const sorted = [...new Set(labels)].sort(byLabel);
  const labelled = sorted.every((label) => /^J[1-9]\d*$/.test(label));
  return new Map(sorted.map((label, index) => [label, labelled ? label : `J${index + 1}`]));
}

/**
 * A panel of the event seating the given judges (labels of the venue's judges), each at its seat (`seatNames`):
 * for every round, or for one (`roundId`) and within it some competitors (by name in the file) under a group.
 */
export async function seatPanel(
  venue: Venue,
  event: VenueEvent,
  panel: {
    name: string;
    judges: readonly string[];
    roundId?: string;
    competitors?: readonly string[];
    attempts?: readonly number[];
    aspects?: readonly string[];
    group?: string;
  },
): Promise<PanelView> {
  const { C, organizer } = venue;
  const competitorIds = (panel.competitors ?? []).map((name) => {
    const id = event.competitorIds.get(name);
    if (!id) throw new RehearsalError(`${name} is not a competitor of the event`);
    return id;
  });
  const created = await organizer.must<PanelView>(
    'POST',
    `${C}/events/${event.eventId}/panels`,
    checked(createPanelRequest, {
      name: panel.name,
      aspects: [...(panel.aspects ?? [])],
      ...(panel.roundId ? { roundId: panel.roundId } : {}),
      competitorIds,
      attempts: [...(panel.attempts ?? [])],
      group: panel.group ?? '',
    }),
  );
  for (const label of panel.judges) {
    const seat = venue.seats.get(label) ?? label;
    const judgeId = venue.judgeIds.get(label);
    if (!judgeId) throw new RehearsalError(`judge ${label} is not one of the venue's judges`);
    await organizer.must(
      'PUT',
      `${C}/panels/${created.id}/seats/${seat}`,
      checked(assignSeatRequest, { judgeId }),
    );
  }
  return created;
}

/**
 * Opens a round of the event as the encryption officer and the organizer do: checks in its competitors
 * (by default those the marks file has in it), each drawing a workstation code, and declares the attempts
 * the file has for each (a shorter list: a competitor who performed fewer).
 */
export async function openRound(
  venue: Venue,
  event: VenueEvent,
  roundKey: string,
  competitors: readonly string[] = [
    ...new Set(event.event.marks.filter((m) => m.round === roundKey).map((m) => m.competitor)),
  ],
): Promise<void> {
  const { C, organizer, officer } = venue;
  const roundId = event.rounds.get(roundKey);
  if (!roundId) throw new RehearsalError(`the event has no round ${roundKey}`);
  for (const competitor of competitors) {
    const competitorId = event.competitorIds.get(competitor);
    if (!competitorId) throw new RehearsalError(`${competitor} is not a competitor of the event`);
    const checkedIn = await officer.must<CheckInResult>(
      'POST',
      `${C}/rounds/${roundId}/check-in`,
      checked(checkInRequest, { competitorId }),
    );
    event.codes.set(codeKey(roundKey, competitor), checkedIn.code);
    const declared = event.event.difficulties
      .filter((d) => d.round === roundKey && d.competitor === competitor)
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

/** Renews every token of the venue (accounts and tablets), as their holders do before the hour is over. */
export async function renewTokens(venue: Venue): Promise<void> {
  for (const holder of [venue.organizer, venue.chief, venue.officer, ...venue.tablets.values()]) {
    holder.token = (await holder.must<RefreshResponse>('POST', '/api/auth/refresh')).token;
  }
}
