import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database, DatabaseHandle } from '../db/client';

declare module 'fastify' {
  interface FastifyInstance {
    /** The source of truth (Postgres or embedded PGlite). */
    db: Database;
  }
}

/** Decorates the app with the database it was given and closes it with the app. */
async function database(app: FastifyInstance, options: { handle: DatabaseHandle }) {
  app.decorate('db', options.handle.db);
  app.addHook('onClose', () => options.handle.close());
}

export default fp(database, { name: 'database' });
