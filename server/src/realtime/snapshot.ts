import type { LiveAudience, Role, RoundSnapshot } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { kept, type LiveRound } from '../live/store';
import { AppError } from '../plugins/errors';
import { roundUnknown } from '../refusals';

/**
 * What each audience may see of a round, and the snapshot it is sent. One place for both the socket and the
 * cacheable endpoint, so no channel can show more than the other.
 */

/**
 * The chief judge and the organizer watch a round at any time; a judge's device sees what the public sees
 * but never a name (marking is blind); everyone else is the public audience.
 */
export function audienceOf(held: ReadonlySet<Role>): LiveAudience {
  if (held.has('chiefJudge') || held.has('organizer')) return 'staff';
  return held.has('judge') ? 'judge' : 'public';
}

/** Whether the audience may see the round in its current state. */
export function visibleTo(audience: LiveAudience, entry: Pick<LiveRound, 'status' | 'open'>): boolean {
  return audience === 'staff' || entry.status.published || entry.open;
}

/** The room of one round's audience: each audience gets its own payload. */
export const roomOf = (roundId: string, audience: LiveAudience) => `round:${roundId}:${audience}`;

export const roundUnpublished = () =>
  new AppError(403, 'round_unpublished', {
    'zh-CN': '本场次成绩尚未公布',
    en: 'the results of this round are not published yet',
  });

// Made once per entry and audience: the live store hands out one object per version, so every join and
// push of a version shares its snapshot (a reconnect storm of thousands builds it once, not per socket).
const made = new WeakMap<LiveRound, Partial<Record<LiveAudience, RoundSnapshot>>>();

/**
 * The snapshot of a live entry for one audience: names replace codes where the entry carries them, except
 * on a judge's device, which never gets one. Shared: never changed by its users.
 */
export function roundSnapshot(entry: LiveRound, audience: LiveAudience): RoundSnapshot {
  let byAudience = made.get(entry);
  if (!byAudience) {
    byAudience = {};
    made.set(entry, byAudience);
  }
  byAudience[audience] ??= kept(snapshotOf(entry, audience));
  return byAudience[audience];
}

function snapshotOf(entry: LiveRound, audience: LiveAudience): RoundSnapshot {
  const names = audience === 'judge' ? null : entry.names;
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
    labels: names ? 'name' : 'workstation',
    frozen,
    event: entry.event.event,
    round: entry.round,
    standings: standings.map((s) => ({
      ...s,
      competitor: names?.[s.competitor] ?? s.competitor,
      workstation: s.competitor,
    })),
  };
}

/**
 * The round's entry as `audience` should be shown it now: what screens were last sent, so that the next
 * delta applies on top of it; the current entry when nothing was pushed yet or when the round's visibility
 * to the audience changed since (the next push then carries a whole snapshot, never a delta). Recomputed
 * from Postgres when the store has none (e.g. after Redis lost its data); a push is asked for when screens
 * are behind. Throws round_unknown for a round that is not the competition's.
 */
export async function shownEntry(
  app: FastifyInstance,
  competitionId: string,
  roundId: string,
  audience: LiveAudience,
): Promise<LiveRound> {
  let entries = await app.live.store.entries(roundId);
  if (!entries) {
    await app.live.refresh(competitionId, roundId);
    entries = await app.live.store.entries(roundId);
  }
  if (!entries || entries.current.competitionId !== competitionId) throw roundUnknown();
  const { current, pushed } = entries;
  if (pushed?.version === current.version) return current;
  app.live.pushDue(roundId);
  return pushed && visibleTo(audience, pushed) === visibleTo(audience, current) ? pushed : current;
}
