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
 * The live state: rebuilt from Postgres when the app starts, and recomputed after every change the services
 * announce once it has committed (app.changes), so nothing reaches the live view before it is in Postgres.
 */
async function live(app: FastifyInstance, options: { store: LiveStore }) {
  const state = createLiveState(app.db, options.store);
  app.decorate('live', state);
  app.addHook('onReady', async () => {
    await state.rebuild();
  });
  const unsubscribe = app.changes.subscribe((change) => state.changed(change));
  app.addHook('onClose', async () => {
    unsubscribe();
    await state.settle();
    await options.store.close();
  });
}

export default fp(live, { name: 'live', dependencies: ['database', 'changes'] });
