import { getHonourTemplate, type HonourRuleSet, type HonoursListResponse } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCompetition,
  candidate,
  closeRound,
  entrants,
  failed,
  figure,
  honoursList,
  putRules,
  recommended,
} from './honours-fixtures';
import { call } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

/**
 * Each honour template on a competition built through the real API on real Postgres: registered with the
 * competitors' records, marked by a judge's tablet, signed off, decrypted and published; then the list the
 * server computes with the shared evaluateHonours, every condition with its figure.
 */

const edited = (name: string, edit: (rules: HonourRuleSet) => void) => {
  const rules = structuredClone(getHonourTemplate(name) as HonourRuleSet);
  edit(rules);
  return rules;
};

const logLines: string[] = [];
describe('honour templates on constructed competitions (Postgres)', () => {
  let app: FastifyInstance;
  let seed: Seeded;

  beforeAll(async () => {
    ({ app } = await testApp('postgres', undefined, { logLines }));
    seed = await seedCompetition(app);
  }, 60_000);
  afterAll(() => app?.close());

  it('lists the templates with their classes to anyone', async () => {
    const res = await call(app, null, 'GET', '/api/honour-templates');
    expect(res.statusCode).toBe(200);
    expect(
      res.json().map((t: { name: string; competitionClass: string }) => [t.name, t.competitionClass]),
    ).toEqual([
      ['national-workers', 'national-I'],
      ['provincial-class-1', 'provincial-I'],
      ['provincial-class-2', 'provincial-II'],
      ['city', 'city'],
      ['county', 'county'],
    ]);
  });

  it('provincial-class-1: an event below the minimum size recommends no medal, naming minEntrants; an unpublished event is not computed', async () => {
    const built = await buildCompetition(app, seed, {
      level: 'provincial',
      grade: 'I',
      events: { 焊工: entrants('H', 12), 电工: entrants('D', 4) },
    });
    const rules = await call(app, built.tokens.organizer, 'GET', `${built.C}/honours/rules`);
    expect(rules.json()).toMatchObject({
      competitionClass: 'provincial-I',
      defaultTemplate: 'provincial-class-1',
      template: 'provincial-class-1',
      stored: false,
    });

    // Nothing published: nothing computed, even for the organizer.
    await closeRound(app, built, '焊工', false);
    let list = await honoursList(app, built);
    expect(list.candidates).toEqual([]);
    expect(list.events.map((e) => [e.event, e.status])).toEqual([
      ['焊工', 'notPublished'],
      ['电工', 'notPublished'],
    ]);

    await call(
      app,
      built.tokens.chiefJudge,
      'POST',
      `${built.C}/rounds/${built.events.get('焊工')?.roundId}/publish`,
    );
    list = await honoursList(app, built);
    expect(list.events.map((e) => e.status)).toEqual(['computed', 'notPublished']);
    // Only the published event's competitors are candidates.
    expect(new Set(list.candidates.map((c) => c.event))).toEqual(new Set(['焊工']));
    const first = candidate(list, 'provincial-may-day-medal', 'H01');
    expect(first).toMatchObject({
      place: 1,
      recommended: false,
      competitorId: built.events.get('焊工')?.ids.get('H01'),
    });
    expect(failed(first)).toEqual(['minEntrants']);
    expect(figure(first, 'minEntrants')?.en).toBe('12 ranked competitors in the event < 30');
    expect(figure(first, 'place')?.en).toBe('place 1 of 12; covers place 1');
    expect(figure(first, 'competitionClass')?.en).toBe(
      'competition class provincial-I; required: provincial-I',
    );
    expect(figure(first, 'passMark:practical')?.en).toBe('practical 95.00 ≥ 60');
    expect(recommended(list, 'technical-expert')).toEqual([]);
  }, 120_000);

  it('county: a first place who is not a frontline worker is not recommended; a tie for first place shares the medal; a unit with two in the top 3 is an advanced unit', async () => {
    const built = await buildCompetition(app, seed, {
      level: 'county',
      events: {
        茶艺: entrants('T', 6, {
          1: { frontline: false },
          2: { unit: '县茶厂' },
          3: { unit: '县茶厂' },
        }),
        面点: entrants('M', 5, { 2: { practical: '95' } }),
      },
    });
    await closeRound(app, built, '茶艺');
    await closeRound(app, built, '面点');
    const list = await honoursList(app, built);
    expect(list.ruleSet).toMatchObject({ id: 'county', template: 'county', stored: false });
    expect(list.competitionClass).toBe('county');

    const t01 = candidate(list, 'county-may-day-medal', 'T01');
    expect(t01.recommended).toBe(false);
    expect(failed(t01)).toEqual(['frontline']);
    expect(figure(t01, 'frontline')).toEqual({ 'zh-CN': '不是一线职工', en: 'not a frontline worker' });
    expect(recommended(list, 'priority-candidate').sort()).toEqual(['M01', 'M02']);

    // M01 and M02 share first place: both recommended, the tie reported as shared.
    expect(candidate(list, 'county-may-day-medal', 'M02').place).toBe(1);
    expect(recommended(list, 'county-may-day-medal').sort()).toEqual(['M01', 'M02']);
    const tie = list.ties.find((t) => t.honour === 'county-may-day-medal');
    expect(tie).toMatchObject({ kind: 'sharedPlace', event: '面点', place: 1, resolution: 'shared' });
    expect(tie?.competitors.sort()).toEqual(['M01', 'M02']);
    const unit = candidate(list, 'advanced-unit', '县茶厂');
    expect(unit.recommended).toBe(true);
    expect(unit.conditions[0]?.figure.en).toBe(
      '2 qualifying competitor(s) ≥ 2: T02 (茶艺 #2), T03 (茶艺 #3)',
    );
    expect(recommended(list, 'advanced-unit')).toEqual(['县茶厂']);
  }, 120_000);

  it('city: a disqualified winner has no place and fails notDisqualified; the rule set is edited (errors name the path)', async () => {
    const built = await buildCompetition(app, seed, {
      level: 'city',
      events: { 电焊: entrants('W', 6, { 1: { practical: '99', veto: true } }) },
    });
    await closeRound(app, built, '电焊');

    const invalid = await call(app, built.tokens.organizer, 'PUT', `${built.C}/honours/rules`, {
      rules: edited('city', (r) => {
        const medal = r.honours[0];
        if (medal) medal.covers = { ...medal.covers, from: 3, to: 1 };
      }),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: 'honour_rules_invalid', field: 'rules' });
    expect(invalid.json().error.errors.map((e: { path: string }) => e.path)).toContain(
      'rules.honours.0.covers.to',
    );
    const unknown = await call(app, built.tokens.organizer, 'PUT', `${built.C}/honours/rules`, {
      rules: 'atlantis',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('honour_template_unknown');

    // The city template's minimum of 30 entrants is a parameter: this organizer sets it to 5.
    const stored = await putRules(
      app,
      built,
      edited('city', (r) => {
        for (const c of r.honours[0]?.conditions ?? []) if (c.kind === 'minEntrants') c.count = 5;
      }),
    );
    expect(stored).toMatchObject({ stored: true, template: 'city' });
    const list = await honoursList(app, built);
    const w01 = candidate(list, 'city-may-day-medal', 'W01');
    expect(w01).toMatchObject({ place: null, recommended: false });
    expect(failed(w01)).toEqual(['place', 'notDisqualified']);
    expect(figure(w01, 'notDisqualified')?.en).toBe('disqualified by safety');
    expect(figure(w01, 'place')?.en).toMatch(/^no place \(disqualified\)/);
    // The next competitor is first of the 5 ranked, and takes the medal.
    expect(candidate(list, 'city-may-day-medal', 'W02').place).toBe(1);
    expect(recommended(list, 'city-may-day-medal')).toEqual(['W02']);
    expect(figure(candidate(list, 'city-may-day-medal', 'W02'), 'minEntrants')?.en).toBe(
      '5 ranked competitors in the event ≥ 5',
    );
  }, 120_000);

  it('national-workers: first places tied at the quota boundary are reported, not cut; a promotion depends on the level held', async () => {
    const built = await buildCompetition(app, seed, {
      level: 'national',
      grade: 'I',
      events: {
        钳工: entrants('Q', 7, {
          1: { skillLevel: 'technician' },
          2: { skillLevel: 'senior' },
          3: { skillLevel: 'seniorTechnician' },
          6: { skillLevel: 'senior' },
        }),
        车工: entrants('C', 5),
      },
    });
    await closeRound(app, built, '钳工');
    await closeRound(app, built, '车工');
    // A quota of 1 medal for the competition, and no minimum size: two first places for one medal.
    await putRules(
      app,
      built,
      edited('national-workers', (r) => {
        const medal = r.honours[0];
        if (!medal) return;
        medal.conditions = medal.conditions
          .filter((c) => c.kind !== 'minEntrants')
          .map((c) => (c.kind === 'quota' ? { ...c, max: 1 } : c));
      }),
    );
    const list = await honoursList(app, built);
    expect(list.competitionClass).toBe('national-I');
    expect(recommended(list, 'national-may-day-medal')).toEqual([]);
    for (const name of ['Q01', 'C01']) {
      const c = candidate(list, 'national-may-day-medal', name);
      expect(failed(c)).toEqual(['quota']);
      expect(figure(c, 'quota')?.en).toBe(
        '2 share place 1 for 1 remaining of 1 places: the organizer decides',
      );
    }
    expect(list.ties).toContainEqual(
      expect.objectContaining({
        honour: 'national-may-day-medal',
        kind: 'quotaBoundary',
        place: 1,
        competitors: ['Q01', 'C01'],
        resolution: 'organizerDecides',
      }),
    );

    const promotion = (name: string, honour = 'promotion') => candidate(list, honour, name);
    expect(promotion('Q01')).toMatchObject({ recommended: true, awarded: 'seniorTechnician' });
    expect(figure(promotion('Q01'), 'skillLevel')?.en).toBe(
      'holds technician → promoted to senior technician',
    );
    expect(promotion('Q02')).toMatchObject({ recommended: true, awarded: 'technician' });
    expect(promotion('Q03')).toMatchObject({ recommended: false, awarded: null });
    expect(failed(promotion('Q03'))).toEqual(['skillLevel']);
    expect(promotion('Q04')).toMatchObject({ recommended: true, awarded: 'technician' });
    expect(promotion('Q06', 'promotion-6-20')).toMatchObject({ recommended: true, awarded: 'technician' });
    expect(promotion('Q07', 'promotion-6-20')).toMatchObject({ recommended: true, awarded: 'senior' });
  }, 120_000);

  it('provincial-class-2: a list breaking the frontline share rule is reported with its figures', async () => {
    const built = await buildCompetition(app, seed, {
      level: 'provincial',
      grade: 'II',
      events: {
        维修电工: entrants('E', 30, { 1: { frontline: false, unitHead: true }, 2: { frontline: false } }),
      },
    });
    await closeRound(app, built, '维修电工');
    const list: HonoursListResponse = await honoursList(app, built);
    expect(list.ruleSet.template).toBe('provincial-class-2');
    expect(recommended(list, 'technical-expert')).toEqual(['E01', 'E02', 'E03']);
    expect(figure(candidate(list, 'technical-expert', 'E01'), 'minEntrants')?.en).toBe(
      '30 ranked competitors in the event ≥ 30',
    );
    expect(list.listRules).toEqual([
      expect.objectContaining({
        id: 'frontlineShare',
        passed: false,
        counted: 1,
        nominees: 3,
        figure: expect.objectContaining({ en: '1 of 3 nominees are frontline workers (33.3%) < 60%' }),
      }),
      expect.objectContaining({ id: 'unitHeadShare', passed: false, counted: 1, nominees: 3 }),
    ]);
  }, 180_000);

  it('logged no error, the recordings after each publication included', async () => {
    await app.honours.settle();
    expect(logLines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });
});
