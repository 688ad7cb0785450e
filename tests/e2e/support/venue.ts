import { randomUUID } from 'node:crypto';
import { marks } from '@jiangxin/server/db';
import { DEMO_ACCOUNTS, DEMO_JUDGE_PIN, seedDemo } from '@jiangxin/server/demo';
import type {
  CompetitionView,
  CreateDeviceResponse,
  EventView,
  JudgeSignInResponse,
  JudgeView,
  LoginResponse,
  NamesShown,
  PairDeviceResponse,
  SchemeInput,
} from '@jiangxin/shared';
import type { RunningApp } from './server';

/**
 * A competition set up through the real API, as an organizer would: a welding event with two judged aspects
 * (5 judges, the highest and lowest mark dropped), five competitors from different units, a panel of five
 * judges with PINs, the draw and the check-in (workstations), and tablets waiting for their pairing codes.
 */

export const WELDING_SCHEME: SchemeInput = {
  id: 'e2e-welding',
  name: '焊工实操（演示）',
  nameEn: 'Welding practical (demo)',
  precision: 2,
  components: [
    {
      id: 'practical',
      name: '实操',
      nameEn: 'Practical',
      aspects: ['quality', 'technique'].map((id, i) => ({
        kind: 'judgement' as const,
        id,
        name: i === 0 ? '焊缝质量' : '操作规范',
        nameEn: i === 0 ? 'Weld quality' : 'Technique',
        panel: 5,
        range: { min: '0', max: '10' },
        step: '0.5',
        aggregation: { method: 'mean' as const, dropHighest: 1, dropLowest: 1 },
      })),
    },
  ],
};

export const PIN = DEMO_JUDGE_PIN;

export interface Venue {
  url: string;
  competitionId: string;
  eventId: string;
  roundId: string;
  /** In seat order: J1 … J5. */
  judges: { id: string; name: string; seat: string }[];
  /** The workstation codes of the round, in order. */
  workstations: string[];
  tokens: { organizer: string; chiefJudge: string; scorekeeper: string; encryptionOfficer: string };
  accounts: typeof DEMO_ACCOUNTS;
  /** A new judge tablet waiting to be paired: its pairing code. */
  newTablet(label: string): Promise<string>;
  /** A new big screen (display device) waiting to be paired: its pairing code. */
  newDisplay(label: string): Promise<string>;
  /** A tablet paired through the API with the judge of that seat signed in: the judge's token. */
  judgeToken(seat: string): Promise<string>;
  /** Submits a mark as the judge of a seat (a fresh id), through the API as a tablet does. */
  mark(judgeToken: string, workstation: string, item: string, value: string): Promise<void>;
  /** Every mark stored for the round (the database, read directly): to count what arrived and how often. */
  storedMarks(): Promise<
    { id: string; judgeId: string; competitorId: string; item: string; value: string }[]
  >;
  /** A JSON request to the API as a token's holder; throws on an unexpected status. */
  api<T>(token: string | null, method: string, path: string, body?: unknown, expect?: number[]): Promise<T>;
}

export interface VenueOptions {
  /** Open scoring (公开评分): the public follows every round from its first mark. Default off. */
  openScoring?: boolean;
  /** Under open scoring, when names are shown before decryption (the scheme's default: after it). */
  namesShown?: NamesShown;
  /** The event's scheme (default WELDING_SCHEME: two judged aspects, 5 judges). */
  scheme?: SchemeInput;
}

/** A JSON request to the API of the server at `url` as a token's holder; throws on an unexpected status. */
export function apiOf(url: string): Venue['api'] {
  return async <T>(
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
    expect: number[] = [200, 201],
  ): Promise<T> => {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/**
 * In `server`: a running app of this process (the demo accounts are seeded here), or only the URL of a
 * server process started on the embedded default (it seeded them itself; `storedMarks` is then unavailable).
 */
export async function createVenue(
  server: Pick<RunningApp, 'url'> & { app?: RunningApp['app'] },
  competitors = 5,
  options: VenueOptions = {},
): Promise<Venue> {
  const { app } = server;
  if (app) await seedDemo(app);
  const api = apiOf(server.url);
  const login = async (who: keyof typeof DEMO_ACCOUNTS) => {
    const { username, password } = DEMO_ACCOUNTS[who];
    return (await api<LoginResponse>(null, 'POST', '/auth/login', { username, password })).token;
  };

  const organizer = await login('organizer');
  const competition = await api<CompetitionView>(organizer, 'POST', '/competitions', {
    name: '2026 年职工焊工技能竞赛（浏览器测试）',
    level: 'city',
    grade: 'I',
    organizer: '市总工会',
    venue: '市职业技能实训基地',
    startsOn: '2026-06-01',
    endsOn: '2026-06-02',
    recusalByRegion: false,
    ...(options.openScoring ? { openScoring: true } : {}),
  });
  const C = `/competitions/${competition.id}`;
  for (const role of ['chiefJudge', 'encryptionOfficer', 'scorekeeper'] as const) {
    await api(organizer, 'POST', `${C}/members`, { username: DEMO_ACCOUNTS[role].username, role });
  }
  const judges: Venue['judges'] = [];
  for (const [i, name] of ['王建国', '李秀英', '张伟', '刘洋', '陈静'].entries()) {
    const judge = await api<JudgeView>(organizer, 'POST', `${C}/judges`, {
      name,
      unit: `市第${i + 1}技师学院`,
      region: '市区',
    });
    await api(organizer, 'POST', `${C}/judges/${judge.id}/pin`, { pin: PIN });
    judges.push({ id: judge.id, name, seat: `J${i + 1}` });
  }
  const event = await api<EventView>(organizer, 'POST', `${C}/events`, {
    name: '焊工',
    scheme: options.scheme ?? WELDING_SCHEME,
    ...(options.namesShown ? { namesShown: options.namesShown } : {}),
  });
  const competitorIds: string[] = [];
  for (let i = 0; i < competitors; i++) {
    const created = await api<{ competitor: { id: string } }>(
      organizer,
      'POST',
      `${C}/events/${event.id}/competitors`,
      {
        name: `选手${String.fromCharCode(0x7532 + i)}`,
        unit: `第${i + 1}建设公司`,
        region: '市区',
        frontline: true,
        unionMember: true,
      },
    );
    competitorIds.push(created.competitor.id);
  }
  const panel = await api<{ id: string }>(organizer, 'POST', `${C}/events/${event.id}/panels`, {
    name: '焊工裁判组',
    aspects: [],
  });
  for (const judge of judges) {
    await api(organizer, 'PUT', `${C}/panels/${panel.id}/seats/${judge.seat}`, { judgeId: judge.id });
  }
  await api(organizer, 'POST', `${C}/events/${event.id}/draw`);
  const { rounds } = await api<EventView>(organizer, 'GET', `${C}/events/${event.id}`);
  const roundId = rounds[0]?.id;
  if (!roundId) throw new Error('the event has no round');
  const chiefJudge = await login('chiefJudge');
  for (const id of competitorIds) {
    await api(chiefJudge, 'POST', `${C}/rounds/${roundId}/check-in`, { competitorId: id });
  }
  const newDevice = async (kind: 'judge' | 'display', label: string) => {
    const device = await api<CreateDeviceResponse>(organizer, 'POST', `${C}/devices`, { kind, label });
    return device.pairingCode;
  };
  const newTablet = (label: string) => newDevice('judge', label);
  const { codes } = await api<{ codes: string[] }>(organizer, 'GET', `${C}/rounds/${roundId}/workstations`);
  return {
    url: server.url,
    competitionId: competition.id,
    eventId: event.id,
    roundId,
    judges,
    workstations: codes,
    tokens: {
      organizer,
      chiefJudge,
      scorekeeper: await login('scorekeeper'),
      encryptionOfficer: await login('encryptionOfficer'),
    },
    accounts: DEMO_ACCOUNTS,
    api,
    newTablet,
    newDisplay: (label) => newDevice('display', label),
    async storedMarks() {
      if (!app) throw new Error('storedMarks reads the database of a server in this process');
      const rows = await app.db.select().from(marks);
      return rows
        .filter((m) => m.roundId === roundId)
        .map((m) => ({
          id: m.id,
          judgeId: m.judgeId,
          competitorId: m.competitorId,
          item: m.item,
          value: m.value,
        }));
    },
    async judgeToken(seat) {
      const judge = judges.find((j) => j.seat === seat);
      if (!judge) throw new Error(`no judge in seat ${seat}`);
      const code = await newTablet(`API ${seat}`);
      const tablet = await api<PairDeviceResponse>(null, 'POST', '/devices/pair', { code });
      const signedIn = await api<JudgeSignInResponse>(tablet.token, 'POST', '/devices/judge-sign-in', {
        judgeId: judge.id,
        pin: PIN,
      });
      return signedIn.token;
    },
    async mark(token, workstation, item, value) {
      await api(token, 'POST', `${C}/rounds/${roundId}/marks`, {
        id: randomUUID(),
        workstation,
        item,
        value,
      });
    },
  };
}
