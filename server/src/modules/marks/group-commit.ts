import { isUniqueViolation } from '../../db/errors';
import { type JudgeClaims, unauthenticated } from '../../plugins/auth';
import { AppError } from '../../plugins/errors';
import { roundClosed, roundSignedOff } from '../../refusals';
import type { CheckedRound, RoundCache } from '../../scoring/round-cache';
import { audited, type Writer } from '../audit/service';
import { markIdConflict } from './errors';
import { beginMarkGroup, insertMarksWithAudit, type MarkInsert, type MarkRow, marksById } from './repository';

/**
 * Group commit of a competition's marks (decisions 018 and 026). Every mark of a competition is chained in its
 * audit log under one lock, so one transaction per mark makes the lock, and the commit's flush to disk, the
 * limit. Marks that arrive while a group is committing wait and go together in the next transaction, of three
 * round trips: BEGIN with `mark_group_begin` (decision 031; the rounds locked for share, the chain for update,
 * then what the group is checked against and its mark numbers); one INSERT of the marks with their audit
 * entries; one durable COMMIT. Each request is answered only after that commit. A mark refused under the lock
 * (the round signed off or closed meanwhile, or its check against the setup as it is now fails) is left out of
 * the group before anything is written, so it never fails the others.
 */

/** A mark checked and ready to store: its row, its audit entry, and what its answer needs. */
export interface PreparedMark {
  values: MarkInsert;
  entry: { actor: string; action: string; detail: Record<string, unknown> };
  competitorCode: string;
  seat: string;
}

export type Outcome =
  /** Stored by this request (`prepared`: as it was finally checked). */
  | { created: true; row: MarkRow; prepared: PreparedMark }
  /** The id was stored before: the same body (a retry). */
  | { created: false; row: MarkRow };

interface Waiting {
  roundId: string;
  /** The setup position the mark was checked at. */
  position: number;
  /** A judge token to compare with its device row under the group's locks (decision 027); null: checked. */
  token: JudgeClaims | null;
  prepared: PreparedMark;
  /** Checks the same mark against the round read again (throws the refusal). */
  recheck(round: CheckedRound): PreparedMark;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

/** Marks in one transaction at most; more wait for the next (a bounded statement and lock hold). */
const GROUP = 200;

export function createGroupCommit(writer: Writer, cache: RoundCache) {
  const queues = new Map<string, Waiting[]>();

  async function commit(competitionId: string, group: Waiting[]) {
    const outcomes = new Map<Waiting, Outcome | Error>();
    await audited(writer, async (tx, audit) => {
      // One round trip: the locks, then what the group is checked against (db/functions.ts).
      const begun = await beginMarkGroup(
        tx,
        competitionId,
        [...new Set(group.map((w) => w.roundId))],
        group.map((w) => w.prepared.values.id),
        group.flatMap((w) => w.token ?? []),
      );
      // Read again only when the setup moved on since the marks were checked, once per round.
      const fresh = new Map<string, CheckedRound>();
      const current = async (roundId: string) => {
        const round = fresh.get(roundId) ?? (await cache.load(tx, competitionId, roundId));
        fresh.set(roundId, round);
        return round;
      };
      const created: [Waiting, PreparedMark, number][] = [];
      const known: [Waiting, string, Error | null][] = [];
      const taken = new Set(begun.known);
      for (const waiting of group) {
        const id = waiting.prepared.values.id;
        // A token that no longer holds is refused before anything else, a retry of a stored id included.
        if (waiting.token && begun.staleTokens.has(waiting.token)) {
          outcomes.set(waiting, unauthenticated());
          continue;
        }
        const round = begun.rounds.get(waiting.roundId);
        if (!round || round.signedOff || round.markingClosed) {
          known.push([
            waiting,
            id,
            round?.markingClosed && !round.signedOff ? roundClosed() : roundSignedOff(),
          ]);
          continue;
        }
        let prepared: PreparedMark;
        try {
          prepared =
            waiting.position === begun.setup
              ? waiting.prepared
              : waiting.recheck(await current(waiting.roundId));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          known.push([waiting, id, error]);
          continue;
        }
        // A stored id, or twice the same id in one group (the second is the first's retry): answered below.
        if (taken.has(id)) known.push([waiting, id, null]);
        else {
          taken.add(id);
          // Numbered in the group's order, which is the audit log's: the mark in force is the highest seq.
          created.push([waiting, prepared, begun.seqs[created.length] ?? Number.NaN]);
        }
      }
      const entries = audit.chained(
        competitionId,
        begun.head,
        created.map(([waiting, prepared, seq]) => ({
          affects: { roundId: waiting.roundId },
          actor: prepared.entry.actor,
          action: prepared.entry.action,
          subject: `mark:${prepared.values.id}`,
          detail: { ...prepared.entry.detail, seq },
        })),
      );
      const inserted = created.length
        ? await insertMarksWithAudit(
            tx,
            created.map(([, prepared, seq]) => ({ ...prepared.values, seq })),
            entries,
          )
        : [];
      const stored = new Map(inserted.map((row) => [row.id, row]));
      for (const [waiting, prepared] of created) {
        const row = stored.get(prepared.values.id);
        if (!row) throw new Error(`mark ${prepared.values.id} was not inserted`);
        outcomes.set(waiting, { created: true, row, prepared });
      }
      // A known id is a retry (answered with the original) or a conflict, whatever the round says now.
      const existing = await marksById(
        tx,
        known.map(([, id]) => id),
      );
      for (const [waiting, id, refusal] of known) {
        const row = existing.get(id);
        if (!row) outcomes.set(waiting, refusal ?? new Error(`mark ${id} neither inserted nor found`));
        else if (row.bodyHash !== waiting.prepared.values.bodyHash) outcomes.set(waiting, markIdConflict());
        else outcomes.set(waiting, { created: false, row });
      }
    });
    for (const waiting of group) {
      const outcome = outcomes.get(waiting);
      if (outcome instanceof Error || outcome === undefined)
        waiting.reject(outcome ?? new Error('no outcome'));
      else waiting.resolve(outcome);
    }
  }

  /**
   * Commits a group; an id stored meanwhile by another competition's group (a reused id: the check under this
   * chain's lock cannot see it coming) fails the one statement and the transaction, and the group is tried
   * again, where that id is then known.
   */
  async function commitGroup(competitionId: string, group: Waiting[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await commit(competitionId, group);
      } catch (error) {
        if (attempt >= 3 || !isUniqueViolation(error)) throw error;
      }
    }
  }

  async function drain(competitionId: string, queue: Waiting[]) {
    while (queue.length > 0) {
      const group = queue.splice(0, GROUP);
      try {
        await commitGroup(competitionId, group);
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    queues.delete(competitionId);
  }

  return {
    /** Stores a checked mark with the next group of its competition; resolves after that group's commit. */
    store(competitionId: string, mark: Omit<Waiting, 'resolve' | 'reject'>): Promise<Outcome> {
      return new Promise<Outcome>((resolve, reject) => {
        const queue = queues.get(competitionId);
        if (queue) {
          queue.push({ ...mark, resolve, reject });
          return;
        }
        const started: Waiting[] = [{ ...mark, resolve, reject }];
        queues.set(competitionId, started);
        // After the requests already read are checked, so marks that arrive together go in one group (the
        // embedded database answers in the same thread: started at once, every group held one mark).
        setImmediate(() => void drain(competitionId, started));
      });
    },
  };
}

export type GroupCommit = ReturnType<typeof createGroupCommit>;
