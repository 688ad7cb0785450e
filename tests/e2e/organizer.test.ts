import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEMO_ACCOUNTS, seedDemo } from '@jiangxin/server/demo';
import type {
  CompetitorView,
  EventSummary,
  EventView,
  JudgeSignInResponse,
  JudgeView,
  LoginResponse,
  PairDeviceResponse,
} from '@jiangxin/shared';
import { getTemplate } from '@jiangxin/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, visibleText } from './support/browser';
import { typePin } from './support/judge';
import { type RunningApp, startApp } from './support/server';
import { apiOf, type Venue } from './support/venue';

/**
 * The organizer's console in a real Chromium, on a laptop's screen: a competition set up from nothing through
 * the UI (create, an event from a template, imports with a bad row, a panel with a recusal refused, the
 * draw, a tablet paired from the QR sheet), then the day (live progress, sign-off, publication). What the
 * console cannot do (the chief judge's check-in and sign-off, a judge's mark) goes through the API, as those
 * people would do it on their own devices.
 */

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const LAPTOP = { width: 1366, height: 768 };
const PIN = '2468';

let server: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startApp();
  await seedDemo(server.app);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

async function newPage(viewport = LAPTOP): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  contexts.push(context);
  return context.newPage();
}

/** The API of the server under test. */
const api: Venue['api'] = (...args) => apiOf(server.url)(...args);

const login = async (who: keyof typeof DEMO_ACCOUNTS) =>
  (
    await api<LoginResponse>(null, 'POST', '/auth/login', {
      username: DEMO_ACCOUNTS[who].username,
      password: DEMO_ACCOUNTS[who].password,
    })
  ).token;

const csv = (rows: string[][]) => ({
  name: '报名表.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(rows.map((r) => r.join(',')).join('\r\n'), 'utf8'),
});

const JUDGES = [
  ['姓名', '工作单位', '地区'],
  ['王评一', '省茶叶研究所', '福州'],
  ['李评二', '省茶叶学会', '厦门'],
  // The same unit as the competitor 林一: recused from marking her.
  ['张评三', '安溪茶厂', '泉州'],
  ['陈评四', '省农科院', '南平'],
];
const HEADER = ['姓名', '工作单位', '地区', '一线职工', '工会会员'];
const COMPETITORS_BAD = [
  HEADER,
  ['林一', '安溪茶厂', '泉州', '是', '是'],
  ['黄二', '武夷茶场', '南平', '也许', '是'],
  ['', '福鼎茶厂', '宁德', '是', '否'],
  ['周五', '福州茶厂', '福州', '否', '是'],
];
const COMPETITORS_FIXED = [
  HEADER,
  ['林一', '安溪茶厂', '泉州', '是', '是'],
  ['黄二', '武夷茶场', '南平', '否', '是'],
  ['郑四', '福鼎茶厂', '宁德', '是', '否'],
  ['周五', '福州茶厂', '福州', '否', '是'],
];

describe('the organizer’s console', () => {
  it('sets a competition up from nothing and runs its round to publication', async () => {
    const page = await newPage();
    const organizer = await login('organizer');

    // ── Sign in (the staff sign-in the chief judge's console uses) ──
    await page.goto(`${server.url}/organizer`);
    await page.getByLabel('用户名').fill(DEMO_ACCOUNTS.organizer.username);
    await page.getByLabel('密码').fill(DEMO_ACCOUNTS.organizer.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '我的竞赛' }).waitFor();

    // ── Create the competition: every problem shows next to its field before anything is sent ──
    const form = page.getByTestId('create-competition');
    await form.getByRole('button', { name: '创建竞赛' }).click();
    expect(await form.locator('.field-problem').allTextContents()).toEqual(Array(5).fill('必填'));
    await form.getByLabel('竞赛名称').fill('2026 年职工评茶员技能竞赛（浏览器测试）');
    await form.getByLabel('竞赛级别').selectOption('provincial');
    await form.getByLabel('竞赛类别').selectOption('II');
    await form.getByLabel('主办单位').fill('省总工会');
    await form.getByLabel('比赛地点').fill('省职工技能实训基地');
    await form.getByLabel('开始日期').fill('2026-06-02');
    await form.getByLabel('结束日期').fill('2026-06-01');
    await form.getByRole('button', { name: '创建竞赛' }).click();
    expect(await form.locator('.field-problem').allTextContents()).toEqual(['结束日期不能早于开始日期']);
    await page.screenshot({ path: `${SCREENSHOTS}organizer-competitions.png` });
    await form.getByLabel('结束日期').fill('2026-06-03');
    await form.getByRole('button', { name: '创建竞赛' }).click();
    await page.waitForURL(/\/organizer\/[0-9a-f-]{36}$/);
    const competitionId = page.url().split('/').pop() ?? '';
    const C = `/competitions/${competitionId}`;

    // ── An event from the tea template, its scheme adjusted with the engine's problems beside the fields ──
    await page.getByLabel('项目名称').fill('评茶员');
    await page.getByLabel('评分模板').selectOption('tea');
    const editor = page.getByTestId('scheme-editor');
    await editor.waitFor();
    const panelField = editor.locator('input[data-path$=".panel"]').first();
    await panelField.fill('0');
    const panelPath = await panelField.getAttribute('data-path');
    const panelLabel = editor.locator(`label:has(input[data-path="${panelPath}"])`);
    expect(await visibleText(panelLabel.locator('.field-problem'))).toBe('needs at least one judge');
    expect(await editor.getAttribute('data-valid')).toBe('false');
    await expect(page.getByRole('button', { name: '添加项目' }).isDisabled()).resolves.toBe(true);
    await panelField.fill('3');
    await page.locator('[data-testid="scheme-editor"][data-valid="true"]').waitFor();
    await page.getByTestId('score-sheet').getByText('3 名裁判').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}organizer-event.png` });
    await page.getByRole('button', { name: '添加项目' }).click();
    await page.getByTestId('events').getByRole('cell', { name: '评茶员', exact: true }).waitFor();
    const [event] = await api<EventSummary[]>(organizer, 'GET', `${C}/events`);
    if (!event) throw new Error('the event was not created');

    // ── The chief judge's account gets its role (the chief judge checks in and signs off) ──
    await page.getByRole('link', { name: '人员账号' }).click();
    await page.getByTestId('grant-member').getByLabel('用户名').fill(DEMO_ACCOUNTS.chiefJudge.username);
    await page.getByTestId('grant-member').getByRole('button', { name: '授予' }).click();
    await page.getByTestId('member-granted').waitFor();
    await page
      .locator(`tr[data-member="${DEMO_ACCOUNTS.chiefJudge.username}"]`)
      .getByRole('cell', { name: '裁判长', exact: true })
      .waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}organizer-members.png` });

    // ── Judges, then competitors, from CSV: previewed row by row, nothing saved while a row is wrong ──
    await page.getByRole('link', { name: '报名导入' }).click();
    await page.getByTestId('file-judges').setInputFiles(csv(JUDGES));
    await page.getByTestId('preview-judges').waitFor();
    await page.getByTestId('import-judges').getByRole('button', { name: '确认导入 4 行' }).click();
    await page.getByTestId('import-judges-done').waitFor();

    // The template to fill in: the Chinese headers the import reads.
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-competitors').getByRole('button', { name: '下载模板（CSV）' }).click(),
    ]);
    expect(template.suggestedFilename()).toBe('选手报名表模板.csv');
    const templateText = (await readFile((await template.path()) ?? '', 'utf8')).replace(/^\uFEFF/, '');
    expect(templateText.split('\r\n')[0]).toBe(
      '姓名,工作单位,地区,一线职工,工会会员,身份证号,技能等级,单位负责人',
    );

    await page.getByTestId('file-competitors').setInputFiles(csv(COMPETITORS_BAD));
    const preview = page.getByTestId('preview-competitors');
    await preview.waitFor();
    expect(await visibleText(page.getByTestId('import-competitors-blocked'))).toContain('2 行有问题');
    expect(await visibleText(preview.locator('tr[data-row="3"]'))).toContain('一线职工应为“是/否”');
    expect(await visibleText(preview.locator('tr[data-row="4"]'))).toContain('缺少姓名');
    expect(await preview.locator('tr.refused').count()).toBe(2);
    const save = page.getByTestId('import-competitors').getByRole('button', { name: /^确认导入/ });
    expect(await save.isDisabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}organizer-import.png` });
    // Nothing was saved by the preview.
    expect(await api<CompetitorView[]>(organizer, 'GET', `${C}/events/${event.id}/competitors`)).toEqual([]);

    await page.getByTestId('file-competitors').setInputFiles(csv(COMPETITORS_FIXED));
    await page.getByTestId('import-competitors').getByRole('button', { name: '确认导入 4 行' }).click();
    await page.getByTestId('import-competitors-done').waitFor();
    const competitors = await api<CompetitorView[]>(organizer, 'GET', `${C}/events/${event.id}/competitors`);
    expect(competitors.map((c) => c.name).sort()).toEqual(['周五', '林一', '郑四', '黄二'].sort());

    // A judge's tablet PIN, set in the judges' list.
    await page.getByLabel('王评一 的 PIN').fill(PIN);
    await page.locator('tr[data-judge="王评一"]').getByRole('button', { name: '设置' }).click();
    await page.locator('tr[data-judge="王评一"]').getByText('已设置').waitFor();

    // ── The panel: judges dragged into seats, or picked and placed; the server refuses a recusal ──
    await page.getByRole('link', { name: '裁判组' }).click();
    await page.getByLabel('新裁判组名称').fill('评茶裁判组');
    await page.getByRole('button', { name: '新建裁判组' }).click();
    const seat = (s: string) => page.locator(`li.seat[data-seat="${s}"]`);
    const judge = (name: string) => page.locator(`[data-judge="${name}"]`);
    await seat('J3').waitFor();
    await judge('王评一').dragTo(seat('J1'));
    await seat('J1').getByText('王评一').waitFor();
    // The keyboard and click way: pick the judge, then the seat's button.
    await judge('李评二').click();
    await seat('J2').getByRole('button', { name: '安排李评二到此席' }).click();
    await seat('J2').getByText('李评二').waitFor();
    // 张评三 works at 林一's unit and no reserve is seated: refused, with the reason next to the seat.
    await judge('张评三').dragTo(seat('J3'));
    const refusal = page.getByTestId('refusal-J3');
    await refusal.waitFor();
    expect(await visibleText(refusal)).toContain('张评三');
    expect(await visibleText(refusal)).toContain('同单位');
    expect(await seat('J3').locator('.seat-judge').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}organizer-panels.png` });
    // With a reserve seated, the same judge takes the seat and the reserve marks 林一 instead.
    await judge('陈评四').dragTo(seat('R1'));
    await seat('R1').getByText('陈评四').waitFor();
    await judge('张评三').dragTo(seat('J3'));
    await seat('J3').locator('.seat-judge').getByText('张评三').waitFor();
    const recusals = page.getByTestId('recusals');
    expect(await visibleText(recusals)).toContain('林一');
    expect(await visibleText(recusals)).toContain('同单位');

    // ── The draw; check-in is the chief judge's (it reveals workstation codes) ──
    await page.getByRole('link', { name: '抽签与检录' }).click();
    await page.getByRole('button', { name: '抽签', exact: true }).click();
    await page.getByTestId('draw-seed').waitFor();
    expect(await visibleText(page.getByTestId('draw-state'))).toBe('4 名选手均已抽签。');
    const entryNumbers = (
      await api<CompetitorView[]>(organizer, 'GET', `${C}/events/${event.id}/competitors`)
    )
      .map((c) => c.entryNumber)
      .sort();
    expect(entryNumbers).toEqual([1, 2, 3, 4]);
    const chief = await login('chiefJudge');
    const { rounds } = await api<EventView>(organizer, 'GET', `${C}/events/${event.id}`);
    const roundId = rounds[0]?.id ?? '';
    for (const c of competitors)
      await api(chief, 'POST', `${C}/rounds/${roundId}/check-in`, { competitorId: c.id });
    await page.reload();
    await page.getByTestId('checked-in-count').getByText('已检录 4 / 4').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}organizer-draw.png` });

    // ── A tablet, paired from the QR sheet with the code printed beside its QR code ──
    await page.getByRole('link', { name: '设备配对' }).click();
    await page.getByLabel('设备名称').fill('评茶平板');
    await page.getByRole('button', { name: '添加并生成配对码' }).click();
    const card = page.getByTestId('qr-sheet').locator('[data-device="评茶平板"]');
    const shownCode = await visibleText(card.getByTestId('pairing-code'));
    expect(shownCode).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(await card.locator('svg.qr').getAttribute('data-url')).toContain(shownCode.replace('-', ''));
    await page.screenshot({ path: `${SCREENSHOTS}organizer-devices.png` });
    // Printed, the sheet is the QR codes with their codes alone (no header, tabs or device list).
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('devices').isVisible()).toBe(false);
    expect(await card.isVisible()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}organizer-pairing-sheet-print.png` });
    await page.emulateMedia({ media: 'screen' });
    const tablet = await newPage({ width: 1280, height: 800 });
    await tablet.goto(`${server.url}/judge`);
    await tablet.getByLabel('配对码').fill(shownCode);
    await tablet.getByRole('button', { name: '配对', exact: true }).click();
    await tablet.getByRole('button', { name: '王评一' }).click();
    await typePin(tablet, PIN);
    await tablet.locator('[data-testid^="ws-"]').first().waitFor();
    // The console's list follows: the tablet is paired, with its judge signed in.
    const row = page.getByTestId('devices').locator('tr[data-device="评茶平板"][data-status="paired"]');
    await row.getByText('王评一').waitFor({ timeout: 15_000 });

    // ── The day: the round is open for marks; progress follows the socket; sign-off closes it; publish ──
    await page.getByRole('link', { name: '赛事运行' }).click();
    const final = page.getByTestId('rounds').locator('tr[data-round="Final"]');
    await final.getByText('评分中').waitFor();
    const progress = page.getByTestId('progress');
    await page.locator('[data-testid="progress"]:not([data-version=""])').waitFor();
    const total = () => visibleText(page.getByTestId('progress-total'));
    expect(await total()).toMatch(/^已收到 0 \/ 应收 \d+ 个评分$/);
    // 李评二 (J2) marks from a tablet of their own, through the API.
    const judges = await api<JudgeView[]>(organizer, 'GET', `${C}/judges`);
    const li = judges.find((j) => j.name === '李评二');
    await api(organizer, 'POST', `${C}/judges/${li?.id}/pin`, { pin: PIN });
    const device = await api<{ pairingCode: string }>(organizer, 'POST', `${C}/devices`, {
      kind: 'judge',
      label: 'API 平板',
    });
    const paired = await api<PairDeviceResponse>(null, 'POST', '/devices/pair', { code: device.pairingCode });
    const signedIn = await api<JudgeSignInResponse>(paired.token, 'POST', '/devices/judge-sign-in', {
      judgeId: li?.id,
      pin: PIN,
    });
    const { codes } = await api<{ codes: string[] }>(organizer, 'GET', `${C}/rounds/${roundId}/workstations`);
    await api(signedIn.token, 'POST', `${C}/rounds/${roundId}/marks`, {
      id: randomUUID(),
      workstation: codes[0],
      item: 'appearance',
      value: '3',
    });
    await expect.poll(total, { timeout: 10_000 }).toMatch(/^已收到 1 \/ 应收 \d+ 个评分$/);
    expect(await visibleText(progress.locator('[data-testid="progress-judges"] tr[data-seat="J2"]'))).toMatch(
      /1 \/ \d+/,
    );
    await page.screenshot({ path: `${SCREENSHOTS}organizer-run.png` });
    // Closing marking from the console: a judge's mark is refused round_closed (kept on the tablet), shown
    // live; reopening takes the very same mark once.
    await final.getByRole('button', { name: '关闭评分' }).click();
    await final.getByText('评分已暂停').waitFor({ timeout: 10_000 });
    const held = { id: randomUUID(), workstation: codes[1], item: 'appearance', value: '4' };
    const refused = await api<{ error: { code: string } }>(
      signedIn.token,
      'POST',
      `${C}/rounds/${roundId}/marks`,
      held,
      [409],
    );
    expect(refused.error.code).toBe('round_closed');
    await page.screenshot({ path: `${SCREENSHOTS}organizer-run-closed.png` });
    await final.getByRole('button', { name: '重新开放评分' }).click();
    await final.getByText('评分中').waitFor({ timeout: 10_000 });
    await api(signedIn.token, 'POST', `${C}/rounds/${roundId}/marks`, held, [201]);
    await api(signedIn.token, 'POST', `${C}/rounds/${roundId}/marks`, held, [200]);
    await expect.poll(total, { timeout: 10_000 }).toMatch(/^已收到 2 \/ 应收 \d+ 个评分$/);
    // Publication waits for the chief judge's sign-off, which closes the round (seen live, no reload).
    expect(await final.getByRole('button', { name: '公布成绩' }).isDisabled()).toBe(true);
    await api(chief, 'POST', `${C}/rounds/${roundId}/sign-off`, {
      confirm: true,
      force: true,
      reason: '浏览器测试：其余评分另行处理',
    });
    await final.getByText('已签字锁定').waitFor({ timeout: 10_000 });
    await final.getByRole('button', { name: '公布成绩' }).click();
    await final.getByText('已公布').waitFor();
    const after = await api<EventView>(organizer, 'GET', `${C}/events/${event.id}`);
    expect(after.rounds[0]?.publishedAt).not.toBeNull();

    // ── The exports' downloads (the files are the server's) ──
    await page.getByRole('link', { name: '成绩导出' }).click();
    const workbookButton = page.getByRole('button', { name: '成绩表（XLSX）' }).first();
    await workbookButton.waitFor();
    expect(await workbookButton.getAttribute('data-path')).toBe(
      `/api/competitions/${competitionId}/exports/results.xlsx`,
    );
    // The published workbook and the event's marks file really download (a workbook is a zip: "PK").
    const [workbook] = await Promise.all([page.waitForEvent('download'), workbookButton.click()]);
    expect(workbook.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await readFile((await workbook.path()) as string)).subarray(0, 2).toString()).toBe('PK');
    const [marksFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '评分明细（CSV）' }).first().click(),
    ]);
    expect(await readFile((await marksFile.path()) as string, 'utf8')).toContain('appearance');
    await page.screenshot({ path: `${SCREENSHOTS}organizer-exports.png` });

    // ── English second: every page translated, no message key left showing ──
    await page.getByRole('button', { name: 'English' }).click();
    const key =
      /\b(?:tab|events|scheme|sheet|import|person|panels|draw|checkIn|devices|run|phase|progress|exports|pin|form|competition)\.[a-zA-Z.]+/;
    for (const tab of [
      'Events and schemes',
      'Staff accounts',
      'Registration',
      'Panels',
      'Draw and check-in',
      'Devices',
      'Run the day',
      'Exports',
    ]) {
      await page.getByRole('link', { name: tab, exact: true }).click();
      await page.locator('.organizer-card').first().waitFor();
      expect(await visibleText(page.locator('body')), tab).not.toMatch(key);
      if (tab === 'Run the day') {
        await page.getByTestId('progress').waitFor();
        await page.screenshot({ path: `${SCREENSHOTS}organizer-run-en.png` });
      }
    }
  });

  it('imports a team event: the preview groups members by team, a bad row refuses its whole team; members edited in place', async () => {
    const organizer = await login('organizer');
    const competition = await api<{ id: string }>(organizer, 'POST', '/competitions', {
      name: '2026 年职工评茶团体赛（浏览器测试）',
      level: 'city',
      organizer: '市总工会',
      venue: '市职工技能实训基地',
      startsOn: '2026-07-01',
      endsOn: '2026-07-01',
    });
    const C = `/competitions/${competition.id}`;
    const event = await api<EventView>(organizer, 'POST', `${C}/events`, {
      name: '评茶（双人赛）',
      scheme: { ...getTemplate('tea'), entrants: { kind: 'team', size: { min: 2, max: 3 } } },
    });
    const page = await newPage();
    await page.goto(`${server.url}/organizer/${competition.id}/registration?event=${event.id}`);
    await page.getByLabel('用户名').fill(DEMO_ACCOUNTS.organizer.username);
    await page.getByLabel('密码').fill(DEMO_ACCOUNTS.organizer.password);
    await page.getByRole('button', { name: '登录' }).click();
    const section = page.getByTestId('import-teams');
    await section.getByText('导入团队：评茶（双人赛）').waitFor();

    const header = ['团队', '姓名', '工作单位', '地区', '一线职工', '工会会员'];
    const rows = [
      ['茶一队', '林一', '安溪茶厂', '泉州', '是', '是'],
      ['茶一队', '黄二', '武夷茶场', '南平', '是', '是'],
      ['茶二队', '郑四', '福鼎茶厂', '宁德', '是', '否'],
      ['茶二队', '周五', '福州茶厂', '福州', '否', '是'],
      ['茶二队', '吴六', '漳州茶厂', '漳州', '也许', '是'],
      ['单人队', '陈七', '泉州茶厂', '泉州', '是', '是'],
    ];
    await page.getByTestId('file-teams').setInputFiles(csv([header, ...rows]));
    const preview = page.getByTestId('preview-teams');
    await preview.waitFor();
    expect(await visibleText(preview.locator('tbody[data-team="茶一队"] tr.team-head'))).toBe(
      '团队：茶一队（2 人）',
    );
    expect(await preview.locator('tbody[data-team="茶一队"] tr.refused').count()).toBe(0);
    // One bad row refuses its whole team, each row saying why; a team of one is below the event's size.
    expect(await preview.locator('tbody[data-team="茶二队"] tr.refused').count()).toBe(3);
    expect(await visibleText(preview.locator('tr[data-row="6"]'))).toContain('一线职工应为“是/否”');
    expect(await visibleText(preview.locator('tr[data-row="4"]'))).toContain('第 6 行有误，整队未登记');
    expect(await visibleText(preview.locator('tr[data-row="7"]'))).toContain('本赛项每队 2–3 人');
    expect(await visibleText(preview.locator('caption'))).toContain('共 1 支团队');
    expect(await section.getByRole('button', { name: /^确认导入/ }).isDisabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}organizer-import-teams.png`, fullPage: true });

    const fixed = rows.slice(0, 5).map((r) => (r[1] === '吴六' ? [...r.slice(0, 4), '否', '是'] : r));
    await page.getByTestId('file-teams').setInputFiles(csv([header, ...fixed]));
    await section.getByRole('button', { name: '确认导入 5 行' }).click();
    await page.getByTestId('import-teams-done').waitFor();
    const list = page.getByTestId('competitors');
    await list.locator('tr[data-member="吴六"]').waitFor();
    expect(await list.locator('tbody[data-competitor="茶二队"] tr.member').count()).toBe(3);

    // The organizer corrects a member's unit in place.
    await list.locator('tr[data-member="周五"]').getByRole('button', { name: '修改' }).click();
    await list.locator('tr[data-member="周五"]').getByLabel('工作单位').fill('福州第二茶厂');
    await list.locator('tr[data-member="周五"]').getByRole('button', { name: '保存' }).click();
    await list.locator('tr[data-member="周五"]').getByRole('cell', { name: '福州第二茶厂' }).waitFor();
    const teams = await api<CompetitorView[]>(organizer, 'GET', `${C}/events/${event.id}/competitors`);
    const second = teams.find((t) => t.name === '茶二队');
    expect(second?.members?.map((m) => m.unit)).toEqual(['福鼎茶厂', '福州第二茶厂', '漳州茶厂']);
    expect(second?.unit).toBe('福鼎茶厂、福州第二茶厂、漳州茶厂');
    await page.screenshot({ path: `${SCREENSHOTS}organizer-teams.png`, fullPage: true });

    // A member joins 茶一队 and leaves again, each after a confirmation; a pair cannot lose one more.
    page.on('dialog', (dialog) => void dialog.accept());
    const first = list.locator('tbody[data-competitor="茶一队"]');
    await first.getByRole('button', { name: '+ 添加成员' }).click();
    const row = page.getByTestId('add-member-茶一队');
    await row.getByLabel('姓名').fill('何八');
    await row.getByLabel('工作单位').fill('厦门茶厂');
    await row.getByLabel('地区').fill('厦门');
    await row.getByRole('button', { name: '添加成员' }).click();
    await first.locator('tr[data-member="何八"]').waitFor();
    expect(await first.locator('tr.member').count()).toBe(3);
    await page.screenshot({ path: `${SCREENSHOTS}organizer-team-member-added.png`, fullPage: true });
    await first.locator('tr[data-member="何八"]').getByRole('button', { name: '移除' }).click();
    await first.locator('tr[data-member="何八"]').waitFor({ state: 'detached' });
    expect(await first.locator('tr.member').count()).toBe(2);
    await first.locator('tr[data-member="林一"]').getByRole('button', { name: '移除' }).click();
    await first.locator('tr[data-member="林一"] .field-problem').getByText(/2–3/).waitFor();
    const after = await api<CompetitorView[]>(organizer, 'GET', `${C}/events/${event.id}/competitors`);
    expect(after.find((t) => t.name === '茶一队')?.members?.map((m) => m.name)).toEqual(['林一', '黄二']);
  });
});
