import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, marks } from '../src/db/schema';
import { effectiveMarks } from '../src/scoring/round';
import {
  expectChainVerifies,
  expectEveryMarkOnce,
  expectLiveEqualsRecomputation,
  faultBed,
  judgesMark,
  type PlannedMark,
  planMarks,
  recordCounts,
  seedRound,
} from './faults-support';

/**
 * Re-marks and correction approvals racing on the same seat through two server processes: whichever
 * commits last is the one in force, and it is the one the audit log records last for that seat (the audit
 * order and the order of marks in force never disagree).
 */
describe('re-marks and correction approvals racing on one seat', () => {
  const bed = faultBed({ processes: 2 });

  it('keeps in force, for each seat, the value the audit log records last', async () => {
    const { app, redis, servers } = bed;
    const { seed, codes } = await seedRound(app, 4);
    const url = (i: number) => servers[i % 2]?.url ?? '';
    const api = async (i: number, token: string, path: string, body: object) => {
      const response = await fetch(
        `${url(i)}/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/${path}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
      );
      return { status: response.status, body: (await response.json()) as unknown };
    };
    /** The value in force for each seat of a workstation, and the last one the audit log records for it. */
    const inForceAndAudited = async (workstation: string, actions: string[]) => {
      const competitor = seed.competitors.find((_, i) => codes[i] === workstation);
      const inForce = await effectiveMarks(app.db, [seed.round.id], { competitorId: competitor?.id ?? '' });
      const entries = await app.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.competitionId, seed.competition.id), inArray(auditLog.action, actions)))
        .orderBy(asc(auditLog.seq));
      const audited = new Map<string, string>();
      for (const entry of entries) {
        const detail = entry.detail as { workstation?: string; judgeId?: string; value?: string };
        if (detail.workstation === workstation && detail.judgeId && detail.value)
          audited.set(detail.judgeId, detail.value);
      }
      return {
        inForce: Object.fromEntries(inForce.map((m) => [m.judgeId, m.value])),
        audited: Object.fromEntries(audited),
      };
    };

    // Every seat marks every workstation.
    const first = planMarks(codes);
    const outcomes = await judgesMark(() => url(0), seed, first);

    // A re-mark of A01 ordered; every judge sends six new marks for it at once, through both processes.
    expect(
      (
        await api(0, seed.tokens.chiefJudge, 'remarks', {
          workstation: 'A01',
          item: 'assemblyQuality',
          reason: '复核',
        })
      ).status,
    ).toBe(201);
    const remarks: PlannedMark[] = [];
    for (let judge = 0; judge < 5; judge++)
      for (let k = 0; k < 6; k++)
        remarks.push({ id: randomUUID(), judge, workstation: 'A01', value: String(30 + judge + k / 2) });
    const racing = await Promise.all(remarks.map((mark, i) => judgesMark(() => url(i), seed, [mark])));
    outcomes.push(...racing.flat());
    const remarked = await inForceAndAudited('A01', ['mark.submitted']);
    expect(Object.keys(remarked.inForce)).toHaveLength(5);
    expect(remarked.inForce).toEqual(remarked.audited);

    // Signed off; six corrections of seat J1 on A02 requested, then approved at once through both processes.
    expect(
      (
        await api(0, seed.tokens.chiefJudge, 'sign-off', {
          confirm: true,
          force: true,
          reason: '测试：强制签字',
        })
      ).status,
    ).toBe(200);
    const corrections: string[] = [];
    for (let k = 0; k < 6; k++) {
      const requested = await api(k, seed.tokens.scorekeeper, 'corrections', {
        workstation: 'A02',
        item: 'assemblyQuality',
        seat: 'J1',
        value: String(40 + k),
        reason: '纸质评分表核对有误',
      });
      expect(requested.status).toBe(201);
      corrections.push((requested.body as { correction: { id: string } }).correction.id);
    }
    const approvals = await Promise.all(
      corrections.map((id, k) =>
        api(k, seed.tokens.chiefJudge, `corrections/${id}/approve`, { reason: '核对属实' }),
      ),
    );
    expect(approvals.map((a) => a.status)).toEqual(corrections.map(() => 200));
    const corrected = await inForceAndAudited('A02', ['mark.submitted', 'correction.approved']);
    expect(corrected.inForce).toEqual(corrected.audited);
    // Each approval stored its mark once.
    const correctionMarks = await app.db.select().from(marks).where(eq(marks.source, 'correction'));
    expect(correctionMarks.map((m) => m.correctionId).sort()).toEqual([...corrections].sort());

    const counts = await expectEveryMarkOnce(app, () => url(0), seed, outcomes);
    expect(counts.lost).toBe(0);
    await expectLiveEqualsRecomputation(app, redis.url);
    await expectChainVerifies(app, seed.competition.id);
    await recordCounts(
      'races-remark-correction',
      'Re-marks (×6 per seat) and correction approvals (×6) racing',
      counts,
    );
  }, 240_000);
});
