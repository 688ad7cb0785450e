import { z } from 'zod';
import { Decimal } from '../decimal';
import { joinLocalized, type Localized, localized } from '../i18n';
import {
  type CompetitionClass,
  conditionId,
  type Honour,
  type HonourCondition,
  type HonourRuleSet,
  type ListRule,
  type SkillLevel,
  skillLevelNames,
} from './schema';

/**
 * Honour eligibility from published results and the competitors' records: every candidate with every
 * condition passed or failed and the figure behind it, ties that need the organizer, and list-wide share
 * rules. Pure: the same function runs offline (`pnpm honours`), on the server and in the browser.
 */

/** What honours need of the results JSON (`pnpm results --format json`, `eventJson`): other fields are ignored. */
export const honourResults = z.object({
  events: z.array(
    z.object({
      event: z.string().min(1),
      standings: z.array(
        z.object({
          rank: z.number().int().positive().nullable(),
          competitor: z.string().min(1),
          total: z.string(),
          disqualifiedBy: z.string().nullable(),
          components: z.array(
            z.object({ component: z.string(), score: z.string(), zeroedBy: z.string().nullable() }),
          ),
        }),
      ),
    }),
  ),
});
export type HonourResults = z.output<typeof honourResults>;
type Standing = HonourResults['events'][number]['standings'][number];

/** What the rules need to know about a competitor that the results do not. */
export interface CompetitorRecord {
  /** The competitor as the results name them. */
  competitor: string;
  unit: string;
  frontline: boolean;
  unionMember: boolean;
  skillLevel: SkillLevel;
  /** Heads their unit (单位负责人). */
  unitHead: boolean;
  /** A team member: the team as the results name it (the team is ranked, its members share its place). */
  team?: string | null;
}

export interface ConditionResult {
  id: string;
  passed: boolean;
  figure: Localized;
}

export interface HonourCandidate {
  honour: string;
  recipient: 'individual' | 'unit' | 'team';
  event: string;
  /** The competitor (a team's member); for a unit honour, the unit; for a team honour, the team. */
  competitor: string;
  /** A team event: the member's team (the team itself for a team honour). */
  team?: string;
  unit: string | null;
  place: number | null;
  total: string | null;
  recommended: boolean;
  /** A promotion's level awarded, when the level held allows one. */
  awarded: SkillLevel | null;
  conditions: ConditionResult[];
  /**
   * The organizer's decision, with its reason; `recommended` above stays the rules' verdict, and the list
   * as sent is `finalRecommendation` (the decision where there is one).
   */
  override?: AppliedOverride;
}

/** The organizer's decision on one candidate (an honour and a competitor, or a unit), always with a reason. */
export interface HonourOverride {
  honour: string;
  /** The competitor as the results name them; for a unit honour, the unit. */
  competitor: string;
  recommended: boolean;
  reason: string;
  /** Who decided and when, as the caller records them (the server: `account:<id>`, ISO time). */
  by?: string;
  at?: string;
}

export interface AppliedOverride {
  recommended: boolean;
  reason: string;
  by?: string;
  at?: string;
}

/** Whether the candidate is on the list as sent: the organizer's decision where one was made, else the rules'. */
export const finalRecommendation = (c: Pick<HonourCandidate, 'recommended' | 'override'>): boolean =>
  c.override?.recommended ?? c.recommended;

export interface HonourTie {
  honour: string;
  /** Sharing a place the honour covers, or sharing the place where its quota runs out. */
  kind: 'sharedPlace' | 'quotaBoundary';
  event: string | null;
  place: number;
  competitors: string[];
  resolution: 'shared' | 'organizerDecides';
  figure: Localized;
}

export interface ListRuleReport {
  id: string;
  of: ListRule['of'];
  passed: boolean;
  counted: number;
  nominees: number;
  figure: Localized;
}

export interface HonoursEvaluation {
  competitionClass: CompetitionClass | null;
  candidates: HonourCandidate[];
  ties: HonourTie[];
  listRules: ListRuleReport[];
}

const yesNo = (ok: boolean, zhYes: string, zhNo: string, enYes: string, enNo: string) =>
  ok ? localized(zhYes, enYes) : localized(zhNo, enNo);

const levelText = (l: SkillLevel) => skillLevelNames[l];

type Covers = { from: number; to?: number; withinShare?: string };

function coversText({ from, to, withinShare }: Covers): Localized {
  const range = to === undefined ? `${from}+` : from === to ? `${from}` : `${from}–${to}`;
  const share = withinShare ? Decimal.of(withinShare).times(Decimal.HUNDRED).toString(2) : null;
  return localized(
    `第 ${range} 名${share ? `，且在前 ${share}%` : ''}`,
    `place ${range}${share ? `, within the top ${share}%` : ''}`,
  );
}

/** The places an honour covers for this subject: its team size's line in a team event, when the honour has them. */
function coversOf(h: Honour, subject: Subject): Covers | null {
  if (!subject.team || !h.teamCovers) return h.covers;
  return h.teamCovers.find((c) => c.size === subject.team?.size) ?? null;
}

function placeResult(h: Honour, subject: Subject): ConditionResult {
  const { standing: s, ranked } = subject;
  const lines = coversOf(h, subject);
  if (!lines) {
    const sizes = (h.teamCovers ?? []).map((c) => c.size).join('、');
    return {
      id: 'place',
      passed: false,
      figure: localized(
        `${subject.team?.size} 人团队不在本荣誉范围内（适用：${sizes} 人团队）`,
        `a team of ${subject.team?.size} is not covered (covered: teams of ${sizes})`,
      ),
    };
  }
  const covers = coversText(lines);
  if (s.rank === null)
    return {
      id: 'place',
      passed: false,
      figure: localized(
        `无名次（取消资格）；范围：${covers['zh-CN']}`,
        `no place (disqualified); covers ${covers.en}`,
      ),
    };
  const { from, to, withinShare } = lines;
  const inShare =
    withinShare === undefined ||
    Decimal.of(BigInt(s.rank)).lte(Decimal.of(BigInt(ranked)).times(Decimal.of(withinShare)));
  const passed = s.rank >= from && (to === undefined || s.rank <= to) && inShare;
  return {
    id: 'place',
    passed,
    figure: localized(
      `第 ${s.rank} 名（共 ${ranked} 名）；范围：${covers['zh-CN']}`,
      `place ${s.rank} of ${ranked}; covers ${covers.en}`,
    ),
  };
}

interface Subject {
  event: string;
  standing: Standing;
  ranked: number;
  record: CompetitorRecord | undefined;
  /** A member of a team: the team's name and size (the standing is the team's). */
  team?: { name: string; size: number };
}

/** A team of a team event, for a team honour: its standing and its members' records. */
interface TeamSubject {
  event: string;
  standing: Standing;
  ranked: number;
  members: CompetitorRecord[];
}

/** One condition other than place and quota; returns the level awarded for a passed skillLevel. */
function conditionResult(
  c: Exclude<HonourCondition, { kind: 'quota' }>,
  { standing: s, ranked, record }: Subject,
  competitionClass: CompetitionClass | null,
): ConditionResult & { awarded?: SkillLevel } {
  const id = conditionId(c);
  const noRecord = { id, passed: false, figure: localized('无选手档案', 'no competitor record') };
  switch (c.kind) {
    case 'minEntrants':
      return {
        id,
        passed: ranked >= c.count,
        figure: localized(
          `赛项有名次选手 ${ranked} 名${ranked >= c.count ? '≥' : '<'} ${c.count}`,
          `${ranked} ranked competitors in the event ${ranked >= c.count ? '≥' : '<'} ${c.count}`,
        ),
      };
    case 'competitionClass': {
      const passed = competitionClass !== null && c.classes.includes(competitionClass);
      return {
        id,
        passed,
        figure: localized(
          `竞赛类别 ${competitionClass ?? '未给出'}；要求：${c.classes.join('、')}`,
          `competition class ${competitionClass ?? 'not given'}; required: ${c.classes.join(', ')}`,
        ),
      };
    }
    case 'passMark': {
      const component = s.components.find((x) => x.component === c.component);
      if (!component)
        return {
          id,
          passed: false,
          figure: localized(`成绩中没有 ${c.component} 部分`, `the results have no component ${c.component}`),
        };
      const passed = Decimal.of(component.score).gte(Decimal.of(c.mark));
      const sign = passed ? '≥' : '<';
      return {
        id,
        passed,
        figure: localized(
          `${c.component} ${component.score} ${sign} ${c.mark}`,
          `${c.component} ${component.score} ${sign} ${c.mark}`,
        ),
      };
    }
    case 'notDisqualified': {
      const vetoes = s.components.filter((x) => x.zeroedBy !== null);
      if (s.disqualifiedBy !== null)
        return {
          id,
          passed: false,
          figure: localized(`被 ${s.disqualifiedBy} 取消资格`, `disqualified by ${s.disqualifiedBy}`),
        };
      if (vetoes.length > 0)
        return {
          id,
          passed: false,
          figure: joinLocalized(
            vetoes.map((v) =>
              localized(`${v.zeroedBy} 否决了 ${v.component}`, `veto ${v.zeroedBy} zeroed ${v.component}`),
            ),
          ),
        };
      return { id, passed: true, figure: localized('未被取消资格，无否决', 'not disqualified, no veto') };
    }
    case 'frontline':
      if (!record) return noRecord;
      return {
        id,
        passed: record.frontline,
        figure: yesNo(
          record.frontline,
          '一线职工',
          '不是一线职工',
          'frontline worker',
          'not a frontline worker',
        ),
      };
    case 'unionMember':
      if (!record) return noRecord;
      return {
        id,
        passed: record.unionMember,
        figure: yesNo(record.unionMember, '工会会员', '不是工会会员', 'union member', 'not a union member'),
      };
    case 'skillLevel': {
      if (!record) return noRecord;
      const held = levelText(record.skillLevel);
      const line = c.promotions.find((p) => p.held.includes(record.skillLevel));
      if (!line) {
        const from = [...new Set(c.promotions.flatMap((p) => p.held))].map(levelText);
        return {
          id,
          passed: false,
          figure: localized(
            `现有等级 ${held['zh-CN']}；本项晋升只适用于 ${from.map((l) => l['zh-CN']).join('、')}`,
            `holds ${held.en}; this promotion is only from ${from.map((l) => l.en).join(', ')}`,
          ),
        };
      }
      const awarded = levelText(line.awarded);
      return {
        id,
        passed: true,
        awarded: line.awarded,
        figure: localized(
          `现有等级 ${held['zh-CN']} → 晋升 ${awarded['zh-CN']}`,
          `holds ${held.en} → promoted to ${awarded.en}`,
        ),
      };
    }
  }
}

function individualCandidates(
  h: Honour,
  subjects: readonly Subject[],
  competitionClass: CompetitionClass | null,
): HonourCandidate[] {
  return subjects.map((subject) => {
    const conditions: (ConditionResult & { awarded?: SkillLevel })[] = [
      placeResult(h, subject),
      ...h.conditions.flatMap((c) =>
        c.kind === 'quota' ? [] : [conditionResult(c, subject, competitionClass)],
      ),
    ];
    const awarded = conditions.find((c) => c.awarded)?.awarded ?? null;
    return {
      honour: h.id,
      recipient: 'individual',
      event: subject.event,
      competitor: subject.team ? (subject.record?.competitor ?? '') : subject.standing.competitor,
      ...(subject.team ? { team: subject.team.name } : {}),
      unit: subject.record?.unit ?? null,
      place: subject.standing.rank,
      total: subject.standing.total,
      recommended: conditions.every((c) => c.passed),
      awarded,
      conditions: conditions.map(({ id, passed, figure }) => ({ id, passed, figure })),
    };
  });
}

/**
 * Applies a quota to the candidates who meet every other condition, first places first. A place shared at
 * the boundary that does not fit is reported for the organizer to decide: nobody in it is cut silently.
 */
function applyQuota(h: Honour, candidates: HonourCandidate[], ties: HonourTie[]): void {
  const quota = h.conditions.find((c) => c.kind === 'quota');
  if (!quota) return;
  const eligible = candidates.filter((c) => c.recommended);
  for (const c of candidates)
    if (!c.recommended)
      c.conditions.push({
        id: 'quota',
        passed: true,
        figure: localized('不占名额（其他条件未满足）', 'takes no quota place (another condition failed)'),
      });
  const places = [...new Set(eligible.map((c) => c.place ?? 0))].sort((a, b) => a - b);
  let remaining = quota.max;
  for (const place of places) {
    const group = eligible.filter((c) => c.place === place);
    if (group.length <= remaining) {
      remaining -= group.length;
      for (const c of group)
        c.conditions.push({
          id: 'quota',
          passed: true,
          figure: localized(
            `名额内（第 ${place} 名，名额 ${quota.max}）`,
            `within the quota (place ${place}, quota ${quota.max})`,
          ),
        });
      continue;
    }
    const figure =
      remaining > 0
        ? localized(
            `${group.length} 人并列第 ${place} 名，剩余名额 ${remaining}（共 ${quota.max}）：由主办方决定`,
            `${group.length} share place ${place} for ${remaining} remaining of ${quota.max} places: the organizer decides`,
          )
        : localized(`名额 ${quota.max} 已满`, `the quota of ${quota.max} is filled`);
    if (remaining > 0)
      ties.push({
        honour: h.id,
        kind: 'quotaBoundary',
        event: null,
        place,
        competitors: group.map((c) => c.competitor),
        resolution: 'organizerDecides',
        figure,
      });
    remaining = 0;
    for (const c of group) {
      c.recommended = false;
      c.conditions.push({ id: 'quota', passed: false, figure });
    }
  }
}

/** Shared places among the recommended of one event: they share the honour. */
function sharedPlaces(h: Honour, candidates: readonly HonourCandidate[], ties: HonourTie[]): void {
  const groups = new Map<string, HonourCandidate[]>();
  for (const c of candidates.filter((x) => x.recommended && x.place !== null)) {
    const key = `${c.event}\u0000${c.place}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const group of groups.values()) {
    const [first] = group;
    // The members of one team share its place by definition: a tie is between entrants.
    const entrants = new Set(group.map((c) => c.team ?? c.competitor));
    if (!first || entrants.size < 2 || first.place === null) continue;
    ties.push({
      honour: h.id,
      kind: 'sharedPlace',
      event: first.event,
      place: first.place,
      competitors: group.map((c) => c.competitor),
      resolution: 'shared',
      figure: localized(
        `${group.length} 人并列第 ${first.place} 名，共享该荣誉`,
        `${group.length} share place ${first.place} and share the honour`,
      ),
    });
  }
}

/** A unit honour: units with at least `unitMinimum.count` competitors who meet every condition. */
function unitCandidates(
  h: Honour,
  subjects: readonly Subject[],
  competitionClass: CompetitionClass | null,
): HonourCandidate[] {
  const individuals = individualCandidates(h, subjects, competitionClass);
  const units = [...new Set(subjects.flatMap((s) => (s.record ? [s.record.unit] : [])))];
  const minimum = h.unitMinimum?.count ?? 1;
  return units.map((unit) => {
    const qualifying = individuals.filter((c) => c.unit === unit && c.recommended);
    const places = individuals.filter((c) => c.unit === unit && c.place !== null).map((c) => c.place ?? 0);
    const names = qualifying.map((c) => `${c.competitor} (${c.event} #${c.place})`);
    const passed = qualifying.length >= minimum;
    return {
      honour: h.id,
      recipient: 'unit',
      event: [...new Set(qualifying.map((c) => c.event))].join(','),
      competitor: unit,
      unit,
      place: places.length > 0 ? Math.min(...places) : null,
      total: null,
      recommended: passed,
      awarded: null,
      conditions: [
        {
          id: 'unitMinimum',
          passed,
          figure: localized(
            `符合条件的选手 ${qualifying.length} 名${passed ? '≥' : '<'} ${minimum}${names.length ? `：${names.join('、')}` : ''}`,
            `${qualifying.length} qualifying competitor(s) ${passed ? '≥' : '<'} ${minimum}${names.length ? `: ${names.join(', ')}` : ''}`,
          ),
        },
      ],
    };
  });
}

/** A member-record condition of a team honour: every member must meet it; the figure names who does not. */
function everyMember(
  c: Extract<HonourCondition, { kind: 'frontline' | 'unionMember' }>,
  team: TeamSubject,
  competitionClass: CompetitionClass | null,
): ConditionResult {
  const results = team.members.map((m) => ({
    member: m.competitor,
    result: conditionResult(c, { ...team, record: m }, competitionClass),
  }));
  const failed = results.filter((r) => !r.result.passed);
  if (team.members.length === 0)
    return { id: conditionId(c), passed: false, figure: localized('无成员档案', 'no member records') };
  if (failed.length === 0) {
    const first = results[0]?.result.figure ?? localized('', '');
    return {
      id: conditionId(c),
      passed: true,
      figure: localized(
        `全体 ${results.length} 名成员：${first['zh-CN']}`,
        `all ${results.length} members: ${first.en}`,
      ),
    };
  }
  return {
    id: conditionId(c),
    passed: false,
    figure: joinLocalized(
      failed.map((f) =>
        localized(`${f.member}：${f.result.figure['zh-CN']}`, `${f.member}: ${f.result.figure.en}`),
      ),
    ),
  };
}

/** A team honour (工人先锋号): the teams of team events in the places it covers, meeting every condition. */
function teamCandidates(
  h: Honour,
  teams: readonly TeamSubject[],
  competitionClass: CompetitionClass | null,
): HonourCandidate[] {
  return teams.map((team) => {
    const subject: Subject = { ...team, record: undefined };
    const conditions: ConditionResult[] = [
      placeResult(h, subject),
      ...h.conditions.flatMap((c) => {
        if (c.kind === 'quota' || c.kind === 'skillLevel') return [];
        if (c.kind === 'frontline' || c.kind === 'unionMember')
          return [everyMember(c, team, competitionClass)];
        const { id, passed, figure } = conditionResult(c, subject, competitionClass);
        return [{ id, passed, figure }];
      }),
    ];
    const units = [...new Set(team.members.map((m) => m.unit))];
    return {
      honour: h.id,
      recipient: 'team',
      event: team.event,
      competitor: team.standing.competitor,
      team: team.standing.competitor,
      unit: units.length > 0 ? units.join('、') : null,
      place: team.standing.rank,
      total: team.standing.total,
      recommended: conditions.every((c) => c.passed),
      awarded: null,
      conditions,
    };
  });
}

function checkListRule(
  rule: ListRule,
  rules: HonourRuleSet,
  candidates: readonly HonourCandidate[],
  records: ReadonlyMap<string, CompetitorRecord>,
): ListRuleReport {
  const scope =
    rule.honours.length > 0
      ? rule.honours
      : rules.honours.filter((h) => h.recipient === 'individual').map((h) => h.id);
  const nominees = new Map<string, CompetitorRecord | undefined>();
  for (const c of candidates)
    if (finalRecommendation(c) && c.recipient === 'individual' && scope.includes(c.honour))
      nominees.set(c.competitor, records.get(c.competitor));
  const counted = [...nominees.values()].filter((r) => r?.[rule.of] === true).length;
  const who =
    rule.of === 'frontline'
      ? localized('一线职工', 'frontline workers')
      : localized('单位负责人', 'unit heads');
  if (nominees.size === 0)
    return {
      id: rule.id,
      of: rule.of,
      passed: true,
      counted,
      nominees: 0,
      figure: localized('无推荐人选', 'no nominees'),
    };
  const share = Decimal.ratio(BigInt(counted * 100), BigInt(nominees.size));
  const limit = Decimal.of(rule.atLeast ?? rule.atMost ?? '0');
  const passed = rule.atLeast !== undefined ? share.gte(limit) : share.lte(limit);
  const bound = rule.atLeast !== undefined ? (passed ? '≥' : '<') : passed ? '≤' : '>';
  const pct = share.toFixed(1);
  return {
    id: rule.id,
    of: rule.of,
    passed,
    counted,
    nominees: nominees.size,
    figure: localized(
      `推荐人选 ${nominees.size} 名中${who['zh-CN']} ${counted} 名（${pct}%）${bound} ${rule.atLeast ?? rule.atMost}%`,
      `${counted} of ${nominees.size} nominees are ${who.en} (${pct}%) ${bound} ${rule.atLeast ?? rule.atMost}%`,
    ),
  };
}

export interface HonoursCompetition {
  /** The competition's class; null: the rule set's own `competitionClass`. */
  class: CompetitionClass | null;
}

/** The organizer's overrides, attached with their reasons to the candidates they name, for that honour. */
function applyOverrides(candidates: HonourCandidate[], overrides: readonly HonourOverride[]): void {
  for (const o of overrides)
    for (const c of candidates)
      if (c.honour === o.honour && c.competitor === o.competitor)
        c.override = { recommended: o.recommended, reason: o.reason, by: o.by, at: o.at };
}

/**
 * Evaluates every honour of the rule set for every competitor of every event (and every unit, for unit
 * honours). `results` must be published standings; records are matched to competitors by `competitor`.
 * Overrides (the organizer's, with reasons) are attached before the list rules, which check the list as sent.
 */
export function evaluateHonours(
  rules: HonourRuleSet,
  results: HonourResults,
  people: readonly CompetitorRecord[],
  competition: HonoursCompetition,
  overrides: readonly HonourOverride[] = [],
): HonoursEvaluation {
  const records = new Map(people.map((p) => [p.competitor, p]));
  const membersOf = new Map<string, CompetitorRecord[]>();
  for (const p of people) if (p.team) membersOf.set(p.team, [...(membersOf.get(p.team) ?? []), p]);
  const competitionClass = competition.class ?? rules.competitionClass ?? null;
  // A team's standing stands for its members: individual honours go to each, sharing its place.
  const teams: TeamSubject[] = [];
  const subjects: Subject[] = results.events.flatMap((e) => {
    const ranked = e.standings.filter((s) => s.rank !== null).length;
    return e.standings.flatMap((standing): Subject[] => {
      const members = membersOf.get(standing.competitor);
      if (!members) return [{ event: e.event, standing, ranked, record: records.get(standing.competitor) }];
      teams.push({ event: e.event, standing, ranked, members });
      const team = { name: standing.competitor, size: members.length };
      return members.map((record) => ({ event: e.event, standing, ranked, record, team }));
    });
  });
  const candidates: HonourCandidate[] = [];
  const ties: HonourTie[] = [];
  for (const h of rules.honours) {
    if (h.recipient === 'unit') {
      candidates.push(...unitCandidates(h, subjects, competitionClass));
      continue;
    }
    const mine =
      h.recipient === 'team'
        ? teamCandidates(h, teams, competitionClass)
        : individualCandidates(h, subjects, competitionClass);
    applyQuota(h, mine, ties);
    sharedPlaces(h, mine, ties);
    candidates.push(...mine);
  }
  applyOverrides(candidates, overrides);
  return {
    competitionClass,
    candidates,
    ties,
    listRules: rules.listRules.map((r) => checkListRule(r, rules, candidates, records)),
  };
}
