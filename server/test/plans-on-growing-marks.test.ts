import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../src/db/client';
import { positionsAndMarkedSince } from '../src/scoring/marks-in-force';
import { competitionPositions } from '../src/scoring/round-cache';
import { rowsOf } from './databases';
import { type Seeded, seedCompetition, testApp } from './support';

/** A node of `EXPLAIN (ANALYZE, FORMAT JSON)`, as far as the tests read it. */
interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** The plan's nodes that read table `relation`, anywhere in it. */
const scansOf = (node: PlanNode, relation: string): PlanNode[] => [
  ...(node['Relation Name'] === relation ? [node] : []),
  ...(node.Plans ?? []).flatMap((child) => scansOf(child, relation)),
];

/**
 * Statements postgres.js prepares once per connection (and PL/pgSQL's own) keep a generic plan made from the
 * statistics of the moment, however much the marks table grows until it is analysed again: on a new
 * competition day, the first minutes of marking (decision 030). Marks must still be found by their key:
 * - the live view brings a round forward with the marks named by the audit entries since its position
 *   (decision 024): one mark read per entry, never the whole round per entry (40 ms of a core per
 *   recomputation ten seconds into a burst);
 * - a group of marks begins by asking which of its ids are stored (`mark_group_begin`): never a scan of
 *   every mark.
 */
describe('plans that stay right while the marks table grows, on Postgres', () => {
  let app: FastifyInstance;
  let seed: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp('postgres'));
    seed = await seedCompetition(app);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A burst's worth of marks of the seeded round, with their audit entries. */
  const addMarks = async (ex: Executor, count: number) => {
    const cid = seed.competition.id;
    const roundId = seed.round.id;
    await ex.execute(sql`
      insert into marks (id, round_id, competitor_id, item, judge_id, value, source, entered_by, body_hash)
      select gen_random_uuid(), ${roundId}, ${seed.competitors[0]?.id}, 'assemblyQuality', ${seed.judges[0]?.id},
             n, 'tablet', gen_random_uuid(), 'h' || n
      from generate_series(1, ${count}::int) as n`);
    await ex.execute(sql`
      insert into audit_log (competition_id, seq, at, actor, action, subject, detail, prev_hash, hash)
      select ${cid}, head.seq + row_number() over (order by m.seq), now(), 'system', 'mark.submitted',
             'mark:' || m.id, '{}', '', ''
      from marks m, (select coalesce(max(seq), 0) as seq from audit_log where competition_id = ${cid}) head
      where m.round_id = ${roundId} and not exists (select 1 from audit_log a where a.subject = 'mark:' || m.id)`);
  };

  it('reads one mark per entry, in the generic plan', async () => {
    const cid = seed.competition.id;
    const roundId = seed.round.id;
    const last = async (ex: Executor) => (await competitionPositions(ex, cid))?.last ?? 0;
    const literal = (value: unknown) => `'${String(value).replaceAll("'", "''")}'`;
    const since = 50;
    const plan = await app.db.transaction(async (tx) => {
      // Prepared as postgres.js prepares it, and planned once while the round has no marks: the generic plan
      // a statement run often ends up with is kept, however much the table grows, until it is analysed.
      const query = positionsAndMarkedSince(tx, cid, [roundId], await last(tx)).toSQL();
      await tx.execute(sql.raw('set local plan_cache_mode = force_generic_plan'));
      await tx.execute(sql.raw(`prepare named_since as ${query.sql}`));
      const run = (params: unknown[], explain = '') =>
        tx.execute(sql.raw(`${explain} execute named_since(${params.map(literal).join(', ')})`));
      await run(query.params);
      await addMarks(tx, 4000);
      const from = (await last(tx)) - since;
      const params = positionsAndMarkedSince(tx, cid, [roundId], from).toSQL().params;
      const [row] = rowsOf(await run(params, 'explain (analyze, format json)'));
      await tx.execute(sql.raw('deallocate named_since'));
      return (row?.['QUERY PLAN'] as { Plan: PlanNode }[] | undefined)?.[0]?.Plan;
    });
    if (!plan) throw new Error('no plan');

    const scans = scansOf(plan, 'marks');
    expect(scans.length).toBeGreaterThan(0);
    const read = scans.reduce(
      (sum, node) => sum + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1),
      0,
    );
    expect(read).toBeLessThanOrEqual(since);
  });

  it("finds which of a group's ids are stored by their key, in the generic plan", async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const marksRead = await app.db.transaction(async (tx) => {
      await tx.execute(sql.raw('set local plan_cache_mode = force_generic_plan'));
      const begin = () =>
        tx.execute(
          sql`select mark_group_begin(${seed.competition.id}, ${JSON.stringify([seed.round.id])}::jsonb,
            ${JSON.stringify(ids)}::jsonb, '[]'::jsonb)`,
        );
      // Rows of marks read so far in this transaction, by any scan.
      const read = async () => {
        const [row] = rowsOf(
          await tx.execute(
            sql`select seq_tup_read + coalesce(idx_tup_fetch, 0) as n from pg_stat_xact_user_tables where relname = 'marks'`,
          ),
        );
        return Number(row?.n);
      };
      await begin();
      await addMarks(tx, 4000);
      const before = await read();
      await begin();
      return (await read()) - before;
    });
    expect(marksRead).toBeLessThanOrEqual(ids.length);
  });
});
