import type { LinePatch, LiveStanding, RoundDelta, RoundSnapshot, RoundUpdate } from '../api/live';

/**
 * How a screen follows a round by the rules of the live contract (`shared/src/api/live.ts`), and how the
 * server makes the deltas it sends. Exported as `@jiangxin/shared/live`, apart from the contract, so that a
 * page importing only the contract's types and schemas does not carry the algorithm, nor this the schemas.
 */

/**
 * What a client does with an update, given the version it holds (null: nothing yet): apply it, ignore it
 * (seen already), or join again for a snapshot (a gap a delta cannot bridge, or versions that started again).
 */
export function nextStep(
  held: number | null,
  update: Pick<RoundUpdate, 'version'> & { delta?: { base: number } },
): 'apply' | 'ignore' | 'rejoin' {
  if (held === null) return update.delta ? 'rejoin' : 'apply';
  if (update.version === held) return 'ignore';
  if (update.version < held) return 'rejoin';
  return update.delta && update.delta.base !== held ? 'rejoin' : 'apply';
}

/** The parts of a snapshot a delta never changes: when any differs, a whole snapshot is sent. */
const header = [
  'roundId',
  'competitionId',
  'audience',
  'status',
  'labels',
  'event',
  'round',
  'frozen',
] as const;

/**
 * Whether two JSON values are equal as JSON (a field holding undefined counts as absent), allocating nothing:
 * the push compares every field of every line of a round for each audience after each change.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let fields = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    if (!sameJson(x[key], y[key])) return false;
    fields++;
  }
  for (const key in y) if (y[key] !== undefined) fields--;
  return fields === 0;
}

/** The delta that turns `from` into `to`, or null when only a whole snapshot can (the header changed). */
export function roundDelta(from: RoundSnapshot, to: RoundSnapshot): RoundDelta | null {
  if (header.some((part) => !sameJson(from[part], to[part]))) return null;
  const before = new Map(from.standings.map((s) => [s.workstation, s]));
  const changed: LinePatch[] = [];
  for (const line of to.standings) {
    const held = before.get(line.workstation) as Record<string, unknown> | undefined;
    if (!held) {
      changed.push(line);
      continue;
    }
    let patch: Record<string, unknown> | null = null;
    for (const field in line) {
      const value = line[field as keyof LiveStanding];
      if (!sameJson(value, held[field])) {
        patch ??= {};
        patch[field] = value;
      }
    }
    if (patch) changed.push({ ...patch, workstation: line.workstation });
  }
  const order = to.standings.map((s) => s.workstation);
  const sameOrder =
    order.length === from.standings.length && order.every((w, i) => from.standings[i]?.workstation === w);
  return sameOrder ? { base: from.version, changed } : { base: from.version, changed, order };
}

/**
 * A screen's state after an update: the new snapshot, 'ignore' (seen already), or 'rejoin' (a gap or a
 * rebuild: send `round:join` for a fresh snapshot).
 */
export function applyUpdate(
  held: RoundSnapshot | null,
  update: RoundUpdate,
): RoundSnapshot | 'ignore' | 'rejoin' {
  const step = nextStep(held?.version ?? null, update);
  if (step !== 'apply') return step;
  if (update.snapshot) return update.snapshot;
  if (!held) return 'rejoin';
  const lines = new Map<string, Partial<LiveStanding>>(held.standings.map((s) => [s.workstation, s]));
  for (const patch of update.delta.changed)
    lines.set(patch.workstation, { ...lines.get(patch.workstation), ...patch });
  const order = update.delta.order ?? held.standings.map((s) => s.workstation);
  const standings: LiveStanding[] = [];
  for (const workstation of order) {
    const line = lines.get(workstation);
    // A line the delta names but neither the screen nor the delta has whole: the screen missed something.
    if (!line || line.total === undefined) return 'rejoin';
    standings.push(line as LiveStanding);
  }
  return { ...held, version: update.version, standings };
}

/**
 * A screen's copy of one round, kept as the contract says: updates that arrive while a `round:join` is
 * under way (they may overtake its answer) wait, and are applied on top of the answer.
 */
export class RoundFollower {
  state: RoundSnapshot | null = null;
  private waiting: RoundUpdate[] | null = null;

  /** Call when sending `round:join`. */
  joining(): void {
    this.waiting ??= [];
  }

  /** Whether a join is under way (a screen sends no second one meanwhile). */
  get isJoining(): boolean {
    return this.waiting !== null;
  }

  /** The join's answer; 'rejoin' if an update that came meanwhile shows a gap after it. */
  joined(snapshot: RoundSnapshot): 'ok' | 'rejoin' {
    const waiting = this.waiting ?? [];
    this.waiting = null;
    this.state = snapshot;
    for (const update of waiting) if (this.update(update) === 'rejoin') return 'rejoin';
    return 'ok';
  }

  /** A join that failed: the updates that waited for it are dropped with it. */
  joinFailed(): void {
    this.waiting = null;
  }

  /** Applies an update: 'applied', 'ignored', 'waiting' (a join is under way) or 'rejoin' (join again). */
  update(update: RoundUpdate): 'applied' | 'ignored' | 'waiting' | 'rejoin' {
    if (this.waiting) {
      this.waiting.push(update);
      return 'waiting';
    }
    const next = applyUpdate(this.state, update);
    if (next === 'ignore') return 'ignored';
    if (next === 'rejoin') return 'rejoin';
    this.state = next;
    return 'applied';
  }
}
