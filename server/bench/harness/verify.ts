/**
 * What every `pnpm bench` run ends with (issue 14): every acknowledged mark stored exactly once, with one
 * audit entry, nothing stored that was refused, the audit chain intact, and the live view equal to a
 * recomputation from the database (`createLiveState(db, store).check()`, as `pnpm live:check` does).
 *
 * Run it once the server processes have stopped (the embedded database is then free to open) or, for a
 * Redis live view, while it still holds what the servers left.
 */
import { inArray, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { openDatabase } from '../../src/db/client';
import { auditLog, marks } from '../../src/db/schema';
import { RedisLiveStore } from '../../src/live/redis-store';
import { createLiveState } from '../../src/live/service';
import { verifyAuditChain } from '../../src/modules/audit/service';
import type { BenchBackend } from './server';

export interface MarkLedger {
  /** Ids the server acknowledged (200 or 201). */
  acknowledged: readonly string[];
  /** Ids the server refused (4xx): none of them may be stored. */
  refused: readonly string[];
}

export interface Verdict {
  /** Acknowledged ids with no stored mark, or without their audit entry. */
  lost: number;
  /** Ids stored (or audited) more than once, or stored though refused. */
  duplicates: number;
  refusedStored: number;
  auditChainOk: boolean;
  /** null: the embedded live view lived in the stopped server's memory and cannot be compared. */
  liveViewMatches: boolean | null;
  /** The first differences `check()` named, for the report's notes. */
  differences: string[];
}

const CHUNK = 5_000;

async function counts(
  ids: readonly string[],
  query: (chunk: string[]) => Promise<{ id: string; n: number }[]>,
): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const row of await query(ids.slice(i, i + CHUNK))) seen.set(row.id, Number(row.n));
  }
  return seen;
}

/** Checks what the run's servers stored against what they answered; `competitionIds`: the run's competitions. */
export async function verifyRun(
  backend: BenchBackend,
  competitionIds: readonly string[],
  ledger: MarkLedger,
): Promise<Verdict> {
  const handle = await openDatabase(
    backend.databaseUrl ? { url: backend.databaseUrl } : { dataDir: `${backend.dataDir}/pglite` },
  );
  const redis = backend.redisUrl ? new Redis(backend.redisUrl, { maxRetriesPerRequest: 3 }) : null;
  try {
    const { db } = handle;
    const all = [...ledger.acknowledged, ...ledger.refused];
    const stored = await counts(all, (chunk) =>
      db
        .select({ id: marks.id, n: sql<number>`count(*)` })
        .from(marks)
        .where(inArray(marks.id, chunk))
        .groupBy(marks.id),
    );
    const audited = await counts(all, (chunk) =>
      db
        .select({ id: sql<string>`substr(${auditLog.subject}, 6)`, n: sql<number>`count(*)` })
        .from(auditLog)
        .where(
          inArray(
            auditLog.subject,
            chunk.map((id) => `mark:${id}`),
          ),
        )
        .groupBy(auditLog.subject),
    );
    let lost = 0;
    let duplicates = 0;
    for (const id of new Set(ledger.acknowledged)) {
      const rows = stored.get(id) ?? 0;
      const entries = audited.get(id) ?? 0;
      if (rows === 0 || entries === 0) lost++;
      else if (rows > 1 || entries > 1) duplicates++;
    }
    let refusedStored = 0;
    for (const id of new Set(ledger.refused)) if ((stored.get(id) ?? 0) > 0) refusedStored++;

    let auditChainOk = true;
    for (const id of competitionIds) auditChainOk &&= (await verifyAuditChain(db, id)).ok;

    let liveViewMatches: boolean | null = null;
    let differences: string[] = [];
    if (redis) {
      const live = createLiveState(db, new RedisLiveStore(redis, { prefix: 'jx:live:' }));
      differences = await live.check();
      liveViewMatches = differences.length === 0;
    }
    return {
      lost,
      duplicates: duplicates + refusedStored,
      refusedStored,
      auditChainOk,
      liveViewMatches,
      differences: differences.slice(0, 5),
    };
  } finally {
    await redis?.quit();
    await handle.close();
  }
}
