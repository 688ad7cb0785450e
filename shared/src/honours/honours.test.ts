import { describe, expect, it } from 'vitest';
import { scoreEvent } from '../engine/event';
import type { EventMarkInput } from '../engine/types';
import { eventJson } from '../results/report';
import { parseScheme, type Scheme } from '../scheme/schema';
import { getTemplate } from '../scheme/templates/index';
import { nationalWorkers } from '../scheme/templates/national-workers';
import {
  type CompetitorRecord,
  evaluateHonours,
  finalRecommendation,
  type HonourCandidate,
  type HonoursEvaluation,
  honourResults,
} from './evaluate';
import { readPeopleCsv } from './people-csv';
import { type HonourRuleSet, type HonourRuleSetInput, parseHonourRules, type SkillLevel } from './schema';
import { getHonourTemplate, honourTemplateInputs, honourTemplateNames } from './templates';

/*
 * Constructed competitions scored by the real engine (the national workers' scheme: theory 30% + practical
 * 70%), turned into the results JSON of `pnpm results`, then evaluated against each honour template.
 */

const workers = getTemplate('national-workers') as Scheme;

/** The workers' scheme with a safety veto that disqualifies (一票否决). */
const withVeto = (() => {
  const [theory, practical] = nationalWorkers.components;
  const parsed = parseScheme({
    ...nationalWorkers,
    components: [
      theory,
      {
        ...practical,
        aspects: [
          ...(practical?.aspects ?? []),
          { kind: 'veto', id: 'safety', name: '安全否决', nameEn: 'Safety veto', effect: 'disqualify' },
        ],
      },
    ],
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scheme;
})();

interface Entry {
  competitor: string;
  theory: string;
  /** Each of the five judges' marks for work quality (of 30); inspection 35, process 18, safe work 9. */
  quality: string;
  inspection?: string;
  veto?: boolean;
}

function marksOf(e: Entry): EventMarkInput[] {
  const judged = (item: string, value: string) =>
    [1, 2, 3, 4, 5].map((j) => ({ round: 'Final', competitor: e.competitor, item, judge: `J${j}`, value }));
  return [
    { round: 'Final', competitor: e.competitor, item: 'theoryPaper', judge: 'M1', value: e.theory },
    {
      round: 'Final',
      competitor: e.competitor,
      item: 'inspection',
      judge: 'M1',
      value: e.inspection ?? '35',
    },
    ...judged('workQuality', e.quality),
    ...judged('process', '18'),
    ...judged('safeWork', '9'),
    ...(e.veto
      ? [{ round: 'Final', competitor: e.competitor, item: 'safety', judge: 'C1', value: '1' }]
      : []),
  ];
}

/** An event of n competitors C1…Cn, C1 best; `overrides` replace entries by competitor. */
function event(name: string, n: number, overrides: Entry[] = [], scheme = workers) {
  const entries = Array.from({ length: n }, (_, i) => ({
    competitor: `${name}-C${i + 1}`,
    theory: '90',
    quality: String(30 - i * 0.5),
  }));
  for (const o of overrides) {
    const at = entries.findIndex((e) => e.competitor === o.competitor);
    if (at >= 0) entries[at] = o;
    else entries.push(o);
  }
  return eventJson(scheme, name, scoreEvent(scheme, entries.flatMap(marksOf)));
}

function results(...events: ReturnType<typeof event>[]) {
  return honourResults.parse(JSON.parse(JSON.stringify({ events })));
}

/** Frontline union members holding no level, unless a record is given. */
function people(
  res: ReturnType<typeof results>,
  given: Partial<CompetitorRecord & { competitor: string }>[] = [],
) {
  return res.events.flatMap((e) =>
    e.standings.map((s) => ({
      competitor: s.competitor,
      unit: `${s.competitor}-unit`,
      frontline: true,
      unionMember: true,
      skillLevel: 'none' as SkillLevel,
      unitHead: false,
      ...given.find((g) => g.competitor === s.competitor),
    })),
  );
}

function template(
  name: string,
  edit: (r: HonourRuleSetInput) => HonourRuleSetInput = (r) => r,
): HonourRuleSet {
  const parsed = parseHonourRules(edit(structuredClone(honourTemplateInputs[name] as HonourRuleSetInput)));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rules;
}

function candidate(ev: HonoursEvaluation, honour: string, competitor: string): HonourCandidate {
  const c = ev.candidates.find((x) => x.honour === honour && x.competitor === competitor);
  if (!c) throw new Error(`no candidate ${competitor} for ${honour}`);
  return c;
}

const failed = (c: HonourCandidate) => c.conditions.filter((x) => !x.passed).map((x) => x.id);
const recommended = (ev: HonoursEvaluation, honour: string) =>
  ev.candidates.filter((c) => c.honour === honour && c.recommended).map((c) => c.competitor);

describe('honour templates', () => {
  it('parse, and every figure says where it comes from', () => {
    expect(honourTemplateNames).toEqual([
      'national-workers',
      'provincial-class-1',
      'provincial-class-2',
      'city',
      'county',
    ]);
    for (const name of honourTemplateNames) {
      const rules = getHonourTemplate(name) as HonourRuleSet;
      expect(rules.id).toBe(name);
      for (const h of rules.honours) {
        expect(h.covers.source.length).toBeGreaterThan(20);
        for (const c of h.conditions) expect(c.source).toMatch(/Honours/);
      }
    }
    // A figure the brief does not give is marked as a parameter.
    const quota = getHonourTemplate('national-workers')?.honours[0]?.conditions.find(
      (c) => c.kind === 'quota',
    );
    expect(quota).toMatchObject({ max: 31, parameter: true });
  });

  it('reject a rule set that does not parse, naming the path', () => {
    const result = parseHonourRules({
      ...honourTemplateInputs.county,
      honours: [
        {
          id: 'x',
          name: '某奖',
          nameEn: 'X',
          covers: { from: 3, to: 1, source: 's' },
          conditions: [{ kind: 'passMark', component: 'theory', mark: 'sixty', source: 's' }],
        },
      ],
      listRules: [{ id: 'r', of: 'frontline', atLeast: '60', honours: ['nope'], source: 's' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.errors.map((e) => e.path);
    expect(paths).toContain('honours.0.covers.to');
    expect(paths).toContain('honours.0.conditions.0.mark');
  });
});

describe('evaluateHonours', () => {
  it('an event below the minimum size recommends nobody for the medal, naming minEntrants', () => {
    const res = results(event('welding', 12));
    const ev = evaluateHonours(getHonourTemplate('national-workers') as HonourRuleSet, res, people(res), {
      class: null,
    });
    const first = candidate(ev, 'national-may-day-medal', 'welding-C1');
    expect(first.place).toBe(1);
    expect(first.recommended).toBe(false);
    expect(failed(first)).toEqual(['minEntrants']);
    expect(first.conditions.find((c) => c.id === 'minEntrants')?.figure).toEqual({
      'zh-CN': '赛项有名次选手 12 名< 30',
      en: '12 ranked competitors in the event < 30',
    });
    // The class came from the template (a national class-I competition).
    expect(ev.competitionClass).toBe('national-I');
  });

  it('a first place who is not a frontline worker is not recommended, the failing condition named', () => {
    const res = results(event('cooking', 30));
    const ev = evaluateHonours(
      getHonourTemplate('provincial-class-1') as HonourRuleSet,
      res,
      people(res, [{ competitor: 'cooking-C1', frontline: false }]),
      { class: 'provincial-I' },
    );
    const first = candidate(ev, 'provincial-may-day-medal', 'cooking-C1');
    expect(first.recommended).toBe(false);
    expect(failed(first)).toEqual(['frontline']);
    expect(first.conditions.find((c) => c.id === 'frontline')?.figure['zh-CN']).toBe('不是一线职工');
    // The second place is not moved up: the medal covers first place only.
    expect(failed(candidate(ev, 'provincial-may-day-medal', 'cooking-C2'))).toEqual(['place']);
    expect(recommended(ev, 'provincial-may-day-medal')).toEqual([]);
    // 技术能手 does not need a frontline worker.
    expect(recommended(ev, 'technical-expert')).toEqual([1, 2, 3, 4, 5].map((i) => `cooking-C${i}`));
  });

  it('a tie for first place: both share the honour when no quota limits it', () => {
    const res = results(event('tea', 8, [{ competitor: 'tea-C2', theory: '90', quality: '30' }]));
    expect(res.events[0]?.standings.slice(0, 2).map((s) => s.rank)).toEqual([1, 1]);
    const ev = evaluateHonours(getHonourTemplate('county') as HonourRuleSet, res, people(res), {
      class: null,
    });
    expect(recommended(ev, 'county-may-day-medal')).toEqual(['tea-C1', 'tea-C2']);
    expect(ev.ties).toContainEqual(
      expect.objectContaining({
        honour: 'county-may-day-medal',
        kind: 'sharedPlace',
        event: 'tea',
        place: 1,
        competitors: ['tea-C1', 'tea-C2'],
        resolution: 'shared',
      }),
    );
  });

  it('a tie at a quota boundary is reported for the organizer, never cut', () => {
    const withQuota = (max: number) =>
      template('county', (r) => {
        r.honours[0]?.conditions.push({ kind: 'quota', max, source: 'test' });
        return r;
      });
    // Three events: a clear first place in one, a shared first place in another, a clear one in the third.
    const res = results(
      event('a', 6),
      event('b', 6, [{ competitor: 'b-C2', theory: '90', quality: '30' }]),
      event('c', 6),
    );
    const two = evaluateHonours(withQuota(3), res, people(res), { class: null });
    // Four first places for three places: nobody at place 1 is recommended, the organizer decides.
    expect(recommended(two, 'county-may-day-medal')).toEqual([]);
    const medalTies = (ev: HonoursEvaluation) => ev.ties.filter((t) => t.honour === 'county-may-day-medal');
    expect(medalTies(two)).toEqual([
      expect.objectContaining({
        kind: 'quotaBoundary',
        place: 1,
        competitors: ['a-C1', 'b-C1', 'b-C2', 'c-C1'],
        resolution: 'organizerDecides',
      }),
    ]);
    expect(failed(candidate(two, 'county-may-day-medal', 'b-C2'))).toEqual(['quota']);
    // With four places they all fit and share.
    const four = evaluateHonours(withQuota(4), res, people(res), { class: null });
    expect(recommended(four, 'county-may-day-medal')).toEqual(['a-C1', 'b-C1', 'b-C2', 'c-C1']);
    expect(medalTies(four).map((t) => t.kind)).toEqual(['sharedPlace']);
  });

  it('a quota fills by place and says so to those it leaves out', () => {
    const rules = template('national-workers', (r) => {
      const medal = r.honours[0];
      if (medal) medal.covers = { from: 1, to: 3, source: 'an earlier edition gave it to the top 3' };
      const quota = medal?.conditions.find((c) => c.kind === 'quota');
      if (quota?.kind === 'quota') quota.max = 2;
      return r;
    });
    const res = results(event('x', 30), event('y', 30));
    const ev = evaluateHonours(rules, res, people(res), { class: 'national-I' });
    expect(recommended(ev, 'national-may-day-medal')).toEqual(['x-C1', 'y-C1']);
    expect(candidate(ev, 'national-may-day-medal', 'x-C2').conditions.at(-1)).toEqual({
      id: 'quota',
      passed: false,
      figure: { 'zh-CN': '名额 2 已满', en: 'the quota of 2 is filled' },
    });
  });

  it('a disqualified winner gets no honour; the next competitor is first', () => {
    const res = results(
      event('petro', 8, [{ competitor: 'petro-C1', theory: '100', quality: '30', veto: true }], withVeto),
    );
    const ev = evaluateHonours(getHonourTemplate('county') as HonourRuleSet, res, people(res), {
      class: null,
    });
    const winner = candidate(ev, 'county-may-day-medal', 'petro-C1');
    expect(winner.place).toBeNull();
    expect(failed(winner)).toEqual(['place', 'notDisqualified']);
    expect(winner.conditions.find((c) => c.id === 'notDisqualified')?.figure.en).toBe(
      'disqualified by safety',
    );
    expect(recommended(ev, 'county-may-day-medal')).toEqual(['petro-C2']);
  });

  it('a promotion depends on the level held', () => {
    const res = results(event('weld', 30));
    const ev = evaluateHonours(
      getHonourTemplate('national-workers') as HonourRuleSet,
      res,
      people(res, [
        { competitor: 'weld-C1', skillLevel: 'technician' },
        { competitor: 'weld-C2', skillLevel: 'senior' },
        { competitor: 'weld-C3', skillLevel: 'seniorTechnician' },
        { competitor: 'weld-C7', skillLevel: 'senior' },
        { competitor: 'weld-C8', skillLevel: 'technician' },
      ]),
      { class: 'national-I' },
    );
    const awarded = (honour: string, c: string) => {
      const x = candidate(ev, honour, c);
      return x.recommended ? x.awarded : null;
    };
    expect(awarded('promotion', 'weld-C1')).toBe('seniorTechnician');
    expect(awarded('promotion', 'weld-C2')).toBe('technician');
    expect(awarded('promotion', 'weld-C3')).toBeNull();
    expect(awarded('promotion-6-20', 'weld-C6')).toBe('senior');
    expect(awarded('promotion-6-20', 'weld-C7')).toBe('technician');
    expect(awarded('promotion-6-20', 'weld-C8')).toBeNull();
    expect(
      candidate(ev, 'promotion-6-20', 'weld-C8').conditions.find((c) => c.id === 'skillLevel')?.figure,
    ).toEqual({
      'zh-CN': '现有等级 技师；本项晋升只适用于 无等级、初级工、中级工、高级工',
      en: 'holds technician; this promotion is only from no level, junior worker, intermediate worker, senior worker',
    });
    expect(
      candidate(ev, 'promotion', 'weld-C1').conditions.find((c) => c.id === 'skillLevel')?.figure.en,
    ).toBe('holds technician → promoted to senior technician');
    // 优胜奖: outside the top 3, in the upper half of 30.
    expect(recommended(ev, 'excellence-award')).toEqual(
      Array.from({ length: 12 }, (_, i) => `weld-C${i + 4}`),
    );
  });

  it('a pass mark failed is shown with its figure', () => {
    // Practical = inspection 2 + quality 30 + process 18 + safe work 9 = 59; the others do worse.
    const res = results(
      event('noodle', 2, [
        { competitor: 'noodle-C1', theory: '100', quality: '30', inspection: '2' },
        { competitor: 'noodle-C2', theory: '50', quality: '29.5', inspection: '2' },
      ]),
    );
    const ev = evaluateHonours(getHonourTemplate('county') as HonourRuleSet, res, people(res), {
      class: null,
    });
    const first = candidate(ev, 'county-may-day-medal', 'noodle-C1');
    expect(first.place).toBe(1);
    expect(failed(first)).toEqual(['passMark:practical']);
    expect(first.conditions.find((c) => c.id === 'passMark:practical')?.figure.en).toBe(
      'practical 59.00 < 60',
    );
  });

  it('a competition of another class fails competitionClass', () => {
    const res = results(event('drone', 30));
    const ev = evaluateHonours(getHonourTemplate('provincial-class-2') as HonourRuleSet, res, people(res), {
      class: 'city',
    });
    expect(recommended(ev, 'technical-expert')).toEqual([]);
    expect(failed(candidate(ev, 'technical-expert', 'drone-C1'))).toEqual(['competitionClass']);
  });

  it('a list that breaks the frontline share rule is reported, and so are too many unit heads', () => {
    const res = results(event('guide', 30));
    const ev = evaluateHonours(
      getHonourTemplate('provincial-class-1') as HonourRuleSet,
      res,
      people(res, [
        { competitor: 'guide-C2', frontline: false },
        { competitor: 'guide-C3', frontline: false, unitHead: true },
        { competitor: 'guide-C4', frontline: false },
      ]),
      { class: 'provincial-I' },
    );
    // Nominees: C1 (medal and 技术能手) and C2–C5 (技术能手): five people, two frontline, one unit head.
    expect(ev.listRules).toEqual([
      {
        id: 'frontlineShare',
        of: 'frontline',
        passed: false,
        counted: 2,
        nominees: 5,
        figure: {
          'zh-CN': '推荐人选 5 名中一线职工 2 名（40.0%）< 60%',
          en: '2 of 5 nominees are frontline workers (40.0%) < 60%',
        },
      },
      expect.objectContaining({ id: 'unitHeadShare', passed: false, counted: 1, nominees: 5 }),
    ]);
  });

  it("applies the organizer's overrides with their reasons before the list rules", () => {
    const res = results(event('guide', 30));
    const records = people(res, [{ competitor: 'guide-C1', frontline: false }]);
    const rules = getHonourTemplate('provincial-class-1') as HonourRuleSet;
    const plain = evaluateHonours(rules, res, records, { class: 'provincial-I' });
    expect(recommended(plain, 'provincial-may-day-medal')).toEqual([]);
    const ev = evaluateHonours(rules, res, records, { class: 'provincial-I' }, [
      {
        honour: 'provincial-may-day-medal',
        competitor: 'guide-C1',
        recommended: true,
        reason: '经核实为一线班组长',
      },
      {
        honour: 'technical-expert',
        competitor: 'guide-C5',
        recommended: false,
        reason: '材料不全',
        by: 'account:x',
      },
    ]);
    const c1 = candidate(ev, 'provincial-may-day-medal', 'guide-C1');
    // The rules' verdict stays; the decision and its reason sit beside it.
    expect(c1).toMatchObject({
      recommended: false,
      override: { recommended: true, reason: '经核实为一线班组长' },
    });
    expect(finalRecommendation(c1)).toBe(true);
    // The failing condition stays reported: the override goes against it, and says so.
    expect(failed(c1)).toEqual(['frontline']);
    expect(candidate(ev, 'technical-expert', 'guide-C5')).toMatchObject({
      recommended: true,
      override: { recommended: false, by: 'account:x' },
    });
    // The list rules count the list as overridden: C1 (medal, 技术能手) and C2–C4; C1 is not frontline.
    expect(ev.listRules[0]).toMatchObject({ id: 'frontlineShare', counted: 3, nominees: 4, passed: true });
    expect(candidate(ev, 'technical-expert', 'guide-C4').override).toBeUndefined();
  });

  it('names a unit with enough competitors in places 1–3 a 竞赛先进单位', () => {
    const res = results(event('a', 6), event('b', 6));
    const ev = evaluateHonours(
      getHonourTemplate('county') as HonourRuleSet,
      res,
      people(res, [
        { competitor: 'a-C1', unit: '一厂' },
        { competitor: 'b-C3', unit: '一厂' },
        { competitor: 'a-C2', unit: '二厂' },
        { competitor: 'b-C5', unit: '二厂' },
      ]),
      { class: null },
    );
    expect(recommended(ev, 'advanced-unit')).toEqual(['一厂']);
    expect(candidate(ev, 'advanced-unit', '二厂').conditions[0]?.figure.en).toBe(
      '1 qualifying competitor(s) < 2: a-C2 (a #2)',
    );
  });
});

describe('readPeopleCsv', () => {
  it('reads flags and levels, and names each malformed line', () => {
    const file = readPeopleCsv(
      [
        'competitor,unit,frontline,unionMember,skillLevel,unitHead',
        'C1,一厂,yes,是,技师,no',
        'C2,二厂,maybe,yes,,no',
        'C3,三厂,no,no,grandmaster,no',
        'C1,一厂,yes,yes,,no',
      ].join('\n'),
    );
    expect(file.people).toEqual([
      {
        line: 2,
        competitor: 'C1',
        unit: '一厂',
        frontline: true,
        unionMember: true,
        skillLevel: 'technician',
        unitHead: false,
      },
    ]);
    expect(file.errors.map((e) => [e.line, e.message.en])).toEqual([
      [3, 'frontline "maybe" must be yes or no'],
      [4, expect.stringContaining('unknown skillLevel "grandmaster"')],
      [5, 'competitor C1 is already on line 2'],
    ]);
  });
});

describe('team events', () => {
  /** A team event of pairs T1…Tn (T1 best) beside its members' records: two each, `T<i>-a` and `T<i>-b`. */
  function pairs(n: number, given: Partial<CompetitorRecord & { competitor: string }>[] = []) {
    const res = results(event('Pairs', n));
    const members = res.events[0]?.standings.flatMap((s) =>
      ['a', 'b'].map((m) => ({
        competitor: `${s.competitor}-${m}`,
        team: s.competitor,
        unit: `${s.competitor}-unit`,
        frontline: true,
        unionMember: true,
        skillLevel: 'none' as SkillLevel,
        unitHead: false,
        ...given.find((g) => g.competitor === `${s.competitor}-${m}`),
      })),
    );
    return { res, members: members ?? [] };
  }

  it('gives an individual honour to each member of a covered team, covered per team size', () => {
    const { res, members } = pairs(40);
    const ev = evaluateHonours(template('national-workers'), res, members, { class: null });
    // Pairs: 技术能手 to the top 3 pairs (not the top 5 of individuals), each member named with the team's place.
    expect(recommended(ev, 'technical-expert')).toEqual([
      'Pairs-C1-a',
      'Pairs-C1-b',
      'Pairs-C2-a',
      'Pairs-C2-b',
      'Pairs-C3-a',
      'Pairs-C3-b',
    ]);
    const fourth = candidate(ev, 'technical-expert', 'Pairs-C4-a');
    expect(fourth).toMatchObject({ team: 'Pairs-C4', place: 4, recommended: false });
    expect(fourth.conditions[0]?.figure.en).toBe('place 4 of 40; covers place 1–3');
    // Members of one team share its place: no tie is reported for them.
    expect(ev.ties.filter((t) => t.kind === 'sharedPlace')).toEqual([]);
  });

  it('checks a condition per member, naming the member who fails it', () => {
    const { res, members } = pairs(40, [{ competitor: 'Pairs-C1-b', frontline: false }]);
    const ev = evaluateHonours(template('national-workers'), res, members, { class: null });
    expect(candidate(ev, 'national-may-day-medal', 'Pairs-C1-a').recommended).toBe(true);
    const b = candidate(ev, 'national-may-day-medal', 'Pairs-C1-b');
    expect(b.recommended).toBe(false);
    expect(failed(b)).toEqual(['frontline']);
    // The share rule counts members: member a alone is nominated for the medal.
    const share = ev.listRules.find((r) => r.id === 'frontlineShare');
    expect(share).toMatchObject({ passed: true, counted: 1, nominees: 1 });
  });

  it('counts members in the share rules', () => {
    const { res, members } = pairs(4, [
      { competitor: 'Pairs-C1-b', frontline: false },
      { competitor: 'Pairs-C1-a', unitHead: true },
    ]);
    const ev = evaluateHonours(template('county'), res, members, { class: null });
    expect(recommended(ev, 'priority-candidate')).toEqual(['Pairs-C1-a']);
    const heads = ev.listRules.find((r) => r.id === 'unitHeadShare');
    // Nominees of every individual honour: member a (county medal and priority candidate), one person.
    expect(heads).toMatchObject({ nominees: 1, counted: 1, passed: false });
  });

  it('names the first team 工人先锋号 (worker-pioneer), checking every member', () => {
    const { res, members } = pairs(4);
    const ev = evaluateHonours(template('county'), res, members, { class: null });
    expect(recommended(ev, 'worker-pioneer')).toEqual(['Pairs-C1']);
    const first = candidate(ev, 'worker-pioneer', 'Pairs-C1');
    expect(first).toMatchObject({ recipient: 'team', team: 'Pairs-C1', place: 1, unit: 'Pairs-C1-unit' });
    // Individuals are no team: a team honour lists teams only.
    const mixed = results(event('Pairs', 4), event('Solo', 4));
    const both = evaluateHonours(
      template('county'),
      mixed,
      [...members, ...people(results(event('Solo', 4)))],
      {
        class: null,
      },
    );
    expect(both.candidates.filter((c) => c.honour === 'worker-pioneer').map((c) => c.competitor)).toEqual([
      'Pairs-C1',
      'Pairs-C2',
      'Pairs-C3',
      'Pairs-C4',
    ]);
    expect(recommended(both, 'county-may-day-medal')).toEqual(['Pairs-C1-a', 'Pairs-C1-b', 'Solo-C1']);

    const strict = template('county', (r) => ({
      ...r,
      honours: r.honours.map((h) =>
        h.id === 'worker-pioneer'
          ? {
              ...h,
              conditions: [
                ...h.conditions,
                { kind: 'unionMember', source: 'test: every member a union member' },
              ],
            }
          : h,
      ),
    }));
    const notAll = pairs(4, [{ competitor: 'Pairs-C1-b', unionMember: false }]);
    const c = candidate(
      evaluateHonours(strict, notAll.res, notAll.members, { class: null }),
      'worker-pioneer',
      'Pairs-C1',
    );
    expect(c.recommended).toBe(false);
    expect(c.conditions.find((x) => x.id === 'unionMember')?.figure['zh-CN']).toBe(
      'Pairs-C1-b：不是工会会员',
    );
  });

  it('reads the team column of a people file', () => {
    const file = readPeopleCsv(
      'competitor,unit,frontline,unionMember,skillLevel,unitHead,team\n甲,一厂,yes,yes,技师,no,一厂队\n乙,一厂,no,yes,,no,一厂队\n',
    );
    expect(file.errors).toEqual([]);
    expect(file.people.map((p) => [p.competitor, p.team])).toEqual([
      ['甲', '一厂队'],
      ['乙', '一厂队'],
    ]);
  });
});
