import { createHash, randomUUID } from 'node:crypto';
import {
  MARKS_CSV_COLUMNS,
  parseScheme,
  readMarksCsv,
  type SchemeInput,
  scoreFileEvent,
} from '@jiangxin/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, devices, judges } from '../src/db/schema';
import { call } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

/**
 * Panels per round and per group on real Postgres: two panels alternating in a preliminary (seats J1…J3 and
 * J8…J10 of a pool), a final marked by another panel, and the draw of judges to panels (裁判抽签).
 */

const scheme: SchemeInput = {
  id: 'panel-rounds',
  name: '讲解（3 名裁判）',
  components: [
    {
      id: 'talk',
      name: '讲解',
      aspects: [
        {
          kind: 'judgement',
          id: 'quality',
          name: '讲解质量',
          panel: 3,
          range: { min: '0', max: '10' },
          step: '0.1',
          aggregation: { method: 'mean' },
        },
      ],
    },
  ],
  rounds: [
    { id: 'Prelim', name: '预赛' },
    { id: 'Final', name: '决赛' },
  ],
};

/** The first round's standings as `pnpm results` scores the marks file of `rows`. */
function offlineRound(of: SchemeInput, rows: readonly string[]) {
  const parsed = parseScheme(of);
  if (!parsed.ok) throw new Error('scheme');
  const file = readMarksCsv(rows.join('\n'), parsed.scheme);
  expect(file.errors).toEqual([]);
  const [event] = file.events;
  return event ? (scoreFileEvent(parsed.scheme, event).rounds[0]?.standings ?? []) : [];
}

const line = (x: { competitor: string; rank: number | null; total: string | null }) => [
  x.competitor,
  x.rank,
  x.total,
];

interface Judge {
  id: string;
  token: string;
}

describe('panels per round and group (Postgres)', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  let base: string;
  let eventId: string;
  let prelim: string;
  let final: string;
  /** The seed's five judges, then three more, each with a paired tablet. */
  let pool: Judge[];
  let competitorIds: string[];
  const codes = new Map<string, Map<string, string>>();

  /** A judge with a paired tablet, written as the seed writes its own. */
  async function judgeWithTablet(name: string, unit: string): Promise<Judge> {
    const [judge] = await app.db
      .insert(judges)
      .values({ competitionId: seed.competition.id, name, unit, region: '泉州' })
      .returning();
    const [tablet] = await app.db
      .insert(devices)
      .values({
        competitionId: seed.competition.id,
        kind: 'judge',
        label: `${name}的平板`,
        pairedAt: new Date(),
        judgeId: judge?.id,
      })
      .returning();
    if (!judge || !tablet) throw new Error('insert failed');
    const token = app.tokens.issue({
      typ: 'judge',
      sub: tablet.id,
      cid: seed.competition.id,
      jid: judge.id,
      ver: 0,
    });
    return { id: judge.id, token };
  }

  async function addEvent(name: string, units: string[], of: SchemeInput = scheme) {
    const t = seed.tokens;
    const event = (await call(app, t.organizer, 'POST', `${base}/events`, { name, scheme: of })).json();
    const ids: string[] = [];
    for (const [i, unit] of units.entries()) {
      const res = await call(app, t.organizer, 'POST', `${base}/events/${event.id}/competitors`, {
        name: `${name}选手${i + 1}`,
        unit,
        region: '福州',
        frontline: true,
        unionMember: true,
      });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().competitor.id);
    }
    expect((await call(app, t.organizer, 'POST', `${base}/events/${event.id}/draw`)).statusCode).toBe(200);
    const rounds = Object.fromEntries(event.rounds.map((r: { id: string; key: string }) => [r.key, r.id]));
    return { id: event.id as string, ids, rounds: rounds as Record<string, string> };
  }

  async function checkIn(roundId: string, ids: string[]) {
    const byId = new Map<string, string>();
    for (const competitorId of ids) {
      const res = await call(
        app,
        seed.tokens.encryptionOfficer,
        'POST',
        `${base}/rounds/${roundId}/check-in`,
        {
          competitorId,
        },
      );
      expect(res.statusCode, res.body).toBeLessThan(300);
      byId.set(competitorId, res.json().code);
    }
    codes.set(roundId, byId);
  }

  const code = (roundId: string, competitorId: string) => codes.get(roundId)?.get(competitorId) ?? '?';

  const createPanel = (body: Record<string, unknown>, lang = 'zh-CN') =>
    call(app, seed.tokens.organizer, 'POST', `${base}/events/${eventId}/panels`, body, {
      'accept-language': lang,
    });

  const seat = (panelId: string, s: string, judgeId: string) =>
    call(app, seed.tokens.chiefJudge, 'PUT', `${base}/panels/${panelId}/seats/${s}`, { judgeId });

  const mark = (judge: Judge, roundId: string, competitorId: string, value: string, item = 'quality') =>
    call(app, judge.token, 'POST', `${base}/rounds/${roundId}/marks`, {
      id: randomUUID(),
      workstation: code(roundId, competitorId),
      item,
      value,
    });

  const j = (i: number) => pool[i] as Judge;
  const c = (i: number) => competitorIds[i] as string;

  beforeAll(async () => {
    ({ app } = await testApp('postgres'));
    seed = await seedCompetition(app);
    base = `/api/competitions/${seed.competition.id}`;
    await app.live.rebuild();
    pool = seed.judges.map((judge, i) => ({ id: judge.id, token: seed.tokens.judge(i) }));
    for (const name of ['吴六', '郑七', '王八']) pool.push(await judgeWithTablet(name, `${name}的单位`));
    const event = await addEvent('古城讲解', ['一厂', '二厂', '三厂', '四厂']);
    eventId = event.id;
    competitorIds = event.ids;
    prelim = event.rounds.Prelim as string;
    final = event.rounds.Final as string;
    await checkIn(prelim, competitorIds);
  });
  afterAll(() => app.close());

  let panelA: string;
  let panelB: string;

  it('sets up two panels alternating in a round, refusing a third that would mark the same competitor', async () => {
    const a = await createPanel({
      name: '预赛一组',
      group: 'A组',
      roundId: prelim,
      competitorIds: [c(0), c(2)],
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ roundId: prelim, group: 'A组', size: 3 });
    expect([...a.json().competitorIds].sort()).toEqual([c(0), c(2)].sort());
    panelA = a.json().id;
    const b = await createPanel({
      name: '预赛二组',
      group: 'B组',
      roundId: prelim,
      competitorIds: [c(1), c(3)],
    });
    expect(b.statusCode, b.body).toBe(201);
    panelB = b.json().id;
    const clash = await createPanel({ name: '多余', roundId: prelim, competitorIds: [c(3)] }, 'en');
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toMatchObject({ code: 'panel_overlap', panels: [null, panelB] });
    expect(clash.json().error.message).toContain('"多余" and "预赛二组"');
    const everyRound = await createPanel({ name: '全程' });
    expect(everyRound.json().error.code).toBe('panel_overlap');
    const stranger = await createPanel(
      { name: 'x', roundId: prelim, competitorIds: [seed.competitors[0]?.id] },
      'en',
    );
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error).toMatchObject({
      code: 'competitor_not_in_event',
      field: 'competitorIds.0',
    });
  });

  it('seats the second panel in the pool numbering J8…J10, bounding the count of marking seats, not their numbers', async () => {
    for (const [i, s] of ['J1', 'J2', 'J3'].entries())
      expect((await seat(panelA, s, j(i).id)).statusCode).toBe(200);
    for (const [i, s] of ['J8', 'J9', 'J10'].entries()) {
      const res = await seat(panelB, s, j(5 + i).id);
      expect(res.statusCode, res.body).toBe(200);
    }
    const fourth = await seat(panelA, 'J4', j(3).id);
    expect(fourth.statusCode).toBe(400);
    expect(fourth.json().error).toMatchObject({
      code: 'seat_out_of_range',
      size: 3,
      seats: ['J1', 'J2', 'J3'],
    });
    // Replacing the judge of a seat keeps the count.
    expect((await seat(panelA, 'J3', j(4).id)).statusCode).toBe(200);
    expect((await seat(panelA, 'J3', j(2).id)).statusCode).toBe(200);
    // The chief judge's grid takes every panel's seats from the review, before anyone marks.
    const review = await call(app, seed.tokens.chiefJudge, 'GET', `${base}/rounds/${prelim}/review`);
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json().seats.quality).toEqual(['J1', 'J2', 'J3', 'J8', 'J9', 'J10']);
  });

  it('lets each judge mark only the competitors of their panel, and scores the round as `pnpm results` does', async () => {
    const marks: [number, number, string][] = [
      [0, 0, '8.1'],
      [1, 0, '8.4'],
      [2, 0, '8.0'],
      [0, 2, '7.2'],
      [1, 2, '7.9'],
      [2, 2, '7.5'],
      [5, 1, '9.0'],
      [6, 1, '8.8'],
      [7, 1, '9.1'],
      [5, 3, '6.5'],
      [6, 3, '7.0'],
      [7, 3, '6.9'],
    ];
    const rows: string[] = [MARKS_CSV_COLUMNS.join(',')];
    for (const [judge, competitor, value] of marks) {
      const res = await mark(j(judge), prelim, c(competitor), value);
      expect(res.statusCode, res.body).toBe(201);
      const seatName = res.json().mark.seat;
      expect(seatName).toBe(judge < 5 ? `J${judge + 1}` : `J${judge + 3}`);
      rows.push(['古城讲解', 'Prelim', code(prelim, c(competitor)), 'quality', seatName, value].join(','));
    }
    const wrong = await mark(j(0), prelim, c(1), '5.0');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('not_your_panel');
    expect((await mark(j(5), prelim, c(0), '5.0')).json().error.code).toBe('not_your_panel');

    const mine = (await call(app, j(0).token, 'GET', `${base}/rounds/${prelim}/my-marks`)).json();
    expect(mine.assignments.map((a: { workstation: string }) => a.workstation).sort()).toEqual(
      [code(prelim, c(0)), code(prelim, c(2))].sort(),
    );

    const review = await call(app, seed.tokens.chiefJudge, 'GET', `${base}/rounds/${prelim}/review`);
    expect(review.statusCode, review.body).toBe(200);
    const byCode = new Map(
      review
        .json()
        .competitors.map((r: { workstation: string; panels: unknown[] }) => [r.workstation, r.panels]),
    );
    expect(byCode.get(code(prelim, c(0)))).toEqual([{ id: panelA, name: '预赛一组', group: 'A组' }]);
    expect(byCode.get(code(prelim, c(3)))).toEqual([{ id: panelB, name: '预赛二组', group: 'B组' }]);

    const offline = offlineRound(scheme, rows);
    expect(review.json().event.rounds[0].standings.map(line)).toEqual(offline.map(line));
    expect(offline.map(line)[0]).toEqual([code(prelim, c(1)), 1, '8.97']);
  });

  it('refuses to change the coverage once marking started', async () => {
    const res = await call(app, seed.tokens.chiefJudge, 'PUT', `${base}/panels/${panelA}/coverage`, {
      roundId: prelim,
      group: 'A组',
      competitorIds: [c(0)],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('marking_started');
  });

  it('seats a judge on another panel in the final: the round decides where the tablet marks', async () => {
    await checkIn(final, competitorIds);
    const f = await createPanel({ name: '决赛组', roundId: final });
    expect(f.statusCode, f.body).toBe(201);
    // Judge 5 sat at J8 in the preliminary and sits at J1 in the final.
    for (const [i, s] of ['J1', 'J2', 'J3'].entries())
      expect((await seat(f.json().id, s, j(5 + i).id)).statusCode).toBe(200);
    const inFinal = await mark(j(5), final, c(0), '8.5');
    expect(inFinal.statusCode, inFinal.body).toBe(201);
    expect(inFinal.json().mark.seat).toBe('J1');
    expect((await mark(j(5), prelim, c(0), '8.5')).json().error.code).toBe('not_your_panel');
    expect((await mark(j(0), final, c(0), '8.5')).json().error.code).toBe('not_your_panel');
    const mine = (await call(app, j(0).token, 'GET', `${base}/rounds/${final}/my-marks`)).json();
    expect(mine.assignments).toEqual([]);
  });

  it('draws judges to the panels of a round from the pool, by a seed, respecting recusal; audited; refused once marked', async () => {
    // 甲厂 has two competitors in group A: the judge of 甲厂 may sit only on group B.
    const second = await addEvent('米粉制作', ['甲厂', '甲厂', '乙厂', '丙厂']);
    const x = await judgeWithTablet('甲厂裁判', '甲厂');
    const y = await judgeWithTablet('乙厂裁判', '乙厂');
    const round = second.rounds.Prelim as string;
    const make = (name: string, ids: string[]) =>
      call(app, seed.tokens.organizer, 'POST', `${base}/events/${second.id}/panels`, {
        name,
        roundId: round,
        competitorIds: ids,
      });
    const p1 = (await make('一组', [second.ids[0], second.ids[1]] as string[])).json().id;
    await make('二组', [second.ids[2], second.ids[3]] as string[]);
    const judgeIds = [...pool.slice(0, 6).map((p) => p.id), x.id, y.id];
    const draw = (seedHex?: string) =>
      call(app, seed.tokens.chiefJudge, 'POST', `${base}/rounds/${round}/panel-draw`, {
        judgeIds,
        reserves: 1,
        ...(seedHex ? { seed: seedHex } : {}),
      });
    const seatsOf = (res: {
      json(): { panels: { id: string; seats: { seat: string; judgeId: string }[] }[] };
    }) => res.json().panels.map((p) => [p.id, p.seats.map((s) => `${s.seat}:${s.judgeId}`)]);
    const seeds = [
      '0123456789abcdef',
      'fedcba9876543210',
      'aaaaaaaaaaaaaaaa',
      'bbbbbbbbbbbbbbbb',
      'cccccccccccccccc',
    ];
    const outcomes = [];
    for (const s of seeds) {
      const res = await draw(s);
      expect(res.statusCode, res.body).toBe(200);
      const [one, two] = res.json().panels;
      expect(one.id).toBe(p1);
      expect(one.seats.map((z: { seat: string }) => z.seat)).toEqual(['J1', 'J2', 'J3', 'R1']);
      expect(two.seats.map((z: { seat: string }) => z.seat)).toEqual(['J4', 'J5', 'J6', 'R1']);
      expect(one.seats.some((z: { judgeId: string }) => z.judgeId === x.id)).toBe(false);
      // Every recusal of group B is routed to its reserve.
      for (const r of two.recusals) expect(r.substituteSeat).toBe('R1');
      outcomes.push(seatsOf(res));
    }
    expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBeGreaterThan(1);
    const again = await draw(seeds[0]);
    expect(seatsOf(again)).toEqual(outcomes[0]);
    expect(again.json().seedHash).toBe(
      createHash('sha256')
        .update(seeds[0] as string)
        .digest('hex'),
    );
    const fresh = await draw();
    expect(fresh.json().seed).toMatch(/^[0-9a-f]{64}$/);

    const entries = await app.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.competitionId, seed.competition.id), eq(auditLog.action, 'panel.drawn')))
      .orderBy(asc(auditLog.seq));
    expect(entries).toHaveLength(seeds.length + 2);
    expect(entries.at(-1)?.detail).toMatchObject({ seedHash: fresh.json().seedHash, seedSupplied: false });

    const tooFew = await call(app, seed.tokens.chiefJudge, 'POST', `${base}/rounds/${round}/panel-draw`, {
      judgeIds: judgeIds.slice(0, 5),
    });
    expect(tooFew.statusCode).toBe(409);
    expect(tooFew.json().error.code).toBe('pool_too_small');

    // Once a judge of the draw has marked, the draw stands.
    await checkIn(round, second.ids);
    const seated = fresh.json().panels[0].seats.find((z: { seat: string }) => z.seat === 'J1').judgeId;
    const marker = [...pool, x, y].find((p) => p.id === seated) as Judge;
    const first = await mark(marker, round, second.ids[0] as string, '8.0');
    expect(first.statusCode, first.body).toBe(201);
    const late = await draw(seeds[1]);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('marking_started');
  });
  it('lets two panels take turns by attempt (dives 1 and 3 / dive 2): each marks every competitor, only its attempts', async () => {
    const dives: SchemeInput = {
      ...scheme,
      id: 'panel-attempts',
      components: [
        {
          ...(scheme.components[0] as SchemeInput['components'][number]),
          attempts: { label: 'dive', count: 3 },
        },
      ],
      rounds: [
        { id: 'Prelim', name: '预赛' },
        { id: 'Final', name: '决赛', attempts: { talk: 2 } },
      ],
    };
    const event = await addEvent('讲解轮换', ['一厂', '二厂'], dives);
    const round = event.rounds.Prelim as string;
    const make = (body: Record<string, unknown>) =>
      call(
        app,
        seed.tokens.organizer,
        'POST',
        `${base}/events/${event.id}/panels`,
        { roundId: round, ...body },
        {
          'accept-language': 'en',
        },
      );
    const a = await make({ name: '甲组', group: 'A组', attempts: [3, 1] });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().attempts).toEqual([1, 3]);
    const b = await make({ name: '乙组', group: 'B组', attempts: [2] });
    expect(b.statusCode, b.body).toBe(201);
    // A third panel for dive 3 would mark what 甲组 marks; the round has no dive 4; a dive named twice.
    const clash = await make({ name: '丙组', attempts: [3] });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toMatchObject({ code: 'panel_overlap', panels: [null, a.json().id] });
    const fourth = await make({ name: '丁组', attempts: [4] });
    expect(fourth.statusCode).toBe(400);
    expect(fourth.json().error).toMatchObject({
      code: 'attempt_out_of_range',
      field: 'attempts.0',
      attempts: 3,
    });
    expect((await make({ name: '戊组', attempts: [2, 2] })).json().error).toMatchObject({
      code: 'attempt_repeated',
      field: 'attempts.1',
    });
    // The final has two dives: a panel of the final cannot take dive 3.
    const finalDive = await call(app, seed.tokens.organizer, 'POST', `${base}/events/${event.id}/panels`, {
      name: '决赛组',
      roundId: event.rounds.Final,
      attempts: [3],
    });
    expect(finalDive.json().error).toMatchObject({ code: 'attempt_out_of_range', attempts: 2 });
    // Coverage is replaced, attempts included, before marking.
    const moved = await call(app, seed.tokens.chiefJudge, 'PUT', `${base}/panels/${b.json().id}/coverage`, {
      roundId: round,
      group: 'B组',
      attempts: [2],
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().attempts).toEqual([2]);

    for (const [i, s] of ['J1', 'J2', 'J3'].entries())
      expect((await seat(a.json().id, s, j(i).id)).statusCode).toBe(200);
    for (const [i, s] of ['J8', 'J9', 'J10'].entries())
      expect((await seat(b.json().id, s, j(5 + i).id)).statusCode).toBe(200);
    await checkIn(round, event.ids);

    const rows: string[] = [MARKS_CSV_COLUMNS.join(',')];
    for (const [k, competitor] of event.ids.entries())
      for (const dive of [1, 2, 3]) {
        const judgesOf = dive === 2 ? [5, 6, 7] : [0, 1, 2];
        for (const [n, judge] of judgesOf.entries()) {
          const value = `${6 + k + n * 0.5 + dive * 0.1}`;
          const res = await mark(j(judge), round, competitor, value, `dive-${dive}`);
          expect(res.statusCode, res.body).toBe(201);
          expect(res.json().mark.seat).toBe(dive === 2 ? `J${8 + n}` : `J${1 + n}`);
          rows.push(
            ['讲解轮换', 'Prelim', code(round, competitor), `dive-${dive}`, res.json().mark.seat, value].join(
              ',',
            ),
          );
        }
      }
    // A judge of 乙组 on dive 1, one of 甲组 on dive 2: not their panel's attempts.
    expect((await mark(j(5), round, event.ids[0] as string, '5', 'dive-1')).json().error.code).toBe(
      'not_your_panel',
    );
    expect((await mark(j(0), round, event.ids[0] as string, '5', 'dive-2')).json().error.code).toBe(
      'not_your_panel',
    );
    const mine = (await call(app, j(5).token, 'GET', `${base}/rounds/${round}/my-marks`)).json();
    expect(mine.assignments.flatMap((x: { items: string[] }) => x.items)).toEqual(['dive-2', 'dive-2']);

    const review = (await call(app, seed.tokens.chiefJudge, 'GET', `${base}/rounds/${round}/review`)).json();
    expect(review.competitors[0].panels.map((p: { group: string }) => p.group)).toEqual(['A组', 'B组']);
    expect(review.event.rounds[0].standings.map(line)).toEqual(offlineRound(dives, rows).map(line));
    expect(review.event.rounds[0].standings.every((x: { total: string | null }) => x.total !== null)).toBe(
      true,
    );
  });
});
