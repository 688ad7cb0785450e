import type { Decimal } from '../decimal';
import type { Placing } from './types';

export interface RankKey<T> {
  name: string;
  /** The entry's value; null (not yet known) always ranks below any value. */
  value: (entry: T) => Decimal | null;
  prefer: 'higher' | 'lower';
}

export interface Ranked<T> extends Placing {
  entry: T;
}

type Values = readonly (Decimal | null)[];

function compareBy<T>(keys: readonly RankKey<T>[], a: Values, b: Values): { order: number; key: number } {
  for (const [index, key] of keys.entries()) {
    const [left, right] = [a[index] ?? null, b[index] ?? null];
    if (left === null || right === null) {
      if (left !== right) return { order: left === null ? 1 : -1, key: index };
      continue;
    }
    const diff = left.cmp(right);
    if (diff !== 0) return { order: key.prefer === 'higher' ? -diff : diff, key: index };
  }
  return { order: 0, key: keys.length };
}

/**
 * Competition ranking (1, 2, 2, 4) by a chain of keys, the first being the total. Entries equal on every key
 * share a place; `decidedBy` names the deepest key that was needed to separate an entry from its neighbours.
 * Excluded (disqualified) entries come last with no rank.
 */
export function rank<T>(
  entries: readonly T[],
  keys: readonly RankKey<T>[],
  options: { excluded: (entry: T) => boolean; name: (entry: T) => string },
): Ranked<T>[] {
  const byName = (a: T, b: T) =>
    options.name(a) < options.name(b) ? -1 : options.name(a) > options.name(b) ? 1 : 0;
  // Each entry's keys and name computed once, not in every comparison of the sort (n log n of them).
  const sorted = entries
    .filter((e) => !options.excluded(e))
    .map((entry) => ({ entry, name: options.name(entry), values: keys.map((k) => k.value(entry)) }))
    .sort(
      (a, b) => compareBy(keys, a.values, b.values).order || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  // For each adjacent pair: the index of the first key on which they differ (keys.length if none).
  const split = sorted
    .slice(1)
    .map((e, i) => compareBy(keys, (sorted[i] as (typeof sorted)[number]).values, e.values).key);
  const ranked = sorted.map(({ entry }, i): Ranked<T> => {
    const before = i > 0 ? (split[i - 1] ?? 0) : -1;
    const after = i < split.length ? (split[i] ?? 0) : -1;
    const deepest = Math.max(before, after);
    const shared = before === keys.length || after === keys.length;
    const decidingKey = !shared && deepest > 0 ? keys[deepest]?.name : undefined;
    return { entry, rank: 0, decidedBy: decidingKey ?? null, shared };
  });
  for (const [i, r] of ranked.entries()) {
    const previous = ranked[i - 1];
    r.rank = previous && split[i - 1] === keys.length ? (previous.rank ?? i + 1) : i + 1;
  }
  const excluded = entries
    .filter((e) => options.excluded(e))
    .sort(byName)
    .map((entry): Ranked<T> => ({ entry, rank: null, decidedBy: null, shared: false }));
  return [...ranked, ...excluded];
}
