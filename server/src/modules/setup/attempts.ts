import { attemptCount, Decimal, type DeclareAttemptsRequest, type DeclaredAttempt } from '@jiangxin/shared';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { roundSignedOff } from '../../refusals';
import { schemeOf } from '../../scoring/round';
import type { Writer } from '../audit/service';
import { changeBy, type SetupDeps } from './common';
import { attemptsOf, findRoundAndCompetitor, lockOpenRound, replaceAttempts } from './repository';

/**
 * Declared attempts (a dive list): in an event whose scheme multiplies attempts by their degree of
 * difficulty, each competitor declares the attempts of a round with their difficulty. A list shorter than
 * the round's count is a competitor who performs fewer (withdrawn after two dives: the list cut to those
 * two); the engine scores what was performed and flags the rest `notPerformed`.
 */

const MAX_DIFFICULTY = Decimal.of('100');

const invalid = (field: string, zh: string, en: string, code = 'attempts_invalid') =>
  new AppError(400, code, localized(`字段 ${field}：${zh}`, `field "${field}": ${en}`), { field });

type Ids = { competitionId: string; roundId: string; competitorId: string };

export function createAttemptsService({ writer }: SetupDeps) {
  return {
    declareAttempts: (principal: Principal, ids: Ids, body: DeclareAttemptsRequest) =>
      declareAttempts(writer, principal, ids, body),
    async listAttempts(ids: Ids): Promise<DeclaredAttempt[]> {
      const { round, competitor } = await findRoundAndCompetitor(writer.db, ids);
      return attemptsOf(writer.db, round.id, competitor.id);
    },
  };
}

/** Replaces a competitor's declared attempts for a round with the whole list given. */
async function declareAttempts(
  writer: Writer,
  principal: Principal,
  ids: Ids,
  body: DeclareAttemptsRequest,
): Promise<DeclaredAttempt[]> {
  const { round, event, competitor } = await findRoundAndCompetitor(writer.db, ids);
  const scheme = schemeOf(event.id, event.scheme);
  const component = scheme.components.find((c) => c.attempts?.difficulty);
  if (!component) {
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
  const count = attemptCount(scheme, component, round.key);
  const list = body.map((a) => ({ attempt: a.attempt, difficulty: String(a.difficulty) }));
  list.forEach((a, i) => {
    if (a.attempt > count) {
      throw invalid(
        `${i}.attempt`,
        `本轮有 ${count} 次试跳，没有第 ${a.attempt} 次`,
        `the round has ${count} attempts; there is no attempt ${a.attempt}`,
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
  list.sort((a, b) => a.attempt - b.attempt);
  await changeBy(writer, principal, ids.competitionId, async (tx, record) => {
    await lockOpenRound(tx, round.id);
    await replaceAttempts(tx, round.id, competitor.id, list);
    await record({
      affects: { roundId: round.id },
      action: 'attempts.declared',
      subject: `competitor:${competitor.id}`,
      detail: { roundId: round.id, attempts: list },
    });
  });
  return list;
}
