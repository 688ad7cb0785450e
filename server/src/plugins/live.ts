import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createLiveState, type LiveState } from '../live/service';
import type { LiveStore } from '../live/store';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live view of every round (Redis, or in process), always rebuildable from Postgres. */
    live: LiveState;
  }
}

/**
 * The live state: rebuilt from Postgres when the app starts, and recomputed after every change to a round.
 * Changes are recognised in one place: a successful write request whose URL names a round has committed by
 * the time its response is sent, so nothing reaches the live view before it is in Postgres.
 */
async function live(app: FastifyInstance, options: { store: LiveStore }) {
  const state = createLiveState(app.db, options.store);
  app.decorate('live', state);
  app.addHook('onReady', async () => {
    await state.rebuild();
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || reply.statusCode >= 300) return;
    const { competitionId, roundId } = (request.params ?? {}) as { competitionId?: string; roundId?: string };
    if (competitionId && roundId) state.roundChanged(competitionId, roundId);
  });
  app.addHook('onClose', async () => {
    await state.settle();
    await options.store.close();
  });
}

export default fp(live, { name: 'live', dependencies: ['database'] });
