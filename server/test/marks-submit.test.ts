import { randomUUID } from 'node:crypto';
import { getTemplate, markOutcome } from '@jiangxin/shared';
import { and, count, eq, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, devices, marks, panelSeats, panels, paperConfirmations, recusals } from '../src/db/schema';
import { verifyAuditChain } from '../src/modules/audit/service';
import { RoundView } from '../src/scoring/round-view';
import { drivers } from './databases';
import { auditSetupChange, bearer, type Seeded, seedCompetition, testApp } from './support';

describe('the outbox rule', () => {
  it('tells stored, refused, sign in again and retry apart', () => {
    expect([201, 200].map((s) => markOutcome(s))).toEqual(['stored', 'stored']);
    expect([400, 403, 404, 409, 413].map((s) => markOutcome(s))).toEqual(Array(5).fill('refused'));
    expect(markOutcome(401)).toBe('reauthenticate');
    expect([null, 408, 429, 500, 502, 503].map((s) => markOutcome(s))).toEqual(Array(6).fill('retry'));
    // Marking closed: held and sent again once the round reopens; any other 409 is final.
    expect(markOutcome(409, 'round_closed')).toBe('retry');
    expect(markOutcome(409, 'round_signed_off')).toBe('refused');
  });
});

describe('item names', () => {
  it('store every item under one name, so no mark counts twice under an alias', () => {
    const scheme = (name: string) => {
      const found = getTemplate(name);
      if (!found) throw new Error(name);
      return found;
    };
    const view = (name: string) =>
      new RoundView(
        { scheme: scheme(name), round: { key: 'Final' } } as ConstructorParameters<typeof RoundView>[0],
        [],
        {
          panels: [],
          recusals: [],
          judges: new Map(),
          recusalByRegion: false,
        },
      );
    const diving = view('diving');
    expect(['dive-3', 'dive-3:execution'].map((i) => diving.canonical(i))).toEqual(['dive-3', 'dive-3']);
    const drone = view('drone');
    expect(['run-1:lapTime', 'assemblyQuality', 'nope'].map((i) => drone.canonical(i))).toEqual([
      'run-1:lapTime',
      'assemblyQuality',
      'nope',
    ]);
  });
});

/** A judge's mark on its way in: stored once, changed by a newer mark, refused with a reason, on paper. */
describe.each(drivers)('marks on %s', (driver) => {
  let app: FastifyInstance;
  let seed: Seeded;
  let url: (path: string) => string;

  const countMarks = async (where?: ReturnType<typeof eq>) => {
    const [row] = await app.db.select({ n: count() }).from(marks).where(where);
    return Number(row?.n);
  };
  const countAudit = async (subjectPrefix = '') => {
    const [row] = await app.db
      .select({ n: count() })
      .from(auditLog)
      .where(
        and(eq(auditLog.competitionId, seed.competition.id), like(auditLog.subject, `${subjectPrefix}%`)),
      );
    return Number(row?.n);
  };
  const mark = (judge: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: url('marks'),
      headers: { ...bearer(seed.tokens.judge(judge)), ...headers },
      payload: body,
    });
  const myMarks = async (judge: number) =>
    (await app.inject({ url: url('my-marks'), headers: bearer(seed.tokens.judge(judge)) })).json();

  beforeAll(async () => {
    ({ app } = await testApp(driver));
    seed = await seedCompetition(app);
    url = (path) => `/api/competitions/${seed.competition.id}/rounds/${seed.round.id}/${path}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('stores a judge’s mark with its seat, and audits it', async () => {
    const id = randomUUID();
    const res = await mark(0, { id, workstation: 'A01', item: 'assemblyQuality', value: '40.50' });
    expect(res.statusCode).toBe(201);
    const { mark: stored } = res.json();
    expect(stored).toMatchObject({
      id,
      workstation: 'A01',
      item: 'assemblyQuality',
      value: '40.5',
      seat: 'J1',
      source: 'tablet',
    });
    expect(typeof stored.seq).toBe('number');
    expect(Number.isNaN(Date.parse(stored.createdAt))).toBe(false);
    expect(JSON.stringify(stored)).not.toContain('张伟');
    expect(await countMarks(eq(marks.id, id))).toBe(1);
    const [entry] = await app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `mark:${id}`));
    expect(entry).toMatchObject({ action: 'mark.submitted', actor: `device:${seed.tablets[0]?.id}` });
    expect(entry?.detail).toMatchObject({ workstation: 'A01', seat: 'J1', value: '40.5' });
  });

  it('changes a mark by a newer one; the old row stays and a replay of it changes nothing', async () => {
    const first = randomUUID();
    const second = randomUUID();
    const body = { id: first, workstation: 'A02', item: 'assemblyQuality', value: '30' };
    expect((await mark(0, body)).statusCode).toBe(201);
    expect((await mark(0, { ...body, id: second, value: '32.5' })).statusCode).toBe(201);
    const replay = await mark(0, body);
    expect(replay.statusCode).toBe(200);
    expect(replay.json().mark).toMatchObject({ id: first, value: '30' });

    const mine = await myMarks(0);
    const a02 = mine.marks.filter((m: { workstation: string }) => m.workstation === 'A02');
    expect(a02).toEqual([expect.objectContaining({ id: second, value: '32.5', seat: 'J1' })]);
    expect(mine.assignments).toEqual(
      ['A01', 'A02', 'A03', 'A04'].map((workstation) => ({
        workstation,
        items: ['assemblyQuality'],
        attempts: [],
      })),
    );
    expect(JSON.stringify(mine)).not.toMatch(/张伟|李娜|王强|陈静/);
    expect(
      await countMarks(and(eq(marks.judgeId, seed.judges[0]?.id ?? ''), eq(marks.item, 'assemblyQuality'))),
    ).toBe(3);
  });

  it('stores 100 concurrent duplicates exactly once, with one audit entry', async () => {
    const id = randomUUID();
    const body = { id, workstation: 'A03', item: 'assemblyQuality', value: '45' };
    const auditBefore = await countAudit();
    const answers = await Promise.all(Array.from({ length: 100 }, () => mark(1, body)));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(99);
    const bodies = new Set(answers.map((a) => JSON.stringify(a.json().mark)));
    expect(bodies.size).toBe(1);
    expect(answers[0]?.json().mark).toMatchObject({ id, value: '45', seat: 'J2' });
    expect(await countMarks(eq(marks.id, id))).toBe(1);
    expect(await countAudit(`mark:${id}`)).toBe(1);
    expect(await countAudit()).toBe(auditBefore + 1);
  });

  it('stores an id sent to two competitions at the same moment once: the other is refused, never a 500', async () => {
    // The two groups commit under different chains' locks: neither sees the other's id coming, and the one
    // that loses the race on the primary key is tried again, where the id is then known.
    const other = await seedCompetition(app, { name: '2026 年另一场比赛' });
    const otherUrl = `/api/competitions/${other.competition.id}/rounds/${other.round.id}/marks`;
    for (let i = 0; i < 20; i++) {
      const id = randomUUID();
      const body = { id, workstation: 'A04', item: 'assemblyQuality', value: String(20 + i) };
      const answers = await Promise.all([
        mark(0, body),
        app.inject({ method: 'POST', url: otherUrl, headers: bearer(other.tokens.judge(0)), payload: body }),
      ]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
      expect(answers.find((a) => a.statusCode === 409)?.json().error.code).toBe('mark_id_conflict');
      expect(await countMarks(eq(marks.id, id))).toBe(1);
      const [audited] = await app.db
        .select({ n: count() })
        .from(auditLog)
        .where(eq(auditLog.subject, `mark:${id}`));
      expect(Number(audited?.n)).toBe(1);
    }
    for (const competitionId of [seed.competition.id, other.competition.id])
      expect((await verifyAuditChain(app.db, competitionId)).ok).toBe(true);
  });

  it('refuses a judge token that no longer holds (signed out, paired again, revoked): 401 for a new mark, a retry or a refusal, nothing stored', async () => {
    // The token is compared with its device row in the group commit's first statement (decision 027).
    const tablet = seed.tablets[3];
    if (!tablet) throw new Error('seed');
    const body = { id: randomUUID(), workstation: 'A01', item: 'assemblyQuality', value: '33' };
    expect((await mark(3, body)).statusCode).toBe(201);
    // The device's version moves on, as signing the judge out or pairing the tablet again does.
    await app.db.update(devices).set({ tokenVersion: 1 }).where(eq(devices.id, tablet.id));
    try {
      const before = { marks: await countMarks(), audit: await countAudit() };
      for (const sent of [
        { ...body, id: randomUUID(), value: '34' },
        body,
        { ...body, id: randomUUID(), workstation: 'Z99' },
      ]) {
        const answer = await mark(3, sent);
        expect(answer.statusCode).toBe(401);
        expect(answer.json().error.code).toBe('unauthenticated');
      }
      // Two at once, in one group with another judge's mark, which is stored.
      const [stale, fine] = await Promise.all([
        mark(3, { ...body, id: randomUUID(), value: '35' }),
        mark(2, { ...body, id: randomUUID(), value: '36' }),
      ]);
      expect([stale?.statusCode, fine?.statusCode]).toEqual([401, 201]);
      expect({ marks: await countMarks(), audit: await countAudit() }).toEqual({
        marks: before.marks + 1,
        audit: before.audit + 1,
      });
    } finally {
      await app.db.update(devices).set({ tokenVersion: 0 }).where(eq(devices.id, tablet.id));
    }
    expect((await mark(3, { ...body, id: randomUUID(), value: '37' })).statusCode).toBe(201);
  });

  it('refuses the same id with another body, and changes nothing', async () => {
    const id = randomUUID();
    expect((await mark(2, { id, workstation: 'A01', item: 'assemblyQuality', value: '20' })).statusCode).toBe(
      201,
    );
    const before = { marks: await countMarks(), audit: await countAudit() };
    for (const changed of [
      { value: '21' },
      { workstation: 'A02' },
      { value: '20', workstation: 'A01', item: 'assemblyQuality' },
    ]) {
      const judge = 'item' in changed ? 3 : 2; // the last one: the same body from another judge
      const res = await mark(judge, {
        id,
        workstation: 'A01',
        item: 'assemblyQuality',
        value: '20',
        ...changed,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('mark_id_conflict');
    }
    expect({ marks: await countMarks(), audit: await countAudit() }).toEqual(before);
    const [row] = await app.db.select().from(marks).where(eq(marks.id, id));
    expect(row?.value).toBe('20');
  });

  it('refuses bad marks with a 4xx naming the field, and stores nothing', async () => {
    const before = { marks: await countMarks(), audit: await countAudit() };
    const base = { workstation: 'A01', item: 'assemblyQuality', value: '10' };
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ value: '50.5' }, 400, 'value_invalid', /value.*at most 50/],
      [{ value: '-1' }, 400, 'value_invalid', /at least 0/],
      [{ value: '40.3' }, 400, 'value_invalid', /steps of 0\.5/],
      [{ value: 40 }, 400, 'request_invalid', /value/],
      [{ value: '8,5' }, 400, 'request_invalid', /value/],
      [{ workstation: 'Z99' }, 404, 'workstation_unknown', /workstation.*Z99/],
      [{ item: 'nope' }, 400, 'item_unknown', /item.*nope.*assemblyQuality/],
      [{ item: 'theoryPaper', value: '80' }, 403, 'not_your_panel', /theoryPaper/],
      [{ item: 'run-1:lapTime', value: '100' }, 403, 'not_your_panel', /run-1:lapTime/],
      [{ extra: 1 }, 400, 'request_invalid', /extra/],
    ];
    for (const [change, status, code, message] of cases) {
      const res = await mark(0, { id: randomUUID(), ...base, ...change }, { 'accept-language': 'en' });
      expect({ change, status: res.statusCode, code: res.json().error.code }).toEqual({
        change,
        status,
        code,
      });
      expect(res.json().error.message).toMatch(message);
    }
    const zh = await mark(0, { id: randomUUID(), ...base, value: '99' });
    expect(zh.json().error.message).toMatch(/字段 value.*不得高于 50/);
    const missingId = await mark(0, base);
    expect(missingId.statusCode).toBe(400);
    const badId = await mark(0, { ...base, id: 'not-a-uuid' });
    expect(badId.statusCode).toBe(400);
    expect({ marks: await countMarks(), audit: await countAudit() }).toEqual(before);
  });

  it('lets each panel mark only its own aspects', async () => {
    const [flight] = await app.db
      .insert(panels)
      .values({ eventId: seed.event.id, name: '飞行裁判组', aspects: ['lapTime', 'hover'] })
      .returning();
    const timer = seed.judges[4];
    if (!flight || !timer) throw new Error('seed');
    await app.db.insert(panelSeats).values({ panelId: flight.id, judgeId: timer.id, seat: 'F1' });
    const lap = () => ({ id: randomUUID(), workstation: 'A01', item: 'run-1:lapTime', value: '95.25' });
    const before = await countMarks();
    const refused = await mark(0, lap());
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('not_your_panel');
    expect(await countMarks()).toBe(before);
    const timed = await mark(4, lap());
    expect(timed.statusCode).toBe(201);
    expect(timed.json().mark).toMatchObject({ item: 'run-1:lapTime', value: '95.25', seat: 'F1' });
    const landing = await mark(4, { ...lap(), item: 'run-1:landing', value: '1' });
    expect(landing.json().error.code).toBe('not_your_panel');
    const items = (await myMarks(4)).assignments[0].items;
    expect(items).toEqual([
      'assemblyQuality',
      'run-1:lapTime',
      'run-1:hover',
      'run-2:lapTime',
      'run-2:hover',
    ]);
  });

  it('refuses a recused judge, other roles and judges of another competition', async () => {
    const a02 = seed.competitors[1];
    const judge = seed.judges[1];
    if (!a02 || !judge) throw new Error('seed');
    await app.db
      .insert(recusals)
      .values({ panelId: seed.panel.id, judgeId: judge.id, competitorId: a02.id, reason: '同一单位' });
    await auditSetupChange(app, seed.competition.id, `panel:${seed.panel.id}`);
    const before = { marks: await countMarks(), audit: await countAudit() };
    const body = () => ({ id: randomUUID(), workstation: 'A02', item: 'assemblyQuality', value: '10' });
    const recused = await mark(1, body());
    expect(recused.statusCode).toBe(403);
    expect(recused.json().error.code).toBe('recused');
    const mine = await myMarks(1);
    expect(mine.assignments.map((a: { workstation: string }) => a.workstation)).toEqual([
      'A01',
      'A03',
      'A04',
    ]);

    const other = await seedCompetition(app, { name: '另一场竞赛' });
    const foreign = await app.inject({
      method: 'POST',
      url: url('marks'),
      headers: bearer(other.tokens.judge(0)),
      payload: body(),
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('forbidden');
    const crossed = await app.inject({
      method: 'POST',
      url: `/api/competitions/${other.competition.id}/rounds/${seed.round.id}/marks`,
      headers: bearer(other.tokens.judge(0)),
      payload: body(),
    });
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().error.code).toBe('round_unknown');

    for (const [headers, status] of [
      [{}, 401],
      [bearer(seed.tokens.chiefJudge), 403],
      [bearer(seed.tokens.scorekeeper), 403],
      [bearer(seed.tokens.display), 403],
    ] as const) {
      // Roles are checked before the body: even an empty body gets the 401/403.
      const res = await app.inject({ method: 'POST', url: url('marks'), headers, payload: {} });
      expect(res.statusCode).toBe(status);
    }
    const garbage = await app.inject({
      method: 'POST',
      url: '/api/competitions/nonsense/rounds/nonsense/marks',
      headers: bearer(seed.tokens.judge(0)),
      payload: body(),
    });
    // A malformed id names no competition: the params schema refuses it, naming the field.
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.message).toMatch(/competitionId/);
    expect({ marks: await countMarks(), audit: await countAudit() }).toEqual(before);
  });

  it('takes paper marks that count only once a second person confirms them', async () => {
    const id = randomUUID();
    const paper = { id, workstation: 'A04', item: 'assemblyQuality', seat: 'J3', value: '35' };
    const post = (token: string, body: unknown = paper) =>
      app.inject({
        method: 'POST',
        url: url('paper-marks'),
        headers: bearer(token),
        payload: body as object,
      });
    const entered = await post(seed.tokens.scorekeeper);
    expect(entered.statusCode).toBe(201);
    expect(entered.json().mark).toMatchObject({ id, source: 'paper', seat: 'J3', confirmedAt: null });
    expect((await post(seed.tokens.scorekeeper)).statusCode).toBe(200);
    expect((await post(seed.tokens.scorekeeper, { ...paper, value: '36' })).json().error.code).toBe(
      'mark_id_conflict',
    );
    expect((await post(seed.tokens.judge(2))).statusCode).toBe(403);
    const noSeat = await post(seed.tokens.scorekeeper, { ...paper, id: randomUUID(), seat: 'J9' });
    expect(noSeat.statusCode).toBe(404);
    expect(noSeat.json().error.code).toBe('seat_unknown');

    const a04 = (judge: number) =>
      myMarks(judge).then((m) => m.marks.filter((x: { workstation: string }) => x.workstation === 'A04'));
    expect(await a04(2)).toEqual([]);
    const pending = await app.inject({ url: url('paper-marks'), headers: bearer(seed.tokens.chiefJudge) });
    expect(pending.json().pending).toEqual([expect.objectContaining({ id, workstation: 'A04', seat: 'J3' })]);
    // The seats still owing assembly marks for A04: a paper mark counts once confirmed.
    const seatsUsed = async () => {
      const review = (
        await app.inject({ url: url('review'), headers: bearer(seed.tokens.chiefJudge) })
      ).json();
      const a04 = review.competitors.find((c: { workstation: string }) => c.workstation === 'A04');
      const missing = a04.missing.find((m: { item: string }) => m.item === 'assemblyQuality');
      const owing: string[] = missing?.seats ?? [];
      return { review, seats: ['J1', 'J2', 'J3', 'J4', 'J5'].filter((seat) => !owing.includes(seat)) };
    };
    const unconfirmed = await seatsUsed();
    expect(unconfirmed.seats).not.toContain('J3');
    expect(unconfirmed.review.blockers.unconfirmedPaper).toEqual([expect.objectContaining({ id })]);

    const confirm = (token: string, payload?: object) =>
      app.inject({
        method: 'POST',
        url: url(`paper-marks/${id}/confirm`),
        headers: bearer(token),
        ...(payload ? { payload } : {}),
      });
    const self = await confirm(seed.tokens.scorekeeper);
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('same_person');
    const misread = await confirm(seed.tokens.scorekeeper2, { value: '53' });
    expect(misread.statusCode).toBe(409);
    expect(misread.json().error.code).toBe('paper_value_mismatch');
    expect((await confirm(seed.tokens.judge(0))).statusCode).toBe(403);
    expect(await app.db.select().from(paperConfirmations)).toHaveLength(0);

    const ok = await confirm(seed.tokens.scorekeeper2, { value: '35.0' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().mark.confirmedAt).toEqual(expect.any(String));
    expect(await a04(2)).toEqual([expect.objectContaining({ id, value: '35', source: 'paper' })]);
    const confirmed = await seatsUsed();
    expect(confirmed.seats).toContain('J3');
    expect(confirmed.review.pendingPaper).toEqual([]);
    expect((await confirm(seed.tokens.chiefJudge)).statusCode).toBe(200);
    expect(await app.db.select().from(paperConfirmations)).toHaveLength(1);
    expect(await countAudit(`mark:${id}`)).toBe(2);
    const unknown = await app.inject({
      method: 'POST',
      url: url(`paper-marks/${randomUUID()}/confirm`),
      headers: bearer(seed.tokens.chiefJudge),
    });
    expect(unknown.json().error.code).toBe('mark_unknown');
  });

  it('lets a wrong paper entry be superseded by the right one, which then no longer holds up sign-off', async () => {
    const enter = (id: string, value: string) =>
      app.inject({
        method: 'POST',
        url: url('paper-marks'),
        headers: bearer(seed.tokens.scorekeeper),
        payload: { id, workstation: 'A02', item: 'assemblyQuality', seat: 'J4', value },
      });
    const blockers = async () =>
      (await app.inject({ url: url('review'), headers: bearer(seed.tokens.chiefJudge) })).json();
    const wrong = randomUUID();
    expect((await enter(wrong, '4')).statusCode).toBe(201);
    expect((await blockers()).blockers.unconfirmedPaper).toEqual([expect.objectContaining({ id: wrong })]);
    const right = randomUUID();
    expect((await enter(right, '40')).statusCode).toBe(201);
    const confirmed = await app.inject({
      method: 'POST',
      url: url(`paper-marks/${right}/confirm`),
      headers: bearer(seed.tokens.chiefJudge),
      payload: { value: '40' },
    });
    expect(confirmed.statusCode).toBe(200);
    const review = await blockers();
    expect(review.blockers.unconfirmedPaper).toEqual([]);
    expect(review.pendingPaper).toEqual([
      expect.objectContaining({ id: wrong, superseded: true, value: '4' }),
    ]);
    const a02 = (await myMarks(3)).marks.find((m: { workstation: string }) => m.workstation === 'A02');
    expect(a02).toMatchObject({ id: right, value: '40', source: 'paper' });
  });

  it('locks the round at sign-off: a new mark is refused, a retry of a stored one is answered', async () => {
    const stored = { id: randomUUID(), workstation: 'A04', item: 'assemblyQuality', value: '44' };
    expect((await mark(4, stored)).statusCode).toBe(201);
    const early = await app.inject({
      method: 'POST',
      url: url('corrections'),
      headers: bearer(seed.tokens.chiefJudge),
      payload: { workstation: 'A04', item: 'assemblyQuality', seat: 'J5', value: '45', reason: '录入错误' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('round_not_signed_off');

    const signOff = await app.inject({
      method: 'POST',
      url: url('sign-off'),
      headers: bearer(seed.tokens.chiefJudge),
      payload: { confirm: true, force: true, reason: '理论与飞行成绩另行导入' },
    });
    expect(signOff.statusCode).toBe(200);
    const before = { marks: await countMarks(), audit: await countAudit() };
    const late = await mark(4, { ...stored, id: randomUUID(), value: '45' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('round_signed_off');
    const paper = await app.inject({
      method: 'POST',
      url: url('paper-marks'),
      headers: bearer(seed.tokens.scorekeeper),
      payload: { id: randomUUID(), workstation: 'A01', item: 'assemblyQuality', seat: 'J5', value: '1' },
    });
    expect(paper.json().error.code).toBe('round_signed_off');
    expect((await mark(4, stored)).statusCode).toBe(200);
    expect({ marks: await countMarks(), audit: await countAudit() }).toEqual(before);
    expect((await myMarks(4)).round.signedOffAt).toEqual(expect.any(String));
  });

  it('leaves an audit chain that verifies', async () => {
    const verify = await app.inject({
      url: `/api/competitions/${seed.competition.id}/audit/verify`,
      headers: bearer(seed.tokens.chiefJudge),
    });
    expect(verify.json()).toEqual({ ok: true, entries: await countAudit() });
  });
});
