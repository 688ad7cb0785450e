import { marks } from '../../db/schema';
import { AppError } from '../../plugins/errors';
import { roundClosed, roundSignedOff } from '../../refusals';
import type { CheckedRound, RoundCache } from '../../scoring/round-cache';
import { audited, type Writer } from '../audit/service';
import { markIdConflict } from './errors';
import { lockRounds, type MarkInsert, type MarkRow, marksById } from './repository';

/**
 * Group commit of a competition's marks (decision 018). Every mark of a competition is chained in its audit
 * log under one lock, so one transaction per mark makes the lock, and the commit's flush to disk, the limit.
 * Marks that arrive while a group is committing wait and go together in the next transaction: their rounds
 * locked for share, the chain taken once, one INSERT for the marks and one for their audit entries, one
 * durable COMMIT; each request is answered only after that commit. A mark refused under the lock (the round
 * signed off or closed meanwhile, or its check against the setup as it is now fails) is left out of the
 * group before anything is written, so it never fails the others.
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
      const locked = await lockRounds(tx, [...new Set(group.map((w) => w.roundId))]);
      // The chain first, then the position: no setup change can commit between reading it and the COMMIT.
      const position = await audit.setupPosition(competitionId);
      // Read again only when the setup moved on since the marks were checked, once per round.
      const fresh = new Map<string, CheckedRound>();
      const current = async (roundId: string) => {
        const round = fresh.get(roundId) ?? (await cache.load(tx, competitionId, roundId));
        fresh.set(roundId, round);
        return round;
      };
      const accepted: [Waiting, PreparedMark][] = [];
      const refused: [Waiting, Error][] = [];
      for (const waiting of group) {
        const round = locked.get(waiting.roundId);
        if (!round || round.signedOffAt || round.markingClosedAt) {
          refused.push([
            waiting,
            round?.markingClosedAt && !round.signedOffAt ? roundClosed() : roundSignedOff(),
          ]);
          continue;
        }
        try {
          const prepared =
            waiting.position === position
              ? waiting.prepared
              : waiting.recheck(await current(waiting.roundId));
          accepted.push([waiting, prepared]);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          refused.push([waiting, error]);
        }
      }
      const inserted = accepted.length
        ? await tx
            .insert(marks)
            .values(accepted.map(([, prepared]) => prepared.values))
            .onConflictDoNothing({ target: marks.id })
            .returning()
        : [];
      const stored = new Map(inserted.map((row) => [row.id, row]));
      const created: [Waiting, PreparedMark, MarkRow][] = [];
      const known: [Waiting, string, Error | null][] = refused.map(([w, e]) => [w, w.prepared.values.id, e]);
      for (const [waiting, prepared] of accepted) {
        const row = stored.get(prepared.values.id);
        // Twice the same id in one group: the first stores it, the second is its retry.
        if (row) {
          stored.delete(prepared.values.id);
          created.push([waiting, prepared, row]);
        } else known.push([waiting, prepared.values.id, null]);
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
      // The mark in force is the highest seq: numbered under the chain's lock, in the audit log's order.
      created.sort((a, b) => a[2].seq - b[2].seq);
      await audit.all(
        competitionId,
        created.map(([waiting, prepared, row]) => ({
          affects: { roundId: waiting.roundId },
          actor: prepared.entry.actor,
          action: prepared.entry.action,
          subject: `mark:${row.id}`,
          detail: { ...prepared.entry.detail, seq: row.seq },
        })),
      );
      for (const [waiting, prepared, row] of created) outcomes.set(waiting, { created: true, row, prepared });
    });
    for (const waiting of group) {
      const outcome = outcomes.get(waiting);
      if (outcome instanceof Error || outcome === undefined)
        waiting.reject(outcome ?? new Error('no outcome'));
      else waiting.resolve(outcome);
    }
  }

  async function drain(competitionId: string, queue: Waiting[]) {
    while (queue.length > 0) {
      const group = queue.splice(0, GROUP);
      try {
        await commit(competitionId, group);
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
