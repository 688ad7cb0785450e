import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { recordsetOf } from '../../db/recordset';
import {
  auditLog,
  competitions,
  corrections,
  marks,
  missingMarks,
  paperConfirmations,
  remarkOrders,
  rounds,
} from '../../db/schema';
import type { JudgeClaims } from '../../plugins/auth';
import { roundUnknown } from '../../refusals';
import { micros, type RoundRow } from '../../scoring/round';
import { canonicalJson, GENESIS } from '../audit/chain';
import type { AuditRow, ChainHead } from '../audit/service';

/** The queries of the marks module. Every lookup is scoped to a round that belongs to the competition. */

export type MarkRow = typeof marks.$inferSelect;
export type CorrectionRow = typeof corrections.$inferSelect;
export type RemarkRow = typeof remarkOrders.$inferSelect & { micros: bigint };

/** Locks the round row for the rest of the transaction and returns its current state. */
export async function lockRound(ex: Executor, roundId: string, mode: 'share' | 'update'): Promise<RoundRow> {
  const [row] = await ex.select().from(rounds).where(eq(rounds.id, roundId)).for(mode);
  if (!row) throw roundUnknown();
  return row;
}

/** What `mark_group_begin` (db/functions.ts) read under the rounds' and the chain's locks. */
export interface MarkGroupStart {
  rounds: Map<string, { signedOff: boolean; markingClosed: boolean }>;
  setup: number;
  head: ChainHead;
  /** Ids among the group's that are stored already (retries, or a reused id). */
  known: Set<string>;
  /** Mark numbers for the group's new marks, ascending. */
  seqs: number[];
  /** Those of the judge tokens passed in that no longer hold. */
  staleTokens: Set<JudgeClaims>;
}

/** Takes the rounds and the competition's chain and reads what a group of marks is checked against. */
export async function beginMarkGroup(
  ex: Executor,
  competitionId: string,
  roundIds: readonly string[],
  markIds: readonly string[],
  judgeTokens: readonly JudgeClaims[],
): Promise<MarkGroupStart> {
  const call = sql<{
    rounds: { id: string; signedOff: boolean; markingClosed: boolean }[];
    setup: number;
    head: ChainHead | null;
    known: string[];
    seqs: (number | string)[];
    staleTokens: number[];
  }>`mark_group_begin(${competitionId}, ${JSON.stringify(roundIds)}, ${JSON.stringify(markIds)}, ${JSON.stringify(judgeTokens)})`;
  const [row] = await ex.select({ begun: call }).from(competitions).where(eq(competitions.id, competitionId));
  if (!row) throw new Error(`competition ${competitionId} vanished`);
  const { begun } = row;
  return {
    rounds: new Map(begun.rounds.map((r) => [r.id, r])),
    setup: begun.setup,
    head: begun.head ?? { seq: 0, hash: GENESIS },
    known: new Set(begun.known),
    seqs: begun.seqs.map(Number).sort((a, b) => a - b),
    staleTokens: new Set(begun.staleTokens.flatMap((at) => judgeTokens[at] ?? [])),
  };
}

const auditRecords = recordsetOf(auditLog);
const markRecords = recordsetOf(marks);

/**
 * Inserts a group's new marks and their audit entries in one statement of one text whatever the group's size
 * (db/recordset.ts); returns the marks as stored.
 */
export function insertMarksWithAudit(
  ex: Executor,
  rows: readonly (MarkInsert & { seq: number })[],
  entries: readonly AuditRow[],
): Promise<MarkRow[]> {
  const appended = ex.$with('appended').as(ex.insert(auditLog).select(auditRecords(entries)));
  return ex.with(appended).insert(marks).select(markRecords(rows)).returning();
}

/** The stored marks among `ids`, by id. */
export async function marksById(ex: Executor, ids: readonly string[]): Promise<Map<string, MarkRow>> {
  if (ids.length === 0) return new Map();
  const rows = await ex
    .select()
    .from(marks)
    .where(inArray(marks.id, [...ids]));
  return new Map(rows.map((row) => [row.id, row]));
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

export type RoundChanges = Partial<typeof rounds.$inferInsert>;

export async function updateRound(ex: Executor, roundId: string, changes: RoundChanges): Promise<RoundRow> {
  const [round] = await ex.update(rounds).set(changes).where(eq(rounds.id, roundId)).returning();
  if (!round) throw new Error('round vanished');
  return round;
}

export async function insertRemarkOrder(ex: Executor, values: typeof remarkOrders.$inferInsert) {
  const [row] = await ex.insert(remarkOrders).values(values).returning();
  if (!row) throw new Error('re-mark order not stored');
  return row;
}

/** Records a confirmation once; undefined when the mark was confirmed already. */
export async function insertPaperConfirmation(ex: Executor, markId: string, confirmedBy: string) {
  const [row] = await ex
    .insert(paperConfirmations)
    .values({ markId, confirmedBy })
    .onConflictDoNothing({ target: paperConfirmations.markId })
    .returning();
  return row;
}

export async function insertCorrection(ex: Executor, values: typeof corrections.$inferInsert) {
  const [row] = await ex.insert(corrections).values(values).returning();
  if (!row) throw new Error('correction not stored');
  return row;
}

/** The round's correction, locked for its decision; undefined when the round has none with that id. */
export async function lockCorrection(ex: Executor, roundId: string, correctionId: string) {
  const [row] = await ex
    .select()
    .from(corrections)
    .where(and(eq(corrections.id, correctionId), eq(corrections.roundId, roundId)))
    .for('update');
  return row;
}

export async function recordDecision(
  ex: Executor,
  correctionId: string,
  decision: Pick<CorrectionRow, 'status' | 'decidedBy' | 'decisionReason' | 'decidedAt'>,
) {
  const [row] = await ex
    .update(corrections)
    .set(decision)
    .where(eq(corrections.id, correctionId))
    .returning();
  return row;
}

/** Records a seat's missing mark as replaced; undefined when it already is. */
export async function insertMissingMark(ex: Executor, values: typeof missingMarks.$inferInsert) {
  const [row] = await ex.insert(missingMarks).values(values).onConflictDoNothing().returning();
  return row;
}
