import type { RecusalConflict, RecusalReason, Routing } from '@jiangxin/shared';
import type { Locale } from '../../plugins/errors';
import { compareSeats, covers, type Field, parseSeat } from '../../scoring/seating';
import type { Recorder } from './common';

/**
 * Recusal (回避): a judge never marks a competitor of their own unit (employer) and, where the competition
 * says so, their own region. A marking judge (seat J1…Jn) with such a competitor is replaced, for that
 * competitor only, by a reserve of the same panel (seat R1, R2 …) who has no conflict with them; each
 * competitor's replacements are distinct reserves. If no reserve is free the change is refused.
 *
 * The plan is a pure function of the seats, the competitors and the routings already made (kept when still
 * valid, so a change elsewhere never moves a competitor to another reserve without need); repository.ts reads
 * and writes the recusal rows.
 */

export interface Person {
  id: string;
  unit: string;
  region: string;
}

export interface CompetitorRef extends Person {
  entryNumber: number | null;
  /** A team's members: the judge recuses when any of them shares the judge's unit (or region). */
  members?: readonly Omit<Person, 'id'>[];
}

export interface SeatedJudge {
  seat: string;
  judge: Person;
}

export interface ExistingRecusal {
  panelId: string;
  judgeId: string;
  competitorId: string;
  reason: string;
  substituteJudgeId: string | null;
}

/** Units and regions compare without regard to spacing, full-width forms or letter case. */
const comparable = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

export function conflictOf(
  judge: Omit<Person, 'id'>,
  competitor: Omit<Person, 'id'>,
  byRegion: boolean,
): RecusalReason | null {
  const unit = comparable(judge.unit);
  if (unit !== '' && unit === comparable(competitor.unit)) return 'sameUnit';
  const region = comparable(judge.region);
  if (byRegion && region !== '' && region === comparable(competitor.region)) return 'sameRegion';
  return null;
}

/** A competitor's conflict with a judge, or for a team the first of its members' conflicts. */
export function entrantConflict(
  judge: Person,
  entrant: CompetitorRef,
  byRegion: boolean,
): RecusalReason | null {
  for (const person of [entrant, ...(entrant.members ?? [])]) {
    const reason = conflictOf(judge, person, byRegion);
    if (reason) return reason;
  }
  return null;
}

export interface Plan {
  routings: Routing[];
  unroutable: RecusalConflict[];
}

/** The recusals one panel needs for some competitors. */
export function planPanel(
  panelId: string,
  seats: readonly SeatedJudge[],
  competitors: readonly CompetitorRef[],
  byRegion: boolean,
  existing: readonly ExistingRecusal[],
): Plan {
  const sorted = [...seats].sort((a, b) => compareSeats(a.seat, b.seat));
  const markers = sorted.filter((s) => parseSeat(s.seat)?.kind === 'J');
  const reserves = sorted.filter((s) => parseSeat(s.seat)?.kind === 'R');
  const plan: Plan = { routings: [], unroutable: [] };
  for (const competitor of competitors) {
    const conflicts = markers.flatMap((m) => {
      const reason = entrantConflict(m.judge, competitor, byRegion);
      return reason ? [{ marker: m, reason }] : [];
    });
    if (conflicts.length === 0) continue;
    const free = reserves.filter((r) => entrantConflict(r.judge, competitor, byRegion) === null);
    const used = new Set<string>();
    const chosen = new Map<string, SeatedJudge>();
    // Keep the reserve already routed to, when it is still seated, free of conflict and not taken.
    for (const { marker } of conflicts) {
      const before = existing.find(
        (e) => e.panelId === panelId && e.judgeId === marker.judge.id && e.competitorId === competitor.id,
      );
      const reserve = free.find((r) => r.judge.id === before?.substituteJudgeId);
      if (reserve && !used.has(reserve.judge.id)) {
        used.add(reserve.judge.id);
        chosen.set(marker.judge.id, reserve);
      }
    }
    for (const { marker, reason } of conflicts) {
      let reserve = chosen.get(marker.judge.id);
      if (!reserve) {
        reserve = free.find((r) => !used.has(r.judge.id));
        if (reserve) used.add(reserve.judge.id);
      }
      const base = {
        panelId,
        judgeId: marker.judge.id,
        seat: marker.seat,
        competitorId: competitor.id,
        entryNumber: competitor.entryNumber,
        reason,
      };
      if (reserve)
        plan.routings.push({ ...base, substituteJudgeId: reserve.judge.id, substituteSeat: reserve.seat });
      else plan.unroutable.push(base);
    }
  }
  return plan;
}

export interface PanelSeating {
  id: string;
  name: string;
  /** The round it marks; null: every round. */
  roundId: string | null;
  aspects: string[];
  /** The attempts it marks; empty: every attempt. */
  attempts: number[];
  field: Field;
  seats: SeatedJudge[];
}

/** The recusals of every panel of an event for some competitors (e.g. being added or changed). */
export function planCompetitors(
  panelSeatings: readonly PanelSeating[],
  competitors: readonly CompetitorRef[],
  byRegion: boolean,
  existing: readonly ExistingRecusal[],
): Plan {
  const plan: Plan = { routings: [], unroutable: [] };
  for (const p of panelSeatings) {
    const covered = competitors.filter((c) => covers(p, c.id));
    const part = planPanel(p.id, p.seats, covered, byRegion, existing);
    plan.routings.push(...part.routings);
    plan.unroutable.push(...part.unroutable);
  }
  return plan;
}

/** For the audit log: what a routing or refusal says, without names. */
export const auditRouting = (r: Routing) => ({
  panelId: r.panelId,
  seat: r.seat,
  judgeId: r.judgeId,
  competitorId: r.competitorId,
  entryNumber: r.entryNumber,
  reason: r.reason,
  substituteSeat: r.substituteSeat,
  substituteJudgeId: r.substituteJudgeId,
});

export const auditConflict = (c: RecusalConflict) => ({
  panelId: c.panelId,
  seat: c.seat,
  judgeId: c.judgeId,
  competitorId: c.competitorId,
  entryNumber: c.entryNumber,
  reason: c.reason,
});

/** Records a change refused because a judge must recuse and no reserve is free to take over. */
export function recordRefusal(
  record: Recorder,
  action: string,
  subject: string,
  conflicts: readonly RecusalConflict[],
  detail: Record<string, unknown>,
) {
  return record({
    affects: 'noStandings',
    action,
    subject,
    detail: {
      ...detail,
      reason: 'recusal: no reserve judge free of conflict',
      conflicts: conflicts.map(auditConflict),
    },
  });
}

const REASONS: Record<RecusalReason, Record<Locale, string>> = {
  sameUnit: { 'zh-CN': '同单位', en: 'same unit' },
  sameRegion: { 'zh-CN': '同地区', en: 'same region' },
};

export const reasonText = (reason: RecusalReason, locale: Locale) => REASONS[reason][locale];

/** "参赛号 3（同单位）、未抽签选手 1 名（同地区）": conflicting competitors by entry number, never by name. */
export function describeConflicts(conflicts: readonly RecusalConflict[], locale: Locale): string {
  const zh = locale === 'zh-CN';
  const numbered = new Map<number, Set<RecusalReason>>();
  const undrawn = new Map<string, Set<RecusalReason>>();
  for (const c of conflicts) {
    if (c.entryNumber !== null) {
      numbered.set(c.entryNumber, (numbered.get(c.entryNumber) ?? new Set()).add(c.reason));
    } else {
      const id = c.competitorId ?? '(new)';
      undrawn.set(id, (undrawn.get(id) ?? new Set()).add(c.reason));
    }
  }
  const why = (reasons: Set<RecusalReason>) =>
    [...reasons].map((r) => reasonText(r, locale)).join(zh ? '、' : ', ');
  const parts = [...numbered.entries()]
    .sort(([a], [b]) => a - b)
    .map(([n, reasons]) => (zh ? `参赛号 ${n}（${why(reasons)}）` : `entry number ${n} (${why(reasons)})`));
  if (undrawn.size > 0) {
    const reasons = new Set([...undrawn.values()].flatMap((s) => [...s]));
    parts.push(
      zh
        ? `尚未抽签的选手 ${undrawn.size} 名（${why(reasons)}）`
        : `${undrawn.size} competitor${undrawn.size > 1 ? 's' : ''} without an entry number yet (${why(reasons)})`,
    );
  }
  return parts.join(zh ? '、' : ', ');
}
