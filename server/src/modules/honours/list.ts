import { createHash } from 'node:crypto';
import {
  type CompetitionGrade,
  type CompetitionLevel,
  type CompetitorRecord,
  competitionClassOf,
  defaultHonourTemplate,
  evaluateHonours,
  eventJson,
  getHonourTemplate,
  type HonourCandidate,
  type HonourEventStatus,
  type HonourOverride,
  type HonourRuleSet,
  type HonoursListResponse,
  honourResults,
  type OverrideSetAside,
  parseHonourRules,
  type SkillLevel,
} from '@jiangxin/shared';
import type { Executor } from '../../db/client';
import { AppError, localized } from '../../plugins/errors';
import { readEvent, scoreReading } from '../../scoring/event';
import { schemeOf } from '../../scoring/round';
import {
  competitorRecords,
  eventsWithRounds,
  findCompetition,
  type HonourOverrideRow,
  type HonourSettingsRow,
  memberRecords,
  overridesInForce,
  settingsOf,
} from './repository';

/**
 * The recommendation list of a competition, computed with the shared `evaluateHonours` from the official
 * standings the server publishes (the engine's overall standings of each event over every round held, once
 * its last round and the rounds before it are published and decrypted: never an unpublished round), the
 * competitors' records, and the organizer's overrides.
 */

export const subjectOfCompetitor = (competitorId: string) => `competitor:${competitorId}`;
export const subjectOfUnit = (unit: string) => `unit:${unit}`;

export interface RuleSetInForce {
  rules: HonourRuleSet;
  template: string | null;
  stored: boolean;
}

export const rulesNotChosen = (level: string) =>
  new AppError(
    409,
    'honour_rules_not_chosen',
    localized(
      `本竞赛（级别 ${level}）没有默认的荣誉评定模板：请先选择或上传荣誉评定规则（PUT …/honours/rules）`,
      `no honour template fits this competition (level ${level}): choose or upload a rule set first (PUT …/honours/rules)`,
    ),
  );

/** The stored rule set, or the default template of the competition's class; null when neither exists. */
export function ruleSetInForce(
  settings: HonourSettingsRow | null,
  level: CompetitionLevel,
  grade: CompetitionGrade | null,
): RuleSetInForce | null {
  if (settings?.rules) {
    const parsed = parseHonourRules(settings.rules);
    if (!parsed.ok) throw new Error('the stored honour rule set is invalid');
    return { rules: parsed.rules, template: settings.template, stored: true };
  }
  const name = defaultHonourTemplate(level, competitionClassOf(level, grade));
  const rules = name ? getHonourTemplate(name) : undefined;
  return rules ? { rules, template: name, stored: false } : null;
}

/** A label per competitor that the list can show and match by: the name, made unique when names clash. */
function labelsOf(rows: readonly { id: string; name: string; unit: string }[]): Map<string, string> {
  const count = (key: (r: (typeof rows)[number]) => string) => {
    const n = new Map<string, number>();
    for (const r of rows) n.set(key(r), (n.get(key(r)) ?? 0) + 1);
    return n;
  };
  const byName = count((r) => r.name);
  const byNameUnit = count((r) => `${r.name}\u0000${r.unit}`);
  return new Map(
    rows.map((r) => {
      if (byName.get(r.name) === 1) return [r.id, r.name];
      if (byNameUnit.get(`${r.name}\u0000${r.unit}`) === 1) return [r.id, `${r.name}（${r.unit}）`];
      return [r.id, `${r.name}（${r.unit}，${r.id.slice(0, 8)}）`];
    }),
  );
}

/** sha256 of what the list says, in a fixed order: the audit log records it each time it changes. */
export function listHash(list: Pick<HonoursListResponse, 'candidates' | 'ties' | 'listRules'>): string {
  return createHash('sha256')
    .update(JSON.stringify({ candidates: list.candidates, ties: list.ties, listRules: list.listRules }))
    .digest('hex');
}

export type ComputedList = Omit<HonoursListResponse, 'recorded' | 'publishedAt'> & {
  settings: HonourSettingsRow | null;
  rules: HonourRuleSet;
  /** Whether any event's standings are official yet (before that, there is nothing to record). */
  anyComputed: boolean;
};

/** Computes the list as it stands, inside the caller's transaction or on the database. */
export async function computeList(ex: Executor, competitionId: string): Promise<ComputedList> {
  const competition = await findCompetition(ex, competitionId);
  const level = competition.level as CompetitionLevel;
  const grade = (competition.grade as CompetitionGrade | null) ?? null;
  const competitionClass = competitionClassOf(level, grade);
  const settings = await settingsOf(ex, competitionId);
  const inForce = ruleSetInForce(settings, level, grade);
  if (!inForce) throw rulesNotChosen(level);

  const statuses: HonourEventStatus[] = [];
  const official: { eventId: string; event: string; standings: { competitorId: string; json: unknown }[] }[] =
    [];
  for (const { event, rounds } of await eventsWithRounds(ex, competitionId)) {
    const scheme = schemeOf(event.id, event.scheme);
    const order = scheme.rounds.map((r) => r.id);
    const held = rounds
      .filter((r) => r.held && order.includes(r.key))
      .sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
    const last = rounds.find((r) => r.key === order.at(-1));
    // The event's results are official once its last round and every round held before it are.
    const counted = last ? [...held.filter((r) => r.id !== last.id), last] : [];
    const status: HonourEventStatus = {
      eventId: event.id,
      event: event.name,
      roundId: last?.id ?? null,
      status: !last
        ? 'noRounds'
        : counted.some((r) => !r.publishedAt)
          ? 'notPublished'
          : counted.some((r) => !r.decryptedAt)
            ? 'notDecrypted'
            : 'computed',
    };
    statuses.push(status);
    if (status.status !== 'computed') continue;
    // The event's overall standings over every round held, not the last round's own ranking only.
    const reading = await readEvent(
      ex,
      competitionId,
      held.map((r) => r.id),
    );
    // The engine ranks competitors by id here; names are given after scoring.
    const result = scoreReading(scheme, reading);
    official.push({
      eventId: event.id,
      event: event.name,
      // A competitor drawn but never marked has no total and is no ranked entrant.
      standings: eventJson(scheme, event.name, result).standings.flatMap((s) =>
        s.total !== null ? [{ competitorId: s.competitor, json: s }] : [],
      ),
    });
  }

  const ranked = official.flatMap((e) => e.standings.map((s) => s.competitorId));
  const rows = await competitorRecords(ex, competitionId, ranked);
  // A team's members are people of the list: each labelled, each with the team's event.
  const members = await memberRecords(ex, ranked);
  const teams = new Set(members.map((m) => m.competitorId));
  const labels = labelsOf([...rows, ...members]);
  const idOfLabel = new Map([...labels].map(([id, label]) => [label, id]));
  const eventOfCompetitor = new Map(
    official.flatMap((e) => e.standings.map((s) => [s.competitorId, e.eventId] as const)),
  );
  for (const m of members) eventOfCompetitor.set(m.id, eventOfCompetitor.get(m.competitorId) ?? '');
  const results = honourResults.parse({
    events: official.map((e) => ({
      event: e.event,
      standings: e.standings.map((s) => ({
        ...(s.json as object),
        competitor: labels.get(s.competitorId) ?? s.competitorId,
      })),
    })),
  });
  const record = (r: (typeof rows)[number]): CompetitorRecord => ({
    competitor: labels.get(r.id) ?? r.id,
    unit: r.unit,
    frontline: r.frontline,
    unionMember: r.unionMember,
    skillLevel: r.skillLevel as SkillLevel,
    unitHead: r.unitHead,
  });
  const people: CompetitorRecord[] = [
    ...rows.filter((r) => !teams.has(r.id)).map(record),
    ...members.map((m) => ({ ...record(m), team: labels.get(m.competitorId) ?? m.competitorId })),
  ];

  // The competition's own class, never the rule set's: an ungraded competition is reported as such.
  const rules = { ...inForce.rules, competitionClass: undefined };
  const byRules = evaluateHonours(rules, results, people, { class: competitionClass });
  const failedNow = new Map(byRules.candidates.map((c) => [candidateKey(c), failedConditions(c)]));
  const overrides: HonourOverride[] = [];
  const setAside: OverrideSetAside[] = [];
  for (const o of await overridesInForce(ex, competitionId)) {
    const competitor = overrideCompetitor(o, labels);
    const failed =
      competitor === null ? null : (failedNow.get(candidateKey({ honour: o.honour, competitor })) ?? null);
    const entry = { honour: o.honour, recommended: o.recommended, reason: o.reason };
    if (competitor !== null && failed !== null && failed.join() === o.failedConditions.join())
      overrides.push({ ...entry, competitor, by: o.decidedBy, at: o.createdAt.toISOString() });
    else
      setAside.push({
        ...entry,
        competitor: competitor ?? o.subject,
        because: failed === null ? 'noCandidate' : 'conditionsChanged',
        failedThen: o.failedConditions,
        failedNow: failed,
      });
  }
  const evaluation = overrides.length
    ? evaluateHonours(rules, results, people, { class: competitionClass }, overrides)
    : byRules;

  const candidates = evaluation.candidates.map((c) => {
    const competitorId = c.recipient !== 'unit' ? (idOfLabel.get(c.competitor) ?? null) : null;
    return {
      ...c,
      competitorId,
      eventId: competitorId ? (eventOfCompetitor.get(competitorId) ?? null) : null,
    };
  });
  const list = { ...evaluation, candidates };
  return {
    competition: { id: competition.id, name: competition.name, level, grade },
    ruleSet: {
      id: inForce.rules.id,
      name: inForce.rules.name,
      nameEn: inForce.rules.nameEn,
      template: inForce.template,
      stored: inForce.stored,
      honours: inForce.rules.honours,
    },
    events: statuses,
    ...list,
    overrides: candidates.flatMap((c) =>
      c.override
        ? [
            {
              honour: c.honour,
              event: c.event,
              competitor: c.competitor,
              recommended: c.override.recommended,
              reason: c.override.reason,
              by: c.override.by ?? '',
              at: c.override.at ?? '',
            },
          ]
        : [],
    ),
    overridesSetAside: setAside,
    hash: listHash(list),
    settings,
    rules: inForce.rules,
    anyComputed: official.length > 0,
  };
}

const candidateKey = (c: { honour: string; competitor: string }) => `${c.honour}\u0000${c.competitor}`;

/** The ids of the conditions a candidate fails, as the rules alone judge it (an override never changes them). */
export const failedConditions = (c: HonourCandidate) =>
  c.conditions.filter((x) => !x.passed).map((x) => x.id);

/** The label an override's subject has in the list; null for a competitor no longer in any official standings. */
function overrideCompetitor(o: HonourOverrideRow, labels: ReadonlyMap<string, string>): string | null {
  if (o.subject.startsWith('unit:')) return o.subject.slice('unit:'.length);
  return labels.get(o.subject.slice('competitor:'.length)) ?? null;
}
