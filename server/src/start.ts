import { type AddressInfo, createServer } from 'node:net';
import { buildApp } from './app';
import { openDatabase } from './db/client';
import { createOrganizerAccount } from './modules/auth/accounts';

/**
 * The public way for a tool to run a server of its own (`pnpm rehearse` without --server): the embedded
 * database in `dataDir` (in memory when null) or a Postgres database, a random secret, the in-process live view, listening on this
 * computer only. Tools then talk to it over HTTP and Socket.IO like any other client.
 */
export interface StartOptions {
  dataDir: string | null;
  /** A Postgres database to use instead of the embedded one (its tables are migrated on start). */
  databaseUrl?: string;
  /** 0 (the default): any free port. */
  port?: number;
  /** An organizer account created on start, so the tool can sign in through the API. */
  organizer?: { username: string; password: string; displayName: string };
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Stops listening and closes the database. */
  close(): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const database = await openDatabase(
    options.databaseUrl ? { url: options.databaseUrl } : { dataDir: options.dataDir },
  );
  const app = await buildApp({ database });
  try {
    if (options.organizer) await createOrganizerAccount(app.db, options.organizer);
    await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/**
 * A free TCP port on 127.0.0.1, for a tool that starts a process of its own on it (asked of the system, then
 * released: the process binds it a moment later).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
