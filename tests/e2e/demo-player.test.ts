import type { AddressInfo } from 'node:net';
import { buildApp } from '@jiangxin/server';
import { DEMO_ACCOUNTS, seedDemo } from '@jiangxin/server/demo';
import { type DemoPlayer, startDemoPlayer } from '@jiangxin/server/demo-player';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, visibleText } from './support/browser';

let app: Awaited<ReturnType<typeof buildApp>>;
let browser: Browser;
let player: DemoPlayer | null = null;
let url: string;
const lines: string[] = [];

beforeAll(async () => {
  app = await buildApp({ logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
  await seedDemo(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { username, password } = DEMO_ACCOUNTS.organizer;
  // Ten times the human pace: a dive every half second.
  const pace = { diveMs: 500, marksWithinMs: 300, betweenRoundsMs: 3000 };
  player = startDemoPlayer(app.log, { DEMO_PLAY: 'on' }, { url, organizer: { username, password }, pace });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await player?.stop();
  await app?.close();
});

describe('the demo that plays itself', () => {
  it('shows marks arriving on a big screen paired with the code in the log', async () => {
    await expect
      .poll(() => lines.some((l) => l.includes('enter the pairing code')), { timeout: 60_000 })
      .toBe(true);
    const line = lines.find((l) => l.includes('enter the pairing code')) ?? '';
    const [, screenUrl, code] = /open (\S+) and enter the pairing code (\S{4}-\S{4})/.exec(line) ?? [];
    expect(screenUrl).toBe(`${url}/screen`);

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(screenUrl ?? '');
    await page.getByTestId('pair-code').fill(code ?? '');
    await page.getByRole('button', { name: '配对' }).click();
    await page.getByTestId('screen').waitFor();
    await expect
      .poll(() => visibleText(page.getByTestId('screen-event')), { timeout: 60_000 })
      .toContain('男子 10 米跳台决赛');
    // Divers come on stage one after another, each with the judges' marks by seat.
    const onStage = () => page.getByTestId('on-stage').getAttribute('data-workstation');
    await expect.poll(() => page.getByTestId('seat-mark').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const first = await onStage();
    await expect.poll(onStage, { timeout: 30_000 }).not.toBe(first);
    await expect.poll(() => page.getByTestId('rank-row').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    // At ten times the pace rows are always moving: a look for the record, not for the docs.
    await page.screenshot({ path: '/tmp/screen-demo-player.png' });
    await page.close();
  }, 180_000);
});
