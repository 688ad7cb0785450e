import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { RedisLiveStore } from '../live/redis-store';
import { createLiveState, type LiveState } from '../live/service';
import { MemoryLiveStore } from '../live/store';

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
async function live(app: FastifyInstance, options: { inProcess: boolean }) {
  const store =
    app.redis && !options.inProcess
      ? new RedisLiveStore(app.redis.commands, { prefix: `${app.redis.prefix}live:` })
      : new MemoryLiveStore();
  const state = createLiveState(app.db, store);
  app.decorate('live', state);
  app.addHook('onReady', async () => {
    await state.rebuild();
  });
  const unsubscribe = app.changes.subscribe((change) => state.changed(change));
  app.addHook('onClose', async () => {
    unsubscribe();
    await state.settle();
    await store.close();
  });
}

export default fp(live, { name: 'live', dependencies: ['database', 'changes', 'redis'] });
