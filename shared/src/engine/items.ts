import { type Aspect, attemptCount, type Component, type Scheme } from '../scheme/schema';

/** What a marks file's `item` names: an aspect, and in attempt-based components the attempt. */
export interface ItemRef {
  component: Component;
  aspect: Aspect;
  attempt: number | null;
}

/**
 * The item names a scheme accepts (in a round: as many attempts as that round has): aspect ids, or
 * `<label>-<n>` / `<label>-<n>:<aspect>` for attempts.
 */
export function itemNames(scheme: Scheme, round?: string): string[] {
  return scheme.components.flatMap((c) => {
    const attempts = c.attempts;
    if (!attempts) return c.aspects.map((a) => a.id);
    return Array.from({ length: attemptCount(scheme, c, round) }, (_, i) =>
      c.aspects.length === 1
        ? [`${attempts.label}-${i + 1}`]
        : c.aspects.map((a) => `${attempts.label}-${i + 1}:${a.id}`),
    ).flat();
  });
}

const ITEM_PATTERN = /^([A-Za-z][A-Za-z0-9_-]*?)-(\d+)(?::([A-Za-z][A-Za-z0-9_-]*))?$/;

/** Items already resolved, per scheme and round: a scheme never changes once parsed, and only names it knows are kept. */
const resolved = new WeakMap<Scheme, Map<string | undefined, Map<string, ItemRef>>>();

/** What an item names, or null; in a round, an attempt beyond the round's own count names nothing. */
export function resolveItem(scheme: Scheme, item: string, round?: string): ItemRef | null {
  if (round !== undefined && !scheme.rounds.some((r) => r.id === round)) return findItem(scheme, item, round);
  let byRound = resolved.get(scheme);
  if (!byRound) {
    byRound = new Map();
    resolved.set(scheme, byRound);
  }
  let items = byRound.get(round);
  if (!items) {
    items = new Map();
    byRound.set(round, items);
  }
  const known = items.get(item);
  if (known) return known;
  const ref = findItem(scheme, item, round);
  if (ref) items.set(item, ref);
  return ref;
}

function findItem(scheme: Scheme, item: string, round?: string): ItemRef | null {
  for (const component of scheme.components) {
    const aspect = component.attempts ? undefined : component.aspects.find((a) => a.id === item);
    if (aspect) return { component, aspect, attempt: null };
  }
  const match = ITEM_PATTERN.exec(item);
  if (!match) return null;
  const [, label, number, aspectId] = match;
  const attempt = Number(number);
  for (const component of scheme.components) {
    const attempts = component.attempts;
    if (!attempts || attempts.label !== label || attempt < 1) continue;
    if (attempt > attemptCount(scheme, component, round)) continue;
    const aspect =
      aspectId === undefined
        ? component.aspects.length === 1
          ? component.aspects[0]
          : undefined
        : component.aspects.find((a) => a.id === aspectId);
    if (aspect) return { component, aspect, attempt };
  }
  return null;
}

/** A short list of the accepted item names, for error messages. */
export function describeItems(scheme: Scheme, round?: string): string {
  const names = itemNames(scheme, round);
  return names.length > 12 ? `${names.slice(0, 12).join(', ')} … (${names.length} in all)` : names.join(', ');
}
