import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createAttemptsService } from './attempts';
import type { SetupDeps } from './common';
import { createCompetitionService } from './competitions';
import { createDrawService } from './draw';
import { createEventService } from './events';
import { createImportService } from './imports/index';
import { createPanelDrawService } from './panel-draw';
import { createPanelService } from './panels';
import { createPeopleService } from './people';

/**
 * Setting a competition up, as one service of parts: competitions, events, people (competitors and judges)
 * with their imports, declared attempts, panels with recusal, the draw and the encryption mapping. Routes
 * authorise first; the parts find every sub-resource only inside the competition of the URL, hold the
 * rules, and record each change in the audit log in the same transaction.
 */

export type SetupService = ReturnType<typeof createSetupService>;

export function createSetupService(deps: SetupDeps) {
  return {
    ...createCompetitionService(deps),
    ...createEventService(deps),
    ...createPeopleService(deps),
    ...createImportService(deps),
    ...createAttemptsService(deps),
    ...createPanelService(deps),
    ...createPanelDrawService(deps),
    ...createDrawService(deps),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Setting a competition up. */
    setup: SetupService;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    const writer = { db: app.db, changes: app.changes };
    app.decorate('setup', createSetupService({ writer, hmac: app.hmac }));
  },
  { name: 'setup-service', dependencies: ['database', 'changes', 'auth'] },
);
