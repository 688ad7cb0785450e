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
  paperMarkParams,
  paperMarkRequest,
  remarkRequest,
  roundParams,
  signOffRequest,
  submitMarkRequest,
} from '@jiangxin/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { allowRoles, grantedRoles } from '../../plugins/auth';
import { noBody, type RoutePlugin, validated } from '../../plugins/validation';
import { verifyAuditChain } from '../audit/service';
import { freeze, reveal } from './ceremony';
import { decideCorrection, listCorrections, requestCorrection } from './corrections';
import { loadRound } from './repository';
import { decrypt, orderRemark, publish, results, review, signOff } from './review';
import {
  confirmPaperMark,
  myMarks,
  pendingPaperMarks,
  roundView,
  submitPaperMark,
  submitTabletMark,
} from './service';
import { accountOf, roundStatus } from './views';

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
  const db = app.db;

  app.post(
    `${ROUND}/marks`,
    { preValidation: allowRoles(['judge']), schema: { params: roundParams, body: submitMarkRequest } },
    async (request, reply): Promise<MarkResponse> => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const stored = await submitTabletMark(db, ctx, judgeOf(request), request.body);
      reply.code(stored.created ? 201 : 200);
      return { mark: stored.value };
    },
  );

  app.get(
    `${ROUND}/my-marks`,
    { preValidation: allowRoles(['judge']), schema: { params: roundParams } },
    async (request): Promise<MyMarksResponse> => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      return { round: roundStatus(ctx), ...(await myMarks(db, ctx, judgeOf(request).judgeId)) };
    },
  );

  app.post(
    `${ROUND}/paper-marks`,
    { preValidation: allowRoles(['scorekeeper']), schema: { params: roundParams, body: paperMarkRequest } },
    async (request, reply): Promise<MarkResponse> => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const stored = await submitPaperMark(db, ctx, accountOf(request.principal), request.body);
      reply.code(stored.created ? 201 : 200);
      return { mark: stored.value };
    },
  );

  app.get(
    `${ROUND}/paper-marks`,
    { preValidation: allowRoles(['scorekeeper', 'chiefJudge']), schema: { params: roundParams } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      return { pending: await pendingPaperMarks(db, await roundView(db, ctx)) };
    },
  );

  app.post(
    `${ROUND}/paper-marks/:markId/confirm`,
    {
      preValidation: allowRoles(['scorekeeper', 'chiefJudge']),
      schema: { params: paperMarkParams, body: confirmPaperMarkRequest },
    },
    async (request): Promise<MarkResponse> => {
      const { competitionId, roundId, markId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const stored = await confirmPaperMark(
        db,
        ctx,
        accountOf(request.principal),
        markId,
        request.body?.value,
      );
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
      const ctx = await loadRound(db, competitionId, roundId);
      // A judge asks for their own seat; an account names the seat.
      const correction = await requestCorrection(
        db,
        ctx,
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
    async (request) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      return { corrections: await listCorrections(db, await roundView(db, ctx)) };
    },
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
        const ctx = await loadRound(db, competitionId, roundId);
        return decideCorrection(
          db,
          ctx,
          accountOf(request.principal),
          correctionId,
          decision,
          request.body.reason,
        );
      },
    );
  }

  app.get(
    `${ROUND}/review`,
    { preValidation: allowRoles(['chiefJudge']), schema: { params: roundParams } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      return review(db, await loadRound(db, competitionId, roundId));
    },
  );

  app.post(
    `${ROUND}/remarks`,
    { preValidation: allowRoles(['chiefJudge']), schema: { params: roundParams, body: remarkRequest } },
    async (request, reply) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const remark = await orderRemark(db, ctx, accountOf(request.principal), request.body);
      reply.code(201);
      return { remark };
    },
  );

  app.post(
    `${ROUND}/sign-off`,
    { preValidation: allowRoles(['chiefJudge']), schema: { params: roundParams, body: signOffRequest } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const { round, forced } = await signOff(db, ctx, accountOf(request.principal), request.body);
      return { round: roundStatus({ ...ctx, round }), forced };
    },
  );

  app.post(
    `${ROUND}/decrypt`,
    { preValidation: allowRoles(['encryptionOfficer']), schema: { params: roundParams } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const round = await decrypt(db, ctx, accountOf(request.principal));
      return { round: roundStatus({ ...ctx, round }) };
    },
  );

  app.post(
    `${ROUND}/publish`,
    { preValidation: allowRoles(['chiefJudge', 'organizer']), schema: { params: roundParams } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const round = await publish(db, ctx, accountOf(request.principal));
      return { round: roundStatus({ ...ctx, round }) };
    },
  );

  // Freeze and reveal for the ceremony: the public sees the frozen standings, then the places from the bottom.
  app.post(
    `${ROUND}/freeze`,
    { preValidation: allowRoles(['chiefJudge', 'organizer']), schema: { params: roundParams, body: noBody } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const round = await freeze(db, ctx, accountOf(request.principal));
      return {
        round: roundStatus({ ...ctx, round }),
        frozen: round.frozenAt !== null,
        revealed: round.revealed,
      };
    },
  );

  app.post(
    `${ROUND}/reveal`,
    {
      preValidation: allowRoles(['chiefJudge', 'organizer']),
      schema: { params: roundParams, body: z.strictObject({ all: z.boolean().optional() }).nullish() },
    },
    async (request) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      const round = await reveal(db, ctx, accountOf(request.principal), { all: request.body?.all ?? false });
      return {
        round: roundStatus({ ...ctx, round }),
        frozen: round.frozenAt !== null,
        revealed: round.revealed,
      };
    },
  );

  app.get(
    `${ROUND}/results`,
    { preValidation: allowRoles(['public']), schema: { params: roundParams } },
    async (request) => {
      const { competitionId, roundId } = request.params;
      const ctx = await loadRound(db, competitionId, roundId);
      return results(db, ctx, await grantedRoles(request, competitionId, ['public']));
    },
  );

  app.get(
    '/competitions/:competitionId/audit/verify',
    { preValidation: allowRoles(['chiefJudge', 'organizer']), schema: { params: competitionParams } },
    async (request): Promise<AuditVerifyResponse> => verifyAuditChain(db, request.params.competitionId),
  );
};

export default marksRoutes;
