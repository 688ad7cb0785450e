import type { ReviewResponse } from '@jiangxin/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, visibleText } from './support/browser';
import { approveCorrection, gridCell, signInChief } from './support/chief';
import { markState, markWorkstation, pairAndSignIn, tabletContext, typePin } from './support/judge';
import { type RunningApp, startApp } from './support/server';
import { createVenue, type Venue } from './support/venue';

const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;

let server: RunningApp;
let browser: Browser;
let venue: Venue;

beforeAll(async () => {
  server = await startApp();
  browser = await launchChromium();
  venue = await createVenue(server);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits until the page's service worker controls it, so the shell is cached for offline reloads. */
async function offlineReady(page: Page) {
  const controlled = () => page.evaluate('navigator.serviceWorker.controller !== null');
  await expect.poll(controlled, { timeout: 30_000 }).toBe(true);
}

/** The tablet of the judge in seat J1, and the chief judge's console in another browser context. */
let context: BrowserContext;
let page: Page;
let chief: Page;

describe('the judge’s tablet', () => {
  it('pairs, signs in with the PIN, and marks three workstations: each mark is accepted', async () => {
    chief = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signInChief(chief, venue);
    context = await tabletContext(browser);
    page = await context.newPage();
    await pairAndSignIn(page, venue, 'J1');
    expect(await visibleText(page.locator('.judge-top'))).toContain('裁判 王建国');
    // Served from localhost, a secure context: no notice about plain HTTP.
    expect(await page.getByTestId('insecure-notice').count()).toBe(0);
    for (const ws of ['A01', 'A02', 'A03']) {
      await markWorkstation(page, ws, { quality: '8.5', technique: '7' });
      await expect.poll(() => visibleText(markState(page, 'quality'))).toContain('8.5 · 已被接收');
      await expect.poll(() => visibleText(markState(page, 'technique'))).toContain('7 · 已被接收');
    }
    await page.screenshot({ path: `${SHOTS}judge-marking.png` });
  }, 120_000);

  it('keeps marks made offline through a reload, and sends each exactly once when the network returns', async () => {
    await offlineReady(page);
    await context.setOffline(true);
    await markWorkstation(page, 'A04', { quality: '9' });
    await markWorkstation(page, 'A05', { quality: '6.5' });
    await expect.poll(() => visibleText(page.getByTestId('outbox-count'))).toBe('待发送 2 条');
    expect(await visibleText(markState(page, 'quality'))).toMatch(/6\.5 · (已存本平板|发送中)/);
    await page.screenshot({ path: `${SHOTS}judge-offline.png` });

    await page.reload();
    await page.getByTestId('ws-A05').click();
    await expect.poll(() => visibleText(markState(page, 'quality'))).toMatch(/6\.5 · (已存本平板|发送中)/);
    expect(await visibleText(page.getByTestId('network-state'))).toContain('离线');
    expect(await visibleText(page.getByTestId('outbox-count'))).toBe('待发送 2 条');

    await context.setOffline(false);
    await expect
      .poll(() => visibleText(page.getByTestId('outbox-count')), { timeout: 30_000 })
      .toBe('全部已发送');
    expect(await visibleText(markState(page, 'quality'))).toContain('6.5 · 已被接收');

    const judgeId = venue.judges[0]?.id;
    const stored = (await venue.storedMarks()).filter((m) => m.judgeId === judgeId);
    expect(stored).toHaveLength(8);
    expect(new Set(stored.map((m) => m.id)).size).toBe(8);
    const perItem = new Map<string, number>();
    for (const m of stored)
      perItem.set(`${m.competitorId}/${m.item}`, (perItem.get(`${m.competitorId}/${m.item}`) ?? 0) + 1);
    expect([...perItem.values()].every((n) => n === 1)).toBe(true);

    // The chief judge's grid, open all along in another browser, shows all five without a reload.
    const expected = { A01: '8.5', A02: '8.5', A03: '8.5', A04: '9', A05: '6.5' };
    for (const [ws, value] of Object.entries(expected)) {
      await expect.poll(() => visibleText(gridCell(chief, ws, 'quality', 'J1'))).toBe(value);
    }
  }, 120_000);

  it('holds a mark while marking is closed, says so, and sends it once when the round reopens', async () => {
    const R = `/competitions/${venue.competitionId}/rounds/${venue.roundId}`;
    const judgeId = venue.judges[0]?.id;
    const storedOfJ1 = async () => (await venue.storedMarks()).filter((m) => m.judgeId === judgeId).length;
    const before = await storedOfJ1();
    await venue.api(venue.tokens.organizer, 'POST', `${R}/close`);
    await markWorkstation(page, 'A04', { technique: '7' });
    await page.getByTestId('closed-banner').waitFor({ timeout: 15_000 });
    expect(await visibleText(page.getByTestId('closed-banner'))).toContain('评分已暂停');
    expect(await visibleText(page.getByTestId('outbox-count'))).toBe('待发送 1 条');
    expect(await visibleText(markState(page, 'technique'))).not.toContain('被拒绝');
    expect(await storedOfJ1()).toBe(before);
    await page.screenshot({ path: `${SHOTS}judge-marking-closed.png` });

    await venue.api(venue.tokens.chiefJudge, 'POST', `${R}/open`);
    await expect
      .poll(() => visibleText(page.getByTestId('outbox-count')), { timeout: 45_000 })
      .toBe('全部已发送');
    expect(await visibleText(markState(page, 'technique'))).toContain('7 · 已被接收');
    expect(await storedOfJ1()).toBe(before + 1);
  }, 120_000);
});

describe('a tablet on the venue’s Wi-Fi over plain HTTP (not a secure context)', () => {
  it('marks without crypto.randomUUID, and each mark is stored once', async () => {
    const own = await createVenue(server);
    const { hostname } = new URL(own.url);
    // The server reached by a name, as http://<venue address>: Chromium treats only localhost as secure.
    const wifi = await launchChromium([`--host-resolver-rules=MAP venue.test ${hostname}`]);
    try {
      const tablet = await (await tabletContext(wifi)).newPage();
      await pairAndSignIn(tablet, { ...own, url: own.url.replace(hostname, 'venue.test') }, 'J2');
      expect(await tablet.evaluate('[window.isSecureContext, typeof crypto.randomUUID]')).toEqual([
        false,
        'undefined',
      ]);
      // The judge is told the page will not reopen offline; the marks are kept all the same.
      expect(await visibleText(tablet.getByTestId('insecure-notice'))).toContain('未加密的 HTTP');
      await markWorkstation(tablet, 'A01', { quality: '7.5', technique: '6' });
      await expect.poll(() => visibleText(markState(tablet, 'quality'))).toContain('7.5 · 已被接收');
      await expect.poll(() => visibleText(markState(tablet, 'technique'))).toContain('6 · 已被接收');
      await tablet.screenshot({ path: `${SHOTS}judge-plain-http.png` });
      const judgeId = own.judges.find((j) => j.seat === 'J2')?.id;
      const stored = (await own.storedMarks()).filter((m) => m.judgeId === judgeId);
      expect(stored.map((m) => [m.item, Number(m.value)]).sort()).toEqual([
        ['quality', 7.5],
        ['technique', 6],
      ]);
    } finally {
      await wifi.close();
    }
  }, 120_000);
});

describe('pairing and signing in', () => {
  it('says in words what is wrong with a pairing code or a PIN', async () => {
    const context = await tabletContext(browser);
    const page = await context.newPage();
    await page.goto(`${venue.url}/judge`);
    await page.getByLabel('配对码').fill('ABCD-EFGH');
    await page.getByRole('button', { name: '配对', exact: true }).click();
    expect(await visibleText(page.getByRole('alert'))).toMatch(/配对码/);
    await page.getByLabel('配对码').fill(await venue.newTablet('平板 J3'));
    await page.getByRole('button', { name: '配对', exact: true }).click();
    await page.getByRole('button', { name: '张伟' }).click();
    await typePin(page, '1111');
    await expect.poll(() => visibleText(page.getByRole('alert'))).toContain('PIN 不正确');
    await context.close();
  }, 60_000);
});

describe('a judge whose token expired with marks in the outbox', () => {
  it('is asked for the PIN again on the same tablet, and nothing is lost', async () => {
    const context = await tabletContext(browser);
    const page = await context.newPage();
    await pairAndSignIn(page, venue, 'J2');
    await offlineReady(page);
    await context.setOffline(true);
    await markWorkstation(page, 'A01', { quality: '7.5' });
    await markWorkstation(page, 'A02', { quality: '8' });
    await expect.poll(() => visibleText(page.getByTestId('outbox-count'))).toBe('待发送 2 条');

    // The tablet slept past its token's expiry: the stored token is now an expired one of the same judge.
    const stored = JSON.parse((await page.evaluate("localStorage.getItem('jiangxin.tablet')")) as string);
    const claims = JSON.parse(Buffer.from(stored.token.split('.')[0], 'base64url').toString('utf8'));
    const { exp: _, ...rest } = claims;
    const expired = server.app.tokens.issue(rest, -120);
    const expiredSession = {
      ...stored,
      token: expired,
      expiresAt: new Date(Date.now() - 120_000).toISOString(),
    };
    await page.evaluate(
      `localStorage.setItem('jiangxin.tablet', ${JSON.stringify(JSON.stringify(expiredSession))})`,
    );
    await context.setOffline(false);
    await page.reload();

    const dialog = page.getByRole('dialog', { name: '登录已过期，请重新输入 PIN' });
    await dialog.waitFor();
    // (the count is read from IndexedDB as the page opens)
    await expect.poll(() => visibleText(dialog)).toContain('待发送的 2 条评分都保存在本平板上');
    const judgeId = venue.judges[1]?.id;
    expect((await venue.storedMarks()).filter((m) => m.judgeId === judgeId)).toHaveLength(0);
    await page.screenshot({ path: `${SHOTS}judge-resume.png` });

    await typePin(page);
    await expect
      .poll(() => visibleText(page.getByTestId('outbox-count')), { timeout: 30_000 })
      .toBe('全部已发送');
    const marks = (await venue.storedMarks()).filter((m) => m.judgeId === judgeId);
    expect(marks.map((m) => Number(m.value)).sort()).toEqual([7.5, 8]);
    // Nothing waits any more: the judge may sign out, and the tablet offers the judges again.
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('heading', { name: '请选择您的姓名' }).waitFor();
    await context.close();
  }, 120_000);
});

describe('a mark after sign-off', () => {
  it('is refused with a readable reason, becomes a correction request, and the chief judge’s approval changes the standings', async () => {
    // The rest of the panel marks every workstation through the API, and the chief judge signs the round off.
    // Their marks spread (6 … 9), so J1's mark is one of the three that count, before and after.
    for (const [seat, value] of [
      ['J2', '6'],
      ['J3', '7'],
      ['J4', '8'],
      ['J5', '9'],
    ] as const) {
      const token = await venue.judgeToken(seat);
      for (const ws of venue.workstations) {
        await venue.mark(token, ws, 'quality', value);
        await venue.mark(token, ws, 'technique', '7');
      }
    }
    const R = `/competitions/${venue.competitionId}/rounds/${venue.roundId}`;
    const totalOf = async (ws: string) => {
      const review = await venue.api<ReviewResponse>(venue.tokens.chiefJudge, 'GET', `${R}/review`);
      return review.event.standings.find((s) => s.competitor === ws)?.total;
    };
    await venue.api(venue.tokens.chiefJudge, 'POST', `${R}/sign-off`, {
      confirm: true,
      force: true,
      reason: 'J1 未评 A05 的操作规范，按规程强制签字',
    });
    const before = await totalOf('A01');

    // J1's tablet has not heard of the sign-off yet: the judge changes A01's quality mark.
    await markWorkstation(page, 'A01', { quality: '5' });
    const refused = markState(page, 'quality');
    await expect.poll(() => visibleText(refused)).toContain('5 · 被拒绝');
    expect(await visibleText(refused)).toContain('签字');
    expect(await visibleText(refused)).toContain('现行有效：8.5');
    await page.getByTestId('locked-banner').waitFor();
    await page.screenshot({ path: `${SHOTS}judge-locked.png` });

    await page.getByTestId('item-quality').getByRole('button', { name: '转为更正申请' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('radio', { name: '5', exact: true }).getAttribute('aria-checked')).toBe(
      'true',
    );
    await dialog.getByLabel('更正理由').fill('误按 8.5，焊缝实有气孔，应为 5');
    await dialog.getByRole('button', { name: '提交更正申请' }).click();
    await expect
      .poll(() => visibleText(page.getByTestId('item-quality').getByTestId('correction-state')))
      .toBe('更正申请待审批：5');

    await approveCorrection(chief, 'A01', 'quality', '核实焊缝气孔，同意更正');
    await expect.poll(() => totalOf('A01')).not.toBe(before);
    await page.reload();
    await page.getByTestId('ws-A01').click();
    await expect
      .poll(() => visibleText(page.getByTestId('item-quality').getByTestId('correction-state')))
      .toBe('更正已批准：5');
    expect(await visibleText(markState(page, 'quality'))).toContain('5 · 已被接收');
  }, 180_000);
});
