import { residentIdCheckDigit } from '@jiangxin/shared';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { auditLog, devices, memberships } from '../src/db/schema';
import { bearer, type Seeded } from './support';

/** Helpers of the setup tests: valid ID numbers, a competition made through the routes, devices. */

/** A valid resident ID number: region code, date of birth, sequence, and its check digit. */
export function idNumber(sequence: number, born = '19880512', region = '350102'): string {
  const first17 = `${region}${born}${String(sequence).padStart(3, '0')}`;
  return `${first17}${residentIdCheckDigit(first17)}`;
}

/** The same number with a wrong check digit. */
export function badCheckDigit(id: string): string {
  const right = id.slice(-1);
  return `${id.slice(0, 17)}${right === '1' ? '2' : '1'}`;
}

export interface World {
  competitionId: string;
  tokens: { organizer: string; chiefJudge: string; encryptionOfficer: string; scorekeeper: string };
}

/**
 * A competition created through POST /api/competitions by the seed's organizer account, with the seed's
 * chief judge, encryption officer and scorekeeper accounts given their roles in it.
 */
export async function createWorld(
  app: FastifyInstance,
  seed: Seeded,
  body: Partial<Record<string, unknown>> = {},
): Promise<World> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/competitions',
    headers: bearer(seed.tokens.organizer),
    payload: {
      name: '2026 年全省职工职业技能大赛',
      level: 'provincial',
      grade: 'I',
      organizer: '省总工会',
      venue: '省职业技能公共实训中心',
      startsOn: '2026-06-01',
      endsOn: '2026-06-03',
      recusalByRegion: false,
      ...body,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const competitionId = res.json().id as string;
  await app.db.insert(memberships).values([
    { accountId: seed.accounts.chiefJudge.id, competitionId, role: 'chiefJudge' },
    { accountId: seed.accounts.encryptionOfficer.id, competitionId, role: 'encryptionOfficer' },
    { accountId: seed.accounts.scorekeeper.id, competitionId, role: 'scorekeeper' },
  ]);
  return {
    competitionId,
    tokens: {
      organizer: seed.tokens.organizer,
      chiefJudge: seed.tokens.chiefJudge,
      encryptionOfficer: seed.tokens.encryptionOfficer,
      scorekeeper: seed.tokens.scorekeeper,
    },
  };
}

/** A paired tablet with the judge signed in, and its token. */
export async function judgeToken(app: FastifyInstance, competitionId: string, judgeId: string) {
  const [device] = await app.db
    .insert(devices)
    .values({ competitionId, kind: 'judge', label: '平板', pairedAt: new Date(), judgeId })
    .returning();
  if (!device) throw new Error('no device');
  return app.tokens.issue({ typ: 'judge', sub: device.id, cid: competitionId, jid: judgeId, ver: 0 });
}

/** A JSON request as a user. */
export function call(
  app: FastifyInstance,
  token: string | null,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    headers: { ...(token ? bearer(token) : {}), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

export async function auditActions(app: FastifyInstance, competitionId: string) {
  const rows = await app.db
    .select({ action: auditLog.action, detail: auditLog.detail, seq: auditLog.seq })
    .from(auditLog)
    .where(eq(auditLog.competitionId, competitionId))
    .orderBy(auditLog.seq);
  return rows;
}
