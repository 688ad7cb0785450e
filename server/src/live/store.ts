import type { EventJson } from '@jiangxin/shared';
import { underTest } from '../env';
import { NOT_PACED, type Paced, pace } from './pace';

/**
 * The live view of one round: what screens show, computed by the shared engine from Postgres. It is
 * derived state: every entry can be rebuilt from Postgres at any time.
 */
export interface LiveRound {
  roundId: string;
  competitionId: string;
  /** The scheme's round id (Prelim, Final …). */
  round: string;
  /**
   * The competition's audit-log position the entry was computed at. Every state change appends to that
   * log, so a later computation always has a higher or equal number: a store never takes an older one.
   */
  sourceVersion: number;
  /** Bumped by the store on every accepted write: screens use it to see gaps. */
  version: number;
  status: { signedOff: boolean; decrypted: boolean; published: boolean; markingClosed: boolean };
  /** Open scoring: the public follows the round live before publication (names as `names` allows). */
  open: boolean;
  /** Frozen for the ceremony: the standings the public keeps seeing, and the places revealed since. */
  freeze: { event: EventJson; revealed: number } | null;
  /**
   * Workstation code → competitor name of those screens may name now: every one once decrypted; before, only
   * under open scoring with `namesShown: 'whenCompetitorComplete'`, those whose marks are all in. Null when
   * none may be, so a blind round's names are never in the live store.
   */
  names: Record<string, string> | null;
  /** The round's standings by workstation code (labels are applied per audience when pushed). */
  event: EventJson;
}

export type LiveRoundInput = Omit<LiveRound, 'version'>;

/**
 * The answer to "may I push this round now?": `send` the change from what screens were last sent
 * (`previous`, null when nothing was) to `current`; `wait` that long, another push went out less than an
 * interval ago; `none`, screens have the current version already.
 */
export type PushClaim =
  | { kind: 'send'; previous: LiveRound | null; current: LiveRound }
  | { kind: 'wait'; ms: number }
  | { kind: 'none' };

/**
 * The live-state interface: an in-process twin for the embedded default, Redis when several processes serve.
 * Entries are values: what a store returns may be the very object it holds or gave another caller (so a
 * push parses and copies nothing), and is never changed by anyone.
 */
export interface LiveStore {
  /** Stores the entry unless the store holds one computed from a later source; returns the new version. */
  put(entry: LiveRoundInput): Promise<number | null>;
  get(roundId: string): Promise<LiveRound | null>;
  roundIds(): Promise<string[]>;
  /** The round's workstation codes in standing order (the engine's, tie-breaks applied); empty if unknown. */
  ranking(roundId: string): Promise<string[]>;
  /**
   * The current entry and the one screens were last sent (what a joining screen gets, so that the next
   * delta starts from it), read together.
   */
  entries(roundId: string): Promise<{ current: LiveRound; pushed: LiveRound | null } | null>;
  /**
   * Claims the round's next push for the caller, one per `intervalMs` on average across every process (two
   * within an interval, a gap apart: pace.ts), and
   * records the current entry as pushed. Whoever wins sends the change from the previous push, so every
   * delta has one base, whichever process computed either side.
   */
  claimPush(roundId: string, intervalMs: number): Promise<PushClaim>;
  /**
   * Whether the store still holds the view a rebuild started (false once Redis lost its data, e.g. a
   * restart without persistence or a FLUSHALL): the live state then rebuilds itself.
   */
  intact(): Promise<boolean>;
  /** Notes that a rebuild of the whole view has started. */
  markBuilt(): Promise<void>;
  /** Forgets everything (tests, and a rebuild from scratch). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** Under the tests, a stored entry is frozen, so code that changes one fails there. */
export const kept: <T>(value: T) => T = underTest
  ? function freeze<T>(value: T): T {
      if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
        for (const field of Object.values(value)) freeze(field);
        Object.freeze(value);
      }
      return value;
    }
  : (value) => value;

export class MemoryLiveStore implements LiveStore {
  private readonly rounds = new Map<string, LiveRound>();
  private readonly sent = new Map<string, { entry: LiveRound; paced: Paced }>();
  private built = false;

  async put(entry: LiveRoundInput): Promise<number | null> {
    const current = this.rounds.get(entry.roundId);
    if (current && current.sourceVersion > entry.sourceVersion) return null;
    const version = (current?.version ?? 0) + 1;
    this.rounds.set(entry.roundId, kept({ ...entry, version }));
    return version;
  }

  async get(roundId: string): Promise<LiveRound | null> {
    const entry = this.rounds.get(roundId);
    return entry ?? null;
  }

  async roundIds(): Promise<string[]> {
    return [...this.rounds.keys()];
  }

  async entries(roundId: string): Promise<{ current: LiveRound; pushed: LiveRound | null } | null> {
    const current = this.rounds.get(roundId);
    const sent = this.sent.get(roundId);
    if (!current) return null;
    return { current, pushed: sent?.entry ?? null };
  }

  async claimPush(roundId: string, intervalMs: number): Promise<PushClaim> {
    const current = this.rounds.get(roundId);
    const sent = this.sent.get(roundId);
    if (!current || sent?.entry.version === current.version) return { kind: 'none' };
    const turn = pace(sent?.paced ?? NOT_PACED, Date.now(), intervalMs);
    if (turn.waitMs > 0) return { kind: 'wait', ms: turn.waitMs };
    this.sent.set(roundId, { entry: current, paced: turn.next });
    return { kind: 'send', previous: sent?.entry ?? null, current };
  }

  async ranking(roundId: string): Promise<string[]> {
    return this.rounds.get(roundId)?.event.standings.map((s) => s.competitor) ?? [];
  }

  async intact(): Promise<boolean> {
    return this.built;
  }

  async markBuilt(): Promise<void> {
    this.built = true;
  }

  async clear(): Promise<void> {
    this.rounds.clear();
    this.sent.clear();
    this.built = false;
  }

  async close(): Promise<void> {}
}
