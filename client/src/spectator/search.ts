import type { LiveStanding } from '@jiangxin/shared';

/** Text as a search compares it: no spaces or dashes, lower case, full-width letters and digits made narrow. */
export function normalise(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-_·]/g, '')
    .toLowerCase();
}

/**
 * The lines a spectator's search finds: by workstation code (from its start: "a0" finds A01…A09) before
 * decryption, and by name (anywhere in it) or code after. An empty search finds every line.
 */
export function search(standings: readonly LiveStanding[], query: string): LiveStanding[] {
  const q = normalise(query);
  if (q === '') return [...standings];
  return standings.filter(
    (s) =>
      normalise(s.workstation).startsWith(q) ||
      (s.competitor !== s.workstation && normalise(s.competitor).includes(q)),
  );
}

/** The workstations a phone follows in one round, kept in localStorage (private browsing: for the page). */
export class Follows {
  private memory: string[] = [];
  constructor(private readonly key: string) {}

  list(): string[] {
    try {
      const raw = globalThis.localStorage?.getItem(this.key);
      const parsed: unknown = raw ? JSON.parse(raw) : this.memory;
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return this.memory;
    }
  }

  toggle(workstation: string): string[] {
    const held = this.list();
    const next = held.includes(workstation) ? held.filter((w) => w !== workstation) : [...held, workstation];
    this.memory = next;
    try {
      globalThis.localStorage?.setItem(this.key, JSON.stringify(next));
    } catch {
      // kept in memory only
    }
    return next;
  }
}
