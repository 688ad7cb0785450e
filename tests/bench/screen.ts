/**
 * `pnpm bench:screen [--competitors N] [--timed M] [--burst B]`, on the embedded default with a round of N
 * competitors (300), a big screen (/screen in Chromium, 1920×1080, paired as a display) following it:
 * 1. latency: every mark of the first M competitors (10; 2 aspects × 5 judges each) sent one after another
 *    through the real API, from the API's answer arriving here to the screen showing that mark by seat
 *    (Date.now() in a MutationObserver in the page, the same clock as this process);
 * 2. burst: B marks (100) sent at once by the five judges, while the page records every animation frame: the
 *    frame times while the screen applies the updates that result, and how many updates (versions) it applied.
 * Bounded: M × 10 + B marks, then it stops.
 */
import { parseArgs } from 'node:util';
import { launchChromium } from '../e2e/support/browser';
import { judgeTokens, marksFor } from '../e2e/support/display';
import buildClient from '../e2e/support/global-setup';
import { startApp } from '../e2e/support/server';
import { createVenue } from '../e2e/support/venue';

const { values } = parseArgs({
  options: {
    competitors: { type: 'string', default: '300' },
    timed: { type: 'string', default: '10' },
    burst: { type: 'string', default: '100' },
  },
});
const COMPETITORS = Number(values.competitors);
const TIMED = Math.min(Number(values.timed), COMPETITORS);
const BURST = Number(values.burst);

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const f = (x: number) => `${x.toFixed(1)} ms`;
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
    for (let i = 0; i < TIMED; i++) {
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

    // The burst: B marks at once (quality, the five judges in parallel, competitors after the timed ones).
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__versions = new Set();
      let last = performance.now();
      const tick = (now) => { window.__frames.push(now - last); last = now; if (window.__recording) requestAnimationFrame(tick); };
      window.__recording = true;
      requestAnimationFrame(tick);
      const screen = document.querySelector('[data-testid="screen"]');
      new MutationObserver(() => window.__versions.add(screen.getAttribute('data-version')))
        .observe(screen, { attributes: true, attributeFilter: ['data-version'] });
    })()`);
    const started = Date.now();
    const targets = Array.from({ length: Math.ceil(BURST / tokens.length) }, (_, k) => TIMED + k);
    await Promise.all(
      tokens.map(async (token, seat) => {
        for (const i of targets)
          await venue.mark(token, venue.workstations[i] ?? '', 'quality', marksFor(i).quality[seat] ?? '5');
      }),
    );
    const sent = Date.now() - started;
    // Until the screen has been still for 2 s (the last update applied and drawn).
    let versions = -1;
    for (;;) {
      await page.waitForTimeout(2_000);
      const now = await page.evaluate<number>('window.__versions.size');
      if (now === versions) break;
      versions = now;
    }
    const frames = await page.evaluate<number[]>('(window.__recording = false, window.__frames.slice(1))');
    const long = frames.filter((f) => f > 50).length;
    console.log(
      `burst: ${targets.length * tokens.length} marks sent in ${sent} ms, ${versions} updates applied; ` +
        `frame times ${summary(frames)}, ${long} frames over 50 ms`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
