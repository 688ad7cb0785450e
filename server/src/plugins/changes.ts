import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Changes, createChanges } from '../changes';

declare module 'fastify' {
  interface FastifyInstance {
    /** Committed changes to what standings depend on, announced by the services after each commit. */
    changes: Changes;
  }
}

async function changes(app: FastifyInstance) {
  app.decorate('changes', createChanges());
}

export default fp(changes, { name: 'changes' });
