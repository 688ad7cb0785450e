import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { NOT_A_MARK_ENTRY } from './schema';

/**
 * Functions of ours in the database, made after the migrations (with `NOT_A_MARK_ENTRY` from the schema, so the
 * setup position has one definition), under a lock: several processes may start at once.
 *
 * `mark_group_begin` (ids as JSON arrays: the same on both drivers) starts a group of marks (modules/marks/group-commit.ts, decision 026) in one round trip:
 * it takes the rounds for share in id order and then the competition's chain for update, the order every
 * writer takes them in, and only then reads, in a snapshot of its own, what the group is checked against:
 * each round's state, the setup position, the chain's head, which of the marks' ids are stored already, and
 * `wanted` mark numbers (seq) drawn in order under the chain's lock, and the judge tokens (their claims) that no
 * longer hold: the device revoked, paired again, or its judge signed out (plugins/auth.ts, decision 027).
 */
const markGroupBegin = sql.raw(`
create or replace function mark_group_begin(
  competition uuid, round_ids jsonb, mark_ids jsonb, wanted integer, judge_tokens jsonb)
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
    'known', (select coalesce(jsonb_agg(id), '[]') from marks
      where id in (select value::uuid from jsonb_array_elements_text(mark_ids))),
    'seqs', (select coalesce(jsonb_agg(nextval(pg_get_serial_sequence('marks', 'seq')) order by n), '[]')
      from generate_series(1, wanted) n),
    'staleTokens', (select coalesce(jsonb_agg(concat_ws(':', t.sub, t.ver, t.jid)), '[]')
      from jsonb_to_recordset(judge_tokens) as t(sub uuid, cid uuid, jid uuid, ver integer)
      where not exists (select 1 from devices d where d.id = t.sub and d.competition_id = t.cid
        and d.kind = 'judge' and d.revoked_at is null and d.token_version = t.ver and d.judge_id = t.jid))
  ) into result;
  return result;
end $fn$`);

/** The advisory lock key of `ensureFunctions` (any constant of ours). */
const FUNCTIONS_LOCK = 0x6a78_0001;

/** Makes or replaces our functions; one process at a time. */
export async function ensureFunctions(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FUNCTIONS_LOCK})`);
    await tx.execute(markGroupBegin);
  });
}
