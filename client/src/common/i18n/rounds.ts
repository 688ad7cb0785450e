import type { MessageKey } from './messages';

const KNOWN = new Set(['Final', 'Prelim', 'Semifinal']);

/** A round's label: its own name when it has one, else its scheme id, translated for the ids the templates use. */
export function roundLabel(t: (key: MessageKey) => string, key: string, name?: string | null): string {
  if (name) return name;
  return KNOWN.has(key) ? t(`round.${key}` as MessageKey) : key;
}
