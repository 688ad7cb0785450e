import { and, eq, max, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { auditLog, competitions, notAMarkEntry } from '../db/schema';
import type { KeptScoring } from './compute';
import { loadRound, type RoundContext } from './round';
import { roundView } from './round-view';

/**
 * What a mark is checked against (the round, its event's scheme, competitors by workstation, panels, seats,
 * recusals), kept per round between marks instead of read on every one (six queries). It is valid while
 * the competition's setup position — its last audit entry that is not a mark — stays the same: every
 * change to any of it is audited, and marks are not. The position is read again under the audit chain's
 * lock when the mark is stored, and a mark checked against an older one is checked again.
 */
export interface CheckedRound extends KeptScoring {
  /** The setup position it was read at. */
  position: number;
  ctx: RoundContext;
}

/** The competition's last audit entry that is not a mark; an index holds exactly these entries. */
const setupQuery = (ex: Executor, competitionId: string) =>
  ex
    .select({ seq: max(auditLog.seq) })
    .from(auditLog)
    .where(and(eq(auditLog.competitionId, competitionId), notAMarkEntry));

/** The competition's setup position (0: none) as a field of a select. */
export const setupPositionField = (ex: Executor, competitionId: string) =>
  sql<number>`coalesce((${setupQuery(ex, competitionId)}), 0)`.mapWith(Number);

/** The competition's setup position (0: none). */
export async function setupPosition(ex: Executor, competitionId: string): Promise<number> {
  const [row] = await setupQuery(ex, competitionId);
  return row?.seq ?? 0;
}

/**
 * The fields of a select from `competitions` that give, in the statement's snapshot, the competition's last
 * audit entry (the live view's source version), its setup position, and whether it scores openly.
 */
export function positionFields(ex: Executor, competitionId: string) {
  const last = ex
    .select({ seq: max(auditLog.seq) })
    .from(auditLog)
    .where(eq(auditLog.competitionId, competitionId));
  return {
    last: sql<number>`coalesce((${last}), 0)`.mapWith(Number),
    setup: setupPositionField(ex, competitionId),
    openScoring: competitions.openScoring,
  };
}

export type Positions = { last: number; setup: number; openScoring: boolean };

/** The competition's positions in one statement (positionFields); null for a competition that does not exist. */
export async function competitionPositions(ex: Executor, competitionId: string): Promise<Positions | null> {
  const [row] = await ex
    .select(positionFields(ex, competitionId))
    .from(competitions)
    .where(eq(competitions.id, competitionId));
  return row ?? null;
}

/** Rounds cached at most; the oldest goes first (a venue marks a handful of rounds at a time). */
const LIMIT = 500;

export function createRoundCache(db: Database) {
  const rounds = new Map<string, CheckedRound>();
  const key = (competitionId: string, roundId: string) => `${competitionId}/${roundId}`;
  return {
    /** Reads the round afresh (in `ex`, e.g. under the chain's lock) and keeps it. */
    async load(ex: Executor, competitionId: string, roundId: string): Promise<CheckedRound> {
      // The position first: a change committed while the rest is read shows as a newer position later.
      const position = await setupPosition(ex, competitionId);
      const ctx = await loadRound(ex, competitionId, roundId);
      const checked = { position, ctx, view: await roundView(ex, ctx), scores: new Map() };
      const k = key(competitionId, roundId);
      rounds.delete(k);
      rounds.set(k, checked);
      if (rounds.size > LIMIT) rounds.delete(rounds.keys().next().value ?? '');
      return checked;
    },
    /** The round as read at setup position `position`: kept if it was read there, else read again in `ex`. */
    async at(ex: Executor, competitionId: string, roundId: string, position: number): Promise<CheckedRound> {
      const held = rounds.get(key(competitionId, roundId));
      return held?.position === position ? held : this.load(ex, competitionId, roundId);
    },
    /** The round as last read, if it was. */
    held(competitionId: string, roundId: string): CheckedRound | undefined {
      return rounds.get(key(competitionId, roundId));
    },
    /** The round as last read (its status may have moved on: the lock decides). */
    async get(competitionId: string, roundId: string): Promise<CheckedRound> {
      return rounds.get(key(competitionId, roundId)) ?? this.load(db, competitionId, roundId);
    },
  };
}

export type RoundCache = ReturnType<typeof createRoundCache>;
