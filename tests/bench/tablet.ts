/**
 * `pnpm bench:tablet [--samples N] [--spectators N]`: time from tapping "确认提交" (confirm) to the mark showing
 * "已被接收" (accepted) on a real judge's tablet page in Chromium, first on an idle server, then while
 * `pnpm rehearse` (the Paris final with N spectator sockets, every mark over HTTP, as fast as the server takes
 * them) loads the same server from another process. Both times are taken inside the page (performance.now()
 * at the click, a MutationObserver on the state line), so they are what the judge sees. Bounded: it stops
 * after the samples, and stops the rehearsal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/browser';
import buildClient from '../e2e/support/global-setup';
import { pairAndSignIn, tabletContext } from '../e2e/support/judge';
import { startApp } from '../e2e/support/server';
import { createVenue } from '../e2e/support/venue';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: { samples: { type: 'string', default: '60' }, spectators: { type: 'string', default: '50' } },
});
const SAMPLES = Number(values.samples);
const SPECTATORS = Number(values.spectators);

const VALUES = ['6', '6.5', '7', '7.5', '8', '8.5', '9'];

/** Marks one item and returns the confirm → accepted time measured in the page, in ms. */
async function sample(page: Page, n: number): Promise<number> {
  const workstation = `A0${(n % 5) + 1}`;
  const value = VALUES[n % VALUES.length] as string;
  await page.getByTestId(`ws-${workstation}`).click();
  await page.getByRole('heading', { name: `工位 ${workstation}` }).waitFor();
  await page.getByTestId('item-quality').getByRole('radio', { name: value, exact: true }).click();
  await page.getByRole('button', { name: `提交 ${workstation} 的评分` }).click();
  const confirm = page.getByRole('dialog').getByRole('button', { name: '确认提交' });
  await confirm.waitFor();
  await page.evaluate(`window.__accepted = new Promise((resolve) => {
    let t0 = null;
    document.addEventListener('click', () => { t0 ??= performance.now(); }, { capture: true, once: true });
    const done = () => {
      const el = document.querySelector('[data-testid="item-quality"] [data-testid="mark-state"]');
      if (t0 !== null && el && el.textContent === '${value} · 已被接收') { observer.disconnect(); resolve(performance.now() - t0); }
    };
    const observer = new MutationObserver(done);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }); 0`); // (not the promise itself: evaluate would wait for it)
  await confirm.click();
  return (await Promise.race([
    page.evaluate('window.__accepted'),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`sample ${n}: no "accepted" within 30 s`)), 30_000),
    ),
  ])) as number;
}

function summary(label: string, times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const f = (x: number) => `${x.toFixed(1)} ms`;
  return `${label}: n=${times.length} p50 ${f(at(0.5))}, p95 ${f(at(0.95))}, max ${f(sorted.at(-1) ?? Number.NaN)}`;
}

async function main() {
  buildClient();
  const server = await startApp();
  const browser = await launchChromium();
  let rehearsal: ChildProcess | null = null;
  let rehearsals = 0;
  let stopping = false;
  try {
    const venue = await createVenue(server);
    const page = await (await tabletContext(browser)).newPage();
    await pairAndSignIn(page, venue, 'J1');
    // Warm up (the first marks load the round's data and the font slices).
    for (let i = 0; i < 3; i++) console.log(`warm-up ${i}: ${(await sample(page, i)).toFixed(1)} ms`);

    const idle: number[] = [];
    for (let i = 0; i < Math.ceil(SAMPLES / 2); i++) idle.push(await sample(page, i));

    const runRehearsal = () => {
      rehearsals++;
      rehearsal = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          `${root}scripts/src/rehearse.ts`,
          '--scheme',
          'diving',
          '--marks',
          `${root}tests/fixtures/paris2024-men-10m-platform-final.marks.csv`,
          '--server',
          server.url,
          '--username',
          venue.accounts.organizer.username,
          '--password',
          venue.accounts.organizer.password,
          '--spectators',
          String(SPECTATORS),
        ],
        // The standings go to stdout, the figures (or why it stopped) to stderr.
        { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let report = '';
      rehearsal.stderr?.on('data', (chunk) => {
        report += chunk;
      });
      rehearsal.on('exit', (code) => {
        if (stopping) return;
        // A finished rehearsal reports its own latency; another one starts at once.
        const summary = /"marksSent":\s*(\d+)[\s\S]*?"marksLost":\s*(\d+)/.exec(report);
        console.log(
          `rehearsal ${rehearsals} ended (exit ${code}${summary ? `, ${summary[1]} marks sent, ${summary[2]} lost` : `: ${report.trim()}`})`,
        );
        runRehearsal();
      });
    };
    runRehearsal();
    // Let the rehearsal set up its competition and start marking before sampling.
    await new Promise((r) => setTimeout(r, 8_000));
    const loaded: number[] = [];
    for (let i = 0; i < SAMPLES; i++) loaded.push(await sample(page, i));
    console.log(summary('idle server', idle));
    console.log(
      summary(`while pnpm rehearse runs (${SPECTATORS} spectators, ${rehearsals} rehearsal run(s))`, loaded),
    );
  } finally {
    stopping = true;
    (rehearsal as ChildProcess | null)?.kill('SIGTERM');
    await browser.close();
    await server.close();
  }
}

await main();
process.exit(0);
