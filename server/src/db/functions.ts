import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { NOT_A_MARK_ENTRY } from './schema';

/**
 * Functions of ours in the database, made after the migrations under a lock (several processes may start at
 * once). Each is dropped and made again, so a changed argument list leaves no older overload behind.
 *
 * `mark_group_begin` starts a group of marks in one round trip (modules/marks/group-commit.ts, decisions 026
 * and 027; ids and tokens as JSON arrays, the same on both drivers). It takes the rounds for share in id
 * order and then the competition's chain for update, the order every writer takes them in, and only then
 * reads in a snapshot of its own what the group is checked against:
 * - each round's state;
 * - the setup position (`NOT_A_MARK_ENTRY` from the schema: one definition);
 * - the chain's head;
 * - which of the marks' ids are stored already (each looked up by its key, whatever the plan cached while the
 *   table was small would prefer: decision 030);
 * - one mark number (seq) per mark, drawn in order under the chain's lock;
 * - the positions of the judge tokens that no longer hold: the device revoked, paired again, or its judge
 *   signed out (the rule of `principalOfClaims`, plugins/auth.ts).
 */
const markGroupBegin = sql.raw(`
create function mark_group_begin(competition uuid, round_ids jsonb, mark_ids jsonb, judge_tokens jsonb)
returns jsonb language plpgsql volatile as $fn$
declare
  result jsonb;
begin
  perform 1 from rounds where id in (select value::uuid from jsonb_array_elements_text(round_ids))
    order by id for share;
  perform 1 from competitions where id = competition for update;
  select jsonb_build_object(
    'rounds', (select coalesce(jsonb_agg(jsonb_build_object(
        'id', id, 'signedOff', signed_off_at is not null, 'markingClosed', marking_closed_at is not null)), '[]')
      from rounds where id in (select value::uuid from jsonb_array_elements_text(round_ids))),
    'setup', coalesce((select seq from audit_log where competition_id = competition and ${NOT_A_MARK_ENTRY} order by seq desc limit 1), 0),
    'head', (select jsonb_build_object('seq', seq, 'hash', hash) from audit_log
      where competition_id = competition order by seq desc limit 1),
    'known', (select coalesce(jsonb_agg(stored.id), '[]') from jsonb_array_elements_text(mark_ids) as given(id)
      cross join lateral (select id from marks where marks.id = given.id::uuid limit 1) as stored),
    'seqs', (select coalesce(jsonb_agg(nextval(pg_get_serial_sequence('marks', 'seq')) order by n), '[]')
      from generate_series(1, jsonb_array_length(mark_ids)) n),
    'staleTokens', (select coalesce(jsonb_agg(t.n - 1), '[]')
      from jsonb_array_elements(judge_tokens) with ordinality as t(claims, n)
      where not exists (select 1 from devices d where d.id = (t.claims->>'sub')::uuid
        and d.competition_id = (t.claims->>'cid')::uuid and d.kind = 'judge' and d.revoked_at is null
        and d.token_version = (t.claims->>'ver')::integer and d.judge_id = (t.claims->>'jid')::uuid))
  ) into result;
  return result;
end $fn$`);

/** The advisory lock key of `ensureFunctions` (any constant of ours). */
const FUNCTIONS_LOCK = 0x6a78_0001;

/** Drops every overload of our functions, whatever arguments an older version gave them. */
const dropOurs = sql.raw(`
do $drop$ declare f regprocedure; begin
  for f in select oid::regprocedure from pg_proc where proname in ('mark_group_begin') loop
    execute format('drop function %s', f);
  end loop;
end $drop$`);

/** Makes our functions again; one process at a time, in one transaction (callers see the old or the new). */
export async function ensureFunctions(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FUNCTIONS_LOCK})`);
    await tx.execute(dropOurs);
    await tx.execute(markGroupBegin);
  });
}
