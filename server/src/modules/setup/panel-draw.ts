import type { PanelDrawRequest, PanelDrawResult, Routing } from '@jiangxin/shared';
import type { Principal } from '../../plugins/auth';
import { AppError, localized } from '../../plugins/errors';
import { schemeOf } from '../../scoring/round';
import { covers } from '../../scoring/seating';
import { changeBy, type SetupDeps, settled } from './common';
import { freshSeed, seededOrder, seedHashOf } from './draw';
import { assertNotMarked, panelSize, panelView, refusal } from './panels';
import {
  type CompetitorRef,
  conflictOf,
  type Person,
  planPanel,
  recordRefusal,
  type SeatedJudge,
} from './recusal';
import {
  applyPlan,
  competitorRefs,
  emptyPanels,
  findCompetition,
  findRound,
  judgesOf,
  lockEvent,
  panelsOf,
  panelsOfEvent,
  seatJudge,
} from './repository';

/**
 * The draw of judges to panels (裁判抽签): the pool in the order of HMAC-SHA256(seed, judgeId) (the entry
 * number draw's way, draw.ts) fills each panel of the round in turn, its marking seats numbered on through
 * the panels (J1…J7, then J8…J14) and then its reserve seats (R1 …). A judge who must be recused for every
 * competitor a panel covers is passed over for that panel; other conflicts become recusals (recusal.ts).
 */

export interface DrawPanel {
  id: string;
  /** How many marking seats it needs. */
  size: number;
  /** The competitors it marks. */
  competitors: readonly CompetitorRef[];
}

export type DrawPlan =
  | { ok: true; seats: Map<string, SeatedJudge[]> }
  | { ok: false; panelId: string; needed: number; found: number };

/** Seats judges of the pool (in drawn order) on the panels; pure, so a seed always gives the same seats. */
export function planDraw(
  order: readonly Person[],
  panels: readonly DrawPanel[],
  reserves: number,
  byRegion: boolean,
): DrawPlan {
  const left = [...order];
  const seats = new Map<string, SeatedJudge[]>();
  let numbered = 0;
  for (const panel of panels) {
    const eligible = (judge: Person) =>
      panel.competitors.length === 0 ||
      panel.competitors.some((c) => conflictOf(judge, c, byRegion) === null);
    const take = (n: number) => {
      const picked: Person[] = [];
      for (let i = 0; i < left.length && picked.length < n; ) {
        const judge = left[i] as Person;
        if (eligible(judge)) picked.push(...left.splice(i, 1));
        else i++;
      }
      return picked;
    };
    const markers = take(panel.size);
    const spare = take(reserves);
    const found = markers.length + spare.length;
    if (found < panel.size + reserves)
      return { ok: false, panelId: panel.id, needed: panel.size + reserves, found };
    seats.set(panel.id, [
      ...markers.map((judge, i) => ({ seat: `J${numbered + i + 1}`, judge })),
      ...spare.map((judge, i) => ({ seat: `R${i + 1}`, judge })),
    ]);
    numbered += panel.size;
  }
  return { ok: true, seats };
}

function drawPanelJudges(
  { writer }: SetupDeps,
  principal: Principal,
  ids: { competitionId: string; roundId: string },
  body: PanelDrawRequest,
): Promise<PanelDrawResult> {
  return settled(
    changeBy(writer, principal, ids.competitionId, async (tx, record) => {
      const { round, event } = await findRound(tx, ids.competitionId, ids.roundId);
      await lockEvent(tx, event.id);
      const ofRound = (await panelsOfEvent(tx, event.id)).filter((p) => p.roundId === round.id);
      const panels = body.panelIds
        ? body.panelIds.map((id, index) => {
            const panel = ofRound.find((p) => p.id === id);
            if (!panel || body.panelIds?.indexOf(id) !== index) {
              throw new AppError(
                400,
                'panel_not_in_round',
                localized(
                  `字段 panelIds.${index}：不是本场次的裁判组，或重复`,
                  `field "panelIds.${index}": not a panel of this round, or repeated`,
                ),
                { field: `panelIds.${index}` },
              );
            }
            return panel;
          })
        : ofRound;
      if (panels.length === 0) {
        throw new AppError(
          409,
          'round_without_panels',
          localized(
            '本场次还没有自己的裁判组：请先为本场次创建裁判组（roundId）再抽签',
            'the round has no panels of its own yet: create panels for the round (roundId) before the draw',
          ),
        );
      }
      await assertNotMarked(tx, [round.id], localized('重新抽签', 'the draw of judges'));
      const judges = await judgesOf(tx, ids.competitionId);
      const pool = body.judgeIds
        ? body.judgeIds.map((id, index) => {
            const judge = judges.find((j) => j.id === id);
            if (!judge || body.judgeIds?.indexOf(id) !== index) {
              throw new AppError(
                400,
                'judge_unknown',
                localized(
                  `字段 judgeIds.${index}：本竞赛没有该裁判，或重复`,
                  `field "judgeIds.${index}": no such judge in the competition, or repeated`,
                ),
                { field: `judgeIds.${index}` },
              );
            }
            return judge;
          })
        : judges;
      const competition = await findCompetition(tx, ids.competitionId);
      const everyone = await competitorRefs(tx, event.id);
      const scheme = schemeOf(event.id, event.scheme);
      const drawn = panels.map((p) => ({
        ...p,
        size: panelSize(scheme, p.aspects),
        competitors: everyone.filter((c) => covers(p, c.id)),
      }));
      const seed = body.seed ?? freshSeed();
      const seedHash = seedHashOf(seed);
      const byId = new Map(pool.map((j) => [j.id, j]));
      const order = seededOrder(
        seed,
        pool.map((j) => j.id),
      ).map((id) => {
        const { unit, region } = byId.get(id) as Person;
        return { id, unit, region };
      });
      const plan = planDraw(order, drawn, body.reserves ?? 0, competition.recusalByRegion);
      if (!plan.ok) {
        const short = drawn.find((p) => p.id === plan.panelId);
        throw new AppError(
          409,
          'pool_too_small',
          localized(
            `裁判库不够：裁判组“${short?.name}”需要 ${plan.needed} 名无需全部回避的裁判，只剩 ${plan.found} 名`,
            `the pool is too small: panel "${short?.name}" needs ${plan.needed} judges who need not recuse from its whole field, and only ${plan.found} are left`,
          ),
          { field: 'judgeIds', panelId: plan.panelId, needed: plan.needed, found: plan.found },
        );
      }
      const routings: Routing[] = [];
      for (const p of drawn) {
        const part = planPanel(
          p.id,
          plan.seats.get(p.id) ?? [],
          p.competitors,
          competition.recusalByRegion,
          [],
        );
        if (part.unroutable.length > 0) {
          await recordRefusal(record, 'panel.drawRefused', `round:${round.id}`, part.unroutable, {
            seedHash,
          });
          return { ok: false, error: refusal(part.unroutable, null, '') };
        }
        routings.push(...part.routings);
      }
      await emptyPanels(
        tx,
        drawn.map((p) => p.id),
      );
      const seats = drawn.flatMap((p) =>
        (plan.seats.get(p.id) ?? []).map((s) => ({ panelId: p.id, seat: s.seat, judgeId: s.judge.id })),
      );
      for (const s of seats) await seatJudge(tx, s.panelId, s.seat, s.judgeId);
      await applyPlan(tx, [], routings);
      await record({
        affects: { eventId: event.id },
        action: 'panel.drawn',
        subject: `round:${round.id}`,
        detail: {
          seedHash,
          seedSupplied: body.seed !== undefined,
          method:
            'judges of the pool sorted by HMAC-SHA256(seed, judgeId), seated panel by panel, passing over a judge who must recuse from the whole field of a panel',
          pool: pool.map((j) => j.id),
          reserves: body.reserves ?? 0,
          seats,
          routings: routings.map((r) => ({
            panelId: r.panelId,
            judgeId: r.judgeId,
            competitorId: r.competitorId,
          })),
        },
      });
      const rows = await panelsOf(tx, event.id);
      const views = await Promise.all(
        drawn.flatMap((p) => rows.filter((r) => r.id === p.id)).map((row) => panelView(tx, row, event)),
      );
      return { ok: true, value: { seed, seedHash, panels: views, routings } };
    }),
  );
}

export function createPanelDrawService(deps: SetupDeps) {
  return {
    drawPanelJudges: (
      principal: Principal,
      ids: { competitionId: string; roundId: string },
      body: PanelDrawRequest,
    ) => drawPanelJudges(deps, principal, ids, body),
  };
}
