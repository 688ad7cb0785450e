import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loggableError } from '../../plugins/errors';
import { createHonoursService, type HonoursService } from './service';

declare module 'fastify' {
  interface FastifyInstance {
    /** Honour rule sets, the recommendation list and overrides; see routes.ts for who may call what. */
    honours: HonoursService;
  }
}

/**
 * The honours service, created once; it follows committed changes (app.changes) so that a correction or a
 * competitor's record that changes the list is recorded in the audit log without anyone asking.
 */
export default fp(
  async (app: FastifyInstance) => {
    const service = createHonoursService({ db: app.db, changes: app.changes }, (error) =>
      app.log.error({ error: loggableError(error) }, 'recording the honour list failed'),
    );
    app.decorate('honours', service);
    const unsubscribe = app.changes.subscribe((change) => service.resultsChanged(change));
    app.addHook('onClose', async () => {
      unsubscribe();
      await service.settle();
    });
  },
  { name: 'honours-service', dependencies: ['database', 'changes'] },
);
