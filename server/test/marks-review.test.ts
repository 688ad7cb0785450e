import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type SchemeInput, templateInputs } from '@jiangxin/shared';
import { and, count, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChanges } from '../src/changes';
import { verifyAudit } from '../src/cli/verify-audit';
import { openDatabase } from '../src/db/client';
import {
  auditLog,
  competitions,
  competitors,
  events,
  marks,
  panelSeats,
  panels,
  recusals,
  rounds,
  workstations,
} from '../src/db/schema';
import { audited } from '../src/modules/audit/service';
import { drivers } from './databases';
import { bearer, type Seeded, seedCompetition, testApp } from './support';

/** A small scheme every seat can finish: one judgement aspect marked 0–10 by three judges. */
const simple: SchemeInput = {
  id: 'simple',
  name: '作品评价',
  nameEn: 'Piece',
  components: [
    {
      id: 'practical',
      name: '实操',
      aspects: [
        {
          kind: 'judgement',
          id: 'quality',
          name: '作品质量',
          nameEn: 'Quality',
          panel: 3,
          range: { min: '0', max: '10' },
          step: '0.5',
          aggregation: { method: 'mean', dropHighest: 0, dropLowest: 0 },
        },
      ],
    },
  ],
};

/** Adds an event with its Final round, competitors at the given workstations and a panel of seed judges. */
async function addEvent(
  app: FastifyInstance,
  seed: Seeded,
  scheme: SchemeInput,
  options: { codes: string[]; names: string[]; aspects: string[]; judges: number[] },
) {
  const db = app.db;
  const [event] = await db
    .insert(events)
    .values({ competitionId: seed.competition.id, name: scheme.name, scheme })
    .returning();
  if (!event) throw new Error('seed');
  const [round] = await db.insert(rounds).values({ eventId: event.id, key: 'Final' }).returning();
  if (!round) throw new Error('seed');
  const rows = await db
    .insert(competitors)
    .values(
      options.names.map((name, i) => ({
        competitionId: seed.competition.id,
        eventId: event.id,
        name,
        unit: `参赛单位${i + 1}`,
        region: '福州',
        frontline: true,
        unionMember: true,
        entryNumber: i + 1,
      })),
    )
    .returning();
  await db
    .insert(workstations)
    .values(rows.map((c, i) => ({ roundId: round.id, competitorId: c.id, code: options.codes[i] ?? '' })));
  const [panel] = await db
    .insert(panels)
    .values({ eventId: event.id, name: `${scheme.name}裁判组`, aspects: options.aspects })
    .returning();
  if (!panel) throw new Error('seed');
  await db.insert(panelSeats).values(
    options.judges.map((j, i) => ({
      panelId: panel.id,
      judgeId: seed.judges[j]?.id ?? '',
      seat: `J${i + 1}`,
    })),
  );
  return { event, round, panel, competitors: rows };
}

describe.each(drivers)('review, sign-off, corrections, publication and audit on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let ws: Awaited<ReturnType<typeof addEvent>>;
  let sm: Awaited<ReturnType<typeof addEvent>>;

  const at = (round: { id: string }, path: string) =>
    `/api/competitions/${seed.competition.id}/rounds/${round.id}/${path}`;
  const get = (round: { id: string }, path: string, token?: string) =>
    app.inject({ url: at(round, path), headers: token ? bearer(token) : {} });
  const post = (round: { id: string }, path: string, token: string, payload?: object) =>
    app.inject({
      method: 'POST',
      url: at(round, path),
      headers: bearer(token),
      ...(payload ? { payload } : {}),
    });
  const mark = async (
    round: { id: string },
    judge: number,
    workstation: string,
    item: string,
    value: string,
  ) => {
    const res = await post(round, 'marks', seed.tokens.judge(judge), {
      id: randomUUID(),
      workstation,
      item,
      value,
    });
    expect(res.statusCode).toBe(201);
    return res.json().mark;
  };

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    const worldskills = templateInputs.worldskills;
    if (!worldskills) throw new Error('no worldskills template');
    ws = await addEvent(app, seed, worldskills, {
      codes: ['W01', 'W02'],
      names: ['刘洋', '黄敏'],
      aspects: ['A7'],
      judges: [0, 1, 2],
    });
    sm = await addEvent(app, seed, simple, {
      codes: ['S01', 'S02', 'S03'],
      names: ['郑凯', '吴芳', '冯磊'],
      aspects: [],
      judges: [0, 1, 2],
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the chief judge the standings by workstation, missing marks and tolerance flags', async () => {
    await mark(ws.round, 0, 'W01', 'A7', '1');
    await mark(ws.round, 1, 'W01', 'A7', '3');
    await mark(ws.round, 2, 'W01', 'A7', '2');
    await mark(ws.round, 0, 'W02', 'A7', '2');
    await mark(ws.round, 1, 'W02', 'A7', '2');

    const res = await get(ws.round, 'review', seed.tokens.chiefJudge);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(JSON.stringify(body)).not.toMatch(/刘洋|黄敏/);
    expect(body.event.standings.map((s: { competitor: string }) => s.competitor).sort()).toEqual([
      'W01',
      'W02',
    ]);
    const [w01, w02] = body.competitors;
    expect(w01.workstation).toBe('W01');
    expect(w01.flags).toContainEqual({
      workstation: 'W01',
      item: 'A7',
      flag: { code: 'toleranceExceeded', spread: '2', maxSpread: '1', fallback: false },
      blocking: true,
    });
    expect(w02.missing).toContainEqual({
      workstation: 'W02',
      item: 'A7',
      expected: 3,
      received: 2,
      seats: ['J3'],
      unassigned: false,
    });
    expect(w02.missing).toContainEqual(expect.objectContaining({ item: 'A1', unassigned: true, seats: [] }));
    expect(w01.missing.some((m: { item: string }) => m.item === 'A7')).toBe(false);
    expect(body.blockers.flagged).toEqual([expect.objectContaining({ workstation: 'W01', item: 'A7' })]);
    const a7 = body.event.standings
      .find((s: { competitor: string }) => s.competitor === 'W01')
      .components[0].aspects.find((a: { aspect: string }) => a.aspect === 'A7');
    expect(a7.used.map((m: { judge: string }) => m.judge).sort()).toEqual(['J1', 'J2', 'J3']);

    for (const [token, status] of [
      [seed.tokens.organizer, 403],
      [seed.tokens.judge(0), 403],
      [undefined, 401],
    ] as const) {
      expect((await get(ws.round, 'review', token)).statusCode).toBe(status);
    }
  });

  it('orders a re-mark that stays open on each tablet until that judge marks again', async () => {
    const order = await post(ws.round, 'remarks', seed.tokens.chiefJudge, {
      workstation: 'W01',
      item: 'A7',
      reason: '评分差距超过 1 分，请复议后重新评分',
    });
    expect(order.statusCode).toBe(201);
    expect(order.json().remark).toMatchObject({
      workstation: 'W01',
      item: 'A7',
      pendingSeats: ['J1', 'J2', 'J3'],
    });
    const myRemarks = async (judge: number) =>
      (await get(ws.round, 'my-marks', seed.tokens.judge(judge))).json().remarks;
    expect(await myRemarks(0)).toEqual([expect.objectContaining({ workstation: 'W01', item: 'A7' })]);
    await mark(ws.round, 0, 'W01', 'A7', '1');
    expect(await myRemarks(0)).toEqual([]);
    expect(await myRemarks(1)).toHaveLength(1);
    const review = (await get(ws.round, 'review', seed.tokens.chiefJudge)).json();
    expect(review.blockers.openRemarks).toEqual([expect.objectContaining({ pendingSeats: ['J2', 'J3'] })]);

    const bad = await post(ws.round, 'remarks', seed.tokens.chiefJudge, {
      workstation: 'W09',
      item: 'A7',
      reason: 'x',
    });
    expect(bad.json().error.code).toBe('workstation_unknown');
    const empty = await post(ws.round, 'remarks', seed.tokens.chiefJudge, {
      workstation: 'W01',
      item: 'A7',
      reason: ' ',
    });
    expect(empty.statusCode).toBe(400);
    expect(
      (await post(ws.round, 'remarks', seed.tokens.judge(0), { workstation: 'W01', item: 'A7', reason: 'x' }))
        .statusCode,
    ).toBe(403);
    const [entry] = await app.db.select().from(auditLog).where(eq(auditLog.action, 'remark.ordered'));
    expect(entry?.detail).toMatchObject({ workstation: 'W01', item: 'A7' });
  });

  it('refuses sign-off while marks are missing, flagged or re-marks open, unless forced with a reason', async () => {
    const blocked = await post(ws.round, 'sign-off', seed.tokens.chiefJudge, { confirm: true });
    expect(blocked.statusCode).toBe(409);
    const error = blocked.json().error;
    expect(error.code).toBe('sign_off_blocked');
    expect(error.blockers.missing).toContainEqual(
      expect.objectContaining({ workstation: 'W02', item: 'A7', seats: ['J3'] }),
    );
    expect(error.blockers.flagged).toEqual([expect.objectContaining({ workstation: 'W01', item: 'A7' })]);
    expect(error.blockers.openRemarks).toHaveLength(1);
    expect(error.message).toMatch(/缺少评分/);

    for (const payload of [{ confirm: true, force: true }, { confirm: false }, {}]) {
      expect((await post(ws.round, 'sign-off', seed.tokens.chiefJudge, payload)).statusCode).toBe(400);
    }
    expect((await post(ws.round, 'sign-off', seed.tokens.organizer, { confirm: true })).statusCode).toBe(403);
    const [before] = await app.db.select().from(rounds).where(eq(rounds.id, ws.round.id));
    expect(before?.signedOffAt).toBeNull();

    const forced = await post(ws.round, 'sign-off', seed.tokens.chiefJudge, {
      confirm: true,
      force: true,
      reason: '其余评分项由测量组纸质评分表另行归档',
    });
    expect(forced.statusCode).toBe(200);
    expect(forced.json()).toMatchObject({ forced: true, round: { signedOffAt: expect.any(String) } });
    const again = await post(ws.round, 'sign-off', seed.tokens.chiefJudge, { confirm: true });
    expect(again.json().error.code).toBe('round_already_signed_off');
    const [entry] = await app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'round.signedOff'), eq(auditLog.subject, `round:${ws.round.id}`)));
    expect(entry?.detail).toMatchObject({
      forced: true,
      reason: '其余评分项由测量组纸质评分表另行归档',
      flagged: 1,
    });
    expect(
      (
        await post(ws.round, 'remarks', seed.tokens.chiefJudge, {
          workstation: 'W01',
          item: 'A7',
          reason: 'x',
        })
      ).json().error.code,
    ).toBe('round_signed_off');
  });

  it('publishes by workstation code before decryption and by name after; decryption is the officer’s', async () => {
    for (const token of [undefined, seed.tokens.display, seed.tokens.judge(0)]) {
      const hidden = await get(ws.round, 'results', token);
      expect(hidden.statusCode).toBe(403);
      expect(hidden.json().error.code).toBe('results_not_published');
    }
    const early = await get(ws.round, 'results', seed.tokens.chiefJudge);
    expect(early.statusCode).toBe(200);
    expect(early.json().labels).toBe('workstation');

    expect((await post(ws.round, 'decrypt', seed.tokens.chiefJudge)).statusCode).toBe(403);
    expect((await post(ws.round, 'publish', seed.tokens.scorekeeper)).statusCode).toBe(403);
    const published = await post(ws.round, 'publish', seed.tokens.organizer);
    expect(published.statusCode).toBe(200);
    expect(published.json().round.publishedAt).toEqual(expect.any(String));
    expect((await post(ws.round, 'publish', seed.tokens.chiefJudge)).json().error.code).toBe(
      'round_already_published',
    );

    const byCode = await get(ws.round, 'results');
    expect(byCode.statusCode).toBe(200);
    expect(byCode.json().labels).toBe('workstation');
    expect(
      byCode
        .json()
        .event.standings.map((s: { competitor: string }) => s.competitor)
        .sort(),
    ).toEqual(['W01', 'W02']);
    expect(byCode.body).not.toMatch(/刘洋|黄敏/);

    const decrypted = await post(ws.round, 'decrypt', seed.tokens.encryptionOfficer);
    expect(decrypted.statusCode).toBe(200);
    expect(decrypted.json().round.decryptedAt).toEqual(expect.any(String));
    expect((await post(ws.round, 'decrypt', seed.tokens.encryptionOfficer)).json().error.code).toBe(
      'round_already_decrypted',
    );
    const byName = (await get(ws.round, 'results')).json();
    expect(byName.labels).toBe('name');
    expect(byName.event.standings.map((s: { competitor: string }) => s.competitor).sort()).toEqual(
      ['刘洋', '黄敏'].sort(),
    );
    expect(byName.competitors).toContainEqual({
      label: '刘洋',
      workstation: 'W01',
      name: '刘洋',
      unit: '参赛单位1',
    });
    const review = (await get(ws.round, 'review', seed.tokens.chiefJudge)).json();
    expect(review.competitors[0]).toMatchObject({ workstation: 'W01', name: '刘洋' });
  });

  it('lists a competitor without a mark last, flagged, with no total, in review, results, the live snapshot and the reveal', async () => {
    // A competition of its own, so its ceremony stays out of the audit trail checked below.
    const own = await seedCompetition(app, { name: '缺考测试赛' });
    const nm = await addEvent(app, own, simple, {
      codes: ['N01', 'N02', 'N03'],
      names: ['周一', '周二', '周三'],
      aspects: [],
      judges: [0, 1, 2],
    });
    const call = (path: string, token?: string, payload?: object) =>
      app.inject({
        method: payload ? 'POST' : 'GET',
        url: `/api/competitions/${own.competition.id}/rounds/${nm.round.id}/${path}`,
        headers: token ? bearer(token) : {},
        ...(payload ? { payload } : {}),
      });
    for (const [workstation, value] of [
      ['N01', '8'],
      ['N02', '6'],
    ] as const) {
      for (const judge of [0, 1, 2]) {
        const res = await call('marks', own.tokens.judge(judge), {
          id: randomUUID(),
          workstation,
          item: 'quality',
          value,
        });
        expect(res.statusCode).toBe(201);
      }
    }

    type Line = { competitor: string; rank: number | null; total: string | null; flags: { code: string }[] };
    const lines = (standings: Line[]) => standings.map((s) => [s.competitor, s.rank, s.total]);
    const expected = [
      ['N01', 1, '8.00'],
      ['N02', 2, '6.00'],
      ['N03', 3, null],
    ];
    const review = (await call('review', own.tokens.chiefJudge)).json();
    expect(lines(review.event.standings)).toEqual(expected);
    expect(review.event.standings[2].flags).toContainEqual({ code: 'noMarks' });
    expect(review.event.rounds[0].standings.map((s: Line) => s.competitor)).toEqual(['N01', 'N02', 'N03']);
    const n03 = review.competitors.find((c: { workstation: string }) => c.workstation === 'N03');
    expect(n03).toMatchObject({ complete: false, missing: [{ item: 'quality', expected: 3, received: 0 }] });
    expect(n03.flags).toContainEqual({
      workstation: 'N03',
      item: null,
      flag: { code: 'noMarks' },
      blocking: false,
    });
    // Sign-off sees what is missing, as for any missing mark: forced with a reason, it goes through.
    expect((await call('sign-off', own.tokens.chiefJudge, { confirm: true })).statusCode).toBe(409);
    const forced = await call('sign-off', own.tokens.chiefJudge, {
      confirm: true,
      force: true,
      reason: 'N03 缺考',
    });
    expect(forced.statusCode, forced.body).toBe(200);
    expect((await call('publish', own.tokens.organizer, {})).statusCode).toBe(200);

    const published = (await call('results')).json();
    expect(lines(published.event.standings)).toEqual(expected);
    expect(published.competitors.map((c: { workstation: string }) => c.workstation)).toEqual([
      'N01',
      'N02',
      'N03',
    ]);
    const shown = async () => {
      await app.live.settle();
      await app.pushes.settle();
      return (await call('live')).json();
    };
    expect(lines((await shown()).standings)).toEqual(expected);

    // The ceremony counts three places: two reveals leave one hidden; the third thaws the round.
    expect((await call('freeze', own.tokens.chiefJudge, {})).statusCode).toBe(200);
    expect((await call('reveal', own.tokens.chiefJudge, {})).json()).toMatchObject({
      frozen: true,
      revealed: 1,
    });
    const frozen = await shown();
    expect(frozen.frozen).toEqual({ revealed: 1, hidden: 2 });
    expect(lines(frozen.standings)).toEqual([['N03', 3, null]]);
    expect((await call('reveal', own.tokens.chiefJudge, {})).json()).toMatchObject({
      frozen: true,
      revealed: 2,
    });
    expect((await call('reveal', own.tokens.chiefJudge, {})).json()).toMatchObject({ frozen: false });
  });

  it('signs off a complete round; after it only an approved correction changes a mark', async () => {
    const notYet = await post(sm.round, 'decrypt', seed.tokens.encryptionOfficer);
    expect(notYet.statusCode).toBe(409);
    expect(notYet.json().error.code).toBe('round_not_signed_off');
    expect((await post(sm.round, 'publish', seed.tokens.chiefJudge)).json().error.code).toBe(
      'round_not_signed_off',
    );

    const values: Record<string, string[]> = {
      S01: ['8', '7', '8'],
      S02: ['6', '6.5', '7'],
      S03: ['9', '9', '9.5'],
    };
    for (const [code, list] of Object.entries(values)) {
      for (const [judge, value] of list.entries()) await mark(sm.round, judge, code, 'quality', value);
    }
    const clean = (await get(sm.round, 'review', seed.tokens.chiefJudge)).json();
    expect(clean.blockers).toEqual({ missing: [], unconfirmedPaper: [], flagged: [], openRemarks: [] });
    expect(clean.competitors.every((c: { complete: boolean }) => c.complete)).toBe(true);
    const signed = await post(sm.round, 'sign-off', seed.tokens.chiefJudge, { confirm: true });
    expect(signed.statusCode).toBe(200);
    expect(signed.json().forced).toBe(false);

    const total = async (code: string) =>
      (await get(sm.round, 'review', seed.tokens.chiefJudge))
        .json()
        .event.standings.find((s: { competitor: string }) => s.competitor === code).total;
    expect(await total('S01')).toBe('7.67');

    const request = (token: string, payload: object) => post(sm.round, 'corrections', token, payload);
    const body = {
      workstation: 'S01',
      item: 'quality',
      seat: 'J2',
      value: '9',
      reason: '裁判 J2 平板误触，纸质评分表为 9 分',
    };
    expect((await request(seed.tokens.scorekeeper, { ...body, reason: '' })).statusCode).toBe(400);
    expect((await request(seed.tokens.scorekeeper, { ...body, value: '9.2' })).json().error.code).toBe(
      'value_invalid',
    );
    // A judge asks only for their own seat (J1 here).
    const notMine = await request(seed.tokens.judge(0), body);
    expect(notMine.statusCode).toBe(403);
    expect(notMine.json().error.code).toBe('not_your_seat');
    const requested = await request(seed.tokens.scorekeeper, body);
    expect(requested.statusCode).toBe(201);
    const correction = requested.json().correction;
    expect(correction).toMatchObject({ status: 'pending', seat: 'J2', value: '9', currentValue: '7' });
    expect(await total('S01')).toBe('7.67');

    const decide = (id: string, what: string, token: string, reason = '核对纸质评分表属实') =>
      post(sm.round, `corrections/${id}/${what}`, token, { reason });
    expect((await decide(correction.id, 'approve', seed.tokens.scorekeeper)).statusCode).toBe(403);
    expect(
      (await post(sm.round, `corrections/${correction.id}/approve`, seed.tokens.chiefJudge, {})).statusCode,
    ).toBe(400);
    const approved = await decide(correction.id, 'approve', seed.tokens.chiefJudge);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      correction: { status: 'approved', decisionReason: '核对纸质评分表属实', currentValue: '9' },
      mark: { source: 'correction', value: '9', seat: 'J2', workstation: 'S01' },
    });
    expect(await total('S01')).toBe('8.33');
    expect((await decide(correction.id, 'reject', seed.tokens.chiefJudge)).json().error.code).toBe(
      'correction_decided',
    );
    const s01 = seed.judges[1];
    const [rows] = await app.db
      .select({ n: count() })
      .from(marks)
      .where(and(eq(marks.roundId, sm.round.id), eq(marks.judgeId, s01?.id ?? '')));
    expect(Number(rows?.n)).toBe(4);

    const other = await request(seed.tokens.chiefJudge, {
      ...body,
      workstation: 'S02',
      seat: 'J1',
      value: '0',
    });
    const rejected = await decide(other.json().correction.id, 'reject', seed.tokens.chiefJudge, '无依据');
    expect(rejected.json()).toMatchObject({ correction: { status: 'rejected' }, mark: null });
    expect(await total('S02')).toBe('6.50');
    const list = (await get(sm.round, 'corrections', seed.tokens.scorekeeper)).json().corrections;
    expect(list.map((c: { status: string }) => c.status)).toEqual(['approved', 'rejected']);
    const unknown = await decide(randomUUID(), 'approve', seed.tokens.chiefJudge);
    expect(unknown.json().error.code).toBe('correction_unknown');
    // A correction in another round's path is not found there.
    expect(
      (await post(ws.round, `corrections/${correction.id}/approve`, seed.tokens.chiefJudge, { reason: 'x' }))
        .statusCode,
    ).toBe(404);

    const decrypted = await post(sm.round, 'decrypt', seed.tokens.encryptionOfficer);
    expect(decrypted.statusCode).toBe(200);
    expect((await post(sm.round, 'publish', seed.tokens.chiefJudge)).statusCode).toBe(200);
    const results = (await get(sm.round, 'results')).json();
    expect(
      results.event.standings.map((s: { competitor: string; total: string }) => [s.competitor, s.total]),
    ).toEqual([
      ['冯磊', '9.17'],
      ['郑凯', '8.33'],
      ['吴芳', '6.50'],
    ]);
  });

  it('lets a judge ask for a correction of their own seat after sign-off and follow it on the tablet', async () => {
    const tc = await addEvent(app, seed, simple, {
      codes: ['T01', 'T02'],
      names: ['秦川', '许诺'],
      aspects: [],
      judges: [0, 1, 2],
    });
    const [first, second] = tc.competitors;
    const [j0, , j2] = seed.judges;
    const [tablet0, tablet1] = seed.tablets;
    if (!first || !second || !j0 || !j2 || !tablet0 || !tablet1) throw new Error('seed');
    await app.db
      .insert(recusals)
      .values({ panelId: tc.panel.id, judgeId: j2.id, competitorId: second.id, reason: '同一单位' });
    for (const [judge, value] of ['8', '7', '8'].entries())
      await mark(tc.round, judge, 'T01', 'quality', value);
    for (const [judge, value] of ['6', '6.5'].entries()) await mark(tc.round, judge, 'T02', 'quality', value);

    const ask = (judge: number, payload: object) =>
      post(tc.round, 'corrections', seed.tokens.judge(judge), {
        workstation: 'T01',
        item: 'quality',
        value: '9',
        reason: '平板误触，本人评分应为 9 分',
        ...payload,
      });
    const early = await ask(0, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('round_not_signed_off');
    const signed = await post(tc.round, 'sign-off', seed.tokens.chiefJudge, {
      confirm: true,
      force: true,
      reason: 'J3 回避 T02，两名裁判评分',
    });
    expect(signed.statusCode).toBe(200);

    // Refused, naming why: another seat, a recused or unassigned workstation, an unknown one, a bad value.
    for (const [judge, payload, status, code] of [
      [0, { seat: 'J2' }, 403, 'not_your_seat'],
      [0, { seat: 'J9' }, 403, 'not_your_seat'],
      [2, { workstation: 'T02' }, 403, 'recused'],
      [3, {}, 403, 'not_your_panel'],
      [0, { workstation: 'T09' }, 404, 'workstation_unknown'],
      [0, { value: '9.2' }, 400, 'value_invalid'],
      [0, { reason: ' ' }, 400, 'request_invalid'],
      [0, { judgeId: j2.id }, 400, 'request_invalid'],
    ] as const) {
      const res = await ask(judge, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
    expect((await ask(0, { seat: 'J2' })).json().error.message).toMatch(/seat/);
    // An account still names the seat.
    const noSeat = await post(tc.round, 'corrections', seed.tokens.chiefJudge, {
      workstation: 'T01',
      item: 'quality',
      value: '9',
      reason: 'x',
    });
    expect(noSeat.statusCode).toBe(400);
    expect(noSeat.json().error.issues).toEqual([expect.objectContaining({ field: 'seat' })]);

    const asked = await ask(0, {});
    expect(asked.statusCode).toBe(201);
    const mine = asked.json().correction;
    expect(mine).toMatchObject({
      workstation: 'T01',
      item: 'quality',
      seat: 'J1',
      value: '9',
      currentValue: '8',
      status: 'pending',
      requestedBy: `device:${tablet0.id}`,
      decidedBy: null,
    });
    const theirs = await ask(1, { workstation: 'T02', seat: 'J2', value: '7' });
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().correction).toMatchObject({ seat: 'J2', requestedBy: `device:${tablet1.id}` });
    const byChief = await post(tc.round, 'corrections', seed.tokens.chiefJudge, {
      workstation: 'T02',
      item: 'quality',
      seat: 'J1',
      value: '6.5',
      reason: '核对纸质评分表',
    });
    expect(byChief.json().correction.requestedBy).toBe(`account:${seed.accounts.chiefJudge.id}`);
    const [entry] = await app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'correction.requested'), eq(auditLog.subject, `correction:${mine.id}`)));
    expect(entry).toMatchObject({
      actor: `device:${tablet0.id}`,
      detail: { seat: 'J1', judgeId: j0.id, workstation: 'T01', value: '9' },
    });

    const myMarks = async (judge: number) => {
      const res = await get(tc.round, 'my-marks', seed.tokens.judge(judge));
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const before = await myMarks(0);
    // The judge's own corrections and those asked for their seat, never another seat's.
    expect(before.corrections.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      [mine.id, 'pending'],
      [byChief.json().correction.id, 'pending'],
    ]);
    expect(before.marks.find((m: { workstation: string }) => m.workstation === 'T01')).toMatchObject({
      value: '8',
      source: 'tablet',
    });

    const decide = (id: string, what: string, reason: string) =>
      post(tc.round, `corrections/${id}/${what}`, seed.tokens.chiefJudge, { reason });
    expect((await decide(mine.id, 'approve', '复核录像属实')).statusCode).toBe(200);
    expect((await decide(theirs.json().correction.id, 'reject', '无依据')).statusCode).toBe(200);
    const after = await myMarks(0);
    const approved = after.corrections.find((c: { id: string }) => c.id === mine.id);
    expect(approved).toMatchObject({
      status: 'approved',
      currentValue: '9',
      decisionReason: '复核录像属实',
      decidedBy: `account:${seed.accounts.chiefJudge.id}`,
      markId: expect.any(String),
    });
    expect(after.marks.find((m: { workstation: string }) => m.workstation === 'T01')).toMatchObject({
      id: approved.markId,
      value: '9',
      source: 'correction',
      seat: 'J1',
    });
    expect((await myMarks(1)).corrections).toEqual([
      expect.objectContaining({ workstation: 'T02', status: 'rejected', decisionReason: '无依据' }),
    ]);
    expect((await myMarks(2)).corrections).toEqual([]);
    const review = (await get(tc.round, 'review', seed.tokens.chiefJudge)).json();
    expect(review.event.standings.find((s: { competitor: string }) => s.competitor === 'T01').total).toBe(
      '8.00',
    );
  });

  it('verifies the audit chain after the whole flow and names an edited entry (route and command)', async () => {
    const cid = seed.competition.id;
    const verifyUrl = `/api/competitions/${cid}/audit/verify`;
    // The published round's results changed the honour list (the city template): recorded after the commits.
    await app.honours.settle();
    const [row] = await app.db.select({ n: count() }).from(auditLog).where(eq(auditLog.competitionId, cid));
    const entries = Number(row?.n);
    const actions = new Set(
      (
        await app.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.competitionId, cid))
      ).map((r) => r.action),
    );
    expect([...actions].sort()).toEqual(
      [
        'correction.approved',
        'correction.rejected',
        'correction.requested',
        'honours.listChanged',
        'mark.submitted',
        'remark.ordered',
        'round.decrypted',
        'round.published',
        'round.signedOff',
      ].sort(),
    );
    const ok = await app.inject({ url: verifyUrl, headers: bearer(seed.tokens.chiefJudge) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, entries });
    expect((await app.inject({ url: verifyUrl, headers: bearer(seed.tokens.organizer) })).statusCode).toBe(
      200,
    );
    expect((await app.inject({ url: verifyUrl, headers: bearer(seed.tokens.judge(0)) })).statusCode).toBe(
      403,
    );
    expect((await app.inject({ url: verifyUrl })).statusCode).toBe(401);
    expect(await verifyAudit(app.db, cid)).toMatchObject({
      code: 0,
      text: `OK: the audit chain of competition ${cid} verifies (${entries} entries)`,
    });

    await app.db
      .update(auditLog)
      .set({ detail: { value: '50', note: 'edited by hand' } })
      .where(and(eq(auditLog.competitionId, cid), eq(auditLog.seq, 4)));
    const broken = await app.inject({ url: verifyUrl, headers: bearer(seed.tokens.chiefJudge) });
    expect(broken.json()).toEqual({
      ok: false,
      entries,
      brokenAt: 4,
      reason: 'its content does not match its hash (edited)',
    });
    const cli = await verifyAudit(app.db, cid);
    expect(cli.code).toBe(1);
    expect(cli.text).toBe(
      `BROKEN: the audit chain of competition ${cid} breaks at entry 4 of ${entries}: its content does not match its hash (edited)`,
    );
  });
});

describe('the verify-audit command', () => {
  const script = fileURLToPath(new URL('../src/cli/verify-audit.ts', import.meta.url));
  const serverDir = fileURLToPath(new URL('..', import.meta.url));
  const run = (args: string[], dataDir: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: serverDir,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        stdout: error.stdout + error.stderr,
      }),
    );

  it('prints OK with the entry count, or names the first broken entry and exits 1', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'jx-verify-'));
    try {
      let handle = await openDatabase({ dataDir: join(dataDir, 'pglite') });
      const [competition] = await handle.db
        .insert(competitions)
        .values({
          name: '测试',
          level: 'city',
          organizer: '市总工会',
          venue: '体育馆',
          startsOn: '2026-05-01',
          endsOn: '2026-05-02',
        })
        .returning();
      const cid = competition?.id ?? '';
      for (let i = 0; i < 3; i++) {
        await audited({ db: handle.db, changes: createChanges() }, (_tx, audit) =>
          audit(cid, {
            affects: 'noStandings',
            actor: 'system',
            action: 'test.entry',
            subject: `s${i}`,
            detail: { i },
          }),
        );
      }
      await handle.close();

      const ok = await run([cid], dataDir);
      expect(ok).toEqual({
        code: 0,
        stdout: `OK: the audit chain of competition ${cid} verifies (3 entries)\n`,
      });

      handle = await openDatabase({ dataDir: join(dataDir, 'pglite') });
      await handle.db
        .update(auditLog)
        .set({ detail: { i: 99 } })
        .where(and(eq(auditLog.competitionId, cid), eq(auditLog.seq, 2)));
      await handle.close();
      const broken = await run([cid], dataDir);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`breaks at entry 2 of 3: its content does not match its hash (edited)`);

      expect((await run([], dataDir)).code).toBe(2);
      expect((await run([randomUUID()], dataDir)).stdout).toMatch(/no competition/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
