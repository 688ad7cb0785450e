import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, visibleText } from './support/browser';
import { approveCorrection, gridCell, openReview, signInChief, signInStaff } from './support/chief';
import { type RunningApp, startApp } from './support/server';
import { createVenue, type Venue } from './support/venue';

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const TABLET = { width: 1280, height: 800 };
const SEATS = ['J1', 'J2', 'J3', 'J4', 'J5'];

let server: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

async function tabletPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: TABLET, deviceScaleFactor: 1 });
  contexts.push(context);
  return context.newPage();
}

async function judgeTokens(venue: Venue): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(SEATS.map(async (s) => [s, await venue.judgeToken(s)])));
}

/** The text of a cell once it shows `value` (the grid follows the socket: poll the page, never reload). */
const cellText = (page: Page, ws: string, item: string, seat: string) => () =>
  visibleText(gridCell(page, ws, item, seat));

describe('the chief judge’s console', () => {
  it('signs in, opens the round; marks sent through the API fill the grid without a reload', async () => {
    const venue = await createVenue(server);
    const page = await tabletPage();
    // A wrong password is said plainly.
    await page.goto(`${venue.url}/chief`);
    await page.getByLabel('用户名').fill(venue.accounts.chiefJudge.username);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();

    await signInChief(page, venue);
    await page.evaluate('window.__sameDocument = true');
    const [a01, a02, a03, a04] = venue.workstations as [string, string, string, string];
    // Nothing marked yet: every cell is empty and shown as missing.
    expect(await visibleText(gridCell(page, a01, 'quality', 'J1'))).toBe('');
    expect(await gridCell(page, a01, 'quality', 'J1').getAttribute('class')).toContain('missing');

    const tokens = await judgeTokens(venue);
    const marks: [string, string, Record<string, string>][] = [
      [a01, 'quality', { J1: '8.5', J2: '8', J3: '9', J4: '8', J5: '7.5' }],
      [a01, 'technique', { J1: '7', J2: '7.5', J3: '7.5', J4: '8', J5: '7' }],
      [a02, 'quality', { J1: '6.5', J2: '7', J3: '7', J4: '6.5', J5: '9.5' }],
      [a02, 'technique', { J1: '8', J2: '8.5', J3: '8' }],
      [a03, 'quality', { J1: '9', J2: '9.5', J3: '9' }],
    ];
    for (const [ws, item, bySeat] of marks)
      await Promise.all(
        Object.entries(bySeat).map(([seat, value]) => venue.mark(tokens[seat] ?? '', ws, item, value)),
      );

    await expect.poll(cellText(page, a01, 'quality', 'J1'), { timeout: 10_000 }).toBe('8.5');
    await expect.poll(cellText(page, a03, 'quality', 'J3'), { timeout: 10_000 }).toBe('9');
    // The engine's drops are struck out: the highest (J3 9) and lowest (J5 7.5) of A01's quality.
    expect(await gridCell(page, a01, 'quality', 'J3').locator('s').count()).toBe(1);
    expect(await gridCell(page, a01, 'quality', 'J5').locator('s').count()).toBe(1);
    expect(await gridCell(page, a01, 'quality', 'J1').locator('s').count()).toBe(0);
    // J5's 9.5 on A02 lies 2.5 above the panel's 6.83: an outlier.
    await expect.poll(() => gridCell(page, a02, 'quality', 'J5').getAttribute('class')).toContain('outlier');
    // Still missing: A02 technique J4 and J5, all of A04.
    expect(await gridCell(page, a02, 'technique', 'J4').getAttribute('class')).toContain('missing');
    expect(await visibleText(gridCell(page, a04, 'quality', 'J1'))).toBe('');
    // The panel's results (trimmed means) and the total as the engine computed them.
    const row = await visibleText(page.getByTestId(`grid-row-${a01}`));
    expect(row).toContain('8.1667');
    expect(row).toContain('15.50');

    // One more mark arrives while the chief judge watches.
    await venue.mark(tokens.J4 ?? '', a02, 'technique', '7.5');
    await expect.poll(cellText(page, a02, 'technique', 'J4')).toBe('7.5');
    // Two marks of five: the panel cannot drop the highest and lowest yet, the marks show all the same.
    await venue.mark(tokens.J1 ?? '', a04, 'quality', '7');
    await venue.mark(tokens.J2 ?? '', a04, 'quality', '7.5');
    await expect.poll(cellText(page, a04, 'quality', 'J2')).toBe('7.5');
    expect(await visibleText(gridCell(page, a04, 'quality', 'J1'))).toBe('7');
    expect(await gridCell(page, a04, 'quality', 'J3').getAttribute('class')).toContain('missing');
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}chief-grid.png` });

    // English by the switch, the grid as it was.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Marks grid' }).waitFor();
    await page.getByRole('button', { name: 'Print score sheets' }).waitFor();
    expect(await visibleText(gridCell(page, a01, 'quality', 'J1'))).toBe('8.5');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('link', { name: '评分网格' }).waitFor();
  });

  it('a rehearsal where J3 marks a point above the others: the deviation view names J3 alone', async () => {
    const venue = await createVenue(server);
    const tokens = await judgeTokens(venue);
    await Promise.all(
      SEATS.map(async (seat) => {
        for (const [i, ws] of venue.workstations.entries()) {
          for (const item of ['quality', 'technique']) {
            const base = 6 + (i % 3) * 0.5 + (item === 'technique' ? 1 : 0);
            const offset =
              seat === 'J3'
                ? 1
                : seat === 'J4' && i % 2 === 1
                  ? -0.5
                  : seat === 'J5' && i % 2 === 0
                    ? 0.5
                    : 0;
            await venue.mark(tokens[seat] ?? '', ws, item, String(base + offset));
          }
        }
      }),
    );
    const page = await tabletPage();
    await signInChief(page, venue);
    const last = venue.workstations.at(-1) ?? '';
    await expect.poll(cellText(page, last, 'technique', 'J5'), { timeout: 10_000 }).not.toBe('');

    await page.getByRole('link', { name: '裁判偏差' }).click();
    const table = page.getByTestId('deviation-table');
    await table.waitFor();
    await expect.poll(() => page.getByTestId('deviation-J3').getAttribute('data-outlier')).toBe('true');
    for (const seat of ['J1', 'J2', 'J4', 'J5'])
      expect(await page.getByTestId(`deviation-${seat}`).getAttribute('data-outlier')).toBe('false');
    const j3 = await visibleText(page.getByTestId('deviation-J3'));
    expect(j3).toContain('10');
    expect(j3).toContain('持续偏高');
    // A chart per judge, drawn to canvas.
    expect(await page.locator('.deviation-chart canvas').count()).toBe(5);
    await page.screenshot({ path: `${SCREENSHOTS}chief-deviation.png` });

    // The score sheets: a print view, and the browser's print dialog (stubbed here).
    await page.evaluate('window.__printed = 0; window.print = () => { window.__printed += 1; }');
    await page.getByRole('button', { name: '打印评分表' }).click();
    await page.waitForURL(/\/print$/);
    const sheet = page.getByTestId('score-sheet');
    await sheet.waitFor();
    await expect.poll(() => page.evaluate('window.__printed'), { timeout: 10_000 }).toBe(1);
    const text = await visibleText(sheet);
    expect(text).toContain('焊工');
    expect(text).toContain('裁判长');
    for (const seat of SEATS) expect(text).toContain(`裁判 ${seat}`);
    expect(text).toContain(venue.workstations[0] ?? '');
    // @page is A4 portrait (the minifier writes `size: A4 portrait` as `size: a4`, portrait being the default).
    const pageRule = await page.evaluate(
      "[...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r.constructor.name === 'CSSPageRule').map((r) => r.cssText).join(' ')",
    );
    expect(pageRule).toMatch(/size: a4\b/i);
    expect(pageRule).not.toContain('landscape');
    await page.screenshot({ path: `${SCREENSHOTS}chief-print.png`, fullPage: true });
  });

  it('paper marks: the scorekeeper enters, the chief judge confirms; sign-off with blockers needs force and a reason', async () => {
    const venue = await createVenue(server);
    const [a01, a02] = venue.workstations as [string, string];
    const tokens = await judgeTokens(venue);
    await venue.mark(tokens.J1 ?? '', a01, 'quality', '8');
    await venue.mark(tokens.J3 ?? '', a01, 'quality', '8.5');
    const chief = await tabletPage();
    await signInChief(chief, venue);

    // The scorekeeper, on another computer, sees paper entry only.
    const keeper = await tabletPage();
    await signInStaff(keeper, venue, 'scorekeeper');
    expect(await keeper.getByRole('link', { name: '评分网格' }).count()).toBe(0);
    await keeper.getByLabel('工位号').selectOption(a01);
    await keeper.getByLabel('评分项').selectOption('quality');
    await keeper.getByLabel('裁判席位').selectOption('J2');
    // Checked against the aspect's range before sending.
    await keeper.getByLabel('分数').fill('10.5');
    await keeper.getByRole('button', { name: '录入' }).click();
    await keeper.getByRole('alert').filter({ hasText: '不能大于 10' }).waitFor();
    await keeper.getByLabel('分数').fill('7.5');
    await keeper.getByRole('button', { name: '录入' }).click();
    const entry = keeper.locator('[data-testid^="paper-entry-"]');
    await entry.first().waitFor();
    expect(await entry.first().getAttribute('data-status')).toBe('pending');
    expect(await visibleText(entry.first())).toContain('待第二人确认');
    await keeper.screenshot({ path: `${SCREENSHOTS}chief-paper.png` });

    // The chief judge sees it waiting (the review follows the live round) and confirms it, re-typing the value.
    await openReview(chief);
    const waiting = chief.locator('[data-testid^="paper-"]').filter({ hasText: a01 });
    await waiting.first().waitFor();
    await chief.getByLabel(`复核 ${a01} 焊缝质量 J2 的分值`).fill('7.5');
    await chief.getByRole('button', { name: `确认 ${a01} 焊缝质量 J2 的纸质评分` }).click();
    await waiting.first().waitFor({ state: 'detached' });
    await chief.getByRole('link', { name: '评分网格' }).click();
    await expect.poll(cellText(chief, a01, 'quality', 'J2')).toBe('7.5');
    await keeper.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => entry.first().getAttribute('data-status')).toBe('confirmed');
    expect(await visibleText(entry.first())).toContain('已确认');

    // A re-mark order, then sign-off: marks are missing, so it needs force and a reason.
    await openReview(chief);
    await chief.getByLabel('复评工位').selectOption(a02);
    await chief.getByLabel('复评评分项').selectOption('technique');
    await chief.getByLabel('复评原因').fill('焊缝外观争议');
    await chief.getByRole('button', { name: '下达复评' }).click();
    await chief.getByText('复评未完成 1 项').waitFor();
    await chief.screenshot({ path: '/tmp/jiangxin-chief-review.png', fullPage: true });
    const blockers = await visibleText(chief.getByTestId('blockers'));
    expect(blockers).toContain('缺少评分');
    const submit = chief.getByRole('button', { name: '签字锁定' });
    await chief.getByLabel('我已核对本场次全部评分，确认签字锁定').check();
    expect(await submit.isDisabled()).toBe(true);
    await chief.getByLabel('存在待处理事项，仍强制签字').check();
    expect(await submit.isDisabled()).toBe(true);
    await chief.getByLabel('强制签字理由（必填）').fill('其余选手弃赛，经仲裁委员会同意');
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();
    await chief.getByTestId('round-locked').waitFor();
    await chief.getByText('本场次已于').waitFor();
    // Locked: a judge's mark is refused now.
    await venue.api(
      tokens.J4 ?? null,
      'POST',
      `/competitions/${venue.competitionId}/rounds/${venue.roundId}/marks`,
      { id: randomUUID(), workstation: a01, item: 'quality', value: '8' },
      [409],
    );

    // After sign-off a mark changes only by a correction the chief judge approves.
    await venue.api(
      venue.tokens.scorekeeper,
      'POST',
      `/competitions/${venue.competitionId}/rounds/${venue.roundId}/corrections`,
      { workstation: a01, item: 'quality', seat: 'J1', value: '9', reason: '纸质评分表为 9 分，录入有误' },
    );
    await approveCorrection(chief, a01, 'quality', '核对纸质评分表无误');
    await chief.getByRole('link', { name: '评分网格' }).click();
    await expect.poll(cellText(chief, a01, 'quality', 'J1')).toBe('9');
  });

  it('says how long a locked-out account must wait', async () => {
    // The encryption officer's account: no other test here signs in with it.
    const venue = await createVenue(server);
    const page = await tabletPage();
    await page.goto(`${venue.url}/chief`);
    await page.getByLabel('用户名').fill(venue.accounts.encryptionOfficer.username);
    const alert = page.getByRole('alert');
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('密码').fill(`wrong-${i}`);
      await page.getByRole('button', { name: '登录' }).click();
      await alert.filter({ hasText: /用户名或密码错误|已暂时锁定/ }).waitFor();
    }
    await page.getByLabel('密码').fill(venue.accounts.encryptionOfficer.password);
    await page.getByRole('button', { name: '登录' }).click();
    await alert.filter({ hasText: /已暂时锁定，请在 1[0-5] 分钟后重试/ }).waitFor();
  });
});
