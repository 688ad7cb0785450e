import type {
  CorrectionDecisionRequest,
  MissingMarkRequest,
  PaperMarkRequest,
  RemarkRequest,
  Role,
  SignOffRequest,
  SubmitMarkRequest,
} from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loadRound, type RoundContext, type RoundRow } from '../../scoring/round';
import { createRoundCache } from '../../scoring/round-cache';
import { roundView } from '../../scoring/round-view';
import { verifyAuditChain, type Writer } from '../audit/service';
import { freeze, reveal } from './ceremony';
import { type CorrectionAsked, decideCorrection, listCorrections, requestCorrection } from './corrections';
import { createGroupCommit } from './group-commit';
import { decrypt, publish, setMarking, signOff } from './lifecycle';
import { replaceMissingMark } from './missing-marks';
import { orderRemark } from './remarks';
import { results } from './results';
import { review } from './review';
import { confirmPaperMark, myMarks, pendingPaperMarks, submitPaperMark, submitTabletMark } from './service';
import { roundStatus } from './views';

declare module 'fastify' {
  interface FastifyInstance {
    /** A judge's mark and what the chief judge does with it; see routes.ts for who may call what. */
    marks: MarksService;
  }
}

type Judge = Parameters<typeof submitTabletMark>[3];

const statusOf = (ctx: RoundContext, round: RoundRow) => roundStatus({ ...ctx, round });
const ceremonyOf = (ctx: RoundContext, round: RoundRow) => ({
  round: statusOf(ctx, round),
  frozen: round.frozenAt !== null,
  revealed: round.revealed,
});

/** Created once with what it needs; every function finds the round inside the competition first (else 404). */
export function createMarksService(writer: Writer) {
  const { db } = writer;
  const at = (competitionId: string, roundId: string) => loadRound(db, competitionId, roundId);
  const rounds = createRoundCache(db);
  const marking = { writer, rounds, commits: createGroupCommit(writer, rounds) };
  return {
    submitTablet(competitionId: string, roundId: string, judge: Judge, body: SubmitMarkRequest) {
      return submitTabletMark(marking, competitionId, roundId, judge, body);
    },
    async myMarks(competitionId: string, roundId: string, judgeId: string) {
      const ctx = await at(competitionId, roundId);
      return { round: roundStatus(ctx), ...(await myMarks(db, ctx, judgeId)) };
    },
    submitPaper(competitionId: string, roundId: string, accountId: string, body: PaperMarkRequest) {
      return submitPaperMark(marking, competitionId, roundId, accountId, body);
    },
    async pendingPaper(competitionId: string, roundId: string) {
      const ctx = await at(competitionId, roundId);
      return { pending: await pendingPaperMarks(db, await roundView(db, ctx)) };
    },
    async confirmPaper(
      competitionId: string,
      roundId: string,
      accountId: string,
      markId: string,
      value: string | undefined,
    ) {
      return confirmPaperMark(writer, await at(competitionId, roundId), accountId, markId, value);
    },
    async requestCorrection(competitionId: string, roundId: string, asker: CorrectionAsked) {
      return requestCorrection(writer, await at(competitionId, roundId), asker);
    },
    async listCorrections(competitionId: string, roundId: string) {
      const ctx = await at(competitionId, roundId);
      return { corrections: await listCorrections(db, await roundView(db, ctx)) };
    },
    async decideCorrection(
      competitionId: string,
      roundId: string,
      accountId: string,
      correctionId: string,
      decision: 'approved' | 'rejected',
      body: CorrectionDecisionRequest,
    ) {
      const ctx = await at(competitionId, roundId);
      return decideCorrection(writer, ctx, accountId, correctionId, decision, body.reason);
    },
    async review(competitionId: string, roundId: string) {
      return review(db, await at(competitionId, roundId));
    },
    async orderRemark(competitionId: string, roundId: string, accountId: string, body: RemarkRequest) {
      return orderRemark(writer, await at(competitionId, roundId), accountId, body);
    },
    async replaceMissingMark(
      competitionId: string,
      roundId: string,
      accountId: string,
      body: MissingMarkRequest,
    ) {
      return replaceMissingMark(writer, await at(competitionId, roundId), accountId, body);
    },
    async signOff(competitionId: string, roundId: string, accountId: string, body: SignOffRequest) {
      const ctx = await at(competitionId, roundId);
      const { round, forced } = await signOff(writer, ctx, accountId, body);
      return { round: statusOf(ctx, round), forced };
    },
    async decrypt(competitionId: string, roundId: string, accountId: string) {
      const ctx = await at(competitionId, roundId);
      return { round: statusOf(ctx, await decrypt(writer, ctx, accountId)) };
    },
    async publish(competitionId: string, roundId: string, accountId: string) {
      const ctx = await at(competitionId, roundId);
      return { round: statusOf(ctx, await publish(writer, ctx, accountId)) };
    },
    async setMarking(competitionId: string, roundId: string, accountId: string, marking: 'open' | 'closed') {
      const ctx = await at(competitionId, roundId);
      return { round: statusOf(ctx, await setMarking(writer, ctx, accountId, marking)) };
    },
    async freeze(competitionId: string, roundId: string, accountId: string) {
      const ctx = await at(competitionId, roundId);
      return ceremonyOf(ctx, await freeze(writer, ctx, accountId));
    },
    async reveal(competitionId: string, roundId: string, accountId: string, all: boolean) {
      const ctx = await at(competitionId, roundId);
      return ceremonyOf(ctx, await reveal(writer, ctx, accountId, { all }));
    },
    async results(competitionId: string, roundId: string, roles: ReadonlySet<Role>) {
      return results(db, await at(competitionId, roundId), roles);
    },
    verifyAudit(competitionId: string) {
      return verifyAuditChain(db, competitionId);
    },
  };
}

export type MarksService = ReturnType<typeof createMarksService>;

export default fp(
  async (app: FastifyInstance) => {
    app.decorate('marks', createMarksService({ db: app.db, changes: app.changes }));
  },
  { name: 'marks-service', dependencies: ['database', 'changes'] },
);
