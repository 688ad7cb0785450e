import {
  type AuditVerifyResponse,
  competitionParams,
  confirmPaperMarkRequest,
  correctionDecisionRequest,
  correctionParams,
  correctionRequest,
  judgeCorrectionRequest,
  type MarkResponse,
  type MyMarksResponse,
  missingMarkRequest,
  paperMarkParams,
  paperMarkRequest,
  remarkRequest,
  roundParams,
  signOffRequest,
  submitMarkRequest,
} from '@jiangxin/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { faultPoint } from '../../faults';
import { accountOf, allowRoles, grantedRoles } from '../../plugins/auth';
import { noBody, type RoutePlugin, validated } from '../../plugins/validation';

/**
 * The path of a judge's mark, and what the chief judge does with it (see shared/src/api/marks.ts for the
 * contract and the refused-vs-retry rule). Every route first checks the caller's role in the competition
 * (before the body is even validated), then that the round belongs to the competition (else 404).
 *
 * | route (under /api/competitions/:competitionId)  | roles                                  |
 * | ----------------------------------------------- | -------------------------------------- |
 * | POST rounds/:roundId/marks                      | judge (a seat on the item's panel)     |
 * | GET  rounds/:roundId/my-marks                   | judge (with the corrections of their marks) |
 * | POST rounds/:roundId/paper-marks                | scorekeeper                            |
 * | GET  rounds/:roundId/paper-marks                | scorekeeper, chief judge               |
 * | POST rounds/:roundId/paper-marks/:markId/confirm| scorekeeper, chief judge (not the one who entered it) |
 * | POST rounds/:roundId/corrections                | chief judge, scorekeeper; judge (own seat) — after sign-off |
 * | GET  rounds/:roundId/corrections                | chief judge, scorekeeper               |
 * | POST rounds/:roundId/corrections/:id/approve    | chief judge                            |
 * | POST rounds/:roundId/corrections/:id/reject     | chief judge                            |
 * | GET  rounds/:roundId/review                     | chief judge                            |
 * | POST rounds/:roundId/remarks                    | chief judge                            |
 * | POST rounds/:roundId/missing-marks              | chief judge (the scheme's missing-mark rule) |
 * | POST rounds/:roundId/sign-off                   | chief judge                            |
 * | POST rounds/:roundId/decrypt                    | encryption officer (after sign-off)    |
 * | POST rounds/:roundId/publish                    | chief judge, organizer (after sign-off)|
 * | GET  rounds/:roundId/results                    | anyone once published; chief judge, organizer always |
 * | GET  audit/verify                               | chief judge, organizer                 |
 */

function judgeOf(request: FastifyRequest) {
  const principal = request.principal;
  if (principal.kind !== 'judge') throw new Error('a judge route was reached without a judge');
  return { judgeId: principal.judgeId, deviceId: principal.deviceId };
}

const ROUND = '/competitions/:competitionId/rounds/:roundId';

const marksRoutes: RoutePlugin = async (app) => {
  const marks = app.marks;

  app.post(
    `${ROUND}/marks`,
    {
      preValidation: allowRoles(['judge']),
      schema: { params: roundParams, body: submitMarkRequest },
      // The tablet's device row is compared with the token in the mark's group commit (decision 027).
      config: { judgeDeviceCheckedByRoute: true },
    },
    async (request, reply): Promise<MarkResponse> => {
      const { competitionId, roundId } = request.params;
      const judge = { ...judgeOf(request), token: request.judgeDeviceToCheck };
      const stored = await marks.submitTablet(competitionId, roundId, judge, request.body);
      await faultPoint('after-live', () => app.live.settle());
      reply.code(stored.created ? 201 : 200);
      return { mark: stored.value };
    },
  );

  app.get(
    `${ROUND}/my-marks`,
    { preValidation: allowRoles(['judge']), schema: { params: roundParams } },
    async (request): Promise<MyMarksResponse> =>
      marks.myMarks(request.params.competitionId, request.params.roundId, judgeOf(request).judgeId),
  );

  app.post(
    `${ROUND}/paper-marks`,
    { preValidation: allowRoles(['scorekeeper']), schema: { params: roundParams, body: paperMarkRequest } },
    async (request, reply): Promise<MarkResponse> => {
      const { competitionId, roundId } = request.params;
      const stored = await marks.submitPaper(
        competitionId,
        roundId,
        accountOf(request.principal),
        request.body,
      );
      reply.code(stored.created ? 201 : 200);
      return { mark: stored.value };
    },
  );

  app.get(
    `${ROUND}/paper-marks`,
    { preValidation: allowRoles(['scorekeeper', 'chiefJudge']), schema: { params: roundParams } },
    async (request) => marks.pendingPaper(request.params.competitionId, request.params.roundId),
  );

  app.post(
    `${ROUND}/paper-marks/:markId/confirm`,
    {
      preValidation: allowRoles(['scorekeeper', 'chiefJudge']),
      schema: { params: paperMarkParams, body: confirmPaperMarkRequest },
    },
    async (request): Promise<MarkResponse> => {
      const { competitionId, roundId, markId } = request.params;
      const account = accountOf(request.principal);
      const stored = await marks.confirmPaper(competitionId, roundId, account, markId, request.body?.value);
      return { mark: stored.value };
    },
  );

  app.post(
    `${ROUND}/corrections`,
    {
      preValidation: allowRoles(['chiefJudge', 'scorekeeper', 'judge']),
      schema: { params: roundParams, body: judgeCorrectionRequest },
    },
    async (request, reply) => {
      const { competitionId, roundId } = request.params;
      // A judge asks for their own seat; an account names the seat.
      const correction = await marks.requestCorrection(
        competitionId,
        roundId,
        request.principal.kind === 'judge'
          ? { by: 'judge', ...judgeOf(request), body: request.body }
          : {
              by: 'account',
              accountId: accountOf(request.principal),
              body: validated(correctionRequest, request.body),
            },
      );
      reply.code(201);
      return { correction };
    },
  );

  app.get(
    `${ROUND}/corrections`,
    { preValidation: allowRoles(['chiefJudge', 'scorekeeper']), schema: { params: roundParams } },
    async (request) => marks.listCorrections(request.params.competitionId, request.params.roundId),
  );

  for (const [path, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `${ROUND}/corrections/:correctionId/${path}`,
      {
        preValidation: allowRoles(['chiefJudge']),
        schema: { params: correctionParams, body: correctionDecisionRequest },
      },
      async (request) => {
        const { competitionId, roundId, correctionId } = request.params;
        const account = accountOf(request.principal);
        return marks.decideCorrection(competitionId, roundId, account, correctionId, decision, request.body);
      },
    );
  }

  app.get(
    `${ROUND}/review`,
    { preValidation: allowRoles(['chiefJudge']), schema: { params: roundParams } },
    async (request) => marks.review(request.params.competitionId, request.params.roundId),
  );

  app.post(
    `${ROUND}/remarks`,
    { preValidation: allowRoles(['chiefJudge']), schema: { params: roundParams, body: remarkRequest } },
    async (request, reply) => {
      const { competitionId, roundId } = request.params;
      const remark = await marks.orderRemark(
        competitionId,
        roundId,
        accountOf(request.principal),
        request.body,
      );
      reply.code(201);
      return { remark };
    },
  );

  app.post(
    `${ROUND}/missing-marks`,
    { preValidation: allowRoles(['chiefJudge']), schema: { params: roundParams, body: missingMarkRequest } },
    async (request, reply) => {
      const { competitionId, roundId } = request.params;
      const missingMark = await marks.replaceMissingMark(
        competitionId,
        roundId,
        accountOf(request.principal),
        request.body,
      );
      reply.code(201);
      return { missingMark };
    },
  );

  app.post(
    `${ROUND}/sign-off`,
    { preValidation: allowRoles(['chiefJudge']), schema: { params: roundParams, body: signOffRequest } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      return marks.signOff(competitionId, roundId, accountOf(request.principal), request.body);
    },
  );

  app.post(
    `${ROUND}/decrypt`,
    { preValidation: allowRoles(['encryptionOfficer']), schema: { params: roundParams, body: noBody } },
    async (request) =>
      marks.decrypt(request.params.competitionId, request.params.roundId, accountOf(request.principal)),
  );

  app.post(
    `${ROUND}/publish`,
    { preValidation: allowRoles(['chiefJudge', 'organizer']), schema: { params: roundParams, body: noBody } },
    async (request) =>
      marks.publish(request.params.competitionId, request.params.roundId, accountOf(request.principal)),
  );

  // Close and reopen marking: refused marks wait on the tablets (`round_closed`) until the round reopens.
  for (const [path, marking] of [
    ['close', 'closed'],
    ['open', 'open'],
  ] as const) {
    app.post(
      `${ROUND}/${path}`,
      {
        preValidation: allowRoles(['chiefJudge', 'organizer']),
        schema: { params: roundParams, body: noBody },
      },
      async (request) => {
        const { competitionId, roundId } = request.params;
        return marks.setMarking(competitionId, roundId, accountOf(request.principal), marking);
      },
    );
  }

  // Freeze and reveal for the ceremony: the public sees the frozen standings, then the places from the bottom.
  app.post(
    `${ROUND}/freeze`,
    { preValidation: allowRoles(['chiefJudge', 'organizer']), schema: { params: roundParams, body: noBody } },
    async (request) =>
      marks.freeze(request.params.competitionId, request.params.roundId, accountOf(request.principal)),
  );

  app.post(
    `${ROUND}/reveal`,
    {
      preValidation: allowRoles(['chiefJudge', 'organizer']),
      schema: { params: roundParams, body: z.strictObject({ all: z.boolean().optional() }).nullish() },
    },
    async (request) => {
      const { competitionId, roundId } = request.params;
      return marks.reveal(competitionId, roundId, accountOf(request.principal), request.body?.all ?? false);
    },
  );

  app.get(
    `${ROUND}/results`,
    { preValidation: allowRoles(['public']), schema: { params: roundParams } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      return marks.results(competitionId, roundId, grantedRoles(request));
    },
  );

  app.get(
    '/competitions/:competitionId/audit/verify',
    { preValidation: allowRoles(['chiefJudge', 'organizer']), schema: { params: competitionParams } },
    async (request): Promise<AuditVerifyResponse> => marks.verifyAudit(request.params.competitionId),
  );
};

export default marksRoutes;
