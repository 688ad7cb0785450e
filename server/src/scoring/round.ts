import { parseScheme, type Scheme } from '@jiangxin/shared';
import {
  type AnyColumn,
  and,
  asc,
  desc,
  eq,
  inArray,
  isNotNull,
  isNull,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  competitions,
  competitors,
  declaredAttempts,
  events,
  judges,
  marks,
  missingMarks,
  panelCompetitors,
  panelSeats,
  panels,
  paperConfirmations,
  recusals,
  rounds,
  workstations,
} from '../db/schema';
import { roundUnknown } from '../refusals';
import { fieldOf, type SeatingData } from './seating';

/**
 * Reading a round for scoring: the round with its scheme, its competitors by workstation, the seating and
 * the marks in force. The marks module and the live view both read rounds through here.
 */

export type RoundRow = typeof rounds.$inferSelect;

/** A timestamp in microseconds since the epoch (JS dates keep only milliseconds): orders marks and orders. */
export const micros = (column: AnyColumn) =>
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
export function schemeOf(eventId: string, input: unknown): Scheme {
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

/**
 * The round's panels (its own and the event-wide ones) with their fields, seats and recusals, and the
 * competition's judges (for the unit and region rule).
 */
export async function loadSeating(ctx: RoundContext, ex: Executor): Promise<SeatingData> {
  const panelRows = await ex
    .select()
    .from(panels)
    .where(
      and(eq(panels.eventId, ctx.event.id), or(isNull(panels.roundId), eq(panels.roundId, ctx.round.id))),
    )
    .orderBy(asc(panels.createdAt), asc(panels.name));
  const panelIds = panelRows.map((p) => p.id);
  const [seatRows, recusalRows, judgeRows, fieldRows] = panelIds.length
    ? await Promise.all([
        ex.select().from(panelSeats).where(inArray(panelSeats.panelId, panelIds)),
        ex.select().from(recusals).where(inArray(recusals.panelId, panelIds)),
        ex
          .select({ id: judges.id, unit: judges.unit, region: judges.region })
          .from(judges)
          .where(eq(judges.competitionId, ctx.competitionId)),
        ex.select().from(panelCompetitors).where(inArray(panelCompetitors.panelId, panelIds)),
      ])
    : [[], [], [], []];
  return {
    panels: panelRows.map((p) => ({
      id: p.id,
      name: p.name,
      group: p.group,
      aspects: p.aspects,
      attempts: p.attempts,
      field: fieldOf(fieldRows.filter((f) => f.panelId === p.id).map((f) => f.competitorId)),
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

/** The columns of an EffectiveMark (`micros` as text, made a bigint by the reader). */
export const effectiveMarkFields = {
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
};

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
    .selectDistinctOn([marks.roundId, marks.competitorId, marks.item, marks.judgeId], effectiveMarkFields)
    .from(marks)
    .leftJoin(paperConfirmations, eq(paperConfirmations.markId, marks.id))
    .where(and(...conditions))
    .orderBy(marks.roundId, marks.competitorId, marks.item, marks.judgeId, desc(marks.seq));
  return rows.map((r) => ({ ...r, micros: BigInt(r.micros) }));
}

/** The DB rounds of the event with the given scheme round keys (this round and the rounds it carries). */
export async function eventRounds(ex: Executor, eventId: string, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return ex
    .select({ id: rounds.id, key: rounds.key })
    .from(rounds)
    .where(and(eq(rounds.eventId, eventId), inArray(rounds.key, [...keys])));
}

/** The seats whose missing mark the chief judge had replaced under the scheme's rule, in these rounds. */
export async function missingMarksOf(ex: Executor, roundIds: readonly string[]) {
  if (roundIds.length === 0) return [];
  return ex
    .select()
    .from(missingMarks)
    .where(inArray(missingMarks.roundId, [...roundIds]))
    .orderBy(asc(missingMarks.createdAt));
}

export async function difficultiesOf(ex: Executor, roundIds: readonly string[]) {
  if (roundIds.length === 0) return [];
  return ex
    .select()
    .from(declaredAttempts)
    .where(inArray(declaredAttempts.roundId, [...roundIds]));
}
