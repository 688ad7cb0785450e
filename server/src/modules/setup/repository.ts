import type { CreateCompetitionRequest, Routing, Scheme } from '@jiangxin/shared';
import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  competitions,
  competitors,
  declaredAttempts,
  events,
  judges,
  marks,
  memberships,
  panelCompetitors,
  panelSeats,
  panels,
  recusals,
  rounds,
  teamMembers,
  workstations,
} from '../../db/schema';
import { AppError, localized } from '../../plugins/errors';
import { notFound, roundSignedOff } from '../../refusals';
import { fieldOf } from '../../scoring/seating';
import type { CompetitorRef, ExistingRecusal, PanelSeating, SeatedJudge } from './recusal';

/**
 * The setup module's SQL. The lookups find a sub-resource only inside the competition of the URL: an id of
 * another competition is a 404, exactly like an id that does not exist, so nothing of another competition
 * is ever reachable.
 */

export type CompetitionRow = typeof competitions.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type RoundRow = typeof rounds.$inferSelect;
export type CompetitorRow = typeof competitors.$inferSelect;
export type JudgeRow = typeof judges.$inferSelect;
export type PanelRow = typeof panels.$inferSelect;

// ── Lookups inside a competition ─────────────────────────────────────────────────────────────────────

export async function findCompetition(db: Executor, competitionId: string) {
  const [row] = await db.select().from(competitions).where(eq(competitions.id, competitionId));
  if (!row) throw notFound('competition', competitionId);
  return row;
}

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

/** A round and a competitor of its event (404 `competitor_not_in_event` for one of another event). */
export async function findRoundAndCompetitor(
  db: Executor,
  ids: { competitionId: string; roundId: string; competitorId: string },
  details?: Record<string, unknown>,
) {
  const { round, event } = await findRound(db, ids.competitionId, ids.roundId);
  const competitor = await findCompetitor(db, ids.competitionId, ids.competitorId);
  if (competitor.eventId !== event.id) {
    throw new AppError(
      404,
      'competitor_not_in_event',
      localized('该选手不属于此场次所在的赛项', 'the competitor is not in the event of this round'),
      details,
    );
  }
  return { round, event, competitor };
}

/** Locks a round's row and refuses once it is signed off (sign-off locks the row too). */
export async function lockOpenRound(tx: Executor, roundId: string) {
  const [locked] = await tx
    .select({ signedOffAt: rounds.signedOffAt })
    .from(rounds)
    .where(eq(rounds.id, roundId))
    .for('update');
  if (locked?.signedOffAt) throw roundSignedOff();
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

// ── Competitions ─────────────────────────────────────────────────────────────────────────────────────

/** The roles an account holds, by competition. */
export function membershipsOf(db: Executor, accountId: string) {
  return db
    .select({ competitionId: memberships.competitionId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.accountId, accountId));
}

export function competitionsByIds(db: Executor, ids: string[]) {
  return db
    .select()
    .from(competitions)
    .where(inArray(competitions.id, ids))
    .orderBy(asc(competitions.startsOn), asc(competitions.createdAt));
}

/** A new competition, with its creator as its organizer. */
export async function insertCompetition(tx: Executor, accountId: string, body: CreateCompetitionRequest) {
  const [created] = await tx
    .insert(competitions)
    .values({
      name: body.name,
      level: body.level,
      grade: body.grade ?? null,
      organizer: body.organizer,
      venue: body.venue,
      startsOn: body.startsOn,
      endsOn: body.endsOn,
      recusalByRegion: body.recusalByRegion ?? false,
      openScoring: body.openScoring ?? false,
    })
    .returning();
  if (!created) throw new Error('insert returned nothing');
  await tx.insert(memberships).values({ accountId, competitionId: created.id, role: 'organizer' });
  return created;
}

// ── Events ───────────────────────────────────────────────────────────────────────────────────────────

export function eventsOf(db: Executor, competitionId: string) {
  return db
    .select()
    .from(events)
    .where(eq(events.competitionId, competitionId))
    .orderBy(asc(events.createdAt), asc(events.id));
}

/** A new event with one round per round of its scheme. */
export async function insertEvent(tx: Executor, competitionId: string, name: string, scheme: Scheme) {
  const [event] = await tx.insert(events).values({ competitionId, name, scheme }).returning();
  if (!event) throw new Error('insert returned nothing');
  const roundRows = await tx
    .insert(rounds)
    .values(scheme.rounds.map((r) => ({ eventId: event.id, key: r.id })))
    .returning();
  return { event, roundRows };
}

export function roundsOf(db: Executor, eventId: string) {
  return db.select().from(rounds).where(eq(rounds.eventId, eventId));
}

// ── Competitors and judges ───────────────────────────────────────────────────────────────────────────

export function competitorsOf(db: Executor, eventId: string) {
  return db
    .select()
    .from(competitors)
    .where(eq(competitors.eventId, eventId))
    .orderBy(sql`${competitors.entryNumber} asc nulls last`, asc(competitors.createdAt), asc(competitors.id));
}

/** What recusal and the draw need of every competitor of an event (with a team's members' units and regions). */
export async function competitorRefs(db: Executor, eventId: string): Promise<CompetitorRef[]> {
  const rows = await db
    .select({
      id: competitors.id,
      unit: competitors.unit,
      region: competitors.region,
      entryNumber: competitors.entryNumber,
    })
    .from(competitors)
    .where(eq(competitors.eventId, eventId));
  const members = await membersOfEvent(db, eventId);
  return rows.map((r) => {
    const mine = members.get(r.id);
    return mine ? { ...r, members: mine.map(({ unit, region }) => ({ unit, region })) } : r;
  });
}

export type TeamMemberRow = typeof teamMembers.$inferSelect;

/** The members of each team of an event, by team (competitor) id, in their order. */
export async function membersOfEvent(db: Executor, eventId: string): Promise<Map<string, TeamMemberRow[]>> {
  const rows = await db
    .select()
    .from(teamMembers)
    .where(eq(teamMembers.eventId, eventId))
    .orderBy(asc(teamMembers.competitorId), asc(teamMembers.position));
  const byTeam = new Map<string, TeamMemberRow[]>();
  for (const r of rows) byTeam.set(r.competitorId, [...(byTeam.get(r.competitorId) ?? []), r]);
  return byTeam;
}

/** Whether a competitor or team member of the event (other than `except`) holds this ID-number hash. */
export async function idNumberTaken(db: Executor, eventId: string, hash: string, except?: string) {
  for (const table of [competitors, teamMembers]) {
    const [taken] = await db
      .select({ id: table.id })
      .from(table)
      .where(
        and(
          eq(table.eventId, eventId),
          eq(table.idNumberHash, hash),
          except ? ne(table.id, except) : undefined,
        ),
      );
    if (taken) return true;
  }
  return false;
}

/** A member of a team of the competition (404 for a member of another team, or of another competition). */
export async function findTeamMember(
  db: Executor,
  competitionId: string,
  competitorId: string,
  memberId: string,
) {
  const team = await findCompetitor(db, competitionId, competitorId);
  const [row] = await db
    .select()
    .from(teamMembers)
    .where(and(eq(teamMembers.id, memberId), eq(teamMembers.competitorId, team.id)));
  if (!row) throw notFound('teamMember', memberId);
  return { team, member: row };
}

export function membersOfTeam(db: Executor, competitorId: string) {
  return db
    .select()
    .from(teamMembers)
    .where(eq(teamMembers.competitorId, competitorId))
    .orderBy(asc(teamMembers.position));
}

export async function updateTeamMemberRow(
  tx: Executor,
  memberId: string,
  changes: Partial<typeof teamMembers.$inferInsert>,
) {
  const [row] = await tx.update(teamMembers).set(changes).where(eq(teamMembers.id, memberId)).returning();
  if (!row) throw new Error('update returned nothing');
  return row;
}

export async function insertTeamMember(tx: Executor, values: typeof teamMembers.$inferInsert) {
  const [row] = await tx.insert(teamMembers).values(values).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export async function deleteTeamMemberRow(tx: Executor, memberId: string) {
  await tx.delete(teamMembers).where(eq(teamMembers.id, memberId));
}

/** Whether any round of the event is signed off. */
export async function eventSignedOff(db: Executor, eventId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(rounds)
    .where(and(eq(rounds.eventId, eventId), sql`${rounds.signedOffAt} is not null`));
  return (row?.n ?? 0) > 0;
}

export async function insertCompetitor(tx: Executor, values: typeof competitors.$inferInsert) {
  const [row] = await tx.insert(competitors).values(values).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export type CompetitorChanges = Partial<typeof competitors.$inferInsert>;

export async function updateCompetitorRow(tx: Executor, competitorId: string, changes: CompetitorChanges) {
  const [row] = await tx.update(competitors).set(changes).where(eq(competitors.id, competitorId)).returning();
  if (!row) throw new Error('update returned nothing');
  return row;
}

export async function insertJudge(tx: Executor, values: typeof judges.$inferInsert) {
  const [row] = await tx.insert(judges).values(values).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

export function judgesOf(db: Executor, competitionId: string) {
  return db
    .select()
    .from(judges)
    .where(eq(judges.competitionId, competitionId))
    .orderBy(asc(judges.createdAt), asc(judges.id));
}

// ── Declared attempts ────────────────────────────────────────────────────────────────────────────────

const attemptsOfCompetitor = (roundId: string, competitorId: string) =>
  and(eq(declaredAttempts.roundId, roundId), eq(declaredAttempts.competitorId, competitorId));

export async function replaceAttempts(
  tx: Executor,
  roundId: string,
  competitorId: string,
  list: { attempt: number; difficulty: string }[],
) {
  await tx.delete(declaredAttempts).where(attemptsOfCompetitor(roundId, competitorId));
  await tx.insert(declaredAttempts).values(list.map((a) => ({ roundId, competitorId, ...a })));
}

export function attemptsOf(db: Executor, roundId: string, competitorId: string) {
  return db
    .select({ attempt: declaredAttempts.attempt, difficulty: declaredAttempts.difficulty })
    .from(declaredAttempts)
    .where(attemptsOfCompetitor(roundId, competitorId))
    .orderBy(asc(declaredAttempts.attempt));
}

// ── Panels and seats ─────────────────────────────────────────────────────────────────────────────────

export function panelsOf(db: Executor, eventId: string) {
  return db
    .select()
    .from(panels)
    .where(eq(panels.eventId, eventId))
    .orderBy(asc(panels.createdAt), asc(panels.id));
}

export async function insertPanel(tx: Executor, values: typeof panels.$inferInsert) {
  const [row] = await tx.insert(panels).values(values).returning();
  if (!row) throw new Error('insert returned nothing');
  return row;
}

/** The seats of some panels, with the judge of each. */
async function seatsOfPanels(db: Executor, panelIds: string[]) {
  const rows = await db
    .select({
      panelId: panelSeats.panelId,
      seat: panelSeats.seat,
      id: judges.id,
      name: judges.name,
      unit: judges.unit,
      region: judges.region,
    })
    .from(panelSeats)
    .innerJoin(judges, eq(judges.id, panelSeats.judgeId))
    .where(inArray(panelSeats.panelId, panelIds));
  return rows.map(({ panelId, seat, ...judge }) => ({ panelId, seat, judge }));
}

/** The seats of a panel, with the judge of each. */
export async function seatsOf(db: Executor, panelId: string) {
  return (await seatsOfPanels(db, [panelId])).map(({ seat, judge }) => ({ seat, judge }));
}

/** The panels of an event with their fields and seated judges. */
export async function panelsOfEvent(db: Executor, eventId: string): Promise<PanelSeating[]> {
  const panelRows = await db
    .select({
      id: panels.id,
      name: panels.name,
      roundId: panels.roundId,
      aspects: panels.aspects,
      attempts: panels.attempts,
    })
    .from(panels)
    .where(eq(panels.eventId, eventId))
    .orderBy(asc(panels.createdAt), asc(panels.id));
  if (panelRows.length === 0) return [];
  const ids = panelRows.map((p) => p.id);
  const [seatRows, fields] = await Promise.all([seatsOfPanels(db, ids), panelFields(db, ids)]);
  const seated = ({ seat, judge }: (typeof seatRows)[number]): SeatedJudge => ({
    seat,
    judge: { id: judge.id, unit: judge.unit, region: judge.region },
  });
  return panelRows.map((p) => ({
    ...p,
    field: fieldOf(fields.get(p.id) ?? []),
    seats: seatRows.filter((s) => s.panelId === p.id).map(seated),
  }));
}

/** The competitor lists of some panels (a panel with none marks the whole field). */
export async function panelFields(db: Executor, panelIds: string[]): Promise<Map<string, string[]>> {
  const fields = new Map<string, string[]>();
  if (panelIds.length === 0) return fields;
  const rows = await db.select().from(panelCompetitors).where(inArray(panelCompetitors.panelId, panelIds));
  for (const r of rows) fields.set(r.panelId, [...(fields.get(r.panelId) ?? []), r.competitorId]);
  return fields;
}

/** Gives a panel its round, group and competitor list (empty: the whole field). */
export async function setCoverage(
  tx: Executor,
  panelId: string,
  coverage: { roundId: string | null; group: string; competitorIds: readonly string[]; attempts: number[] },
) {
  await tx
    .update(panels)
    .set({ roundId: coverage.roundId, group: coverage.group, attempts: coverage.attempts })
    .where(eq(panels.id, panelId));
  await tx.delete(panelCompetitors).where(eq(panelCompetitors.panelId, panelId));
  if (coverage.competitorIds.length > 0) {
    await tx
      .insert(panelCompetitors)
      .values(coverage.competitorIds.map((competitorId) => ({ panelId, competitorId })));
  }
}

/** Whether any mark (tablet, paper or correction) was entered in these rounds: marking has started. */
export async function markingStarted(db: Executor, roundIds: readonly string[]): Promise<boolean> {
  if (roundIds.length === 0) return false;
  const [row] = await db
    .select({ id: marks.id })
    .from(marks)
    .where(inArray(marks.roundId, [...roundIds]))
    .limit(1);
  return row !== undefined;
}

/** Empties some panels' seats and recusals (before a draw seats them anew). */
export async function emptyPanels(tx: Executor, panelIds: string[]) {
  if (panelIds.length === 0) return;
  await tx.delete(recusals).where(inArray(recusals.panelId, panelIds));
  await tx.delete(panelSeats).where(inArray(panelSeats.panelId, panelIds));
}

/** Seats a judge, in place of whoever sat there. */
export async function seatJudge(
  tx: Executor,
  panelId: string,
  seat: string,
  judgeId: string,
  occupant?: string,
) {
  if (occupant) await unseatJudge(tx, panelId, occupant);
  await tx.insert(panelSeats).values({ panelId, judgeId, seat });
}

export async function unseatJudge(tx: Executor, panelId: string, judgeId: string) {
  await tx.delete(panelSeats).where(and(eq(panelSeats.panelId, panelId), eq(panelSeats.judgeId, judgeId)));
}

/** A panel's recusals with the competitor of each (for the panel's view). */
export function recusalsOfPanel(db: Executor, panelId: string) {
  return db
    .select({
      judgeId: recusals.judgeId,
      competitorId: recusals.competitorId,
      entryNumber: competitors.entryNumber,
      competitorName: competitors.name,
      reason: recusals.reason,
      substituteJudgeId: recusals.substituteJudgeId,
      createdAt: recusals.createdAt,
    })
    .from(recusals)
    .innerJoin(competitors, eq(competitors.id, recusals.competitorId))
    .where(eq(recusals.panelId, panelId))
    .orderBy(asc(competitors.entryNumber), asc(recusals.createdAt));
}

/** The ids of the events whose panels seat a judge (a judge's tablet may read those rounds). */
export async function eventsSeating(db: Executor, judgeId: string, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db
    .select({ eventId: panels.eventId })
    .from(panelSeats)
    .innerJoin(panels, eq(panels.id, panelSeats.panelId))
    .where(and(eq(panelSeats.judgeId, judgeId), inArray(panels.eventId, eventIds)));
  return new Set(rows.map((r) => r.eventId));
}

// ── Recusals ─────────────────────────────────────────────────────────────────────────────────────────

export type RecusalScope = { panelId: string } | { panelIds: string[]; competitorIds: string[] };

export async function existingRecusals(db: Executor, scope: RecusalScope): Promise<ExistingRecusal[]> {
  const where =
    'panelId' in scope
      ? eq(recusals.panelId, scope.panelId)
      : scope.panelIds.length === 0 || scope.competitorIds.length === 0
        ? undefined
        : and(inArray(recusals.panelId, scope.panelIds), inArray(recusals.competitorId, scope.competitorIds));
  if (!where) return [];
  return db
    .select({
      panelId: recusals.panelId,
      judgeId: recusals.judgeId,
      competitorId: recusals.competitorId,
      reason: recusals.reason,
      substituteJudgeId: recusals.substituteJudgeId,
    })
    .from(recusals)
    .where(where);
}

const keyOf = (r: { panelId: string; judgeId: string; competitorId: string }) =>
  `${r.panelId}|${r.judgeId}|${r.competitorId}`;

/**
 * Makes the recusal rows of a scope what the plan says; returns the routings that are new or moved (those
 * the answer and the audit entry report) and the ones removed.
 */
export async function applyPlan(
  db: Executor,
  existing: readonly ExistingRecusal[],
  routings: readonly Routing[],
): Promise<{ changed: Routing[]; removed: ExistingRecusal[] }> {
  const planned = new Map(routings.map((r) => [keyOf(r), r]));
  const kept = new Set<string>();
  const removed: ExistingRecusal[] = [];
  for (const e of existing) {
    const p = planned.get(keyOf(e));
    if (p && p.substituteJudgeId === e.substituteJudgeId && p.reason === e.reason) kept.add(keyOf(e));
    else {
      removed.push(e);
      await db
        .delete(recusals)
        .where(
          and(
            eq(recusals.panelId, e.panelId),
            eq(recusals.judgeId, e.judgeId),
            eq(recusals.competitorId, e.competitorId),
          ),
        );
    }
  }
  const changed = routings.filter((r) => !kept.has(keyOf(r)));
  if (changed.length > 0) {
    await db.insert(recusals).values(
      changed.map((r) => ({
        panelId: r.panelId,
        judgeId: r.judgeId,
        competitorId: r.competitorId,
        reason: r.reason,
        substituteJudgeId: r.substituteJudgeId,
      })),
    );
  }
  return { changed, removed: removed.filter((e) => !planned.has(keyOf(e))) };
}

// ── Draw and workstations ────────────────────────────────────────────────────────────────────────────

/** Writes entry numbers, a thousand competitors a statement. */
export async function setEntryNumbers(
  tx: Executor,
  assigned: { competitorId: string; entryNumber: number }[],
) {
  for (let i = 0; i < assigned.length; i += 1000) {
    const values = sql.join(
      assigned.slice(i, i + 1000).map((a) => sql`(${a.competitorId}::uuid, ${a.entryNumber}::integer)`),
      sql`, `,
    );
    await tx.execute(
      sql`update competitors set entry_number = v.n from (values ${values}) as v(id, n) where competitors.id = v.id`,
    );
  }
}

export async function workstationOf(tx: Executor, roundId: string, competitorId: string) {
  const [row] = await tx
    .select({ code: workstations.code })
    .from(workstations)
    .where(and(eq(workstations.roundId, roundId), eq(workstations.competitorId, competitorId)));
  return row?.code ?? null;
}

export async function insertWorkstation(tx: Executor, roundId: string, competitorId: string, code: string) {
  await tx.insert(workstations).values({ roundId, competitorId, code });
}

export async function workstationCodes(db: Executor, roundId: string) {
  const rows = await db
    .select({ code: workstations.code })
    .from(workstations)
    .where(eq(workstations.roundId, roundId))
    .orderBy(asc(workstations.code));
  return rows.map((r) => r.code);
}

export async function competitorCount(tx: Executor, eventId: string) {
  const [entrants] = await tx
    .select({ n: count() })
    .from(competitors)
    .where(eq(competitors.eventId, eventId));
  return entrants?.n;
}

export function mappingOf(db: Executor, roundId: string) {
  return db
    .select({
      code: workstations.code,
      competitorId: competitors.id,
      entryNumber: competitors.entryNumber,
      name: competitors.name,
      unit: competitors.unit,
      region: competitors.region,
    })
    .from(workstations)
    .innerJoin(competitors, eq(competitors.id, workstations.competitorId))
    .where(eq(workstations.roundId, roundId))
    .orderBy(asc(workstations.code));
}
