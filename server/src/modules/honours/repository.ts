import type { HonourRuleSet } from '@jiangxin/shared';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  competitions,
  competitors,
  events,
  honourOverrides,
  honourSettings,
  rounds,
  teamMembers,
} from '../../db/schema';
import { notFound } from '../../refusals';

/** The honours module's SQL: a competition's honour settings, its overrides, and what the list reads. */

export type HonourSettingsRow = typeof honourSettings.$inferSelect;
export type HonourOverrideRow = typeof honourOverrides.$inferSelect;

export async function findCompetition(ex: Executor, competitionId: string) {
  const [row] = await ex.select().from(competitions).where(eq(competitions.id, competitionId));
  if (!row) throw notFound('competition', competitionId);
  return row;
}

export async function settingsOf(ex: Executor, competitionId: string): Promise<HonourSettingsRow | null> {
  const [row] = await ex.select().from(honourSettings).where(eq(honourSettings.competitionId, competitionId));
  return row ?? null;
}

/**
 * The settings row, created when missing, locked for the rest of the transaction (one writer at a time).
 * Callers hold the audit chain's lock first (`audit.lockChain`), so writers always lock in one order.
 */
export async function lockSettings(ex: Executor, competitionId: string): Promise<HonourSettingsRow> {
  await ex.insert(honourSettings).values({ competitionId }).onConflictDoNothing();
  await ex.execute(sql`select 1 from honour_settings where competition_id = ${competitionId} for update`);
  const row = await settingsOf(ex, competitionId);
  if (!row) throw new Error('honour settings row vanished inside its transaction');
  return row;
}

export async function updateSettings(
  ex: Executor,
  competitionId: string,
  set: Partial<{
    rules: HonourRuleSet | null;
    template: string | null;
    listVersion: number;
    listHash: string | null;
    publishedAt: Date;
  }>,
) {
  await ex
    .update(honourSettings)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(honourSettings.competitionId, competitionId));
}

/** The overrides in force: the latest per (honour, subject). */
export async function overridesInForce(ex: Executor, competitionId: string): Promise<HonourOverrideRow[]> {
  return ex
    .selectDistinctOn([honourOverrides.honour, honourOverrides.subject])
    .from(honourOverrides)
    .where(eq(honourOverrides.competitionId, competitionId))
    .orderBy(honourOverrides.honour, honourOverrides.subject, desc(honourOverrides.seq));
}

export async function insertOverride(
  ex: Executor,
  row: Omit<typeof honourOverrides.$inferInsert, 'id' | 'seq' | 'createdAt'>,
): Promise<HonourOverrideRow> {
  const [stored] = await ex.insert(honourOverrides).values(row).returning();
  if (!stored) throw new Error('override not stored');
  return stored;
}

/** The competition's events with their rounds, oldest event first. */
export async function eventsWithRounds(ex: Executor, competitionId: string) {
  const eventRows = await ex
    .select()
    .from(events)
    .where(eq(events.competitionId, competitionId))
    .orderBy(asc(events.createdAt), asc(events.id));
  const roundRows = eventRows.length
    ? await ex
        .select({
          round: rounds,
          // Held: competitors were drawn into it.
          held: sql<boolean>`exists (select 1 from workstations w where w.round_id = ${rounds.id})`,
        })
        .from(rounds)
        .where(
          inArray(
            rounds.eventId,
            eventRows.map((e) => e.id),
          ),
        )
    : [];
  return eventRows.map((e) => ({
    event: e,
    rounds: roundRows.filter((r) => r.round.eventId === e.id).map((r) => ({ ...r.round, held: r.held })),
  }));
}

/** What the honour rules need to know about these competitors of the competition. */
export async function competitorRecords(ex: Executor, competitionId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return ex
    .select({
      id: competitors.id,
      name: competitors.name,
      unit: competitors.unit,
      frontline: competitors.frontline,
      unionMember: competitors.unionMember,
      skillLevel: competitors.skillLevel,
      unitHead: competitors.unitHead,
    })
    .from(competitors)
    .where(and(eq(competitors.competitionId, competitionId), inArray(competitors.id, [...ids])));
}

/** The members of these teams, with what the honour rules need of each. */
export async function memberRecords(ex: Executor, teamIds: readonly string[]) {
  if (teamIds.length === 0) return [];
  return ex
    .select({
      id: teamMembers.id,
      competitorId: teamMembers.competitorId,
      name: teamMembers.name,
      unit: teamMembers.unit,
      frontline: teamMembers.frontline,
      unionMember: teamMembers.unionMember,
      skillLevel: teamMembers.skillLevel,
      unitHead: teamMembers.unitHead,
    })
    .from(teamMembers)
    .where(inArray(teamMembers.competitorId, [...teamIds]))
    .orderBy(teamMembers.competitorId, teamMembers.position);
}

/** A competitor (or a team's member) of the competition, or 404. */
export async function findCompetitor(ex: Executor, competitionId: string, competitorId: string) {
  const [row] = await ex
    .select({ id: competitors.id })
    .from(competitors)
    .where(and(eq(competitors.id, competitorId), eq(competitors.competitionId, competitionId)));
  if (row) return row;
  const [member] = await ex
    .select({ id: teamMembers.id })
    .from(teamMembers)
    .innerJoin(competitors, eq(competitors.id, teamMembers.competitorId))
    .where(and(eq(teamMembers.id, competitorId), eq(competitors.competitionId, competitionId)));
  if (!member) throw notFound('competitor', competitorId);
  return member;
}

/** Which of these rounds are published (a change to an unpublished round cannot touch honours). */
export async function publishedRounds(ex: Executor, roundIds: readonly string[]): Promise<string[]> {
  if (roundIds.length === 0) return [];
  const rows = await ex
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(inArray(rounds.id, [...new Set(roundIds)]), isNotNull(rounds.publishedAt)));
  return rows.map((r) => r.id);
}
