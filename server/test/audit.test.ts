import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChanges } from '../src/changes';
import type { DatabaseHandle } from '../src/db/client';
import { auditLog, competitions } from '../src/db/schema';
import { audited, verifyAuditChain } from '../src/modules/audit/service';
import { drivers, openTestDatabase } from './databases';

describe.each(drivers)('audit chain on %s', (driver) => {
  let handle: DatabaseHandle;
  let competitionId: string;

  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    const [row] = await handle.db
      .insert(competitions)
      .values({
        name: '测试',
        level: 'city',
        organizer: '市总工会',
        venue: '体育馆',
        startsOn: '2026-05-01',
        endsOn: '2026-05-02',
      })
      .returning({ id: competitions.id });
    competitionId = row?.id ?? '';
  });
  afterAll(() => handle.close());

  it('chains entries in order, also when written concurrently', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        audited({ db: handle.db, changes: createChanges() }, (_tx, audit) =>
          audit(competitionId, {
            affects: 'noStandings',
            actor: 'system',
            action: 'test.entry',
            subject: `s${i}`,
            detail: { i, b: 'x', a: [1, { z: 1, y: 2 }] },
          }),
        ),
      ),
    );
    expect(await verifyAuditChain(handle.db, competitionId)).toEqual({ ok: true, entries: 20 });
  });

  it('names the first entry whose content was edited', async () => {
    await handle.db
      .update(auditLog)
      .set({ detail: { i: 999 } })
      .where(and(eq(auditLog.competitionId, competitionId), eq(auditLog.seq, 7)));
    expect(await verifyAuditChain(handle.db, competitionId)).toEqual({
      ok: false,
      entries: 20,
      brokenAt: 7,
      reason: 'its content does not match its hash (edited)',
    });
  });

  it('names a deleted entry', async () => {
    await handle.db.execute(sql`delete from audit_log where competition_id = ${competitionId} and seq = 3`);
    const verdict = await verifyAuditChain(handle.db, competitionId);
    expect(verdict).toMatchObject({ ok: false, brokenAt: 4, reason: 'entry 3 is missing (found 4)' });
  });
});
