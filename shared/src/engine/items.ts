import type { Aspect, Component, Scheme } from '../scheme/schema';

/** What a marks file's `item` names: an aspect, and in attempt-based components the attempt. */
export interface ItemRef {
  component: Component;
  aspect: Aspect;
  attempt: number | null;
}

/** The item names a scheme accepts: aspect ids, or `<label>-<n>` / `<label>-<n>:<aspect>` for attempts. */
export function itemNames(scheme: Scheme): string[] {
  return scheme.components.flatMap((c) => {
    const attempts = c.attempts;
    if (!attempts) return c.aspects.map((a) => a.id);
    return Array.from({ length: attempts.count }, (_, i) =>
      c.aspects.length === 1
        ? [`${attempts.label}-${i + 1}`]
        : c.aspects.map((a) => `${attempts.label}-${i + 1}:${a.id}`),
    ).flat();
  });
}

export function resolveItem(scheme: Scheme, item: string): ItemRef | null {
  for (const component of scheme.components) {
    const attempts = component.attempts;
    if (!attempts) {
      const aspect = component.aspects.find((a) => a.id === item);
      if (aspect) return { component, aspect, attempt: null };
      continue;
    }
    const match = /^(.+)-(\d+)(?::(.+))?$/.exec(item);
    if (!match || match[1] !== attempts.label) continue;
    const attempt = Number(match[2]);
    if (attempt < 1 || attempt > attempts.count) return null;
    const aspectId = match[3];
    const aspect =
      aspectId === undefined
        ? component.aspects.length === 1
          ? component.aspects[0]
          : undefined
        : component.aspects.find((a) => a.id === aspectId);
    return aspect ? { component, aspect, attempt } : null;
  }
  return null;
}

/** A short list of the accepted item names, for error messages. */
export function describeItems(scheme: Scheme): string {
  const names = itemNames(scheme);
  return names.length > 12 ? `${names.slice(0, 12).join(', ')} … (${names.length} in all)` : names.join(', ');
}
