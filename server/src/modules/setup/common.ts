import { parseScheme, type Scheme } from '@jiangxin/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { competitions, competitors, events, judges, panels, rounds } from '../../db/schema';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { notFound } from '../../refusals';

/**
 * What every setup service shares: the path parameters, who did it (for the audit log), and lookups that
 * find a sub-resource only inside the competition of the URL. An id of another competition is a 404,
 * exactly like an id that does not exist: nothing of another competition is ever reachable.
 */

/** 401 for a route outside any competition (the same answer as requireRoles gives). */
export const unauthenticatedError = () =>
  new AppError(
    401,
    'unauthenticated',
    localized(
      '请先登录（令牌缺失、无效、已过期或设备已被撤销）',
      'sign in first (the token is missing, invalid, expired, or its device was revoked)',
    ),
  );

/** The audit log's actor for a principal. */
export function actorOf(principal: Principal): string {
  if (principal.kind === 'account') return `account:${principal.accountId}`;
  if ('deviceId' in principal) return `device:${principal.deviceId}`;
  return 'system';
}

/** True for a unique-constraint violation (two concurrent requests racing for the same value). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    if (typeof e === 'object' && 'code' in e && (e as { code: unknown }).code === '23505') return true;
    e = typeof e === 'object' && 'cause' in e ? (e as { cause: unknown }).cause : undefined;
  }
  return false;
}

export async function findCompetition(db: Executor, competitionId: string) {
  const [row] = await db.select().from(competitions).where(eq(competitions.id, competitionId));
  if (!row) throw notFound('competition', competitionId);
  return row;
}

export type EventRow = typeof events.$inferSelect;

export async function findEvent(db: Executor, competitionId: string, eventId: string) {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.id, eventId), eq(events.competitionId, competitionId)));
  if (!row) throw notFound('event', eventId);
  return row;
}

/**
 * Locks an event's row for the rest of the transaction: registrations, imports and draws of one event take
 * turns (so a duplicate check or a free entry number is still true when the row is written).
 */
export async function lockEvent(db: Executor, eventId: string) {
  await db.execute(sql`select id from events where id = ${eventId} for update`);
}

/** The parsed scheme of a stored event (stored already validated; parsed again to fill defaults). */
export function schemeOf(event: EventRow): Scheme {
  const parsed = parseScheme(event.scheme);
  if (!parsed.ok) throw new Error(`the stored scheme of event ${event.id} is invalid`);
  return parsed.scheme;
}

export async function findRound(db: Executor, competitionId: string, roundId: string) {
  const [row] = await db
    .select({ round: rounds, event: events })
    .from(rounds)
    .innerJoin(events, eq(events.id, rounds.eventId))
    .where(and(eq(rounds.id, roundId), eq(events.competitionId, competitionId)));
  if (!row) throw notFound('round', roundId);
  return row;
}

export async function findCompetitor(db: Executor, competitionId: string, competitorId: string) {
  const [row] = await db
    .select()
    .from(competitors)
    .where(and(eq(competitors.id, competitorId), eq(competitors.competitionId, competitionId)));
  if (!row) throw notFound('competitor', competitorId);
  return row;
}

export async function findJudge(db: Executor, competitionId: string, judgeId: string) {
  const [row] = await db
    .select()
    .from(judges)
    .where(and(eq(judges.id, judgeId), eq(judges.competitionId, competitionId)));
  if (!row) throw notFound('judge', judgeId);
  return row;
}

export async function findPanel(db: Executor, competitionId: string, panelId: string) {
  const [row] = await db
    .select({ panel: panels, event: events })
    .from(panels)
    .innerJoin(events, eq(events.id, panels.eventId))
    .where(and(eq(panels.id, panelId), eq(events.competitionId, competitionId)));
  if (!row) throw notFound('panel', panelId);
  return row;
}

export const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();
export const isoNow = (value: Date | string): string => new Date(value).toISOString();
