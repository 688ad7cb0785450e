import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { auditLog, competitions, MARK_ACTIONS, marks, paperConfirmations } from '../db/schema';
import { type EffectiveMark, effectiveMarkFields, effectiveMarks } from './round';
import { type Positions, positionFields } from './round-cache';

/**
 * A round's marks in force (with the rounds it carries over), kept by the live view between recomputations
 * and brought forward from the audit log (decision 024): while the competition's setup position stays the
 * same, only marks change, and every mark that can change what is in force (submitted, entered from paper,
 * confirmed) has its audit entry `mark:<id>`. So a recomputation reads the marks named by the entries after
 * the position it holds, not the whole round. Marks of a competition are numbered and chained under its
 * chain's lock, so a snapshot that sees an entry sees every earlier one.
 */
export interface MarksInForce {
  /** The marks in force at audit position `to`, read in the caller's snapshot at that position. */
  at(ex: Executor, competitionId: string, to: number): Promise<EffectiveMark[]>;
  /**
   * In one statement, no transaction: the competition's positions now and the marks in force at its last
   * entry; null when nothing is held yet or the setup position is no longer `setup` (read the round again).
   */
  latest(
    ex: Executor,
    competitionId: string,
    setup: number,
  ): Promise<{ positions: Positions; marks: EffectiveMark[] } | null>;
}

const keyOf = (m: EffectiveMark) => `${m.roundId}|${m.competitorId}|${m.item}|${m.judgeId}`;

/** In key order: one order independent of the database's collation, whether read whole or brought forward. */
const inOrder = (byKey: Map<string, EffectiveMark>) =>
  [...byKey].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, mark]) => mark);

/** Marks in force as read whole, in the order the kept ones are given (the engine sees one order). */
export const inKeyOrder = (all: readonly EffectiveMark[]) => inOrder(new Map(all.map((m) => [keyOf(m), m])));

interface Marked {
  mark: EffectiveMark;
  /** Whether it is in force if latest: not a paper mark waiting for its confirmation. */
  counts: boolean;
}

/**
 * The mark an audit entry names, with its paper confirmation: a lateral subquery with a limit is planned per
 * entry and never merged into the outer query, so it is always found by its key. Joined plainly, stale
 * statistics (a table that grew fast since it was last analysed) led the planner to read every mark of the
 * round for each entry: a statement that grew with the square of a burst.
 */
const namedMark = (ex: Executor) =>
  ex
    .select({
      ...effectiveMarkFields,
      value: sql<string>`${marks.value}::text`.as('value_text'),
      micros: effectiveMarkFields.micros.as('micros'),
      counts: sql<boolean>`${marks.source} <> 'paper' or ${paperConfirmations.markId} is not null`.as(
        'counts',
      ),
    })
    .from(marks)
    .leftJoin(paperConfirmations, eq(paperConfirmations.markId, marks.id))
    .where(sql`${marks.id} = substr(${auditLog.subject}, 6)::uuid`)
    .limit(1)
    .as('named_mark');

type NamedMark = ReturnType<typeof namedMark>;

/** The competition's mark entries after `from` (up to the snapshot's end) that name marks of these rounds. */
const markedSinceWhere = (
  named: NamedMark,
  competitionId: string,
  roundIds: readonly string[],
  from: number,
) =>
  and(
    eq(auditLog.competitionId, competitionId),
    gt(auditLog.seq, from),
    inArray(auditLog.action, [...MARK_ACTIONS]),
    inArray(named.roundId, [...roundIds]),
  );

async function markedSince(ex: Executor, competitionId: string, roundIds: readonly string[], from: number) {
  const named = namedMark(ex);
  const rows = await ex
    .select(named._.selectedFields)
    .from(auditLog)
    .innerJoinLateral(named, sql`true`)
    .where(markedSinceWhere(named, competitionId, roundIds, from));
  return rows.map(({ counts, ...r }): Marked => ({ mark: { ...r, micros: BigInt(r.micros) }, counts }));
}

/** The same rows as JSON inside one statement with the positions (no join type carries a row list). */
type MarkedJson = Omit<EffectiveMark, 'createdAt' | 'micros'> & {
  createdAt: string;
  micros: string;
  counts: boolean;
};

function markedSinceJson(ex: Executor, competitionId: string, roundIds: readonly string[], from: number) {
  const named = namedMark(ex);
  // Named as EffectiveMark's fields (the value as its text: JSON would make it a number).
  const fields = Object.keys(effectiveMarkFields).flatMap((name) => [
    sql.raw(`'${name}'`),
    named[name as keyof typeof effectiveMarkFields],
  ]);
  const list = ex
    .select({
      list: sql`coalesce(json_agg(json_build_object(${sql.join(fields, sql`, `)}, 'counts', ${named.counts})), '[]')::text`,
    })
    .from(auditLog)
    .innerJoinLateral(named, sql`true`)
    .where(markedSinceWhere(named, competitionId, roundIds, from));
  return sql<string>`(${list})`.mapWith(String);
}

/** The competition's positions and, as JSON, the marks of these rounds named since `from`: one statement. */
export const positionsAndMarkedSince = (
  ex: Executor,
  competitionId: string,
  roundIds: readonly string[],
  from: number,
) =>
  ex
    .select({
      ...positionFields(ex, competitionId),
      since: markedSinceJson(ex, competitionId, roundIds, from),
    })
    .from(competitions)
    .where(eq(competitions.id, competitionId));

const fromJson = ({ counts, createdAt, micros, ...mark }: MarkedJson): Marked => ({
  mark: { ...mark, createdAt: new Date(createdAt), micros: BigInt(micros) },
  counts,
});

export function marksInForce(roundIds: readonly string[]): MarksInForce {
  let held: { to: number; byKey: Map<string, EffectiveMark>; list: EffectiveMark[] } | null = null;
  // One reader at a time: a later snapshot's marks never end up in an earlier position's list.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(read: () => Promise<T>): Promise<T> => {
    const next = queue.then(read);
    queue = next.catch(() => {
      held = null;
    });
    return next;
  };

  /** Brings the held marks forward to `to` with the marks named since. */
  const forward = (to: number, since: readonly Marked[]) => {
    if (!held) throw new Error('marks in force brought forward before they were read');
    let changed = false;
    for (const { mark, counts } of since) {
      if (!counts) continue;
      const key = keyOf(mark);
      const current = held.byKey.get(key);
      // The mark in force is the latest that counts: a paper mark confirmed late does not undo a later one.
      if (current && current.seq >= mark.seq) continue;
      held.byKey.set(key, mark);
      changed = true;
    }
    held = { to, byKey: held.byKey, list: changed ? inOrder(held.byKey) : held.list };
    return held.list;
  };

  return {
    at: (ex, competitionId, to) =>
      serial(async () => {
        if (held === null || to < held.to) {
          const byKey = new Map((await effectiveMarks(ex, roundIds)).map((m) => [keyOf(m), m]));
          held = { to, byKey, list: inOrder(byKey) };
          return held.list;
        }
        if (to === held.to) return held.list;
        return forward(to, await markedSince(ex, competitionId, roundIds, held.to));
      }),
    latest: (ex, competitionId, setup) =>
      serial(async () => {
        if (held === null) return null;
        const [row] = await positionsAndMarkedSince(ex, competitionId, roundIds, held.to);
        if (!row || row.setup !== setup || row.last < held.to) return null;
        const { since, ...positions } = row;
        return {
          positions,
          marks: forward(positions.last, (JSON.parse(since) as MarkedJson[]).map(fromJson)),
        };
      }),
  };
}
