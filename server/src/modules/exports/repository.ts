import type { SchemeInput } from '@jiangxin/shared';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  accounts,
  competitions,
  competitors,
  events,
  memberships,
  rounds,
  teamMembers,
  workstations,
} from '../../db/schema';

/** What the exports read besides the rounds' computations: the competition, its staff, events, rounds. */

export async function competitionRow(ex: Executor, competitionId: string) {
  const [row] = await ex.select().from(competitions).where(eq(competitions.id, competitionId));
  return row ?? null;
}

/** The display names of the accounts holding a role in the competition, by role. */
export async function staffNames(ex: Executor, competitionId: string, role: 'chiefJudge' | 'organizer') {
  const rows = await ex
    .select({ name: accounts.displayName })
    .from(memberships)
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.competitionId, competitionId), eq(memberships.role, role)))
    .orderBy(asc(accounts.displayName));
  return rows.map((r) => r.name);
}

export interface EventRow {
  id: string;
  name: string;
  scheme: SchemeInput;
}

/** The competition's events in the order they were created (or the one asked for). */
export async function eventRows(ex: Executor, competitionId: string, eventId?: string): Promise<EventRow[]> {
  return ex
    .select({ id: events.id, name: events.name, scheme: events.scheme })
    .from(events)
    .where(
      eventId === undefined
        ? eq(events.competitionId, competitionId)
        : and(eq(events.competitionId, competitionId), eq(events.id, eventId)),
    )
    .orderBy(asc(events.createdAt), asc(events.name));
}

/** The rounds of the events, each with how many competitors were drawn into it (none: not held). */
export async function roundRows(ex: Executor, eventIds: readonly string[]) {
  if (eventIds.length === 0) return [];
  return ex
    .select({
      id: rounds.id,
      eventId: rounds.eventId,
      key: rounds.key,
      decryptedAt: rounds.decryptedAt,
      publishedAt: rounds.publishedAt,
      frozenAt: rounds.frozenAt,
      entrants: count(workstations.competitorId),
    })
    .from(rounds)
    .leftJoin(workstations, eq(workstations.roundId, rounds.id))
    .where(inArray(rounds.eventId, [...eventIds]))
    .groupBy(rounds.id);
}

export type RoundRow = Awaited<ReturnType<typeof roundRows>>[number];

/** The competitors' entry numbers (参赛号) in an event. */
export async function entryNumbers(ex: Executor, eventId: string): Promise<Map<string, number | null>> {
  const rows = await ex
    .select({ id: competitors.id, entryNumber: competitors.entryNumber })
    .from(competitors)
    .where(eq(competitors.eventId, eventId));
  return new Map(rows.map((r) => [r.id, r.entryNumber]));
}

/** The members of the teams of an event, by team (competitor) id, in order. */
export async function teamMembersOf(
  ex: Executor,
  eventId: string,
): Promise<Map<string, { name: string; unit: string }[]>> {
  const rows = await ex
    .select({ competitorId: teamMembers.competitorId, name: teamMembers.name, unit: teamMembers.unit })
    .from(teamMembers)
    .where(eq(teamMembers.eventId, eventId))
    .orderBy(asc(teamMembers.competitorId), asc(teamMembers.position));
  const byTeam = new Map<string, { name: string; unit: string }[]>();
  for (const { competitorId, ...m } of rows)
    byTeam.set(competitorId, [...(byTeam.get(competitorId) ?? []), m]);
  return byTeam;
}
