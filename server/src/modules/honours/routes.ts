import {
  competitionParams,
  type HonourRulesResponse,
  type HonoursListResponse,
  honourOverrideRequest,
  putHonourRulesRequest,
} from '@jiangxin/shared';
import { accountOf, allowRoles, grantedRoles } from '../../plugins/auth';
import { noBody, type RoutePlugin } from '../../plugins/validation';

/**
 * Honours (issue 11). The list holds the competitors' records (frontline, unit head, level held), so before
 * the organizer publishes it only the organizer and the chief judge (who signs results off) read it.
 *
 * | route                                            | roles                                           |
 * | ------------------------------------------------ | ----------------------------------------------- |
 * | GET  /honour-templates                           | anyone                                          |
 * | GET  competitions/:cid/honours/rules             | organizer, chief judge                          |
 * | PUT  competitions/:cid/honours/rules             | organizer                                       |
 * | GET  competitions/:cid/honours                   | organizer, chief judge; everyone once published |
 * | POST competitions/:cid/honours/overrides         | organizer (a reason is required)                |
 * | POST competitions/:cid/honours/publish           | organizer                                       |
 */

const H = '/competitions/:competitionId/honours';

const ORGANIZER = ['organizer'] as const;

const honoursRoutes: RoutePlugin = async (app) => {
  const honours = app.honours;

  app.get('/honour-templates', async () => honours.templates());

  app.get(
    `${H}/rules`,
    { preValidation: allowRoles(['organizer', 'chiefJudge']), schema: { params: competitionParams } },
    async (request): Promise<HonourRulesResponse> => honours.rules(request.params.competitionId),
  );

  app.put(
    `${H}/rules`,
    {
      preValidation: allowRoles(ORGANIZER),
      schema: { params: competitionParams, body: putHonourRulesRequest },
    },
    async (request): Promise<HonourRulesResponse> =>
      honours.putRules(request.params.competitionId, accountOf(request.principal), request.body),
  );

  app.get(
    H,
    { preValidation: allowRoles(['public']), schema: { params: competitionParams } },
    async (request): Promise<HonoursListResponse> =>
      honours.list(request.params.competitionId, grantedRoles(request)),
  );

  app.post(
    `${H}/overrides`,
    {
      preValidation: allowRoles(ORGANIZER),
      schema: { params: competitionParams, body: honourOverrideRequest },
    },
    async (request, reply) => {
      const made = await honours.override(
        request.params.competitionId,
        accountOf(request.principal),
        request.body,
      );
      return reply.code(201).send(made);
    },
  );

  app.post(
    `${H}/publish`,
    { preValidation: allowRoles(ORGANIZER), schema: { params: competitionParams, body: noBody } },
    async (request) => honours.publish(request.params.competitionId, accountOf(request.principal)),
  );
};

export default honoursRoutes;
