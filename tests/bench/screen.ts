/**
 * `pnpm bench:screen [--competitors N] [--timed M] [--burst B]`, on the embedded default with a round of N
 * competitors (300), a big screen (/screen in Chromium, 1920×1080, paired as a display) following it:
 * 1. latency: every mark of the first M competitors (10; 2 aspects × 5 judges each) sent one after another
 *    through the real API, from the API's answer arriving here to the screen showing that mark by seat
 *    (Date.now() in a MutationObserver in the page, the same clock as this process);
 * 2. burst: B marks (100) sent at once by the five judges, while the page records every animation frame: the
 *    frame times while the screen applies the updates that result, and how many updates (versions) it applied.
 * Bounded: M × 10 + B marks, then it stops.
 *
 * `pnpm bench:screen --rehearse [--spectators N] [--rate R]`: the server as `pnpm start` runs it (its own
 * process, the embedded default, demo player off), a big screen paired before the first mark, and one
 * `pnpm rehearse` of the Paris final (504 marks from 7 judges, N spectator sockets, 50; as fast as the server
 * takes them, or R marks/s) from this process: for every mark, from its acknowledgement arriving here to the
 * screen rendering the first version of the round that holds it. Bounded: one rehearsal, then it stops.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ACCOUNTS } from '@jiangxin/server/demo';
import type { SentMark } from '@jiangxin/server/rehearsal';
import type { CompetitionSnapshot, CreateDeviceResponse, LiveStanding } from '@jiangxin/shared';
import type { Page } from 'playwright-core';
import { rehearse } from '../../scripts/src/rehearse';
import { type Spectator, watch } from '../../scripts/src/rehearse/spectator';
import { launchChromium } from '../e2e/support/browser';
import { judgeTokens, marksFor, pairedScreen } from '../e2e/support/display';
import buildClient from '../e2e/support/global-setup';
import { freePort, startApp, startServerProcess } from '../e2e/support/server';
import { createVenue } from '../e2e/support/venue';

const { values } = parseArgs({
  options: {
    competitors: { type: 'string', default: '300' },
    timed: { type: 'string', default: '10' },
    burst: { type: 'string', default: '100' },
    rehearse: { type: 'boolean', default: false },
    spectators: { type: 'string', default: '50' },
    rate: { type: 'string' },
  },
});
const COMPETITORS = Number(values.competitors);
const TIMED = Math.min(Number(values.timed), COMPETITORS);
const BURST = Number(values.burst);
const MARKS = new URL('../fixtures/paris2024-men-10m-platform-final.marks.csv', import.meta.url).pathname;

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const f = (x: number) => `${x.toFixed(1)} ms`;
  return `n=${times.length} min ${f(sorted[0] ?? Number.NaN)}, p50 ${f(at(0.5))}, p95 ${f(at(0.95))}, max ${f(sorted[sorted.length - 1] ?? Number.NaN)}`;
}

async function main() {
  buildClient();
  const server = await startApp();
  const browser = await launchChromium();
  try {
    const venue = await createVenue(server, COMPETITORS, { openScoring: true });
    const tokens = await judgeTokens(venue);
    const page = await pairedScreen(browser, venue.url, await venue.newDisplay('bench'));
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

/** How many marks each judge has given each line (`workstation|judge` → count), used, dropped or awaiting. */
function marksByJudge(standings: readonly LiveStanding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of standings)
    for (const c of line.components)
      for (const aspect of [...(c.aspects ?? []), ...(c.attempts ?? []).flatMap((a) => a.aspects)])
        for (const m of [...aspect.used, ...aspect.dropped, ...aspect.awaiting]) {
          const key = `${line.workstation}|${m.judge}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
  return counts;
}

async function duringRehearsal() {
  buildClient();
  const dataDir = mkdtempSync(join(tmpdir(), 'jx-bench-screen-'));
  const server = await startServerProcess(dataDir, await freePort(), { DEMO_PLAY: 'off' }).catch((error) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const browser = await launchChromium();
  // This process's clock (performance.now(), the rehearsal's) → the page's (Date.now(), the same computer's).
  const offsetAt = () => Date.now() - performance.now();
  const offsetBefore = offsetAt();
  try {
    const { organizer } = DEMO_ACCOUNTS;
    let finalId = '';
    /** Per version of the final, as a public socket received it: each judge's marks on each line. */
    const versions: { version: number; counts: Map<string, number> }[] = [];
    let sent: readonly SentMark[] = [];
    let screen: Page | null = null;
    let follower: Spectator | null = null;
    const report = await rehearse({
      scheme: 'diving',
      marksCsv: readFileSync(MARKS, 'utf8'),
      server: { url: server.url, ...organizer },
      spectators: Number(values.spectators),
      ...(values.rate ? { rate: Number(values.rate) } : {}),
      async onReady({ competitionId, organizerToken }) {
        const device = await fetch(`${server.url}/api/competitions/${competitionId}/devices`, {
          method: 'POST',
          headers: { authorization: `Bearer ${organizerToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'display', label: '彩排大屏' }),
        });
        const { pairingCode } = (await device.json()) as CreateDeviceResponse;
        screen = await pairedScreen(browser, server.url, pairingCode);
        // Every version the screen renders, when, and of which round (the rehearsal's marks are the final's).
        await screen.evaluate(`(() => {
          window.__rendered = [];
          const screen = document.querySelector('[data-testid="screen"]');
          let last = '';
          new MutationObserver(() => {
            const version = screen.getAttribute('data-version');
            const round = screen.querySelector('.round-name')?.textContent ?? '';
            if (version + round === last) return;
            last = version + round;
            window.__rendered.push([Date.now(), Number(version), round]);
          }).observe(screen, { subtree: true, childList: true, characterData: true, attributes: true });
        })()`);
        const live = (await (
          await fetch(`${server.url}/api/competitions/${competitionId}/live`)
        ).json()) as CompetitionSnapshot;
        finalId = live.rounds.find((r) => r.round === 'Final')?.roundId ?? '';
        const spectator = await watch(server.url, competitionId, [finalId]);
        follower = spectator;
        // After the follower's own listener (registered first) has applied the update.
        spectator.socket.on('round:update', () => {
          const state = spectator.latest.get(finalId)?.state;
          if (state && state.version !== versions.at(-1)?.version)
            versions.push({ version: state.version, counts: marksByJudge(state.standings) });
        });
      },
      onMarksSent: (marks) => {
        sent = marks;
      },
    });
    const offsetAfter = offsetAt();
    const page = screen as Page | null;
    if (!page) throw new Error('the rehearsal never reached its first mark');
    // Let the last versions reach the screen.
    await page.waitForTimeout(2_000);
    (follower as Spectator | null)?.socket.close();
    const rendered = await page.evaluate<[number, number, string][]>('window.__rendered');
    const ofFinal = rendered.filter(([, , round]) => round === '决赛');

    // The k-th mark a judge gave a line is in every version where that judge has k marks on it (a judge's
    // marks go one at a time, each after the previous one's answer).
    const ordinal = new Map<string, number>();
    const times: number[] = [];
    let unseen = 0;
    for (const m of sent) {
      if (m.roundId !== finalId) continue;
      const key = `${m.workstation}|${m.judge}`;
      const k = (ordinal.get(key) ?? 0) + 1;
      ordinal.set(key, k);
      if (m.acknowledgedAt === null) continue;
      const holding = versions.find((v) => (v.counts.get(key) ?? 0) >= k)?.version;
      const shown = holding === undefined ? undefined : ofFinal.find(([, v]) => v >= holding)?.[0];
      if (shown === undefined) unseen++;
      else times.push(shown - (offsetBefore + m.acknowledgedAt));
    }
    const acknowledged = sent.flatMap((m) => (m.acknowledgedAt === null ? [] : [m.acknowledgedAt]));
    const seconds = (Math.max(...acknowledged) - Math.min(...sent.map((m) => m.start))) / 1000;
    console.log(
      `rehearsal: ${report.marksSent} marks sent in ${seconds.toFixed(1)} s ` +
        `(${(report.marksSent / seconds).toFixed(1)} marks/s), ${report.marksLost} lost, ${report.spectators} spectators ` +
        `(submit → acknowledged ${JSON.stringify(report.latency.submitToAcknowledged)}, submit → last spectator ` +
        `${JSON.stringify(report.latency.submitToLastSpectator)})`,
    );
    console.log(
      `the final: ${versions.length} versions pushed, ${new Set(ofFinal.map(([, v]) => v)).size} rendered by the screen; ` +
        `clock drift over the run ${(offsetAfter - offsetBefore).toFixed(1)} ms`,
    );
    // Negative: the screen had the mark before its answer was handled here (this process's loop was busy).
    const early = times.filter((t) => t < 0).length;
    console.log(
      `mark acknowledged → big screen renders it, during the rehearsal: ${summary(times)}; ` +
        `${early} shown before the answer was handled here; ${unseen} never shown`,
    );
  } finally {
    await browser.close();
    await server.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await (values.rehearse ? duringRehearsal() : main());
process.exit(0);
