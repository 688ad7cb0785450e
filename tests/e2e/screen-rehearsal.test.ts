import { readFileSync } from 'node:fs';
import { DEMO_ACCOUNTS, seedDemo } from '@jiangxin/server/demo';
import type { CreateDeviceResponse, eventJson } from '@jiangxin/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehearse } from '../../scripts/src/rehearse';
import { runResults } from '../../scripts/src/results';
import { launchChromium, visibleText } from './support/browser';
import { pairedScreen, screenLines } from './support/display';
import { type RunningApp, startApp } from './support/server';

const MARKS = new URL('../fixtures/paris2024-men-10m-platform-final.marks.csv', import.meta.url).pathname;
const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
/** The big screen lists the top ten of a round. */
const SHOWN = 10;

let server: RunningApp;
let browser: Browser;

beforeAll(async () => {
  server = await startApp();
  await seedDemo(server.app);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** `pnpm results --scheme diving --marks <file>` (JSON): the official lines, `place competitor total`. */
function officialLines(): string[] {
  let out = '';
  const code = runResults(
    ['--scheme', 'diving', '--marks', MARKS],
    (s) => {
      out += s;
    },
    (s) => {
      throw new Error(s);
    },
  );
  expect(code).toBe(0);
  const { events } = JSON.parse(out) as { events: ReturnType<typeof eventJson>[] };
  return (events[0]?.standings ?? []).map((s) => `${s.rank ?? '–'} ${s.competitor} ${s.total ?? '–'}`);
}

describe('the big screen during a rehearsal', () => {
  it('follows a `pnpm rehearse` run of the Paris final to the order and totals of `pnpm results`', async () => {
    let screen: Page | undefined;
    const report = await rehearse({
      scheme: 'diving',
      marksCsv: readFileSync(MARKS, 'utf8'),
      server: {
        url: server.url,
        username: DEMO_ACCOUNTS.organizer.username,
        password: DEMO_ACCOUNTS.organizer.password,
      },
      rate: 30,
      // Before the first mark: a display device of the rehearsal's competition, paired on the big screen.
      async onReady({ competitionId, organizerToken }) {
        const answer = await fetch(`${server.url}/api/competitions/${competitionId}/devices`, {
          method: 'POST',
          headers: { authorization: `Bearer ${organizerToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'display', label: '彩排大屏' }),
        });
        expect(answer.status).toBe(201);
        const { pairingCode } = (await answer.json()) as CreateDeviceResponse;
        // The diving scheme has three rounds (the marks are the final's): the screen turns every 5 s.
        const page = await pairedScreen(browser, server.url, pairingCode, '?rotate=5');
        await expect.poll(() => visibleText(page.getByTestId('screen-event'))).toBe('M10mPF');
        // Every version of the final the screen shows from now on: it follows the round, not only its end.
        await page.evaluate(`(() => {
          window.__versions = new Set();
          const screen = document.querySelector('[data-testid="screen"]');
          new MutationObserver(() => {
            if (screen.querySelector('.round-name')?.textContent === '决赛')
              window.__versions.add(screen.getAttribute('data-version'));
          }).observe(screen, { attributes: true, attributeFilter: ['data-version'] });
        })()`);
        screen = page;
      },
    });
    expect([report.marksSent, report.marksLost]).toEqual([504, 0]);
    if (!screen) throw new Error('the rehearsal never reached its first mark');
    const page = screen;

    const official = officialLines();
    expect(official).toHaveLength(12);
    // The final as the screen shows it when its turn in the rotation comes: published, the top ten.
    const final = async () => ({
      round: await visibleText(page.locator('.round-name')),
      state: await visibleText(page.getByTestId('screen-state')),
      lines: await screenLines(page),
    });
    await expect
      .poll(final, { timeout: 30_000 })
      .toEqual({ round: '决赛', state: '最终成绩', lines: official.slice(0, SHOWN) });
    expect(await page.evaluate<number>('window.__versions.size')).toBeGreaterThan(10);
    // Read whole from the hall, not cut to "547…" by a column too narrow for a diving total.
    const clipped = await page.$$eval('[data-testid="rank-total"]', (cells) =>
      cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent),
    );
    expect(clipped).toEqual([]);
    // A picture of the final: taken again until the rotation stayed on it from before to after.
    const round = () => visibleText(page.locator('.round-name'));
    await expect
      .poll(
        async () => {
          const before = await round();
          await page.screenshot({ path: `${SHOTS}screen-rehearsal.png` });
          return [before, await round()];
        },
        { timeout: 30_000 },
      )
      .toEqual(['决赛', '决赛']);
  }, 180_000);
});
