import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from './support/browser';
import {
  type AudienceVenue,
  addMarkedEvent,
  audienceVenue,
  ceremony,
  markAspect,
  marksFor,
  screenOrder,
  serverOrder,
} from './support/display';
import type { RunningApp } from './support/server';
import type { Venue } from './support/venue';

const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;

let server: RunningApp;
let browser: Browser;
let venue: Venue;
let tokens: string[];
let held: AudienceVenue | undefined;
let page: Page;
/** While true, the screen's WebSockets are refused (a venue network that drops). */
let networkDown = false;

beforeAll(async () => {
  held = await audienceVenue();
  ({ server, browser, venue, tokens } = held);
}, 120_000);

afterAll(async () => {
  await held?.close();
});

const ws = (i: number) => venue.workstations[i] ?? `A0${i + 1}`;

/** Marks a whole workstation: both aspects from every seat. */
async function markAll(i: number) {
  const marks = marksFor(i);
  await markAspect(venue, tokens, ws(i), 'quality', marks.quality);
  await markAspect(venue, tokens, ws(i), 'technique', marks.technique);
}

const sameAsServer = async () => {
  const expected = await serverOrder(venue);
  await expect.poll(() => screenOrder(page), { timeout: 15_000 }).toEqual(expected);
};

describe('the big screen', () => {
  it('is paired by code and follows marks to the same order and totals as the server', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.routeWebSocket(/\/socket\.io\//, (route) => {
      if (networkDown) return route.close();
      route.connectToServer();
    });
    page = await context.newPage();
    await page.goto(`${venue.url}/screen`);
    await page.getByTestId('pair-code').fill(await venue.newDisplay('主会场大屏'));
    await page.getByRole('button', { name: '配对' }).click();
    await page.getByTestId('screen').waitFor();
    await expect.poll(() => visibleText(page.getByTestId('screen-event'))).toBe('焊工');

    await markAll(0);
    await markAll(1);
    await sameAsServer();
    // The third competitor on stage: three of five seats have marked quality, arriving one by one.
    const third = marksFor(2);
    for (const seat of [0, 1, 2])
      await venue.mark(tokens[seat] ?? '', ws(2), 'quality', third.quality[seat] ?? '5');
    await expect.poll(() => page.getByTestId('on-stage').getAttribute('data-workstation')).toBe(ws(2));
    await expect.poll(() => page.getByTestId('seat-mark').count()).toBe(3);
    await page.waitForTimeout(1_500);
    await page.screenshot({ path: `${SHOTS}screen-live.png` });
    // The same screen at 1280×720 (a smaller venue display): the layout scales, nothing spills over the edges.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SHOTS}screen-live-720.png` });
    const overflow = await page.evaluate<number[]>(
      `[document.documentElement.scrollWidth, ...[...document.querySelectorAll('.card, .ticker, .chart canvas')].map((e) => Math.ceil(e.getBoundingClientRect().bottom))]`,
    );
    expect(overflow[0]).toBeLessThanOrEqual(1280);
    expect(Math.max(...overflow.slice(1))).toBeLessThanOrEqual(720);
    await page.setViewportSize({ width: 1920, height: 1080 });
    for (const seat of [3, 4])
      await venue.mark(tokens[seat] ?? '', ws(2), 'quality', third.quality[seat] ?? '5');
    // With the panel complete, the highest and the lowest mark are struck out.
    await expect.poll(() => page.locator('[data-testid="seat-mark"].dropped').count()).toBe(2);
    await markAspect(venue, tokens, ws(2), 'technique', third.technique);
    await sameAsServer();
    expect(await visibleText(page.getByTestId('progress'))).toContain('3 / 5');
  }, 120_000);

  it('recovers by itself after its connection is cut, showing a discreet reconnecting state', async () => {
    const held = await screenOrder(page);
    networkDown = true;
    for (const socket of server.app.io.of('/').sockets.values()) socket.conn.close();
    await page.getByTestId('reconnecting').waitFor();
    await markAll(3);
    // Still the standings held before the cut (nothing went blank), then everything once back.
    try {
      expect(await screenOrder(page)).toEqual(held);
    } finally {
      networkDown = false;
    }
    // A connection attempt the dropped network left hanging times out after 20 s (Socket.IO's default).
    await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 45_000 });
    await sameAsServer();
  }, 90_000);

  it('renews its token before it expires and keeps following on the new one', async () => {
    const held = () => page.evaluate<string>(`JSON.parse(localStorage.getItem('jiangxin.display')).token`);
    const before = await held();
    // The token is made to look five minutes from its end: the screen renews it at once.
    await page.evaluate(`(() => {
      const session = JSON.parse(localStorage.getItem('jiangxin.display'));
      session.expiresAt = new Date(Date.now() + 5 * 60000).toISOString();
      localStorage.setItem('jiangxin.display', JSON.stringify(session));
      window.dispatchEvent(new StorageEvent('storage', { key: 'jiangxin.display' }));
    })()`);
    await expect.poll(held, { timeout: 15_000 }).not.toBe(before);
    const quality = marksFor(4).quality;
    for (const seat of [0, 1, 2])
      await venue.mark(tokens[seat] ?? '', ws(4), 'quality', quality[seat] ?? '5');
    await sameAsServer();
  }, 60_000);

  it('keeps following through a rebuild of the live view', async () => {
    await server.app.live.rebuild();
    const quality = marksFor(4).quality;
    for (const seat of [3, 4]) await venue.mark(tokens[seat] ?? '', ws(4), 'quality', quality[seat] ?? '5');
    await sameAsServer();
  }, 60_000);

  it('shows nothing new while frozen, then reveals the places from the bottom', async () => {
    const frozenOrder = await screenOrder(page);
    await ceremony(venue, 'freeze');
    await expect
      .poll(() => visibleText(page.getByTestId('screen-state')), { timeout: 10_000 })
      .toBe('成绩已冻结');
    await markAspect(venue, tokens, ws(4), 'technique', marksFor(4).technique);
    const final = await serverOrder(venue);
    expect(final).not.toEqual(frozenOrder);
    await page.waitForTimeout(1_000);
    expect(await screenOrder(page)).toEqual(frozenOrder);

    const revealed: string[] = [];
    for (let step = 1; step < final.length; step++) {
      await ceremony(venue, 'reveal');
      // The place just revealed is the next one up from the bottom of the server's final standings.
      const next = final[final.length - step]?.split(' ')[0];
      await expect
        .poll(() => page.getByTestId('revealed').first().getAttribute('data-workstation'), {
          timeout: 10_000,
        })
        .toBe(next);
      revealed.push(next ?? '');
      if (step === 3) {
        await page.waitForTimeout(1_000);
        await page.screenshot({ path: `${SHOTS}screen-ceremony.png` });
      }
      expect(await page.getByTestId('revealed').count()).toBe(step);
      expect(await visibleText(page.getByTestId('hidden-places'))).toContain(
        `还有 ${final.length - step} 个名次`,
      );
    }
    expect(revealed).toEqual(
      final
        .slice(1)
        .reverse()
        .map((line) => line.split(' ')[0]),
    );
    // The last reveal thaws the round: the final standings, as the server has them.
    await ceremony(venue, 'reveal');
    await sameAsServer();
  }, 120_000);

  it('goes back to pairing when its device is revoked (the session ends), and is paired again', async () => {
    const deviceId = await page.evaluate<string>(
      `JSON.parse(localStorage.getItem('jiangxin.display')).data.deviceId`,
    );
    await venue.api(
      venue.tokens.chiefJudge,
      'POST',
      `/competitions/${venue.competitionId}/devices/${deviceId}/revoke`,
      {},
    );
    await expect
      .poll(() => visibleText(page.getByRole('alert')), { timeout: 15_000 })
      .toBe('大屏的登录已失效，请重新配对。');
    await page.getByTestId('pair-code').fill(await venue.newDisplay('主会场大屏（新）'));
    await page.getByRole('button', { name: '配对' }).click();
    await sameAsServer();
  }, 60_000);

  it('rotates across the competition’s events on the organizer’s timer, a new event joining the rotation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const rotating = await context.newPage();
    // The event reads the screen makes to name rounds and aspects: the list, and each event's view.
    const reads: string[] = [];
    const C = `/api/competitions/${venue.competitionId}`;
    rotating.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith(`${C}/events`)) reads.push(path.slice(C.length));
    });
    await rotating.goto(`${venue.url}/screen?rotate=5`);
    await rotating.getByTestId('pair-code').fill(await venue.newDisplay('副会场大屏'));
    await rotating.getByRole('button', { name: '配对' }).click();
    await expect.poll(() => visibleText(rotating.getByTestId('screen-event'))).toBe('焊工');
    // The judges' panel also marks a second event: its round appears to the screen's competition room.
    await addMarkedEvent(venue, '管道焊接', tokens[0] ?? '');
    // Every title seen while it rotates: the two events, never the empty screen between them.
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add(await visibleText(rotating.getByTestId('screen-event')));
          return [...seen].sort();
        },
        { timeout: 20_000, interval: 200 },
      )
      .toEqual(['焊工', '管道焊接'].sort());
    // Each event read once, the list again only for the new event's round (not 1 + N reads per new round).
    const second = reads.find((r) => r.startsWith('/events/') && r !== `/events/${venue.eventId}`);
    expect([...reads].sort()).toEqual(['/events', '/events', `/events/${venue.eventId}`, second].sort());
    // Named from the new event's scheme: its aspect by name, not by id.
    await expect
      .poll(
        // Both read at once: the rotation may turn between two reads.
        () =>
          rotating.evaluate<string>(`(() => {
            const text = (id) => document.querySelector('[data-testid="' + id + '"]')?.textContent ?? '';
            return text('screen-event') + ': ' + text('on-stage');
          })()`),
        { timeout: 20_000, interval: 200 },
      )
      .toMatch(/^管道焊接: .*焊缝质量/);
    await context.close();
  }, 60_000);
});
