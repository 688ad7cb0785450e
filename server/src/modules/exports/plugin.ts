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
    app.decorate('exports', createExportsService(app.db));
  },
  { name: 'exports-service', dependencies: ['database'] },
);
