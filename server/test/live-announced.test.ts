import { randomUUID } from 'node:crypto';
import { templateInputs } from '@jiangxin/shared';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './setup-fixtures';
import { type Seeded, seedCompetition, testApp } from './support';

/**
 * Every route that writes, walked through a competition's life: after each write the live view must equal
 * the recomputation from Postgres. Nothing tells the live view what changed but the services' own
 * announcements, so a write that forgets to announce shows here as a stale view (the seat reassignment
 * after marks did). A write route missing from the table fails the test: a new route must be thought
 * through here, with a step that writes, or the reason it cannot change any round's standings.
 */

const C = '/api/competitions/{competitionId}';
const R = `${C}/rounds/{roundId}`;

/**
 * Routes that write but touch nothing a round's standings or live view show. Reading routes (results, the
 * exports, the live snapshots) write nothing and are not walked.
 */
const unaffected: Record<string, string> = {
  'POST /api/results': 'recomputes an uploaded marks file; stores nothing',
  'POST /api/auth/login': 'signs an account in',
  'POST /api/auth/refresh': 'renews a token',
  'POST /api/devices/pair': 'pairs a device',
  'POST /api/devices/judge-resume': 'renews a judge tablet’s token with the PIN',
  'POST /api/devices/judge-sign-in': 'signs a judge in on a tablet',
  'POST /api/devices/judge-sign-out': 'signs a judge out of a tablet',
  [`POST ${C}/members`]: 'gives an account a role',
  [`POST ${C}/devices`]: 'registers a device',
  [`POST ${C}/devices/{deviceId}/pairing-code`]: 'issues a pairing code',
  [`POST ${C}/devices/{deviceId}/revoke`]: 'revokes a device (its sessions end through their own path)',
  [`POST ${C}/judges/{judgeId}/pin`]: 'sets a judge’s PIN',
  [`POST ${C}/events/{eventId}/competitors/import/preview`]: 'checks an import row by row; saves nothing',
  [`POST ${C}/judges/import/preview`]: 'checks an import row by row; saves nothing',
  [`PATCH ${C}/competitors/{competitorId}/members/{memberId}`]:
    'changes a team member’s record: the live view shows the team (its name, its marks), never its members (the seed has no team event; teams.test.ts covers the route)',
  [`POST ${C}/competitors/{competitorId}/members`]:
    'adds a member to a team: the live view shows the team, never its members (teams.test.ts covers the route)',
  [`DELETE ${C}/competitors/{competitorId}/members/{memberId}`]:
    'removes a member from a team: the live view shows the team, never its members (teams.test.ts covers the route)',
};

describe('the live view after every write route', () => {
  let app: FastifyInstance;
  let seed: Seeded;
  const walked = new Set<string>();
  let writeRoutes: string[] = [];
  const _ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ app } = await testApp('pglite'));
    seed = await seedCompetition(app);
    // The seed writes to the database directly, past the services: the live view starts from it.
    await app.live.rebuild();
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    writeRoutes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method) => method !== 'get')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
  });
  afterAll(() => app.close());

  /** Sends one write as `token`, expects it to succeed, and compares the live view with Postgres. */
  async function write(
    route: string,
    token: string,
    params: Record<string, string>,
    payload?: unknown,
  ): Promise<Record<string, unknown>> {
    const [method = 'POST', template = ''] = route.split(' ');
    const url = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? name);
    const res = await call(app, token, method as 'POST', url, payload);
    expect(res.statusCode, `${route}: ${res.body}`).toBeLessThan(300);
    walked.add(route);
    await app.live.settle();
    expect(await app.live.check(), `the live view after ${route}`).toEqual([]);
    return res.body ? res.json() : {};
  }

  it('keeps the live view equal to the recomputation through a whole competition', async () => {
    const t = seed.tokens;
    const c = { competitionId: seed.competition.id };
    const r = { ...c, roundId: seed.round.id };
    const [a01, a02] = seed.competitors;
    if (!a01 || !a02) throw new Error('seed');

    await write(
      'POST /api/competitions',
      t.organizer,
      {},
      {
        name: '另一场竞赛',
        level: 'city',
        organizer: '市总工会',
        venue: '实训基地',
        startsOn: '2026-06-01',
        endsOn: '2026-06-02',
      },
    );

    // A second event with its own rounds: they must appear in the live view at once.
    // Diving under a scheme that lets the chief judge replace a missing mark by the average of the others.
    const diving = await write(`POST ${C}/events`, t.organizer, c, {
      name: '跳水',
      scheme: { ...templateInputs.diving, missingMark: 'averageOfOthers' },
    });
    const event = { ...c, eventId: String(diving.id) };
    const rounds = diving.rounds as { id: string; key: string }[];
    const prelim = { ...c, roundId: rounds.find((x) => x.key === 'Prelim')?.id ?? '' };
    const diver = await write(`POST ${C}/events/{eventId}/competitors`, t.organizer, event, {
      name: '全红婵',
      unit: '广东跳水队',
      region: '湛江',
      frontline: true,
      unionMember: true,
    });
    await write(`POST ${C}/events/{eventId}/competitors/import`, t.organizer, event, {
      format: 'csv',
      content: '姓名,工作单位,地区,一线职工,工会会员\r\n陈芋汐,上海跳水队,上海,是,是',
    });
    const judge = await write(`POST ${C}/judges`, t.organizer, c, {
      name: '新裁判',
      unit: '裁判协会',
      region: '北京',
    });
    await write(`POST ${C}/judges/import`, t.organizer, c, {
      format: 'csv',
      content: '姓名,工作单位,地区\r\n另一裁判,体育局,天津',
    });
    const panel = await write(`POST ${C}/events/{eventId}/panels`, t.organizer, event, {
      name: '跳水裁判组',
    });
    const divingPanel = { ...c, panelId: String(panel.id), seat: 'J1' };
    await write(`PUT ${C}/panels/{panelId}/seats/{seat}`, t.chiefJudge, divingPanel, { judgeId: judge.id });
    await write(`DELETE ${C}/panels/{panelId}/seats/{seat}`, t.chiefJudge, divingPanel);
    // The panel becomes the preliminary's own, and the competition's seven judges are drawn to it (裁判抽签).
    await write(`PUT ${C}/panels/{panelId}/coverage`, t.chiefJudge, divingPanel, {
      roundId: prelim.roundId,
      group: 'A组',
    });
    const drawn = (await write(`POST ${R}/panel-draw`, t.chiefJudge, prelim, {})) as {
      panels: { seats: { seat: string; judgeId: string }[] }[];
    };
    const drawnSeat = (i: number) =>
      drawn.panels[0]?.seats.find((s) => s.judgeId === seed.judges[i]?.id)?.seat ?? '?';
    await write(`POST ${C}/events/{eventId}/draw`, t.organizer, event);
    // Check-in draws a workstation: the round gains a line.
    const checkedIn = await write(`POST ${R}/check-in`, t.encryptionOfficer, prelim, {
      competitorId: (diver.competitor as { id: string }).id,
    });
    await write(
      `PUT ${R}/competitors/{competitorId}/attempts`,
      t.chiefJudge,
      { ...prelim, competitorId: (diver.competitor as { id: string }).id },
      [1, 2, 3, 4, 5, 6].map((attempt) => ({ attempt, difficulty: '3.2' })),
    );
    // Two seed judges drawn to the diving panel: the first marks the first dive, the second's tablet dies:
    // the chief judge replaces its mark by the average of the others (the engine computes it).
    await write(`POST ${R}/marks`, t.judge(0), prelim, {
      id: randomUUID(),
      workstation: checkedIn.code,
      item: 'dive-1',
      value: '7.5',
    });
    await write(`POST ${R}/missing-marks`, t.chiefJudge, prelim, {
      workstation: checkedIn.code,
      item: 'dive-1',
      seat: drawnSeat(1),
      reason: '平板故障',
    });

    // Five judges mark A01; then the chief judge gives seat J5 to another judge: J5's mark stops counting.
    for (const [judge, value] of ['40', '35', '30', '45', '20'].entries())
      await write(`POST ${R}/marks`, t.judge(judge), r, {
        id: randomUUID(),
        workstation: 'A01',
        item: 'assemblyQuality',
        value,
      });
    await write(
      `PUT ${C}/panels/{panelId}/seats/{seat}`,
      t.chiefJudge,
      { ...c, panelId: seed.panel.id, seat: 'J5' },
      { judgeId: judge.id },
    );

    const paperId = randomUUID();
    await write(`POST ${R}/paper-marks`, t.scorekeeper, r, {
      id: paperId,
      workstation: 'A02',
      item: 'assemblyQuality',
      seat: 'J1',
      value: '38',
    });
    await write(
      `POST ${R}/paper-marks/{markId}/confirm`,
      t.scorekeeper2,
      { ...r, markId: paperId },
      { value: '38' },
    );
    await write(`POST ${R}/remarks`, t.chiefJudge, r, {
      workstation: 'A01',
      item: 'assemblyQuality',
      reason: '复核',
    });
    // Closing and reopening marking changes the round's status every screen and tablet follows.
    await write(`POST ${R}/close`, t.organizer, r);
    await write(`POST ${R}/open`, t.chiefJudge, r);
    await write(`POST ${R}/sign-off`, t.chiefJudge, r, {
      confirm: true,
      force: true,
      reason: '其余成绩另行录入',
    });
    const correction = {
      workstation: 'A01',
      item: 'assemblyQuality',
      seat: 'J2',
      value: '25',
      reason: '平板误触',
    };
    const approved = await write(`POST ${R}/corrections`, t.scorekeeper, r, correction);
    const rejected = await write(`POST ${R}/corrections`, t.scorekeeper, r, { ...correction, value: '10' });
    const decide = (id: unknown) => ({ ...r, correctionId: String((id as { id: string }).id) });
    await write(`POST ${R}/corrections/{correctionId}/approve`, t.chiefJudge, decide(approved.correction), {
      reason: '核对属实',
    });
    await write(`POST ${R}/corrections/{correctionId}/reject`, t.chiefJudge, decide(rejected.correction), {
      reason: '无依据',
    });
    await write(`POST ${R}/decrypt`, t.encryptionOfficer, r);
    // Names show once decrypted: a renamed competitor must show renamed.
    await write(
      `PATCH ${C}/competitors/{competitorId}`,
      t.organizer,
      { ...c, competitorId: a02.id },
      { name: '李娜娜' },
    );
    await write(`POST ${R}/publish`, t.chiefJudge, r);
    await write(`POST ${R}/freeze`, t.chiefJudge, r);
    await write(`POST ${R}/reveal`, t.chiefJudge, r, { all: true });

    // Honours change no standings (audited as noStandings): the live view must stay as it is.
    await write(`PUT ${C}/honours/rules`, t.organizer, c, { rules: 'county' });
    await write(`POST ${C}/honours/overrides`, t.organizer, c, {
      honour: 'county-may-day-medal',
      competitorId: a01.id,
      recommended: false,
      reason: '经核实不符合推荐条件',
    });
    await write(`POST ${C}/honours/publish`, t.organizer, c);

    const live = await app.live.store.get(seed.round.id);
    expect(live?.names?.A02).toBe('李娜娜');
  });

  it('has walked every write route, or says why a route cannot change what the live view shows', () => {
    const notThought = writeRoutes.filter((route) => !walked.has(route) && !(route in unaffected));
    expect(notThought, 'write routes with neither a step nor a reason').toEqual([]);
    const stale = Object.keys(unaffected).filter((route) => !writeRoutes.includes(route));
    expect(stale, 'reasons given for routes that do not exist').toEqual([]);
  });
});
