import { createHash } from 'node:crypto';
import { parseScheme, type Scheme } from '@jiangxin/shared';
import { type AnyColumn, and, asc, desc, eq, inArray, isNotNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  competitions,
  competitors,
  corrections,
  declaredAttempts,
  events,
  judges,
  marks,
  panelSeats,
  panels,
  paperConfirmations,
  recusals,
  remarkOrders,
  rounds,
  workstations,
} from '../../db/schema';
import { canonicalJson } from '../audit/chain';
import { roundUnknown } from './errors';
import type { SeatingData } from './seating';

/** The queries of the marks module. Every lookup is scoped to a round that belongs to the competition. */

export type RoundRow = typeof rounds.$inferSelect;
export type MarkRow = typeof marks.$inferSelect;
export type CorrectionRow = typeof corrections.$inferSelect;
export type RemarkRow = typeof remarkOrders.$inferSelect & { micros: bigint };

/** A timestamp in microseconds since the epoch (JS dates keep only milliseconds): orders marks and orders. */
const micros = (column: AnyColumn) =>
  sql<string>`(extract(epoch from ${column}) * 1000000)::bigint::text`.mapWith(String);

export interface RoundContext {
  competitionId: string;
  round: RoundRow;
  event: { id: string; name: string };
  scheme: Scheme;
  recusalByRegion: boolean;
}

const schemes = new Map<string, { text: string; scheme: Scheme }>();

/** The event's scheme, validated once per content (schemes are stored already validated by setup). */
function schemeOf(eventId: string, input: unknown): Scheme {
  const text = JSON.stringify(input);
  const cached = schemes.get(eventId);
  if (cached?.text === text) return cached.scheme;
  const parsed = parseScheme(input);
  if (!parsed.ok) throw new Error(`the stored scheme of event ${eventId} is invalid`);
  schemes.set(eventId, { text, scheme: parsed.scheme });
  return parsed.scheme;
}

/** The round with its event and scheme, or 404 if it is not a round of this competition. */
export async function loadRound(ex: Executor, competitionId: string, roundId: string): Promise<RoundContext> {
  const [row] = await ex
    .select({
      round: rounds,
      eventId: events.id,
      eventName: events.name,
      scheme: events.scheme,
      recusalByRegion: competitions.recusalByRegion,
    })
    .from(rounds)
    .innerJoin(events, eq(events.id, rounds.eventId))
    .innerJoin(competitions, eq(competitions.id, events.competitionId))
    .where(and(eq(rounds.id, roundId), eq(events.competitionId, competitionId)));
  if (!row) throw roundUnknown();
  return {
    competitionId,
    round: row.round,
    event: { id: row.eventId, name: row.eventName },
    scheme: schemeOf(row.eventId, row.scheme),
    recusalByRegion: row.recusalByRegion,
  };
}

/** Locks the round row for the rest of the transaction and returns its current state. */
export async function lockRound(ex: Executor, roundId: string, mode: 'share' | 'update'): Promise<RoundRow> {
  const [row] = await ex.select().from(rounds).where(eq(rounds.id, roundId)).for(mode);
  if (!row) throw roundUnknown();
  return row;
}

export interface RoundCompetitor {
  id: string;
  code: string;
  name: string;
  unit: string;
  region: string;
}

/** The competitors of a round by workstation (all, or the one with `code`). */
export async function roundCompetitors(
  ex: Executor,
  roundId: string,
  code?: string,
): Promise<RoundCompetitor[]> {
  return ex
    .select({
      id: competitors.id,
      code: workstations.code,
      name: competitors.name,
      unit: competitors.unit,
      region: competitors.region,
    })
    .from(workstations)
    .innerJoin(competitors, eq(competitors.id, workstations.competitorId))
    .where(
      code === undefined
        ? eq(workstations.roundId, roundId)
        : and(eq(workstations.roundId, roundId), eq(workstations.code, code)),
    )
    .orderBy(asc(workstations.code));
}

/** The event's panels, seats, recusals and the competition's judges (for the unit and region rule). */
export async function loadSeating(ctx: RoundContext, ex: Executor): Promise<SeatingData> {
  const panelRows = await ex
    .select()
    .from(panels)
    .where(eq(panels.eventId, ctx.event.id))
    .orderBy(asc(panels.createdAt), asc(panels.name));
  const panelIds = panelRows.map((p) => p.id);
  const [seatRows, recusalRows, judgeRows] = panelIds.length
    ? await Promise.all([
        ex.select().from(panelSeats).where(inArray(panelSeats.panelId, panelIds)),
        ex.select().from(recusals).where(inArray(recusals.panelId, panelIds)),
        ex
          .select({ id: judges.id, unit: judges.unit, region: judges.region })
          .from(judges)
          .where(eq(judges.competitionId, ctx.competitionId)),
      ])
    : [[], [], []];
  return {
    panels: panelRows.map((p) => ({
      id: p.id,
      name: p.name,
      aspects: p.aspects,
      seats: seatRows
        .filter((s) => s.panelId === p.id)
        .map((s) => ({ seat: s.seat, judgeId: s.judgeId }))
        .sort((a, b) => a.seat.localeCompare(b.seat, 'en', { numeric: true })),
    })),
    recusals: recusalRows.map((r) => ({
      panelId: r.panelId,
      judgeId: r.judgeId,
      competitorId: r.competitorId,
      substituteJudgeId: r.substituteJudgeId,
    })),
    judges: new Map(judgeRows.map((j) => [j.id, { unit: j.unit, region: j.region }])),
    recusalByRegion: ctx.recusalByRegion,
  };
}

export async function findMark(ex: Executor, id: string): Promise<MarkRow | undefined> {
  const [row] = await ex.select().from(marks).where(eq(marks.id, id));
  return row;
}

export type MarkInsert = typeof marks.$inferInsert & { id: string };

/** Inserts the mark unless its id exists; returns the stored row and whether this call stored it. */
export async function insertMarkOnce(
  ex: Executor,
  values: MarkInsert,
): Promise<{ row: MarkRow; created: boolean }> {
  const [inserted] = await ex
    .insert(marks)
    .values(values)
    .onConflictDoNothing({ target: marks.id })
    .returning();
  if (inserted) return { row: inserted, created: true };
  const existing = await findMark(ex, values.id);
  if (!existing) throw new Error(`mark ${values.id} neither inserted nor found`);
  return { row: existing, created: false };
}

/** A stable hash of what was submitted, so the same id with another body is told apart from a retry. */
export function bodyHash(body: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export interface EffectiveMark {
  id: string;
  roundId: string;
  competitorId: string;
  item: string;
  judgeId: string;
  value: string;
  source: string;
  seq: number;
  createdAt: Date;
  /** createdAt in microseconds. */
  micros: bigint;
}

/**
 * The marks in force: per (round, competitor, item, judge) the latest row by arrival that is effective
 * (tablet and correction marks always, paper marks once confirmed). Nothing is deleted or counted twice.
 */
export async function effectiveMarks(
  ex: Executor,
  roundIds: readonly string[],
  filter: { judgeId?: string; competitorId?: string; item?: string } = {},
): Promise<EffectiveMark[]> {
  if (roundIds.length === 0) return [];
  const conditions: SQL[] = [inArray(marks.roundId, [...roundIds])];
  if (filter.judgeId) conditions.push(eq(marks.judgeId, filter.judgeId));
  if (filter.competitorId) conditions.push(eq(marks.competitorId, filter.competitorId));
  if (filter.item) conditions.push(eq(marks.item, filter.item));
  const effective = or(ne(marks.source, 'paper'), isNotNull(paperConfirmations.markId));
  if (effective) conditions.push(effective);
  const rows = await ex
    .selectDistinctOn([marks.roundId, marks.competitorId, marks.item, marks.judgeId], {
      id: marks.id,
      roundId: marks.roundId,
      competitorId: marks.competitorId,
      item: marks.item,
      judgeId: marks.judgeId,
      value: marks.value,
      source: marks.source,
      seq: marks.seq,
      createdAt: marks.createdAt,
      micros: micros(marks.createdAt),
    })
    .from(marks)
    .leftJoin(paperConfirmations, eq(paperConfirmations.markId, marks.id))
    .where(and(...conditions))
    .orderBy(marks.roundId, marks.competitorId, marks.item, marks.judgeId, desc(marks.seq));
  return rows.map((r) => ({ ...r, micros: BigInt(r.micros) }));
}

/** Paper marks of the round not yet confirmed. */
export async function unconfirmedPaperMarks(ex: Executor, roundId: string): Promise<MarkRow[]> {
  const rows = await ex
    .select({ mark: marks, confirmed: paperConfirmations.markId })
    .from(marks)
    .leftJoin(paperConfirmations, eq(paperConfirmations.markId, marks.id))
    .where(and(eq(marks.roundId, roundId), eq(marks.source, 'paper')))
    .orderBy(asc(marks.seq));
  return rows.filter((r) => r.confirmed === null).map((r) => r.mark);
}

export async function paperConfirmation(ex: Executor, markId: string) {
  const [row] = await ex.select().from(paperConfirmations).where(eq(paperConfirmations.markId, markId));
  return row;
}

export async function remarkOrdersOf(ex: Executor, roundId: string): Promise<RemarkRow[]> {
  const rows = await ex
    .select({ order: remarkOrders, micros: micros(remarkOrders.createdAt) })
    .from(remarkOrders)
    .where(eq(remarkOrders.roundId, roundId))
    .orderBy(asc(remarkOrders.createdAt));
  return rows.map((r) => ({ ...r.order, micros: BigInt(r.micros) }));
}

/** The round's corrections (of one judge's marks, with `judgeId`), oldest first. */
export async function correctionsOf(
  ex: Executor,
  roundId: string,
  judgeId?: string,
): Promise<CorrectionRow[]> {
  return ex
    .select()
    .from(corrections)
    .where(
      judgeId === undefined
        ? eq(corrections.roundId, roundId)
        : and(eq(corrections.roundId, roundId), eq(corrections.judgeId, judgeId)),
    )
    .orderBy(asc(corrections.createdAt));
}

/** The marks written by approved corrections, by correction id. */
export async function correctionMarks(ex: Executor, roundId: string): Promise<Map<string, string>> {
  const rows = await ex
    .select({ id: marks.id, correctionId: marks.correctionId })
    .from(marks)
    .where(and(eq(marks.roundId, roundId), eq(marks.source, 'correction')));
  return new Map(rows.flatMap((r) => (r.correctionId ? [[r.correctionId, r.id] as const] : [])));
}

/** The DB rounds of the event with the given scheme round keys (this round and the rounds it carries). */
export async function eventRounds(ex: Executor, eventId: string, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return ex
    .select({ id: rounds.id, key: rounds.key })
    .from(rounds)
    .where(and(eq(rounds.eventId, eventId), inArray(rounds.key, [...keys])));
}

export async function difficultiesOf(ex: Executor, roundIds: readonly string[]) {
  if (roundIds.length === 0) return [];
  return ex
    .select()
    .from(declaredAttempts)
    .where(inArray(declaredAttempts.roundId, [...roundIds]));
}
