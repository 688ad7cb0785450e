import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { judgeTokens, markWorkstation, pairedScreen, screenOrder, serverOrder } from './support/display';
import { freePort, type ServerProcess, startServerProcess } from './support/server';
import { createVenue } from './support/venue';

let dataDir: string;
let port: number;
let server: ServerProcess | undefined;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jx-e2e-restart-'));
  port = await freePort();
  server = await startServerProcess(dataDir, port);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the big screen when the server restarts', () => {
  it('shows it is reconnecting while the server is down, then follows again by itself, without a reload', async () => {
    const venue = await createVenue({ url: `http://127.0.0.1:${port}` }, 3, { openScoring: true });
    const tokens = await judgeTokens(venue);
    const page = await pairedScreen(browser, venue.url, await venue.newDisplay('主会场大屏'));
    // A reload or a navigation would show here: the page's own document, and every main-frame navigation.
    await page.evaluate('window.__sameDocument = true');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });

    await markWorkstation(venue, tokens, 0);
    const before = await serverOrder(venue);
    await expect.poll(() => screenOrder(page), { timeout: 15_000 }).toEqual(before);

    // The process dies without closing anything, as on a power cut.
    await server?.stop('SIGKILL');
    server = undefined;
    await page.getByTestId('reconnecting').waitFor({ timeout: 15_000 });
    expect(await screenOrder(page)).toEqual(before);

    // The same data folder (database and secret) and port: the tokens issued before still hold.
    server = await startServerProcess(dataDir, port);
    await markWorkstation(venue, tokens, 1);
    const after = await serverOrder(venue);
    expect(after).not.toEqual(before);
    await expect.poll(() => screenOrder(page), { timeout: 45_000 }).toEqual(after);
    await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await page.evaluate<boolean>('window.__sameDocument === true')).toBe(true);
    expect(navigations).toEqual([]);
  }, 180_000);
});
