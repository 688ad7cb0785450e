/**
 * `pnpm bench:screen [--competitors N]`: time from a judge's mark being acknowledged (the API's answer to
 * `POST …/marks` received) to the big screen (/screen in Chromium, 1920×1080, paired as a display) showing that
 * mark by seat. Every mark of N competitors (2 aspects × 5 judges each) is sent one after another through the
 * real API on the embedded default, each waited for on the screen. The screen's time is taken in the page
 * (Date.now() in a MutationObserver, the same clock as this process). Bounded: N × 10 marks, then it stops.
 */
import { parseArgs } from 'node:util';
import { launchChromium } from '../e2e/support/browser';
import { judgeTokens, marksFor } from '../e2e/support/display';
import buildClient from '../e2e/support/global-setup';
import { startApp } from '../e2e/support/server';
import { createVenue } from '../e2e/support/venue';

const { values } = parseArgs({ options: { competitors: { type: 'string', default: '10' } } });
const COMPETITORS = Number(values.competitors);

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const f = (x: number) => `${x.toFixed(0)} ms`;
  return `n=${times.length} p50 ${f(at(0.5))}, p95 ${f(at(0.95))}, max ${f(sorted[sorted.length - 1] ?? Number.NaN)}`;
}

async function main() {
  buildClient();
  const server = await startApp();
  const browser = await launchChromium();
  try {
    const venue = await createVenue(server, COMPETITORS, { openScoring: true });
    const tokens = await judgeTokens(venue);
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${venue.url}/screen`);
    await page.getByTestId('pair-code').fill(await venue.newDisplay('bench'));
    await page.getByRole('button', { name: '配对' }).click();
    await page.getByTestId('screen').waitFor();
    await page.evaluate(`(() => {
      window.__seen = new Map();
      const look = () => {
        const stage = document.querySelector('[data-testid="on-stage"]');
        if (!stage) return;
        const ws = stage.getAttribute('data-workstation');
        for (const seat of stage.querySelectorAll('[data-testid="seat-mark"]')) {
          const key = ws + '#' + seat.getAttribute('data-key');
          if (!window.__seen.has(key)) window.__seen.set(key, Date.now());
        }
      };
      new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    const times: number[] = [];
    for (let i = 0; i < COMPETITORS; i++) {
      const workstation = venue.workstations[i] ?? '';
      const marks = marksFor(i);
      for (const item of ['quality', 'technique'] as const) {
        for (const [seat, token] of tokens.entries()) {
          const value = marks[item][seat] ?? '5';
          await venue.mark(token, workstation, item, value);
          const acknowledged = Date.now();
          const key = `${workstation}#practical//${item}|J${seat + 1}|${value}`;
          const shown = await page
            // A function, not a string: the page's CSP forbids eval.
            .waitForFunction(
              (k) => (globalThis as unknown as { __seen: Map<string, number> }).__seen.get(k) ?? false,
              key,
              { timeout: 10_000 },
            )
            .then((handle) => handle.jsonValue() as Promise<number>);
          times.push(shown - acknowledged);
        }
      }
    }
    console.log(`mark acknowledged → big screen shows it (${COMPETITORS} competitors): ${summary(times)}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
