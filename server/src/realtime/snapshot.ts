import type { LiveAudience, Role, RoundSnapshot } from '@jiangxin/shared';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Executor } from '../db/client';
import { competitors, workstations } from '../db/schema';
import type { LiveRound } from '../live/store';
import { roundUnknown } from '../modules/marks/errors';
import { AppError } from '../plugins/errors';

/**
 * What each audience may see of a round, and the snapshot it is sent. One place for both the socket and the
 * cacheable endpoint, so no channel can show more than the other.
 */

/** The chief judge and the organizer watch a round at any time; everyone else is the public audience. */
export function audienceOf(held: ReadonlySet<Role>): LiveAudience {
  return held.has('chiefJudge') || held.has('organizer') ? 'staff' : 'public';
}

/** Whether the audience may see the round in its current state. */
export function visibleTo(audience: LiveAudience, entry: Pick<LiveRound, 'status' | 'open'>): boolean {
  return audience === 'staff' || entry.status.published || entry.open;
}

/** Whether the public sees the round (published, or open scoring): then everyone gets the same snapshot. */
export const publicRound = (entry: Pick<LiveRound, 'status' | 'open'>) =>
  entry.status.published || entry.open;

/** The room of one round's audience: each audience gets its own payload. */
export const roomOf = (roundId: string, audience: LiveAudience) => `round:${roundId}:${audience}`;

export const roundUnpublished = () =>
  new AppError(403, 'round_unpublished', {
    'zh-CN': '本场次成绩尚未公布',
    en: 'the results of this round are not published yet',
  });

/** Workstation code → competitor name for the round (only asked once the round is decrypted). */
async function namesOf(ex: Executor, roundId: string): Promise<Map<string, string>> {
  const rows = await ex
    .select({ code: workstations.code, name: competitors.name })
    .from(workstations)
    .innerJoin(competitors, eq(competitors.id, workstations.competitorId))
    .where(eq(workstations.roundId, roundId));
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The snapshot of a live entry for one audience: names replace codes from decryption on. */
export async function roundSnapshot(
  ex: Executor,
  entry: LiveRound,
  audience: LiveAudience,
): Promise<RoundSnapshot> {
  // Names from decryption on, or from the start in an open competition.
  const named = entry.status.decrypted || entry.open;
  const names = named ? await namesOf(ex, entry.roundId) : new Map<string, string>();
  // The public of a frozen round sees the standings of the moment of freezing, or only the places revealed
  // since, from the bottom; nothing above them is sent.
  const freeze = audience === 'public' ? entry.freeze : null;
  const standings = !freeze
    ? entry.event.standings
    : freeze.revealed === 0
      ? freeze.event.standings
      : entry.event.standings.slice(-freeze.revealed);
  const frozen = freeze
    ? {
        revealed: freeze.revealed,
        hidden: freeze.revealed === 0 ? 0 : entry.event.standings.length - freeze.revealed,
      }
    : null;
  return {
    roundId: entry.roundId,
    competitionId: entry.competitionId,
    version: entry.version,
    audience,
    status: { ...entry.status },
    labels: named ? 'name' : 'workstation',
    frozen,
    event: entry.event.event,
    standings: standings.map((s) => ({
      rank: s.rank,
      competitor: names.get(s.competitor) ?? s.competitor,
      total: s.total,
      decidedBy: s.decidedBy,
      shared: s.shared,
      complete: s.complete,
    })),
  };
}

/**
 * The round's live entry, if it belongs to the competition (recomputed from Postgres when the store has
 * none, e.g. after Redis lost its data); throws round_unknown otherwise.
 */
export async function liveEntry(app: FastifyInstance, competitionId: string, roundId: string) {
  let entry = await app.live.store.get(roundId);
  if (!entry) {
    await app.live.refresh(competitionId, roundId);
    entry = await app.live.store.get(roundId);
  }
  if (!entry || entry.competitionId !== competitionId) throw roundUnknown();
  return entry;
}
