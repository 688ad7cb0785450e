import {
  assignSeatRequest,
  attemptsParams,
  checkInRequest,
  competitionParams,
  competitorParams,
  createCompetitionRequest,
  createCompetitorRequest,
  createEventRequest,
  createJudgeRequest,
  createPanelRequest,
  declareAttemptsRequest,
  eventParams,
  IMPORT_FILE_LIMIT,
  importRequest,
  panelCoverageRequest,
  panelDrawRequest,
  panelParams,
  type Role,
  roundParams,
  seatParams,
  teamMemberParams,
  updateCompetitorRequest,
  updateTeamMemberRequest,
} from '@jiangxin/shared';
import { allowRoles, grantedRoles } from '../../plugins/auth';
import { localized, pickLocale } from '../../plugins/errors';
import { noBody, type RoutePlugin } from '../../plugins/validation';
import { assertMayCreate } from './competitions';

/** Everyone who belongs to a competition (not the public). */
const MEMBERS: Role[] = ['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper', 'judge', 'display'];
const ORGANIZER: Role[] = ['organizer'];
/** Who may read the registration (names, units, masked ID numbers). */
const REGISTRATION_READERS: Role[] = ['organizer', 'chiefJudge', 'encryptionOfficer'];
/** Who assigns and replaces judges (the chief judge per the rulebooks, or the organizer). */
const PANEL_MANAGERS: Role[] = ['organizer', 'chiefJudge'];
/** Who holds the mapping: check-in reveals a code, so only they check competitors in. */
const MAPPING_HOLDERS: Role[] = ['encryptionOfficer', 'chiefJudge'];
/** The organizer too, but only once the round is signed off and decrypted (checked by the service). */
const MAPPING_READERS: Role[] = [...MAPPING_HOLDERS, 'organizer'];
/** Who reads a round's workstation codes (a judge only when seated on a panel of the event). */
const CODE_READERS: Role[] = ['organizer', 'chiefJudge', 'encryptionOfficer', 'scorekeeper', 'judge'];
/** The first draw (entry numbers are not secret): the organizer or the encryption officer. */
const DRAWERS: Role[] = ['organizer', 'encryptionOfficer'];

/** An import's JSON body: a 2 MB file, base64 of an XLSX included, with room for the envelope. */
const IMPORT_BODY_LIMIT = 2 * IMPORT_FILE_LIMIT;
const splitTheFile = localized('请拆分文件后分批导入。', 'Split the file and import the parts.');

const C = '/competitions/:competitionId';

/** An import and its preview: the organizer's, a file of up to 2 MB, the same body. */
const importOptions = <P>(params: P) => ({
  preValidation: allowRoles(ORGANIZER),
  bodyLimit: IMPORT_BODY_LIMIT,
  config: { bodyTooLarge: splitTheFile },
  schema: { params, body: importRequest },
});

/**
 * Setup (issue 3): competitions, events, competitors and judges (with imports), declared attempts, panels
 * with recusal, the draw and the encryption mapping. Each route authorises first (allowRoles), then the
 * service (app.setup) finds every sub-resource only inside the competition of the URL.
 */
const setupRoutes: RoutePlugin = async (app) => {
  const setup = app.setup;

  // ── Competitions ──
  app.post(
    '/competitions',
    {
      preValidation: async (request) => {
        assertMayCreate(request.principal);
      },
      schema: { body: createCompetitionRequest },
    },
    async (request, reply) =>
      reply.code(201).send(await setup.createCompetition(request.principal, request.body)),
  );

  app.get('/competitions', async (request) => setup.listCompetitions(request.principal));

  app.get(C, { preValidation: allowRoles(MEMBERS), schema: { params: competitionParams } }, async (request) =>
    setup.getCompetition(request.params.competitionId, grantedRoles(request)),
  );

  // ── Events ──
  app.post(
    `${C}/events`,
    { preValidation: allowRoles(ORGANIZER), schema: { params: competitionParams, body: createEventRequest } },
    async (request, reply) =>
      reply
        .code(201)
        .send(await setup.createEvent(request.principal, request.params.competitionId, request.body)),
  );

  app.get(
    `${C}/events`,
    { preValidation: allowRoles(MEMBERS), schema: { params: competitionParams } },
    async (request) => setup.listEvents(request.params.competitionId),
  );

  app.get(
    `${C}/events/:eventId`,
    { preValidation: allowRoles(MEMBERS), schema: { params: eventParams } },
    async (request) => setup.getEvent(request.params.competitionId, request.params.eventId),
  );

  // ── Competitors ──
  app.post(
    `${C}/events/:eventId/competitors`,
    { preValidation: allowRoles(ORGANIZER), schema: { params: eventParams, body: createCompetitorRequest } },
    async (request, reply) => {
      const { competitionId, eventId } = request.params;
      return reply
        .code(201)
        .send(await setup.createCompetitor(request.principal, competitionId, eventId, request.body));
    },
  );

  app.get(
    `${C}/events/:eventId/competitors`,
    { preValidation: allowRoles(REGISTRATION_READERS), schema: { params: eventParams } },
    async (request) => setup.listCompetitors(request.params.competitionId, request.params.eventId),
  );

  app.post(`${C}/events/:eventId/competitors/import`, importOptions(eventParams), async (request) => {
    const locale = pickLocale(request.headers['accept-language']);
    return setup.importCompetitors(request.principal, request.params, request.body, locale);
  });

  app.post(`${C}/events/:eventId/competitors/import/preview`, importOptions(eventParams), async (request) => {
    const locale = pickLocale(request.headers['accept-language']);
    return setup.previewCompetitors(request.params, request.body, locale);
  });

  app.get(
    `${C}/competitors/:competitorId`,
    { preValidation: allowRoles(REGISTRATION_READERS), schema: { params: competitorParams } },
    async (request) => setup.getCompetitor(request.params.competitionId, request.params.competitorId),
  );

  app.patch(
    `${C}/competitors/:competitorId`,
    {
      preValidation: allowRoles(ORGANIZER),
      schema: { params: competitorParams, body: updateCompetitorRequest },
    },
    async (request) => {
      const { competitionId, competitorId } = request.params;
      return setup.updateCompetitor(request.principal, competitionId, competitorId, request.body);
    },
  );

  app.patch(
    `${C}/competitors/:competitorId/members/:memberId`,
    {
      preValidation: allowRoles(ORGANIZER),
      schema: { params: teamMemberParams, body: updateTeamMemberRequest },
    },
    async (request) => setup.updateTeamMember(request.principal, request.params, request.body),
  );

  app.post(
    `${C}/competitors/:competitorId/members`,
    {
      preValidation: allowRoles(ORGANIZER),
      schema: { params: competitorParams, body: createCompetitorRequest },
    },
    async (request, reply) =>
      reply.code(201).send(await setup.addTeamMember(request.principal, request.params, request.body)),
  );

  app.delete(
    `${C}/competitors/:competitorId/members/:memberId`,
    { preValidation: allowRoles(ORGANIZER), schema: { params: teamMemberParams } },
    async (request) => setup.removeTeamMember(request.principal, request.params),
  );

  // ── Judges ──
  app.post(
    `${C}/judges`,
    { preValidation: allowRoles(ORGANIZER), schema: { params: competitionParams, body: createJudgeRequest } },
    async (request, reply) =>
      reply
        .code(201)
        .send(await setup.createJudge(request.principal, request.params.competitionId, request.body)),
  );

  app.get(
    `${C}/judges`,
    { preValidation: allowRoles(REGISTRATION_READERS), schema: { params: competitionParams } },
    async (request) => setup.listJudges(request.params.competitionId),
  );

  app.post(`${C}/judges/import`, importOptions(competitionParams), async (request) => {
    const locale = pickLocale(request.headers['accept-language']);
    return setup.importJudges(request.principal, request.params.competitionId, request.body, locale);
  });

  app.post(`${C}/judges/import/preview`, importOptions(competitionParams), async (request) => {
    const locale = pickLocale(request.headers['accept-language']);
    return setup.previewJudges(request.params.competitionId, request.body, locale);
  });

  // ── Declared attempts ──
  app.put(
    `${C}/rounds/:roundId/competitors/:competitorId/attempts`,
    {
      preValidation: allowRoles(PANEL_MANAGERS),
      schema: { params: attemptsParams, body: declareAttemptsRequest },
    },
    async (request) => setup.declareAttempts(request.principal, request.params, request.body),
  );

  app.get(
    `${C}/rounds/:roundId/competitors/:competitorId/attempts`,
    { preValidation: allowRoles(REGISTRATION_READERS), schema: { params: attemptsParams } },
    async (request) => setup.listAttempts(request.params),
  );

  // ── Panels and recusal ──
  app.post(
    `${C}/events/:eventId/panels`,
    { preValidation: allowRoles(PANEL_MANAGERS), schema: { params: eventParams, body: createPanelRequest } },
    async (request, reply) => {
      const { competitionId, eventId } = request.params;
      return reply
        .code(201)
        .send(await setup.createPanel(request.principal, competitionId, eventId, request.body));
    },
  );

  app.get(
    `${C}/events/:eventId/panels`,
    { preValidation: allowRoles(PANEL_MANAGERS), schema: { params: eventParams } },
    async (request) => setup.listPanels(request.params.competitionId, request.params.eventId),
  );

  app.get(
    `${C}/panels/:panelId`,
    { preValidation: allowRoles(PANEL_MANAGERS), schema: { params: panelParams } },
    async (request) => setup.getPanel(request.params.competitionId, request.params.panelId),
  );

  app.put(
    `${C}/panels/:panelId/coverage`,
    {
      preValidation: allowRoles(PANEL_MANAGERS),
      schema: { params: panelParams, body: panelCoverageRequest },
    },
    async (request) => setup.replaceCoverage(request.principal, request.params, request.body),
  );

  app.post(
    `${C}/rounds/:roundId/panel-draw`,
    { preValidation: allowRoles(PANEL_MANAGERS), schema: { params: roundParams, body: panelDrawRequest } },
    async (request) => setup.drawPanelJudges(request.principal, request.params, request.body),
  );

  app.put(
    `${C}/panels/:panelId/seats/:seat`,
    { preValidation: allowRoles(PANEL_MANAGERS), schema: { params: seatParams, body: assignSeatRequest } },
    async (request) => setup.assignSeat(request.principal, request.params, request.body.judgeId),
  );

  app.delete(
    `${C}/panels/:panelId/seats/:seat`,
    { preValidation: allowRoles(PANEL_MANAGERS), schema: { params: seatParams } },
    async (request) => setup.clearSeat(request.principal, request.params),
  );

  // ── Draw and encryption ──
  app.post(
    `${C}/events/:eventId/draw`,
    { preValidation: allowRoles(DRAWERS), schema: { params: eventParams, body: noBody } },
    async (request) =>
      setup.drawEntryNumbers(request.principal, request.params.competitionId, request.params.eventId),
  );

  app.post(
    `${C}/rounds/:roundId/check-in`,
    { preValidation: allowRoles(MAPPING_HOLDERS), schema: { params: roundParams, body: checkInRequest } },
    async (request) =>
      setup.checkIn(request.principal, { ...request.params, competitorId: request.body.competitorId }),
  );

  app.get(
    `${C}/rounds/:roundId/mapping`,
    { preValidation: allowRoles(MAPPING_READERS), schema: { params: roundParams } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      return setup.roundMapping(grantedRoles(request), competitionId, roundId);
    },
  );

  app.get(
    `${C}/rounds/:roundId/workstations`,
    { preValidation: allowRoles(CODE_READERS), schema: { params: roundParams } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      return setup.roundWorkstations(request.principal, grantedRoles(request), competitionId, roundId);
    },
  );
};

export default setupRoutes;
