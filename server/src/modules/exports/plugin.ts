import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createExportsService, type ExportsService } from './service';

declare module 'fastify' {
  interface FastifyInstance {
    /** The official exports (results, marks, scheme); see routes.ts for who may call what. */
    exports: ExportsService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    // The honour list is the honours module's (its rule of who may read it included); the exports render it.
    app.decorate(
      'exports',
      createExportsService(app.db, (competitionId, roles) => app.honours.list(competitionId, roles)),
    );
  },
  { name: 'exports-service', dependencies: ['database', 'honours-service'] },
);
