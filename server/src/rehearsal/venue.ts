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
  type JudgeSignInResponse,
  type JudgeView,
  judgeSignInRequest,
  type LoginResponse,
  loginRequest,
  type PairDeviceResponse,
  type PanelView,
  pairDeviceRequest,
  type RefreshResponse,
  setPinRequest,
} from '@jiangxin/shared';
import { type ApiClient, checked } from './api';

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
}

/** An event of the marks file, set up in the venue: its rounds by key and workstation codes by round and name. */
export interface VenueEvent {
  event: EventMarks;
  eventId: string;
  rounds: Map<string, string>;
  codes: Map<string, string>;
}

/** The key of a competitor's workstation code in `VenueEvent.codes`. */
export const codeKey = (round: string, competitor: string) => `${round}\u0000${competitor}`;

/** The rounds of an event that the marks file has marks for, as [key, id]. */
export const markedRounds = ({ event, rounds }: VenueEvent) =>
  [...rounds].filter(([key]) => event.marks.some((m) => m.round === key));

/** The judges' labels of a marks file, in seat order (J1, J2 … when they are named so). */
export const judgeLabels = (events: readonly EventMarks[]) =>
  [...new Set(events.flatMap((e) => e.marks.map((m) => m.judge)))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );

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
  return { C, competitionId: competition.id, organizer, chief, officer, tablets, judgeIds };
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
  const { C, organizer, officer } = venue;
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
  const panel = await organizer.must<PanelView>(
    'POST',
    `${E}/panels`,
    checked(createPanelRequest, { name: `${name} 裁判组`, aspects: [] }),
  );
  for (const [index, [label, judgeId]] of [...venue.judgeIds].entries()) {
    const seat = /^J\d+$/.test(label) ? label : `J${index + 1}`;
    await organizer.must(
      'PUT',
      `${C}/panels/${panel.id}/seats/${seat}`,
      checked(assignSeatRequest, { judgeId }),
    );
  }
  await organizer.must('POST', `${E}/draw`);
  const view = await organizer.must<EventView>('GET', E);
  const rounds = new Map(view.rounds.map((r) => [r.key, r.id]));
  const codes = new Map<string, string>();
  for (const [roundKey, roundId] of rounds) {
    const entrants = new Set(event.marks.filter((m) => m.round === roundKey).map((m) => m.competitor));
    for (const competitor of entrants) {
      const competitorId = competitorIds.get(competitor) ?? '';
      const checkedIn = await officer.must<CheckInResult>(
        'POST',
        `${C}/rounds/${roundId}/check-in`,
        checked(checkInRequest, { competitorId }),
      );
      codes.set(codeKey(roundKey, competitor), checkedIn.code);
      const declared = event.difficulties
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
  return { event, eventId: created.id, rounds, codes };
}

/** Renews every token of the venue (accounts and tablets), as their holders do before the hour is over. */
export async function renewTokens(venue: Venue): Promise<void> {
  for (const holder of [venue.organizer, venue.chief, venue.officer, ...venue.tablets.values()]) {
    holder.token = (await holder.must<RefreshResponse>('POST', '/api/auth/refresh')).token;
  }
}
