import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { openConfiguredDatabase } from '../configured-database';
import type { Database } from '../db/client';
import { competitions } from '../db/schema';
import { type ChainVerdict, verifyAuditChain } from '../modules/audit/service';

/**
 * `tsx server/src/cli/verify-audit.ts <competitionId>`: re-hashes a competition's audit chain in the
 * database the server uses (DATABASE_URL, or the embedded database in DATA_DIR/pglite) and prints OK with
 * the number of entries, or names the first broken entry. Exit code 0 when the chain holds, 1 when it is
 * broken, 2 when the command cannot run (usage, settings, unknown competition).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The report line of a verdict (the same facts as GET /api/competitions/:id/audit/verify). */
export function formatVerdict(competitionId: string, verdict: ChainVerdict): string {
  if (verdict.ok)
    return `OK: the audit chain of competition ${competitionId} verifies (${verdict.entries} entries)`;
  return (
    `BROKEN: the audit chain of competition ${competitionId} breaks at entry ${verdict.brokenAt} ` +
    `of ${verdict.entries}: ${verdict.reason}`
  );
}

/** Verifies one competition's chain; returns the text to print and the exit code. */
export async function verifyAudit(
  db: Database,
  competitionId: string,
): Promise<{ code: 0 | 1 | 2; text: string; verdict?: ChainVerdict }> {
  if (!UUID.test(competitionId)) {
    return { code: 2, text: `not a competition id: "${competitionId}" (expected a UUID)` };
  }
  const [competition] = await db
    .select({ id: competitions.id })
    .from(competitions)
    .where(eq(competitions.id, competitionId));
  if (!competition) return { code: 2, text: `no competition ${competitionId} in this database` };
  const verdict = await verifyAuditChain(db, competitionId);
  return { code: verdict.ok ? 0 : 1, text: formatVerdict(competitionId, verdict), verdict };
}

async function main(argv: readonly string[]): Promise<number> {
  const [competitionId, extra] = argv;
  if (!competitionId || extra !== undefined || competitionId === '--help' || competitionId === '-h') {
    console.error('usage: tsx server/src/cli/verify-audit.ts <competitionId>');
    return 2;
  }
  const opened = await openConfiguredDatabase();
  if (!opened) return 2;
  const { handle } = opened;
  try {
    const { code, text } = await verifyAudit(handle.db, competitionId);
    console.log(text);
    return code;
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
