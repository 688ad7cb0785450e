import { asc, eq } from 'drizzle-orm';
import type { Change } from '../changes';
import type { Database } from '../db/client';
import { competitions, events, rounds } from '../db/schema';
import { roundUnknown } from '../refusals';
import { computeRound, type RoundComputation, roundsAffectedBy, scoreRound } from '../scoring/compute';
import { loadRound, type RoundContext } from '../scoring/round';
import {
  competitionPositions,
  createRoundCache,
  type Positions,
  type RoundCache,
} from '../scoring/round-cache';
import { type Cadence, loadCadence } from './cadence';
import { NOT_PACED, type Paced, pace } from './pace';
import type { LiveRoundInput, LiveStore } from './store';

/**
 * Keeps the live view of every round equal to what Postgres says. Postgres is the truth and the shared
 * engine the only implementation of the rules: after a commit the round is recomputed from Postgres and
 * written with compare-and-set, so concurrent writers from several processes can never leave an older
 * result in place.
 */

/**
 * The round as Postgres has it now: marks in force and the audit position, from one snapshot. With `rounds`,
 * the round's setup (scheme, competitors, seating) is taken from there while the competition's setup
 * position is the one it was read at, and its marks in force are brought forward from the audit log: after a
 * mark, one statement reads the positions and the marks since (marks-in-force.ts).
 */
export async function snapshotRound(
  db: Database,
  competitionId: string,
  roundId: string,
  rounds?: RoundCache,
): Promise<LiveRoundInput> {
  const held = rounds?.held(competitionId, roundId);
  if (held?.setup && held.marks) {
    const latest = await held.marks.latest(db, competitionId, held.position);
    if (latest) {
      const computed = scoreRound(held.ctx, held.view, held.setup, latest.marks, held.scores);
      return liveEntry(held.ctx, latest.positions, computed);
    }
  }
  return db.transaction(
    async (tx) => {
      const positions = await competitionPositions(tx, competitionId);
      if (!positions) throw roundUnknown();
      const kept = rounds ? await rounds.at(tx, competitionId, roundId, positions.setup) : undefined;
      const ctx = kept?.ctx ?? (await loadRound(tx, competitionId, roundId));
      return liveEntry(ctx, positions, await computeRound(tx, ctx, kept, kept && positions.last));
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function liveEntry(ctx: RoundContext, positions: Positions, computed: RoundComputation): LiveRoundInput {
  const open = positions.openScoring;
  return {
    roundId: ctx.round.id,
    competitionId: ctx.competitionId,
    round: ctx.round.key,
    sourceVersion: positions.last,
    status: {
      signedOff: ctx.round.signedOffAt !== null,
      decrypted: ctx.round.decryptedAt !== null,
      published: ctx.round.publishedAt !== null,
      markingClosed: ctx.round.markingClosedAt !== null,
    },
    open,
    names: shownNames(ctx, open, computed),
    freeze:
      ctx.round.frozenAt && ctx.round.frozenEvent
        ? { event: ctx.round.frozenEvent, revealed: ctx.round.revealed }
        : null,
    event: computed.event,
  };
}

/**
 * The one place names enter the live view: workstation code → name of the competitors screens may name now.
 * All of them once the round is decrypted; before, none, unless the competition scores openly and the
 * event's scheme shows a competitor's name once every mark they need is in (`namesShown`). Null when none.
 */
function shownNames(
  ctx: RoundContext,
  open: boolean,
  computed: RoundComputation,
): Record<string, string> | null {
  const decrypted = ctx.round.decryptedAt !== null;
  if (!decrypted && !(open && ctx.scheme.namesShown === 'whenCompetitorComplete')) return null;
  const incomplete = decrypted ? new Set<string>() : new Set(computed.missing.map((m) => m.workstation));
  const named = computed.view.competitors.filter((c) => !incomplete.has(c.code));
  return named.length > 0 ? Object.fromEntries(named.map((c) => [c.code, c.name])) : null;
}

/** Rounds a rebuild recomputes at once. */
const REBUILDING_AT_ONCE = 3;

export interface LiveState {
  store: LiveStore;
  /** Called after a change committed in Postgres: recomputes the rounds it affects soon, coalescing bursts. */
  changed(change: Change): void;
  /** Recomputes one round soon (coalescing bursts). */
  roundChanged(competitionId: string, roundId: string): void;
  /** The competition's rounds in the order they were set up; null for a competition that does not exist. */
  roundsOf(competitionId: string): Promise<string[] | null>;
  /** Recomputes one round now. */
  refresh(competitionId: string, roundId: string): Promise<number | null>;
  /**
   * Recomputes every round from Postgres: at start-up, on demand, and by itself after Redis lost its data
   * (noticed at the next recomputation of any round).
   */
  rebuild(): Promise<number>;
  /** Compares the store with a full recomputation and names every difference. */
  check(): Promise<string[]>;
  /** Waits for the recomputations already scheduled (tests, shutdown). */
  settle(): Promise<void>;
  /**
   * Calls `listener` with a round whose entry screens do not have yet: after every entry the store accepted
   * from this process, and whenever someone finds the pushed copy behind (`pushDue`). The push sends it on.
   */
  onPushDue(listener: (roundId: string) => void): () => void;
  pushDue(roundId: string): void;
}

export function createLiveState(
  db: Database,
  store: LiveStore,
  options: { delayMs?: number; cadence?: Cadence } = {},
): LiveState {
  const delayMs = options.delayMs ?? 1;
  // Screens get a round at most at the push's rate (realtime/push.ts): a round is recomputed no more often.
  const cadence = options.cadence ?? loadCadence();
  // Each round's recomputations at the cadence's rate (pace.ts).
  const paced = new Map<string, Paced>();
  const pending = new Map<string, { competitionId: string; timer: NodeJS.Timeout }>();
  const running = new Set<Promise<unknown>>();
  const refreshing = new Set<string>();
  const listeners = new Set<(roundId: string) => void>();
  const pushDue = (roundId: string) => {
    for (const listener of listeners) listener(roundId);
  };

  const track = (job: Promise<unknown>) => {
    running.add(job);
    void job.finally(() => running.delete(job));
  };

  // The rounds' setup, kept between recomputations (the check recomputes without it: from Postgres alone).
  const setups = createRoundCache(db);
  const write = async (competitionId: string, roundId: string) => {
    const entry = await snapshotRound(db, competitionId, roundId, setups);
    const version = await store.put(entry);
    if (version !== null) pushDue(roundId);
    return version;
  };

  const allRounds = () =>
    db
      .select({ roundId: rounds.id, competitionId: events.competitionId })
      .from(rounds)
      .innerJoin(events, eq(events.id, rounds.eventId));

  // One rebuild at a time; it marks the store first, so data lost while it runs is noticed again.
  let rebuilding: Promise<number> | null = null;
  const rebuild = () => {
    rebuilding ??= (async () => {
      await store.markBuilt();
      const all = await allRounds();
      // A few rounds at once: one round's marks are read while another's are scored (Postgres runs apart).
      const queue = [...all];
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift())
          await write(next.competitionId, next.roundId);
      };
      await Promise.all(Array.from({ length: REBUILDING_AT_ONCE }, worker));
      return all.length;
    })().finally(() => {
      rebuilding = null;
    });
    return rebuilding;
  };

  /** Recomputes one round; a store that lost its data (Redis restarted empty) is rebuilt whole. */
  const refresh = async (competitionId: string, roundId: string) => {
    const version = await write(competitionId, roundId);
    if (!(await store.intact()))
      track(
        rebuild().catch(() => {
          // Left for the next recomputation to notice again.
        }),
      );
    return version;
  };

  // A round's event, rounds and scheme never change once created: which rounds a mark affects is looked up
  // once per round, not once per mark.
  const carriedBy = new Map<string, string[]>();
  const affectedRounds = async (change: Change) => {
    if (!('roundId' in change)) return roundsAffectedBy(db, change);
    const known = carriedBy.get(change.roundId);
    if (known) return known;
    const roundIds = await roundsAffectedBy(db, change);
    if (roundIds.length > 0) carriedBy.set(change.roundId, roundIds);
    return roundIds;
  };

  // A change is recomputed `delayMs` after it (the marks of one group commit, announced in one turn of the
  // event loop, are one recomputation; waiting longer only delays an idle round's screens), a round at the
  // cadence's rate (two within an interval at most, a gap apart: pace.ts) and one at a time: changes that
  // arrive meanwhile are taken by one more pass, so under load the recomputations a round costs are bounded,
  // not one per mark.
  const rerun = new Map<string, string>();
  const roundChanged = (competitionId: string, roundId: string) => {
    if (pending.has(roundId)) return;
    if (refreshing.has(roundId)) {
      rerun.set(roundId, competitionId);
      return;
    }
    const intervalMs = cadence.now();
    const now = Date.now();
    // A round whose next turn is already due paces as one never recomputed: forgotten, so the map stays small.
    if ((paced.get(roundId)?.due ?? 0) <= now) paced.delete(roundId);
    const wait = Math.max(delayMs, pace(paced.get(roundId) ?? NOT_PACED, now, intervalMs).waitMs);
    const timer = setTimeout(() => {
      pending.delete(roundId);
      refreshing.add(roundId);
      paced.set(roundId, pace(paced.get(roundId) ?? NOT_PACED, Date.now(), intervalMs).next);
      track(
        refresh(competitionId, roundId)
          .catch(() => {
            // A failed recomputation leaves the older entry; the next change, a rebuild or a check repairs it.
          })
          .finally(() => {
            refreshing.delete(roundId);
            const again = rerun.get(roundId);
            rerun.delete(roundId);
            if (again !== undefined) roundChanged(again, roundId);
          }),
      );
    }, wait);
    pending.set(roundId, { competitionId, timer });
  };

  return {
    store,
    refresh,
    roundChanged,
    changed(change) {
      track(
        affectedRounds(change).then(
          (roundIds) => {
            for (const roundId of roundIds) roundChanged(change.competitionId, roundId);
          },
          () => {
            // Postgres unreachable: the next change, a rebuild or a check repairs the view.
          },
        ),
      );
    },
    pushDue,
    onPushDue(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    rebuild,
    async roundsOf(competitionId) {
      const [competition] = await db
        .select({ id: competitions.id })
        .from(competitions)
        .where(eq(competitions.id, competitionId));
      if (!competition) return null;
      const rows = await db
        .select({ roundId: rounds.id })
        .from(rounds)
        .innerJoin(events, eq(events.id, rounds.eventId))
        .where(eq(events.competitionId, competitionId))
        .orderBy(asc(events.createdAt), asc(rounds.key));
      return rows.map((r) => r.roundId);
    },
    async check() {
      const differences: string[] = [];
      const all = await allRounds();
      const known = new Set(all.map((r) => r.roundId));
      for (const { competitionId, roundId } of all) {
        const truth = await snapshotRound(db, competitionId, roundId);
        const live = await store.get(roundId);
        if (!live) {
          differences.push(`round ${roundId}: missing from the live store`);
          continue;
        }
        for (const part of ['status', 'open', 'names', 'freeze'] as const) {
          const [shown, computed] = [JSON.stringify(live[part]), JSON.stringify(truth[part])];
          if (shown !== computed)
            differences.push(`round ${roundId}: ${part} ${shown}, Postgres says ${computed}`);
        }
        const liveBy = new Map(live.event.standings.map((s) => [s.competitor, s]));
        for (const s of truth.event.standings) {
          const l = liveBy.get(s.competitor);
          if (!l) differences.push(`round ${roundId}: ${s.competitor} missing`);
          else if (l.rank !== s.rank || l.total !== s.total) {
            differences.push(
              `round ${roundId}: ${s.competitor} live rank ${l.rank} total ${l.total}, recomputed rank ${s.rank} total ${s.total}`,
            );
          }
        }
        const order = truth.event.standings.map((s) => s.competitor);
        const ranking = await store.ranking(roundId);
        if (JSON.stringify(ranking) !== JSON.stringify(order))
          differences.push(`round ${roundId}: ranking ${ranking.join(' ')}, recomputed ${order.join(' ')}`);
        for (const code of liveBy.keys()) {
          if (!truth.event.standings.some((s) => s.competitor === code))
            differences.push(`round ${roundId}: ${code} should not be there`);
        }
      }
      for (const id of await store.roundIds())
        if (!known.has(id)) differences.push(`round ${id}: not in Postgres`);
      return differences;
    },
    async settle() {
      while (pending.size > 0 || running.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        await Promise.all([...running]);
      }
    },
  };
}
