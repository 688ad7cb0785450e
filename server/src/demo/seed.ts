import { count } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { competitions } from '../db/schema';
import { createOrganizerAccount } from '../modules/auth/accounts';
import type { Principal } from '../plugins/auth';

/**
 * The demo competition of the embedded default, so a newcomer can sign in and look around: a city
 * competition with a drone-piloting event and a tea-grading event, their competitors, five judges with
 * PINs seated on a panel of each event, workstations drawn, and accounts for every role. It goes through
 * the same services as the API, so it obeys the same rules (recusal, hashing, audit).
 */
export const DEMO_ACCOUNTS = {
  organizer: { username: 'demo', password: 'jiangxin-demo', displayName: '演示组委会' },
  chiefJudge: { username: 'chief', password: 'jiangxin-chief', displayName: '裁判长（演示）' },
  encryptionOfficer: { username: 'crypto', password: 'jiangxin-crypto', displayName: '加密裁判（演示）' },
  scorekeeper: { username: 'scorer', password: 'jiangxin-scorer', displayName: '记分员（演示）' },
} as const;
export const DEMO_JUDGE_PIN = '2468';

const droneCompetitors = [
  ['林晓峰', '国网福州供电公司', '福州'],
  ['黄志强', '厦门航空有限公司', '厦门'],
  ['吴海燕', '福建省测绘院', '福州'],
  ['郑建国', '泉州电力技术公司', '泉州'],
  ['陈思远', '漳州无人机应用中心', '漳州'],
  ['刘雅琴', '莆田农业服务站', '莆田'],
] as const;
const teaCompetitors = [
  ['张秀英', '安溪铁观音集团', '泉州'],
  ['王丽华', '武夷山岩茶研究所', '南平'],
  ['李明辉', '福鼎白茶合作社', '宁德'],
  ['周美玲', '福州茉莉花茶厂', '福州'],
  ['蔡文杰', '漳平水仙茶业', '龙岩'],
] as const;
const demoJudges = [
  ['何振华', '福建省总工会职工技能中心', '福州'],
  ['许文斌', '三明职业技术学院', '三明'],
  ['施丽萍', '龙岩技师学院', '龙岩'],
  ['方国栋', '宁德市人社局', '宁德'],
  ['江美琴', '南平职业技术学院', '南平'],
] as const;

export interface DemoSeed {
  competitionId: string;
  /** Pairing codes for the judges' tablets and the big screen (valid for 15 minutes after start). */
  pairing: { label: string; code: string }[];
}

/** Seeds the demo into an empty database; does nothing (returns null) when any competition exists. */
export async function seedDemo(app: FastifyInstance): Promise<DemoSeed | null> {
  const [existing] = await app.db.select({ n: count() }).from(competitions);
  if ((existing?.n ?? 0) > 0) return null;

  const organizer = await createOrganizerAccount(app.db, DEMO_ACCOUNTS.organizer);
  const principal: Principal & { kind: 'account' } = {
    kind: 'account',
    accountId: organizer.id,
    organizer: true,
  };
  const { setup } = app;
  const competition = await setup.createCompetition(principal, {
    name: '2026 年“匠心杯”职工职业技能竞赛（演示）',
    level: 'city',
    grade: 'I',
    organizer: '演示市总工会',
    venue: '演示市职业技能实训基地',
    startsOn: '2026-05-08',
    endsOn: '2026-05-09',
    recusalByRegion: false,
  });
  const auth = app.authService;
  for (const role of ['chiefJudge', 'encryptionOfficer', 'scorekeeper'] as const) {
    await auth.grantMembership(principal, competition.id, { ...DEMO_ACCOUNTS[role], role });
  }

  const judges = [];
  for (const [name, unit, region] of demoJudges) {
    const judge = await setup.createJudge(principal, competition.id, { name, unit, region });
    await auth.setPin(principal, competition.id, judge.id, DEMO_JUDGE_PIN);
    judges.push(judge);
  }

  const events = [
    { name: '无人机驾驶员', scheme: 'drone', people: droneCompetitors },
    { name: '评茶员', scheme: 'tea', people: teaCompetitors },
  ];
  for (const spec of events) {
    const event = await setup.createEvent(principal, competition.id, {
      name: spec.name,
      scheme: spec.scheme,
    });
    const competitors = [];
    for (const [name, unit, region] of spec.people) {
      const created = await setup.createCompetitor(principal, competition.id, event.id, {
        name,
        unit,
        region,
        frontline: true,
        unionMember: true,
      });
      competitors.push(created.competitor);
    }
    const panel = await setup.createPanel(principal, competition.id, event.id, {
      name: `${spec.name}裁判组`,
      aspects: [],
    });
    for (const [index, judge] of judges.slice(0, panel.size).entries()) {
      await setup.assignSeat(
        principal,
        { competitionId: competition.id, panelId: panel.id, seat: `J${index + 1}` },
        judge.id,
      );
    }
    await setup.drawEntryNumbers(principal, competition.id, event.id);
    const { rounds } = await setup.getEvent(competition.id, event.id);
    const finalRound = rounds.at(-1);
    if (finalRound) {
      for (const competitor of competitors)
        await setup.checkIn(principal, {
          competitionId: competition.id,
          roundId: finalRound.id,
          competitorId: competitor.id,
        });
    }
  }

  const pairing = [];
  for (const [index, judge] of judges.entries()) {
    const device = await auth.createDevice(principal, competition.id, {
      kind: 'judge',
      label: `平板 ${index + 1}（${judge.name}）`,
    });
    pairing.push({ label: device.device.label, code: device.pairingCode });
  }
  const screen = await auth.createDevice(principal, competition.id, { kind: 'display', label: '主屏' });
  pairing.push({ label: screen.device.label, code: screen.pairingCode });
  return { competitionId: competition.id, pairing };
}
