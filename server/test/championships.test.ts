import { randomUUID } from 'node:crypto';
import { parseCsv, parseScheme, type SchemeInput } from '@jiangxin/shared';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/db/schema';
import { scoreMarksFile } from '../src/modules/results/marks-file';
import { call } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

/**
 * Real championships through the live path, on real Postgres: a round of its own size (a semifinal of five
 * dives where the scheme's dives are six), a diver who withdraws after two dives.
 */

const SEATS = ['J1', 'J2', 'J3', 'J4', 'J5'];

const diving: SchemeInput = {
  id: 'diving-5',
  name: '跳水（5 名裁判）',
  components: [
    {
      id: 'dives',
      name: '跳水动作',
      attempts: { label: 'dive', count: 6, difficulty: true },
      aspects: [
        {
          kind: 'judgement',
          id: 'award',
          name: '完成分',
          panel: 5,
          range: { min: '0', max: '10' },
          step: '0.5',
          aggregation: { method: 'sum', dropHighest: 1, dropLowest: 1 },
        },
      ],
    },
  ],
  rounds: [{ id: 'Semi', name: '半决赛', attempts: { dives: 5 } }],
};

interface Diver {
  id: string;
  code: string;
}

/**
 * An event on `scheme` set up through the API: its first round, competitors checked in (with their
 * workstation codes), and a panel whose seats J1… are the seed's judges (who have tablets).
 */
async function setUpEvent(
  app: FastifyInstance,
  seed: Seeded,
  scheme: SchemeInput,
  names: string[],
  seats = SEATS,
) {
  const t = seed.tokens;
  const base = `/api/competitions/${seed.competition.id}`;
  const event = (
    await call(app, t.organizer, 'POST', `${base}/events`, { name: scheme.name, scheme })
  ).json();
  const roundUrl = `${base}/rounds/${event.rounds[0].id}`;
  const ids: string[] = [];
  for (const name of names) {
    const res = await call(app, t.organizer, 'POST', `${base}/events/${event.id}/competitors`, {
      name,
      unit: `${name}所在队`,
      region: '广东',
      frontline: true,
      unionMember: true,
    });
    ids.push(res.json().competitor.id as string);
  }
  const panel = (
    await call(app, t.organizer, 'POST', `${base}/events/${event.id}/panels`, { name: '裁判组' })
  ).json();
  for (const [i, seat] of seats.entries()) {
    const res = await call(app, t.chiefJudge, 'PUT', `${base}/panels/${panel.id}/seats/${seat}`, {
      judgeId: seed.judges[i]?.id,
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  expect((await call(app, t.organizer, 'POST', `${base}/events/${event.id}/draw`)).statusCode).toBe(200);
  const competitors: Diver[] = [];
  for (const competitorId of ids) {
    const res = await call(app, t.encryptionOfficer, 'POST', `${roundUrl}/check-in`, { competitorId });
    expect(res.statusCode, res.body).toBeLessThan(300);
    competitors.push({ id: competitorId, code: res.json().code });
  }
  return { roundUrl, eventUrl: `${base}/events/${event.id}`, competitors };
}

/**
 * A line of the round's live snapshot (what screens are sent), once it shows `total`: pushes are paced per
 * round (live/pace.ts), so the copy served may trail the live view by one interval. Gives up after 10 s.
 */
async function liveLineOf(app: FastifyInstance, seed: Seeded, roundUrl: string, code: string, total: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const live = (await call(app, seed.tokens.chiefJudge, 'GET', `${roundUrl}/live`)).json();
    const line = live.standings.find((s: { competitor: string }) => s.competitor === code);
    if (line?.total === total || Date.now() > deadline) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('rounds of their own size through the API (Postgres)', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let roundUrl: string;
  let full: Diver;
  let withdrawn: Diver;

  beforeAll(async () => {
    ({ app } = await testApp('postgres'));
    seed = await seedCompetition(app);
    await app.live.rebuild();
    const event = await setUpEvent(app, seed, diving, ['全红婵', '陈芋汐']);
    roundUrl = event.roundUrl;
    [full, withdrawn] = event.competitors as [Diver, Diver];
  });
  afterAll(() => app.close());

  const mark = (judge: number, workstation: string, item: string, value: string) =>
    call(app, seed.tokens.judge(judge), 'POST', `${roundUrl}/marks`, {
      id: randomUUID(),
      workstation,
      item,
      value,
    });

  async function dive(diver: Diver, n: number, award: string) {
    for (const judge of SEATS.keys()) {
      const res = await mark(judge, diver.code, `dive-${n}`, award);
      expect(res.statusCode, res.body).toBe(201);
    }
  }

  it('accepts a dive list as long as the round, and a shorter one; refuses one longer than the round', async () => {
    const t = seed.tokens;
    const attemptsUrl = (d: Diver) => `${roundUrl}/competitors/${d.id}/attempts`;
    const six = [1, 2, 3, 4, 5, 6].map((attempt) => ({ attempt, difficulty: '3' }));
    const tooLong = await call(app, t.chiefJudge, 'PUT', attemptsUrl(full), six, { 'accept-language': 'en' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error).toMatchObject({ code: 'attempts_invalid', field: '5.attempt' });
    expect(tooLong.json().error.message).toContain('the round has 5 attempts');
    const five = await call(app, t.chiefJudge, 'PUT', attemptsUrl(full), six.slice(0, 5));
    expect(five.statusCode, five.body).toBe(200);
    // Declared six, performed two: the list is cut to the two dives performed.
    const declared = await call(app, t.chiefJudge, 'PUT', attemptsUrl(withdrawn), six.slice(0, 5));
    expect(declared.statusCode, declared.body).toBe(200);
    const cut = await call(app, t.chiefJudge, 'PUT', attemptsUrl(withdrawn), [
      { attempt: 1, difficulty: '3.2' },
      { attempt: 2, difficulty: '3.4' },
    ]);
    expect(cut.statusCode, cut.body).toBe(200);
    expect(cut.json()).toHaveLength(2);
  });

  it('scores the round: five dives for one diver, two for the one who withdrew, flagged not performed', async () => {
    for (const n of [1, 2, 3, 4, 5]) await dive(full, n, '8');
    await dive(withdrawn, 1, '9');
    await dive(withdrawn, 2, '8.5');
    // The semifinal has no sixth dive.
    const sixth = await mark(0, full.code, 'dive-6', '8');
    expect(sixth.statusCode).toBe(400);
    await app.live.settle();

    const review = await call(app, seed.tokens.chiefJudge, 'GET', `${roundUrl}/review`);
    expect(review.statusCode, review.body).toBe(200);
    const body = review.json();
    const standings = body.event.rounds[0].standings as { competitor: string; rank: number; total: string }[];
    // full: 5 × (3 × 8) × 3.0 = 360; withdrawn: 27 × 3.2 + 25.5 × 3.4 = 86.4 + 86.7 = 173.1.
    expect(standings.map((s) => [s.competitor, s.rank, s.total])).toEqual([
      [full.code, 1, '360.00'],
      [withdrawn.code, 2, '173.10'],
    ]);
    const line = body.event.standings.find((s: { competitor: string }) => s.competitor === withdrawn.code);
    expect(line.complete).toBe(true);
    expect(line.flags).toEqual([1, 2, 3].map(() => ({ code: 'notPerformed' })));
    expect(
      line.components[0].attempts.map((a: { attempt: number; counted: boolean }) => [a.attempt, a.counted]),
    ).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, false],
      [5, false],
    ]);
    // Nothing is missing: the round can be signed off without force.
    expect(body.blockers).toMatchObject({ missing: [], flagged: [] });
    expect(
      body.competitors.find((c: { workstation: string }) => c.workstation === withdrawn.code).missing,
    ).toEqual([]);

    // The live view shows the same flagged result, and equals a recomputation from Postgres.
    expect(await app.live.check()).toEqual([]);
    const liveLine = await liveLineOf(app, seed, roundUrl, withdrawn.code, '173.10');
    expect(liveLine.total).toBe('173.10');
    expect(liveLine.flags).toEqual(line.flags);

    const signOff = await call(app, seed.tokens.chiefJudge, 'POST', `${roundUrl}/sign-off`, {
      confirm: true,
    });
    expect(signOff.statusCode, signOff.body).toBe(200);
    expect(signOff.json().forced).toBe(false);
  });
});

/** FIG-style execution: four judges, the highest and lowest dropped, the middle two averaged. */
const execution = (missingMark?: 'averageOfOthers'): SchemeInput => ({
  id: 'fig-execution',
  name: missingMark ? '完成分（缺分取平均）' : '完成分',
  ...(missingMark ? { missingMark } : {}),
  components: [
    {
      id: 'e',
      name: '完成',
      aspects: [
        {
          kind: 'judgement',
          id: 'execution',
          name: '完成分',
          panel: 4,
          range: { min: '0', max: '10' },
          step: '0.1',
          aggregation: { method: 'mean', dropHighest: 1, dropLowest: 1 },
        },
      ],
    },
  ],
});

describe('a missing judge through the API (Postgres)', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let roundUrl: string;
  let eventUrl: string;
  let gymnast: Diver;
  let other: Diver;

  beforeAll(async () => {
    ({ app } = await testApp('postgres'));
    seed = await seedCompetition(app);
    await app.live.rebuild();
    const event = await setUpEvent(
      app,
      seed,
      execution('averageOfOthers'),
      ['张三', '李四'],
      ['J1', 'J2', 'J3', 'J4'],
    );
    roundUrl = event.roundUrl;
    eventUrl = event.eventUrl;
    [gymnast, other] = event.competitors as [Diver, Diver];
  });
  afterAll(() => app.close());

  const mark = (judge: number, workstation: string, value: string) =>
    call(app, seed.tokens.judge(judge), 'POST', `${roundUrl}/marks`, {
      id: randomUUID(),
      workstation,
      item: 'execution',
      value,
    });
  const replace = (workstation: string, seat: string, url = roundUrl) =>
    call(
      app,
      seed.tokens.chiefJudge,
      'POST',
      `${url}/missing-marks`,
      { workstation, item: 'execution', seat, reason: 'J4 平板故障' },
      { 'accept-language': 'en' },
    );

  it('replaces J4’s mark by the average of the others, exactly, audited, in the review and the live view', async () => {
    for (const [judge, value] of ['7.5', '8', '9'].entries()) {
      expect((await mark(judge, gymnast.code, value)).statusCode).toBe(201);
    }
    const before = (await call(app, seed.tokens.chiefJudge, 'GET', `${roundUrl}/review`)).json();
    const missingOf = (r: { blockers: { missing: { workstation: string }[] } }) =>
      r.blockers.missing.filter((m) => m.workstation === gymnast.code);
    expect(missingOf(before)).toEqual([
      expect.objectContaining({ workstation: gymnast.code, seats: ['J4'] }),
    ]);

    const res = await replace(gymnast.code, 'J4');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().missingMark).toMatchObject({
      workstation: gymnast.code,
      item: 'execution',
      seat: 'J4',
      rule: 'averageOfOthers',
    });
    await app.live.settle();

    const review = (await call(app, seed.tokens.chiefJudge, 'GET', `${roundUrl}/review`)).json();
    const line = review.event.standings.find((s: { competitor: string }) => s.competitor === gymnast.code);
    const aspect = line.components[0].aspects[0];
    // J4 = (7.5 + 8 + 9) / 3 = 49/6; the middle two, 8 and 49/6, average 97/12 = 8.0833… → 8.08.
    expect(aspect.flags).toEqual([{ code: 'markReplaced', judge: 'J4', value: '8.166666666667' }]);
    expect(aspect.used).toEqual([
      { judge: 'J2', mark: '8' },
      { judge: 'J4', mark: '8.166666666667' },
    ]);
    expect(aspect.value).toBe('8.0833');
    expect(line.total).toBe('8.08');
    expect(line.complete).toBe(true);
    // J4 owes nothing for this gymnast any more.
    expect(missingOf(review)).toEqual([]);
    expect(review.blockers.flagged).toEqual([]);

    // The live view equals the recomputation, and shows the replaced mark.
    expect(await app.live.check()).toEqual([]);
    const liveLine = await liveLineOf(app, seed, roundUrl, gymnast.code, '8.08');
    expect(liveLine.total).toBe('8.08');
    expect(liveLine.components[0].aspects[0].flags).toEqual(aspect.flags);

    // Audited, and the chain verifies.
    const [entry] = await app.db.select().from(auditLog).where(eq(auditLog.action, 'missingMark.replaced'));
    expect(entry?.detail).toMatchObject({
      workstation: gymnast.code,
      item: 'execution',
      seat: 'J4',
      rule: 'averageOfOthers',
    });
    const verify = (
      await call(app, seed.tokens.chiefJudge, 'GET', `${competitionUrl(seed)}/audit/verify`)
    ).json();
    expect(verify.ok).toBe(true);
  });

  it('exports the replaced mark as `missing`: the official results and `pnpm results` on the exported file agree with the review', async () => {
    const get = (path: string) => call(app, seed.tokens.chiefJudge, 'GET', `${eventUrl}/exports/${path}`);
    const results = await get('results.csv');
    expect(results.statusCode, results.body).toBe(200);
    const [header = [], ...rows] = parseCsv(results.body).records.map((r) => r.fields);
    const row = rows.find((r) => r[header.indexOf('姓名 competitor')] === gymnast.code);
    expect(row?.[header.indexOf('总分 total')]).toBe('8.08');
    const csv = (await get('marks.csv')).body;
    const lines = csv.split(/\r?\n/).filter((l) => l.includes(`,${gymnast.code},`));
    expect(lines.map((l) => l.split(',').slice(3, 6).join(','))).toEqual([
      'execution,J1,7.5',
      'execution,J2,8',
      'execution,J3,9',
      'execution,J4,missing',
    ]);
    // J4's replaced mark (8.17) is one of the middle two that count.
    expect(lines[3]?.split(',')[7]).toBe('used');
    const parsed = parseScheme((await get('scheme.json')).json());
    if (!parsed.ok) throw new Error('the exported scheme does not parse');
    const offline = scoreMarksFile(parsed.scheme, csv);
    expect(
      'events' in offline && offline.events[0]?.standings.find((s) => s.competitor === gymnast.code)?.total,
    ).toBe('8.08');
  });

  it('exports the replaced seat’s total as the review does, the replaced mark flagged on the sheet', async () => {
    const review = (await call(app, seed.tokens.chiefJudge, 'GET', `${roundUrl}/review`)).json();
    const reviewed = review.event.standings.find(
      (s: { competitor: string }) => s.competitor === gymnast.code,
    );
    expect(reviewed.total).toBe('8.08');
    const url = `${competitionUrl(seed)}/exports/results`;
    // Standings (csv) and the workbook's event sheet carry the review's total, not the three marks' 8.
    const csv = await call(app, seed.tokens.chiefJudge, 'GET', `${url}.csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.body).toContain('8.08');
    const xlsx = await call(app, seed.tokens.chiefJudge, 'GET', `${url}.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    const rowsOf = (name: string) => {
      const rows: unknown[][] = [];
      workbook.getWorksheet(name)?.eachRow((row) => {
        rows.push((row.values as unknown[]).slice(1));
      });
      return rows;
    };
    const marks = rowsOf('评分明细 Marks').filter((r) => r.includes('execution') && r.includes('J4'));
    // The event's own sheet (named after the event, the marks' first column): A01's row has the total.
    const [line] = rowsOf(String(marks[0]?.[0])).filter((r) => r.includes(gymnast.code));
    expect(line).toContain(8.08);
    // The mark sheet: J4 in brackets, the average of the others, said so; the judges' own marks plain.
    expect(marks).toHaveLength(1);
    expect(marks[0]).toContain('(8.166666666667)');
    expect(marks[0]?.some((c) => String(c).includes('缺席替代'))).toBe(true);
    const j1 = rowsOf('评分明细 Marks').find((r) => r.includes('J1') && r.includes(7.5));
    expect(j1?.some((c) => String(c).includes('缺席替代'))).toBe(false);
  });

  it('counts the judge’s own mark if it arrives after the replacement (nothing a judge sent is lost)', async () => {
    for (const [judge, value] of ['7', '7.5', '8'].entries()) {
      expect((await mark(judge, other.code, value)).statusCode).toBe(201);
    }
    expect((await replace(other.code, 'J4')).statusCode).toBe(201);
    // J4's tablet comes back and sends its mark.
    expect((await mark(3, other.code, '9.5')).statusCode).toBe(201);
    await app.live.settle();
    const review = (await call(app, seed.tokens.chiefJudge, 'GET', `${roundUrl}/review`)).json();
    const line = review.event.standings.find((s: { competitor: string }) => s.competitor === other.code);
    const aspect = line.components[0].aspects[0];
    expect(aspect.flags).toEqual([]);
    expect(aspect.dropped).toContainEqual({ judge: 'J4', mark: '9.5' });
    // The middle two, 7.5 and 8: 7.75.
    expect(line.total).toBe('7.75');
    expect(await app.live.check()).toEqual([]);
  });

  it('refuses a seat that has a mark, a seat replaced already, a seat not on the panel, and after sign-off', async () => {
    const marked = await replace(gymnast.code, 'J1');
    expect(marked.statusCode).toBe(409);
    expect(marked.json().error).toMatchObject({ code: 'seat_has_mark', field: 'seat' });
    const twice = await replace(gymnast.code, 'J4');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('missing_mark_replaced');
    const unknownSeat = await replace(gymnast.code, 'J9');
    expect(unknownSeat.statusCode).toBe(404);
    expect(unknownSeat.json().error).toMatchObject({ code: 'seat_unknown', field: 'seat' });

    const signOff = await call(app, seed.tokens.chiefJudge, 'POST', `${roundUrl}/sign-off`, {
      confirm: true,
      force: true,
      reason: '李四弃权',
    });
    expect(signOff.statusCode, signOff.body).toBe(200);
    const late = await replace(other.code, 'J4');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('round_signed_off');
  });

  it('refuses when the scheme has no missing-mark rule', async () => {
    const event = await setUpEvent(app, seed, execution(), ['王五'], ['J1', 'J2', 'J3', 'J4']);
    const [only] = event.competitors as [Diver];
    const res = await replace(only.code, 'J4', event.roundUrl);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('missing_mark_no_rule');
    expect(res.json().error.message).toContain('no rule for a missing mark');
  });
});

const competitionUrl = (seed: Seeded) => `/api/competitions/${seed.competition.id}`;
