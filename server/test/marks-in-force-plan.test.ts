import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../src/db/client';
import { positionsAndMarkedSince } from '../src/scoring/marks-in-force';
import { type Seeded, seedCompetition, testApp } from './support';

/** The plan's nodes that read table `relation`, anywhere in it. */
interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}
const scansOf = (node: PlanNode, relation: string): PlanNode[] => [
  ...(node['Relation Name'] === relation ? [node] : []),
  ...(node.Plans ?? []).flatMap((child) => scansOf(child, relation)),
];

const rowsOf = (result: unknown) =>
  (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];

/**
 * The live view brings a round forward with the marks named by the audit entries since its position
 * (decision 024), in a statement postgres.js prepares once per connection. Its generic plan, made while the
 * round had few marks, is kept however much the table grows until it is analysed again: the marks must still
 * be read by their key, one per entry, never the whole round once per entry (40 ms of a core per
 * recomputation ten seconds into a burst).
 */
describe('the marks named since a position, on Postgres', () => {
  let app: FastifyInstance;
  let seed: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp('postgres'));
    seed = await seedCompetition(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('reads one mark per entry, in the generic plan', async () => {
    const cid = seed.competition.id;
    const roundId = seed.round.id;
    const competitor = seed.competitors[0]?.id;
    const judge = seed.judges[0]?.id;
    const last = async (ex: Executor) => {
      const [row] = rowsOf(
        await ex.execute(
          sql`select coalesce(max(seq), 0)::int as seq from audit_log where competition_id = ${cid}`,
        ),
      );
      return Number(row?.seq);
    };
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
      // A burst's worth of marks with their audit entries.
      await tx.execute(sql`
        insert into marks (id, round_id, competitor_id, item, judge_id, value, source, entered_by, body_hash)
        select gen_random_uuid(), ${roundId}, ${competitor}, 'assemblyQuality', ${judge}, n, 'tablet',
               gen_random_uuid(), 'h' || n
        from generate_series(1, 4000) as n`);
      await tx.execute(sql`
        insert into audit_log (competition_id, seq, at, actor, action, subject, detail, prev_hash, hash)
        select ${cid}, head.seq + row_number() over (order by m.seq), now(), 'system', 'mark.submitted',
               'mark:' || m.id, '{}', '', ''
        from marks m, (select coalesce(max(seq), 0) as seq from audit_log where competition_id = ${cid}) head
        where m.round_id = ${roundId}`);
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
});
