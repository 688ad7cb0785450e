import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, visibleText } from './support/browser';
import { judgeTokens, markAspect, marksFor, phoneOrder, serverOrder } from './support/display';
import { type RunningApp, startApp } from './support/server';
import { createVenue, type Venue } from './support/venue';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let server: RunningApp;
let browser: Browser;
let venue: Venue;
let tokens: string[];

beforeAll(async () => {
  server = await startApp();
  browser = await launchChromium();
  // Not open scoring: the public sees the round only once it is published.
  venue = await createVenue(server, 5);
  tokens = await judgeTokens(venue);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the phone page without a live connection', () => {
  it('polls the HTTP endpoints with ETag, from the list of rounds to the published final standings', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    // Some in-app browsers and proxies let no socket through: neither WebSocket nor HTTP long-polling.
    const refused: string[] = [];
    await page.route('**/socket.io/**', (route) => {
      refused.push(route.request().url());
      return route.abort();
    });
    await page.routeWebSocket(/\/socket\.io\//, (socket) => {
      refused.push(socket.url());
      socket.close();
    });
    const C = `/api/competitions/${venue.competitionId}`;
    const answers: Record<string, number[]> = { list: [], round: [] };
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path === `${C}/live`) answers.list?.push(response.status());
      if (path === `${C}/rounds/${venue.roundId}/live`) answers.round?.push(response.status());
    });

    await page.goto(`${venue.url}/live/${venue.competitionId}`);
    await expect
      .poll(() => visibleText(page.getByTestId('polling-notice')), { timeout: 15_000 })
      .toBe('实时连接不可用，每 3 秒刷新');
    await expect.poll(() => visibleText(page.locator('.sp-note'))).toMatch(/^暂无公开的场次/);

    // Marking an unpublished round changes nothing the public may see: the list answers 304.
    for (let i = 0; i < 5; i++) {
      const ws = venue.workstations[i] ?? '';
      const marks = marksFor(i);
      await markAspect(venue, tokens, ws, 'quality', marks.quality);
      await markAspect(venue, tokens, ws, 'technique', marks.technique);
    }
    await expect.poll(() => answers.list?.includes(304), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('round-link').count()).toBe(0);

    const R = `/competitions/${venue.competitionId}/rounds/${venue.roundId}`;
    await venue.api(venue.tokens.chiefJudge, 'POST', `${R}/sign-off`, { confirm: true });
    await venue.api(venue.tokens.encryptionOfficer, 'POST', `${R}/decrypt`, {});
    await venue.api(venue.tokens.chiefJudge, 'POST', `${R}/publish`, {});

    // Published: the next poll lists the round, and its link opens the standings, polled at once (the page
    // already knows its socket does not connect).
    await page.getByTestId('round-link').click({ timeout: 10_000 });
    await page.waitForURL(`**/live/${venue.competitionId}/${venue.roundId}`);
    await expect.poll(() => visibleText(page.getByTestId('via')), { timeout: 2_000 }).toBe('每 3 秒刷新');
    const expected = await serverOrder(venue);
    await expect.poll(() => phoneOrder(page), { timeout: 15_000 }).toEqual(expected);
    // Decrypted: names, not codes.
    expect(await visibleText(page.locator('[data-testid="standing"] .sp-who').first())).toMatch(/^选手/);
    // The final standings do not change: the round answers 304, without a body.
    await expect.poll(() => answers.round?.includes(304), { timeout: 10_000 }).toBe(true);
    expect([answers.list?.[0], answers.round?.[0]]).toEqual([200, 200]);
    expect(await visibleText(page.getByTestId('polling-notice'))).toBe('实时连接不可用，每 3 秒刷新');
    // The socket kept trying, and never got through.
    expect(refused.length).toBeGreaterThan(0);
    expect(await visibleText(page.getByTestId('via'))).toBe('每 3 秒刷新');
    await context.close();
  }, 120_000);
});
