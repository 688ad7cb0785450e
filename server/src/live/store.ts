import type { EventJson } from '@jiangxin/shared';

/**
 * The live view of one round: what screens show, computed by the shared engine from Postgres. It is
 * derived state: every entry can be rebuilt from Postgres at any time.
 */
export interface LiveRound {
  roundId: string;
  competitionId: string;
  /**
   * The competition's audit-log position the entry was computed at. Every state change appends to that
   * log, so a later computation always has a higher or equal number: a store never takes an older one.
   */
  sourceVersion: number;
  /** Bumped by the store on every accepted write: screens use it to see gaps. */
  version: number;
  status: { signedOff: boolean; decrypted: boolean; published: boolean };
  /** Open scoring: the public follows the round live, under names, before publication. */
  open: boolean;
  /** Frozen for the ceremony: the standings the public keeps seeing, and the places revealed since. */
  freeze: { event: EventJson; revealed: number } | null;
  /** The round's standings by workstation code (labels are applied per audience when pushed). */
  event: EventJson;
}

export type LiveRoundInput = Omit<LiveRound, 'version'>;

/** The live-state interface: an in-process twin for the embedded default, Redis when several processes serve. */
export interface LiveStore {
  /** Stores the entry unless the store holds one computed from a later source; returns the new version. */
  put(entry: LiveRoundInput): Promise<number | null>;
  get(roundId: string): Promise<LiveRound | null>;
  roundIds(): Promise<string[]>;
  /** Forgets everything (tests, and a rebuild from scratch). */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryLiveStore implements LiveStore {
  private readonly rounds = new Map<string, LiveRound>();

  async put(entry: LiveRoundInput): Promise<number | null> {
    const current = this.rounds.get(entry.roundId);
    if (current && current.sourceVersion > entry.sourceVersion) return null;
    const version = (current?.version ?? 0) + 1;
    this.rounds.set(entry.roundId, { ...structuredClone(entry), version });
    return version;
  }

  async get(roundId: string): Promise<LiveRound | null> {
    const entry = this.rounds.get(roundId);
    return entry ? structuredClone(entry) : null;
  }

  async roundIds(): Promise<string[]> {
    return [...this.rounds.keys()];
  }

  async clear(): Promise<void> {
    this.rounds.clear();
  }

  async close(): Promise<void> {}
}
