import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { type Affects, type Changes, changeOf } from '../../changes';
import type { Database, Executor } from '../../db/client';
import { auditLog } from '../../db/schema';
import { faultPoint } from '../../faults';
import { type ChainedContent, entryHash, GENESIS } from './chain';

export interface AuditEntry {
  /** `account:<id>`, `device:<id>` or `system`. */
  actor: string;
  action: string;
  subject: string;
  detail?: Record<string, unknown>;
}

/** What a service needs to write: the database, and where to announce what it committed. */
export interface Writer {
  db: Database;
  changes: Changes;
}

/** Records an entry in the transaction of `audited`, naming what the change affects. */
export type Audit = ((
  competitionId: string,
  entry: AuditEntry & { affects: Affects },
) => Promise<{ seq: number; hash: string }>) & {
  /**
   * Takes the competition's chain for the rest of the transaction (its row FOR UPDATE), once. A write that
   * numbers something in order (a mark's seq) takes it before numbering, so that order and the chain's
   * never differ; recording an entry takes it too.
   */
  lockChain(competitionId: string): Promise<void>;
  /**
   * For a writer that took the chain and read its head in a statement of its own (a group of marks:
   * `mark_group_begin`): chains the entries from `head` and returns their rows, which the writer inserts in
   * its own statement of this transaction.
   */
  chained(
    competitionId: string,
    head: ChainHead,
    entries: readonly (AuditEntry & { affects: Affects })[],
  ): AuditRow[];
};

/**
 * The one way to change state: `work` runs in a transaction and records its audit entries through `audit`;
 * after the commit, what the entries said they affected is announced (the live view recomputes it). A
 * transaction that throws announces nothing.
 */
export async function audited<T>(
  writer: Writer,
  work: (tx: Executor, audit: Audit) => Promise<T>,
): Promise<T> {
  const changed = new Map<string, ReturnType<typeof changeOf>>();
  const value = await writer.db.transaction(async (tx) => {
    const locked = new Set<string>();
    const lockChain = async (competitionId: string) => {
      if (locked.has(competitionId)) return;
      await tx.execute(sql`select id from competitions where id = ${competitionId} for update`);
      locked.add(competitionId);
    };
    // The chain's head once read under its lock, kept for the rest of the transaction.
    const heads = new Map<string, ChainHead>();
    const chained = (
      competitionId: string,
      head: ChainHead,
      entries: readonly (AuditEntry & { affects: Affects })[],
    ) => {
      locked.add(competitionId);
      const rows = chainRows(
        competitionId,
        entries.map(({ affects: _, ...entry }) => entry),
        head,
      );
      heads.set(competitionId, rows.at(-1) ?? head);
      for (const { affects } of entries) {
        if (affects === 'noStandings') continue;
        const change = changeOf(competitionId, affects);
        changed.set(JSON.stringify(change), change);
      }
      return rows;
    };
    const audit: Audit = Object.assign(
      async (competitionId: string, entry: AuditEntry & { affects: Affects }) => {
        await lockChain(competitionId);
        const head = heads.get(competitionId) ?? (await auditHead(tx, competitionId));
        const [row] = chained(competitionId, head, [entry]);
        if (!row) throw new Error('an audit entry was not chained');
        await tx.insert(auditLog).values(row);
        return { seq: row.seq, hash: row.hash };
      },
      { lockChain, chained },
    );
    const done = await work(tx, audit);
    await faultPoint('before-commit');
    return done;
  });
  await faultPoint('after-commit');
  for (const change of changed.values()) writer.changes.committed(change);
  return value;
}

/** The rows of entries chained after `head` (the caller holds the chain's lock: one chain, in order). */
function chainRows(competitionId: string, entries: readonly AuditEntry[], head: ChainHead): AuditRow[] {
  let last = head;
  const at = new Date().toISOString();
  return entries.map((entry) => {
    const content: ChainedContent = {
      competitionId,
      seq: last.seq + 1,
      at,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      detail: entry.detail ?? {},
    };
    const prevHash = last.hash;
    last = { seq: content.seq, hash: entryHash(prevHash, content) };
    return { ...content, prevHash, hash: last.hash };
  });
}

export type ChainVerdict =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/** Re-hashes the whole chain and names the first entry that does not match. */
export async function verifyAuditChain(db: Database, competitionId: string): Promise<ChainVerdict> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.competitionId, competitionId)))
    .orderBy(asc(auditLog.seq));
  let prevHash = GENESIS;
  for (const [index, row] of rows.entries()) {
    const broken = (reason: string): ChainVerdict => ({
      ok: false,
      entries: rows.length,
      brokenAt: row.seq,
      reason,
    });
    if (row.seq !== index + 1) return broken(`entry ${index + 1} is missing (found ${row.seq})`);
    if (row.prevHash !== prevHash) return broken('its previous hash does not match the entry before it');
    const content: ChainedContent = {
      competitionId: row.competitionId,
      seq: row.seq,
      at: new Date(row.at).toISOString(),
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      detail: row.detail,
    };
    if (entryHash(prevHash, content) !== row.hash)
      return broken('its content does not match its hash (edited)');
    prevHash = row.hash;
  }
  return { ok: true, entries: rows.length };
}

export type ChainHead = { seq: number; hash: string };
/** An audit log row as inserted. */
export type AuditRow = typeof auditLog.$inferInsert & { seq: number; hash: string };

/** Where the competition's chain stands: its last entry's sequence number and hash (0 and the genesis before any). */
export async function auditHead(ex: Executor, competitionId: string): Promise<ChainHead> {
  const [last] = await ex
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.competitionId, competitionId))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  return last ?? { seq: 0, hash: GENESIS };
}
