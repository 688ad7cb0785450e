import Dexie, { type EntityTable } from 'dexie';
import type { OutboxEntry, OutboxStore } from './outbox';

/** What a tablet keeps offline: its outbox, and the last answer of each read it needs to keep marking. */
interface StoredRead {
  key: string;
  value: unknown;
  storedAt: number;
}

class TabletDatabase extends Dexie {
  outbox!: EntityTable<OutboxEntry, 'id'>;
  reads!: EntityTable<StoredRead, 'key'>;

  constructor() {
    super('jiangxin-tablet');
    this.version(1).stores({ outbox: 'id, scope, [scope+createdAt]', reads: 'key' });
  }
}

let database: TabletDatabase | null = null;
const db = () => {
  database ??= new TabletDatabase();
  return database;
};

export const indexedDbOutbox: OutboxStore = {
  async put(entry) {
    await db().outbox.put(entry);
  },
  list(scope) {
    return db()
      .outbox.where('[scope+createdAt]')
      .between([scope, Dexie.minKey], [scope, Dexie.maxKey])
      .toArray();
  },
};

/** Runs `run` while holding a lock shared by every tab of this origin (so two tabs never send one mark at once). */
export function acrossTabs(name: string) {
  return <T>(run: () => Promise<T>): Promise<T> =>
    navigator.locks ? (navigator.locks.request(name, run) as Promise<T>) : run();
}

/**
 * A read that still answers offline: the server's answer, kept; when the network fails, the answer kept last.
 * Errors the server gave (401, 403, 404 …) are not hidden.
 */
export async function readThrough<T>(
  key: string,
  read: () => Promise<T>,
  isOffline: (error: unknown) => boolean,
) {
  try {
    const value = await read();
    await db().reads.put({ key, value, storedAt: Date.now() });
    return value;
  } catch (error) {
    if (!isOffline(error)) throw error;
    const kept = await db().reads.get(key);
    if (!kept) throw error;
    return kept.value as T;
  }
}
