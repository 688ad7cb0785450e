import { randomBytes } from 'node:crypto';
import { type Role, type Scheme, templateInputs } from '@jiangxin/shared';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { type AppOptions, fastifyOptions, app as plugin } from '../src/app';
import type { DatabaseHandle } from '../src/db/client';
import {
  accounts,
  competitions,
  competitors,
  devices,
  events,
  judges,
  memberships,
  panelSeats,
  panels,
  rounds,
  workstations,
} from '../src/db/schema';
import { audited } from '../src/modules/audit/service';
import { type Driver, openTestDatabase } from './databases';

/**
 * An app on a fresh test database of the given driver; `extend` may add test-only routes before it starts;
 * `logLines`, when given, receives every line the app logs; `routes`, every route the app registers (as
 * Fastify's onRoute hook sees it, HEAD routes included).
 */
export async function testApp(
  driver: Driver,
  extend?: (app: FastifyInstance) => void,
  options: { logLines?: string[]; routes?: RouteOptions[]; liveLimits?: AppOptions['liveLimits'] } = {},
): Promise<{ app: FastifyInstance; handle: DatabaseHandle }> {
  const handle = await openTestDatabase(driver);
  const lines = options.logLines;
  const app = Fastify({
    ...fastifyOptions,
    ...(lines ? { logger: { stream: { write: (line: string) => lines.push(line) } } } : {}),
  });
  const routes = options.routes;
  if (routes) app.addHook('onRoute', (route) => void routes.push(route));
  await plugin(app, {
    database: handle,
    secret: randomBytes(32).toString('hex'),
    clientDist: '/nonexistent',
    ...(options.liveLimits ? { liveLimits: options.liveLimits } : {}),
  });
  extend?.(app);
  await app.ready();
  return { app, handle };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * For a test that changes setup rows (panels, seats, recusals, a scheme) directly in the database: records
 * the audit entry the same change made through the API writes. The mark path checks marks against the round
 * as it read it until the competition's audit log has a newer entry that is not a mark (round-cache.ts).
 */
export async function auditSetupChange(app: FastifyInstance, competitionId: string, subject: string) {
  await audited({ db: app.db, changes: app.changes }, (_tx, audit) =>
    audit(competitionId, { affects: 'competition', actor: 'system', action: 'test.setupChanged', subject }),
  );
}

/**
 * Seeds, directly in the database, a drone-piloting competition ready for marking: one event on the drone
 * template, its Final round, 4 competitors from 3 units with workstation codes A01–A04, a 5-judge panel
 * (seats J1–J5) marking assembly, plus accounts for every role and a paired tablet per judge. Returns ids
 * and ready tokens. Tests of one module use it instead of another module's routes.
 */
export async function seedCompetition(app: FastifyInstance, options: { name?: string } = {}) {
  const db = app.db;
  const [competition] = await db
    .insert(competitions)
    .values({
      name: options.name ?? '2026 年市职工职业技能大赛',
      level: 'city',
      organizer: '市总工会',
      venue: '市职业技能实训基地',
      startsOn: '2026-05-10',
      endsOn: '2026-05-11',
    })
    .returning();
  if (!competition) throw new Error('seed failed');
  const scheme = templateInputs.drone as Scheme;
  const [event] = await db
    .insert(events)
    .values({ competitionId: competition.id, name: '无人机驾驶员', scheme })
    .returning();
  if (!event) throw new Error('seed failed');
  const [round] = await db.insert(rounds).values({ eventId: event.id, key: 'Final' }).returning();
  if (!round) throw new Error('seed failed');

  const people = [
    { name: '张伟', unit: '国网某供电公司', region: '福州' },
    { name: '李娜', unit: '某航空工业公司', region: '厦门' },
    { name: '王强', unit: '国网某供电公司', region: '泉州' },
    { name: '陈静', unit: '某测绘院', region: '福州' },
  ];
  const competitorRows = await db
    .insert(competitors)
    .values(
      people.map((p, i) => ({
        ...p,
        competitionId: competition.id,
        eventId: event.id,
        frontline: i !== 3,
        unionMember: true,
        entryNumber: i + 1,
      })),
    )
    .returning();
  await db
    .insert(workstations)
    .values(competitorRows.map((c, i) => ({ roundId: round.id, competitorId: c.id, code: `A0${i + 1}` })));

  const judgeRows = await db
    .insert(judges)
    .values(
      ['赵一', '钱二', '孙三', '李四', '周五'].map((name, i) => ({
        competitionId: competition.id,
        name,
        unit: `裁判单位${i + 1}`,
        region: '南平',
      })),
    )
    .returning();
  const [panel] = await db
    .insert(panels)
    .values({ eventId: event.id, name: '组装调试裁判组', aspects: ['assemblyQuality'] })
    .returning();
  if (!panel) throw new Error('seed failed');
  await db
    .insert(panelSeats)
    .values(judgeRows.map((j, i) => ({ panelId: panel.id, judgeId: j.id, seat: `J${i + 1}` })));

  const roleNames = ['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper'] as const;
  const accountRows = await db
    .insert(accounts)
    .values(
      [...roleNames, 'scorekeeper2'].map((role) => ({
        username: `${role}-${randomBytes(4).toString('hex')}`,
        displayName: role,
        // Not a real argon2 hash: seeded accounts sign in through tokens, not passwords.
        passwordHash: 'seeded',
        organizer: role === 'organizer',
      })),
    )
    .returning();
  const accountOf = (i: number) => {
    const a = accountRows[i];
    if (!a) throw new Error('seed failed');
    return a;
  };
  await db
    .insert(memberships)
    .values([
      ...roleNames.map((role, i) => ({ accountId: accountOf(i).id, competitionId: competition.id, role })),
      { accountId: accountOf(4).id, competitionId: competition.id, role: 'scorekeeper' },
    ]);

  const tabletRows = await db
    .insert(devices)
    .values(
      judgeRows.map((j, i) => ({
        competitionId: competition.id,
        kind: 'judge',
        label: `平板 ${i + 1}`,
        pairedAt: new Date(),
        judgeId: j.id,
      })),
    )
    .returning();
  const [display] = await db
    .insert(devices)
    .values({ competitionId: competition.id, kind: 'display', label: '大屏', pairedAt: new Date() })
    .returning();
  if (!display) throw new Error('seed failed');

  const accountToken = (i: number) => app.tokens.issue({ typ: 'account', sub: accountOf(i).id });
  return {
    competition,
    event,
    round,
    panel,
    competitors: competitorRows,
    judges: judgeRows,
    tablets: tabletRows,
    display,
    accounts: {
      organizer: accountOf(0),
      chiefJudge: accountOf(1),
      encryptionOfficer: accountOf(2),
      scorekeeper: accountOf(3),
      scorekeeper2: accountOf(4),
    },
    tokens: {
      organizer: accountToken(0),
      chiefJudge: accountToken(1),
      encryptionOfficer: accountToken(2),
      scorekeeper: accountToken(3),
      scorekeeper2: accountToken(4),
      /** The tablet token of judge i (seat J<i+1>), signed in. */
      judge: (i: number) => {
        const tablet = tabletRows[i];
        const judge = judgeRows[i];
        if (!tablet || !judge) throw new Error(`no judge ${i}`);
        return app.tokens.issue({ typ: 'judge', sub: tablet.id, cid: competition.id, jid: judge.id, ver: 0 });
      },
      display: app.tokens.issue({ typ: 'display', sub: display.id, cid: competition.id, ver: 0 }),
    },
  };
}

export type Seeded = Awaited<ReturnType<typeof seedCompetition>>;

/** The token a role of the seeded competition holds (judge `judge`'s tablet for `judge`); none for the public. */
export function tokenOfRole(seed: Seeded, role: Role, judge = 0): string | undefined {
  switch (role) {
    case 'public':
      return undefined;
    case 'judge':
      return seed.tokens.judge(judge);
    case 'display':
      return seed.tokens.display;
    default:
      return seed.tokens[role];
  }
}
