import type { EventJson, Role, RoundResultsResponse } from '@jiangxin/shared';
import type { Database } from '../../db/client';
import { resultsNotPublished, roundFrozen } from '../../refusals';
import { computeRound } from '../../scoring/compute';
import type { RoundContext } from '../../scoring/round';
import { roundStatus } from './views';

/**
 * A round's results: public once published (by name once decrypted, by workstation code before), always
 * for the chief judge and the organizer.
 */

function relabel(json: EventJson, label: (code: string) => string): EventJson {
  return {
    ...json,
    standings: json.standings.map((s) => ({ ...s, competitor: label(s.competitor) })),
    rounds: json.rounds.map((r) => ({
      ...r,
      advancement: r.advancement && {
        ...r.advancement,
        advancing: r.advancement.advancing.map(label),
        tiedAtCut: r.advancement.tiedAtCut.map(label),
      },
      standings: r.standings.map((s) => ({ ...s, competitor: label(s.competitor) })),
    })),
  };
}

/** GET …/results: public once published, always for the chief judge and the organizer. */
export async function results(
  db: Database,
  ctx: RoundContext,
  held: ReadonlySet<Role>,
): Promise<RoundResultsResponse> {
  const privileged = held.has('chiefJudge') || held.has('organizer');
  if (!ctx.round.publishedAt && !privileged) throw resultsNotPublished();
  if (ctx.round.frozenAt && !privileged) throw roundFrozen();
  const comp = await computeRound(db, ctx);
  const decrypted = ctx.round.decryptedAt !== null;
  const byCode = comp.view.byCode;
  const label = (code: string) => (decrypted ? (byCode.get(code)?.name ?? code) : code);
  return {
    round: roundStatus(ctx),
    labels: decrypted ? 'name' : 'workstation',
    event: relabel(comp.event, label),
    competitors: comp.view.competitors.map((c) => ({
      label: label(c.code),
      workstation: c.code,
      ...(decrypted ? { name: c.name, unit: c.unit } : {}),
    })),
  };
}
