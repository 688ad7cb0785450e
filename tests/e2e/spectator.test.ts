import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from './support/browser';
import {
  type AudienceVenue,
  audienceVenue,
  markAspect,
  marksFor,
  phoneOrder,
  serverOrder,
} from './support/display';
import { startNoUpgradeProxy } from './support/no-upgrade-proxy';
import type { Venue } from './support/venue';

const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

let browser: Browser;
let venue: Venue;
let tokens: string[];
let held: AudienceVenue | undefined;

beforeAll(async () => {
  held = await audienceVenue();
  ({ browser, venue, tokens } = held);
}, 120_000);

afterAll(async () => {
  await held?.close();
});

const ws = (i: number) => venue.workstations[i] ?? `A0${i + 1}`;
const roundPath = () => `/live/${venue.competitionId}/${venue.roundId}`;

describe('the spectators’ phone page', () => {
  it('with WebSocket blocked, polls the snapshot endpoint with ETag and reaches the final standings', async () => {
    await markAspect(venue, tokens, ws(0), 'quality', marksFor(0).quality);
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    // Some in-app browsers and proxies let no socket through: neither WebSocket nor HTTP long-polling.
    await page.route('**/socket.io/**', (route) => route.abort());
    await page.routeWebSocket(/\/socket\.io\//, (socket) => socket.close());
    const answers: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith(`/rounds/${venue.roundId}/live`)) answers.push(response.status());
    });
    await page.goto(`${venue.url}${roundPath()}`);
    await expect.poll(() => visibleText(page.getByTestId('via')), { timeout: 15_000 }).toBe('每 3 秒刷新');
    const who = (i: number) =>
      visibleText(page.locator(`[data-testid="standing"][data-workstation="${ws(i)}"] .sp-who`));
    for (let i = 0; i < 5; i++) {
      const marks = marksFor(i);
      if (i > 0) await markAspect(venue, tokens, ws(i), 'quality', marks.quality);
      if (i === 1) {
        // Open scoring, before decryption: the first competitor's marks are all in, the second's are not.
        await expect.poll(() => who(0), { timeout: 15_000 }).toMatch(/^选手/);
        expect(await who(1)).toMatch(new RegExp(`^${ws(1)}`));
        expect(await visibleText(page.locator('.sp-foot'))).toBe(
          '选手的评分全部完成后显示姓名，其余按工位号显示。',
        );
        await page.screenshot({ path: `${SHOTS}spectator-open-names.png` });
      }
      await markAspect(venue, tokens, ws(i), 'technique', marks.technique);
    }
    const expected = await serverOrder(venue);
    await expect.poll(() => phoneOrder(page), { timeout: 20_000 }).toEqual(expected);
    // An unchanged round costs a 304 without a body.
    await expect.poll(() => answers.includes(304), { timeout: 10_000 }).toBe(true);
    expect(answers[0]).toBe(200);
    await context.close();
  }, 120_000);

  it('with only WebSocket blocked, follows the round live over long-polling, one sticky key on every request', async () => {
    // A venue proxy that passes HTTP but not the WebSocket upgrade.
    const proxy = await startNoUpgradeProxy(venue.url);
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('websocket', (socket) => blocked.push(socket.url()));
    const polled: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/socket.io/')) polled.push(request.url());
    });
    await page.goto(`${proxy.url}${roundPath()}`);
    await expect.poll(() => visibleText(page.getByTestId('via')), { timeout: 15_000 }).toBe('实时更新');
    await expect.poll(() => phoneOrder(page), { timeout: 15_000 }).toEqual(await serverOrder(venue));
    expect(blocked.length).toBeGreaterThan(0);
    expect(polled.some((url) => new URL(url).searchParams.get('transport') === 'polling')).toBe(true);
    // A proxy keeps a client's polling requests on one process by this key (docs/DEPLOYMENT.md).
    const keys = new Set([...blocked, ...polled].map((url) => new URL(url).searchParams.get('client')));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await context.close();
    await proxy.close();
  }, 60_000);

  it('lists the events, finds and follows a competitor, and opens the breakdown by a shareable link', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${venue.url}/live/${venue.competitionId}`);
    await page.getByTestId('round-link').first().click();
    await page.waitForURL(`**${roundPath()}`);
    await expect.poll(() => visibleText(page.getByTestId('via'))).toBe('实时更新');
    await expect.poll(() => page.getByTestId('standing').count()).toBe(5);

    const order = await serverOrder(venue);
    const second = order[1]?.split(' ')[0] ?? '';
    const name = await visibleText(
      page.locator(`[data-testid="standing"][data-workstation="${second}"] .sp-who`),
    );
    // The name's last character (the venue's competitors are 选手甲, 选手申 …): found by name, shown once the
    // competitor's marks are all in.
    const own = /选手(\S)/.exec(name)?.[1] ?? '?';
    await page.getByTestId('search').fill(own);
    await expect.poll(() => page.getByTestId('standing').count()).toBe(1);
    await page.getByRole('button', { name: /^关注/ }).first().click();
    await page.getByTestId('search').fill('');
    await expect.poll(() => visibleText(page.locator('.sp-h2').first())).toBe('我的关注');
    await page.screenshot({ path: `${SHOTS}spectator.png` });
    // The narrowest phones (360 px): nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/spectator-360.png' });
    await page.setViewportSize(PHONE.viewport);

    await page.locator(`[data-testid="standing"][data-workstation="${second}"] a`).click();
    await page.waitForURL(`**${roundPath()}/${second}`);
    await page.getByTestId('standing-detail').waitFor();
    expect(await visibleText(page.getByTestId('competitor'))).toContain(`${order[1]?.split(' ')[1]} 分`);

    // The link is shareable: opened afresh on another phone, it shows the same competitor.
    const other = await (await browser.newContext(PHONE)).newPage();
    await other.goto(`${venue.url}${roundPath()}/${second}`);
    await other.getByTestId('standing-detail').waitFor();
    expect(await visibleText(other.getByTestId('competitor'))).toContain(order[1]?.split(' ')[1] ?? '?');
    await context.close();
  }, 120_000);

  it('measures the bytes a first load of a standings page transfers', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const requests = new Map<string, { url: string; type: string }>();
    const bytes: { url: string; type: string; size: number }[] = [];
    cdp.on('Network.requestWillBeSent', (e) =>
      requests.set(e.requestId, { url: e.request.url, type: e.type ?? '' }),
    );
    cdp.on('Network.loadingFinished', (e) => {
      const request = requests.get(e.requestId);
      if (request) bytes.push({ ...request, size: e.encodedDataLength });
    });
    // The snapshot comes over the WebSocket: its frames count as data (no per-message compression).
    cdp.on('Network.webSocketFrameReceived', (e) =>
      bytes.push({ url: '/socket.io/ (frames)', type: 'data', size: e.response.payloadData.length }),
    );
    await page.goto(`${venue.url}${roundPath()}`);
    await expect.poll(() => page.getByTestId('standing').count()).toBe(5);
    await page.waitForTimeout(3_000);
    const kind = (b: { url: string; type: string }) =>
      /\.woff2?$/.test(b.url) || /\/fonts-[^/]*\.css$/.test(b.url)
        ? 'font'
        : b.url.includes('/socket.io/') || b.url.includes('/api/')
          ? 'data'
          : b.type.toLowerCase();
    const sums: Record<string, number> = {};
    for (const b of bytes) sums[kind(b)] = (sums[kind(b)] ?? 0) + b.size;
    const total = bytes.reduce((n, b) => n + b.size, 0);
    const withoutFont = total - (sums.font ?? 0);
    console.log(
      `spectator first load: ${(total / 1024).toFixed(1)} KiB over ${bytes.length} requests; without the bundled font ` +
        `(phones have a CJK font): ${(withoutFont / 1024).toFixed(1)} KiB; by kind (KiB): ${JSON.stringify(
          Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, Math.round(v / 102.4) / 10])),
        )}`,
    );
    expect(withoutFont).toBeLessThan(200 * 1024);
    await context.close();
  }, 60_000);
});
