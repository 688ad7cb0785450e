import { Decimal, type DeclareAttemptsRequest, type DeclaredAttempt } from '@jiangxin/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { declaredAttempts, rounds } from '../../db/schema';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { roundSignedOff } from '../../refusals';
import { audited } from '../audit/service';
import { actorOf, findCompetitor, findRound, schemeOf } from './common';

/**
 * Declared attempts (a dive list): in an event whose scheme multiplies attempts by their degree of
 * difficulty, each competitor declares every attempt of a round with its difficulty before the round.
 */

const MAX_DIFFICULTY = Decimal.of('100');

const invalid = (field: string, zh: string, en: string, code = 'attempts_invalid') =>
  new AppError(400, code, localized(`字段 ${field}：${zh}`, `field "${field}": ${en}`), { field });

async function roundAndCompetitor(
  app: FastifyInstance,
  competitionId: string,
  roundId: string,
  competitorId: string,
) {
  const { round, event } = await findRound(app.db, competitionId, roundId);
  const competitor = await findCompetitor(app.db, competitionId, competitorId);
  if (competitor.eventId !== event.id) {
    throw new AppError(
      404,
      'competitor_not_in_event',
      localized('该选手不属于此场次所在的赛项', 'the competitor is not in the event of this round'),
    );
  }
  return { round, event, competitor };
}

/** Replaces a competitor's declared attempts for a round with the whole list given. */
export async function declareAttempts(
  app: FastifyInstance,
  principal: Principal,
  competitionId: string,
  roundId: string,
  competitorId: string,
  body: DeclareAttemptsRequest,
): Promise<DeclaredAttempt[]> {
  const { round, event, competitor } = await roundAndCompetitor(app, competitionId, roundId, competitorId);
  const scheme = schemeOf(event);
  const attempts = scheme.components.find((c) => c.attempts?.difficulty)?.attempts;
  if (!attempts) {
    throw new AppError(
      400,
      'attempts_not_applicable',
      localized(
        '本赛项的评分标准没有按难度系数计分的试跳（试次），无需申报动作',
        "this event's scheme has no attempts scored by a degree of difficulty: there is nothing to declare",
      ),
    );
  }
  if (round.signedOffAt) throw roundSignedOff();
  const list = body.map((a) => ({ attempt: a.attempt, difficulty: String(a.difficulty) }));
  list.forEach((a, i) => {
    if (a.attempt > attempts.count) {
      throw invalid(
        `${i}.attempt`,
        `本赛项每轮有 ${attempts.count} 次试跳，没有第 ${a.attempt} 次`,
        `the scheme has ${attempts.count} attempts a round; there is no attempt ${a.attempt}`,
      );
    }
    if (list.findIndex((b) => b.attempt === a.attempt) !== i) {
      throw invalid(`${i}.attempt`, `第 ${a.attempt} 次重复申报`, `attempt ${a.attempt} is declared twice`);
    }
    const difficulty = Decimal.of(a.difficulty);
    if (!difficulty.gt(Decimal.ZERO) || difficulty.gt(MAX_DIFFICULTY)) {
      throw invalid(
        `${i}.difficulty`,
        `难度系数应大于 0 且不超过 100，而不是 ${a.difficulty}`,
        `the degree of difficulty must be above 0 and at most 100, not ${a.difficulty}`,
      );
    }
  });
  const missing = Array.from({ length: attempts.count }, (_, i) => i + 1).filter(
    (n) => !list.some((a) => a.attempt === n),
  );
  if (missing.length > 0) {
    throw invalid(
      'body',
      `应申报全部 ${attempts.count} 次试跳，缺少第 ${missing.join('、')} 次`,
      `all ${attempts.count} attempts must be declared; attempt${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
    );
  }
  list.sort((a, b) => a.attempt - b.attempt);
  await audited(app, async (tx, audit) => {
    // Sign-off locks the round row too: a list is never changed under a sign-off.
    const [locked] = await tx
      .select({ signedOffAt: rounds.signedOffAt })
      .from(rounds)
      .where(eq(rounds.id, round.id))
      .for('update');
    if (locked?.signedOffAt) throw roundSignedOff();
    await tx
      .delete(declaredAttempts)
      .where(and(eq(declaredAttempts.roundId, round.id), eq(declaredAttempts.competitorId, competitor.id)));
    await tx
      .insert(declaredAttempts)
      .values(list.map((a) => ({ roundId: round.id, competitorId: competitor.id, ...a })));
    await audit(competitionId, {
      affects: { roundId: round.id },
      actor: actorOf(principal),
      action: 'attempts.declared',
      subject: `competitor:${competitor.id}`,
      detail: { roundId: round.id, attempts: list },
    });
  });
  return list;
}

export async function listAttempts(
  app: FastifyInstance,
  competitionId: string,
  roundId: string,
  competitorId: string,
): Promise<DeclaredAttempt[]> {
  const { round, competitor } = await roundAndCompetitor(app, competitionId, roundId, competitorId);
  const rows = await app.db
    .select({ attempt: declaredAttempts.attempt, difficulty: declaredAttempts.difficulty })
    .from(declaredAttempts)
    .where(and(eq(declaredAttempts.roundId, round.id), eq(declaredAttempts.competitorId, competitor.id)))
    .orderBy(asc(declaredAttempts.attempt));
  return rows;
}
