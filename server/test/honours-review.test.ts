import { finalRecommendation } from '@jiangxin/shared';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Built,
  buildCompetition,
  candidate,
  closeRound,
  entrants,
  failed,
  honoursList,
  recommended,
} from './honours-fixtures';
import { pdfFile, pdfPages } from './poppler';
import { auditActions, call } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

/**
 * The organizer's review of the list on real Postgres: who reads it before and after publication, a
 * correction that changes the list (recorded in the audit chain with the list's hash), and overrides,
 * refused without a reason and audited with one.
 */

describe('honours review, corrections and overrides (Postgres)', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let built: Built;
  const logLines: string[] = [];
  const honoursEntries = async () =>
    (await auditActions(app, built.competitionId)).filter((e) => e.action.startsWith('honours.'));

  beforeAll(async () => {
    ({ app } = await testApp('postgres', undefined, { logLines }));
    seed = await seedCompetition(app);
    built = await buildCompetition(app, seed, {
      level: 'county',
      events: {
        钳工: entrants('K', 6, { 2: { unit: '县机械厂' }, 3: { unit: '县机械厂' }, 4: { frontline: false } }),
      },
    });
  }, 120_000);
  afterAll(() => app?.close());

  it('is computed only once published, read by the organizer and the chief judge, by others once the list is published', async () => {
    await closeRound(app, built, '钳工', false);
    await app.honours.settle();
    // A signed-off, decrypted round that is not published: nothing computed and nothing recorded.
    expect((await honoursList(app, built)).candidates).toEqual([]);
    expect(await honoursEntries()).toEqual([]);

    const refusedPublish = await call(app, built.tokens.organizer, 'POST', `${built.C}/honours/publish`);
    expect(refusedPublish.statusCode).toBe(409);
    expect(refusedPublish.json().error.code).toBe('honours_nothing_published');

    const roundId = built.events.get('钳工')?.roundId;
    await call(app, built.tokens.chiefJudge, 'POST', `${built.C}/rounds/${roundId}/publish`);
    await app.honours.settle();
    // The publication changed the list: recorded by the system with its hash, version 1.
    const [first] = await honoursEntries();
    const list = await honoursList(app, built);
    expect(first).toMatchObject({
      action: 'honours.listChanged',
      detail: { list: { version: 1, hash: list.hash, previousHash: null } },
    });
    expect(list.recorded).toEqual({ version: 1, hash: list.hash, current: true });
    expect(recommended(list, 'county-may-day-medal')).toEqual(['K01']);
    expect((await honoursList(app, built, built.tokens.chiefJudge)).hash).toBe(list.hash);

    for (const token of [null, built.tokens.scorekeeper, built.tokens.encryptionOfficer, built.judgeToken]) {
      const res = await call(app, token, 'GET', `${built.C}/honours`);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('honours_not_published');
    }
  }, 60_000);

  it('records a correction that changes the list in the audit chain, with the old and new hashes', async () => {
    const before = await honoursList(app, built);
    const roundId = built.events.get('钳工')?.roundId;
    const R = `${built.C}/rounds/${roundId}`;
    const asked = await call(app, built.tokens.chiefJudge, 'POST', `${R}/corrections`, {
      workstation: built.events.get('钳工')?.codes.get('K01'),
      item: 'practicalSheet',
      seat: 'J1',
      value: '55',
      reason: '复核实操评分表，K01 尺寸超差未扣分',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const approved = await call(
      app,
      built.tokens.chiefJudge,
      'POST',
      `${R}/corrections/${asked.json().correction.id}/approve`,
      { reason: '核对属实' },
    );
    expect(approved.statusCode, approved.body).toBe(200);
    await app.honours.settle();

    const after = await honoursList(app, built);
    expect(after.hash).not.toBe(before.hash);
    expect(after.recorded).toEqual({ version: 2, hash: after.hash, current: true });
    // K01 falls to last, below the pass mark; K02 is first now.
    const k01 = candidate(after, 'county-may-day-medal', 'K01');
    expect(k01.place).toBe(6);
    expect(failed(k01)).toEqual(['place', 'passMark:practical']);
    expect(k01.conditions.find((c) => c.id === 'passMark:practical')?.figure.en).toBe('practical 55.00 < 60');
    expect(recommended(after, 'county-may-day-medal')).toEqual(['K02']);
    const changed = (await honoursEntries()).at(-1);
    expect(changed).toMatchObject({
      action: 'honours.listChanged',
      detail: {
        list: { version: 2, hash: after.hash, previousHash: before.hash, changed: true },
        causes: [{ competitionId: built.competitionId, roundId }],
      },
    });
  }, 60_000);

  it('refuses an override without a reason, naming the field, and writes nothing', async () => {
    const before = (await auditActions(app, built.competitionId)).length;
    const k04 = built.events.get('钳工')?.ids.get('K04');
    const url = `${built.C}/honours/overrides`;
    const missing = await call(app, built.tokens.organizer, 'POST', url, {
      honour: 'priority-candidate',
      competitorId: k04,
      recommended: true,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues).toContainEqual(expect.objectContaining({ field: 'reason' }));
    const blank = await call(
      app,
      built.tokens.organizer,
      'POST',
      url,
      { honour: 'priority-candidate', competitorId: k04, recommended: true, reason: '   ' },
      { 'accept-language': 'en' },
    );
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.issues).toContainEqual({
      field: 'reason',
      message: 'field "reason" must not be empty',
    });
    const unknown = await call(app, built.tokens.organizer, 'POST', url, {
      honour: 'no-such-honour',
      competitorId: k04,
      recommended: true,
      reason: '理由',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'honour_unknown', field: 'honour' });
    const wrongSubject = await call(app, built.tokens.organizer, 'POST', url, {
      honour: 'advanced-unit',
      competitorId: k04,
      recommended: true,
      reason: '理由',
    });
    expect(wrongSubject.statusCode).toBe(400);
    expect(wrongSubject.json().error).toMatchObject({ code: 'honour_subject_mismatch', field: 'unit' });
    const stranger = await call(app, built.tokens.organizer, 'POST', url, {
      honour: 'priority-candidate',
      competitorId: seed.competitors[0]?.id,
      recommended: true,
      reason: '理由',
    });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().error.code).toBe('competitor_not_found');
    const noSuchUnit = await call(app, built.tokens.organizer, 'POST', url, {
      honour: 'advanced-unit',
      unit: '不存在的单位',
      recommended: true,
      reason: '理由',
    });
    expect(noSuchUnit.statusCode).toBe(409);
    expect(noSuchUnit.json().error.code).toBe('honour_candidate_unknown');
    const chief = await call(app, built.tokens.chiefJudge, 'POST', url, {
      honour: 'priority-candidate',
      competitorId: k04,
      recommended: true,
      reason: '理由',
    });
    expect(chief.statusCode).toBe(403);
    expect((await auditActions(app, built.competitionId)).length).toBe(before);
  });

  it('applies an override with a reason: audited in the hash chain, shown in the list, the chain verifies', async () => {
    const before = await honoursList(app, built);
    const k04 = built.events.get('钳工')?.ids.get('K04');
    // K04 (now third) is not a frontline worker: the rules say no; the organizer recommends with a reason.
    expect(failed(candidate(before, 'priority-candidate', 'K04'))).toEqual(['place', 'frontline']);
    const reason = '该选手今年由管理岗转回一线班组，经工会核实按一线职工推荐';
    const res = await call(app, built.tokens.organizer, 'POST', `${built.C}/honours/overrides`, {
      honour: 'priority-candidate',
      competitorId: k04,
      recommended: true,
      reason,
    });
    expect(res.statusCode, res.body).toBe(201);
    const after = await honoursList(app, built);
    const k = candidate(after, 'priority-candidate', 'K04');
    // The rules' verdict stays beside the decision, which the list as sent follows.
    expect(k).toMatchObject({
      recommended: false,
      override: { recommended: true, reason, by: `account:${seed.accounts.organizer.id}` },
    });
    expect(after.overrides).toEqual([
      {
        honour: 'priority-candidate',
        event: '钳工',
        competitor: 'K04',
        recommended: true,
        reason,
        by: `account:${seed.accounts.organizer.id}`,
        at: expect.any(String),
      },
    ]);
    // The failing conditions are still reported: the override says it went against them.
    expect(failed(k)).toEqual(['place', 'frontline']);
    expect(recommended(after, 'priority-candidate').sort()).toEqual(['K02', 'K04']);
    expect(after.recorded).toEqual({ version: 3, hash: after.hash, current: true });
    expect(after.overridesSetAside).toEqual([]);

    const entry = (await honoursEntries()).at(-1);
    expect(entry).toMatchObject({
      action: 'honours.overridden',
      detail: {
        honour: 'priority-candidate',
        recommended: true,
        byRules: false,
        failedConditions: ['place', 'frontline'],
        reason,
        list: { version: 3, hash: after.hash, previousHash: before.hash },
      },
    });

    // A unit honour is overridden by the unit's name: 县机械厂 has K02 and K03 in the top 3 (the rules say yes).
    expect(candidate(after, 'advanced-unit', '县机械厂').recommended).toBe(true);
    const unit = await call(app, built.tokens.organizer, 'POST', `${built.C}/honours/overrides`, {
      honour: 'advanced-unit',
      unit: '县机械厂',
      recommended: false,
      reason: '该单位本年度发生安全生产事故，不予推荐',
    });
    expect(unit.statusCode, unit.body).toBe(201);
    const withUnit = await honoursList(app, built);
    expect(candidate(withUnit, 'advanced-unit', '县机械厂')).toMatchObject({
      recommended: true,
      override: { recommended: false },
    });
    expect(recommended(withUnit, 'advanced-unit')).toEqual([]);

    const verify = await call(app, built.tokens.organizer, 'GET', `${built.C}/audit/verify`);
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it('records a change of a competitor record that changes the list, and sets aside an override whose facts changed', async () => {
    const before = await honoursList(app, built);
    expect(before.recorded.version).toBe(4);
    // The organizer recommended K04 although not a frontline worker; now the record says K04 is one.
    const k04 = built.events.get('钳工')?.ids.get('K04');
    const patched = await call(app, built.tokens.organizer, 'PATCH', `${built.C}/competitors/${k04}`, {
      frontline: true,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await app.honours.settle();
    const after = await honoursList(app, built);
    const k = candidate(after, 'priority-candidate', 'K04');
    // K04 fails only place now: the decision was about other facts, so the rules' verdict stands.
    expect(failed(k)).toEqual(['place']);
    expect(k.recommended).toBe(false);
    expect(k.override).toBeUndefined();
    expect(after.overridesSetAside).toEqual([
      {
        honour: 'priority-candidate',
        competitor: 'K04',
        recommended: true,
        reason: expect.stringContaining('一线班组'),
        because: 'conditionsChanged',
        failedThen: ['place', 'frontline'],
        failedNow: ['place'],
      },
    ]);
    // The unit's override still applies: its facts did not change.
    expect(candidate(after, 'advanced-unit', '县机械厂').override).toMatchObject({ recommended: false });
    expect(after.recorded).toEqual({ version: 5, hash: after.hash, current: true });
    expect((await honoursEntries()).at(-1)).toMatchObject({
      action: 'honours.listChanged',
      detail: {
        list: { version: 5, previousHash: before.hash },
        causes: [{ competitionId: built.competitionId, eventId: built.events.get('钳工')?.eventId }],
      },
    });
  });

  it('exports the list as a draft to the organizer and the chief judge only, until it is published', async () => {
    for (const token of [null, built.tokens.scorekeeper, built.judgeToken]) {
      const refused = await call(app, token, 'GET', `${built.C}/exports/honours.pdf`);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('honours_not_published');
    }
    for (const token of [built.tokens.organizer, built.tokens.chiefJudge]) {
      const draft = await call(app, token, 'GET', `${built.C}/exports/honours.xlsx`);
      expect(draft.statusCode).toBe(200);
      expect(draft.headers['x-results-status']).toBe('draft');
      expect(draft.headers['content-disposition']).toContain('honours-draft.xlsx');
    }
  });

  it('publishes the list: every role reads the same list, overrides and all', async () => {
    const published = await call(app, built.tokens.organizer, 'POST', `${built.C}/honours/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const organizer = await honoursList(app, built);
    for (const token of [null, built.tokens.scorekeeper, built.judgeToken]) {
      const res = await call(app, token, 'GET', `${built.C}/honours`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(organizer);
    }
    expect(organizer.publishedAt).toBe(published.json().publishedAt);
    expect((await honoursEntries()).at(-1)).toMatchObject({
      action: 'honours.published',
      detail: { list: { hash: organizer.hash, changed: false } },
    });
    // The exports render the list as it is, for anyone now: the workbook shows the rules' verdict, the
    // final one and the override with its reason; the PDF's text names the title and every one recommended.
    const xlsx = await call(app, null, 'GET', `${built.C}/exports/honours.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['x-results-status']).toBe('official');
    expect(xlsx.headers['x-audit-position']).toMatch(/^\d+:[0-9a-f]{64}$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    const rows: unknown[][] = [];
    workbook.getWorksheet('推荐名单 Candidates')?.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    expect(rows).toHaveLength(organizer.candidates.length);
    expect(rows.find((r) => r[0] === '竞赛先进单位' && r[1] === '县机械厂')?.slice(6, 9)).toEqual([
      '是',
      '否',
      `改为不推荐：该单位本年度发生安全生产事故，不予推荐（account:${seed.accounts.organizer.id}）`,
    ]);
    const pdf = await call(app, null, 'GET', `${built.C}/exports/honours.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = pdfPages(pdfFile(pdf.rawPayload)).join('\n');
    expect(text).toContain('荣誉推荐名单');
    expect(text).toContain(organizer.competition.name);
    const finalNames = organizer.candidates.filter(finalRecommendation).map((c) => c.competitor);
    expect(finalNames.length).toBeGreaterThan(0);
    for (const name of finalNames) expect(text).toContain(name);

    const again = await call(app, built.tokens.organizer, 'POST', `${built.C}/honours/publish`);
    expect(again.statusCode).toBe(409);
  });

  it('logged no error', async () => {
    await app.honours.settle();
    expect(logLines.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
  });
});
