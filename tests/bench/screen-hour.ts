/**
 * `pnpm bench:screen-hour [--minutes 60] [--competitors 30] [--rate 10] [--rotate 5]`: the big screen over an
 * accelerated rehearsal. The real server on the embedded default (in this process), a big screen (/screen in
 * Chromium, 1920×1080, paired as a display, rotating every `--rotate` s) and, for `--minutes`, marks through
 * the real API at about `--rate` marks/s: each round's competitors marked one after another by the five
 * judges (both aspects), then signed off, decrypted and published, and a new event with its round set up.
 * Every minute, after a garbage collection in both, it prints the page's JS heap and DOM nodes (CDP) and this
 * process's memory (the server and this driver); at the end, minute 1 against the last minute and the slope.
 * Bounded: it stops marking at `--minutes` and exits; 127.0.0.1 only.
 */
import { parseArgs } from 'node:util';
import { signOffRequest } from '@jiangxin/shared';
import { launchChromium } from '../e2e/support/browser';
import { addEvent, judgeTokens, marksFor } from '../e2e/support/display';
import buildClient from '../e2e/support/global-setup';
import { startApp } from '../e2e/support/server';
import { createVenue, type Venue } from '../e2e/support/venue';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    competitors: { type: 'string', default: '30' },
    rate: { type: 'string', default: '10' },
    rotate: { type: 'string', default: '5' },
  },
});
const MINUTES = Number(values.minutes);
const COMPETITORS = Number(values.competitors);
const GAP_MS = 1000 / Number(values.rate);
const MB = 1024 * 1024;

interface Sample {
  minute: number;
  heap: number;
  nodes: number;
  listeners: number;
  serverHeap: number;
  serverRss: number;
  marks: number;
  rounds: number;
}

/** Least-squares slope of y over x (per unit of x). */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] ?? 0) - mx) * ((ys[i] ?? 0) - my);
    den += ((xs[i] ?? 0) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function main() {
  if (!globalThis.gc) throw new Error('run with node --expose-gc (pnpm bench:screen-hour does)');
  const gc = globalThis.gc;
  buildClient();
  const server = await startApp();
  const browser = await launchChromium();
  // Stops a run that hangs: marking ends at MINUTES, closing takes seconds.
  const watchdog = setTimeout(
    () => {
      console.error('screen-hour: still running 5 minutes after the end, giving up');
      process.exit(1);
    },
    (MINUTES + 5) * 60_000,
  );
  watchdog.unref();
  try {
    const venue = await createVenue(server, COMPETITORS, { openScoring: true });
    const tokens = await judgeTokens(venue);
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${venue.url}/screen?rotate=${values.rotate}`);
    await page.getByTestId('pair-code').fill(await venue.newDisplay('bench'));
    await page.getByRole('button', { name: '配对' }).click();
    await page.getByTestId('screen').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');

    const C = `/competitions/${venue.competitionId}`;
    const displayToken = async () =>
      (await page.context().storageState()).origins
        .flatMap((origin) => origin.localStorage)
        .find((item) => item.name === 'jiangxin.display')?.value ?? null;
    const pairedAs = await displayToken();
    // The driver's own tokens (judges, staff) last an hour like the screen's: renewed every 20 minutes.
    const renewDriverTokens = async () => {
      const renew = async (token: string) =>
        (await venue.api<{ token: string }>(token, 'POST', '/auth/refresh')).token;
      for (const [seat, token] of tokens.entries()) tokens[seat] = await renew(token);
      for (const role of Object.keys(venue.tokens) as (keyof Venue['tokens'])[])
        venue.tokens[role] = await renew(venue.tokens[role]);
    };
    let marks = 0;
    let failed = 0;
    let firstFailure = '';
    let rounds = 1;
    const started = Date.now();
    const deadline = started + MINUTES * 60_000;

    const sample = async (minute: number): Promise<Sample> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
      gc();
      const memory = process.memoryUsage();
      return {
        minute,
        heap: metric('JSHeapUsedSize') / MB,
        nodes: metric('Nodes'),
        listeners: metric('JSEventListeners'),
        serverHeap: memory.heapUsed / MB,
        serverRss: memory.rss / MB,
        marks,
        rounds,
      };
    };
    const row = (s: Sample) =>
      [
        String(s.minute).padStart(6),
        s.heap.toFixed(2).padStart(10),
        String(s.nodes).padStart(7),
        String(s.listeners).padStart(10),
        s.serverHeap.toFixed(1).padStart(12),
        s.serverRss.toFixed(1).padStart(11),
        String(s.marks).padStart(7),
        String(s.rounds).padStart(7),
      ].join(' ');
    console.log(
      `screen over ${MINUTES} min: ${COMPETITORS} competitors a round, ~${values.rate} marks/s, rotate ${values.rotate} s`,
    );
    console.log(' minute  page heap MB   nodes  listeners  server heap MB  server RSS MB   marks  rounds');
    const samples: Sample[] = [await sample(0)];
    console.log(row(samples[0] as Sample));

    // The judges, paced: the k-th mark goes no earlier than GAP_MS × k after the start.
    const pace = async () => {
      const wait = started + marks * GAP_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    };
    const rehearse = async () => {
      let roundId = venue.roundId;
      let workstations = venue.workstations;
      while (Date.now() < deadline) {
        const R = `${C}/rounds/${roundId}`;
        for (const [i, workstation] of workstations.entries()) {
          const given = marksFor(i);
          for (const item of ['quality', 'technique'] as const)
            for (const [seat, token] of tokens.entries()) {
              if (Date.now() >= deadline) return;
              await pace();
              // A refused or lost mark is counted, not fatal: an hour is not thrown away for one request.
              try {
                await venue.api(token, 'POST', `${R}/marks`, {
                  id: crypto.randomUUID(),
                  workstation,
                  item,
                  value: given[item][seat] ?? '5',
                });
              } catch (error) {
                failed++;
                firstFailure ||= String(error);
              }
              marks++;
            }
        }
        const { chiefJudge, encryptionOfficer } = venue.tokens;
        await venue.api(
          chiefJudge,
          'POST',
          `${R}/sign-off`,
          signOffRequest.parse({ confirm: true, force: true, reason: 'bench: the round is complete' }),
        );
        await venue.api(encryptionOfficer, 'POST', `${R}/decrypt`);
        await venue.api(chiefJudge, 'POST', `${R}/publish`);
        rounds++;
        const names = Array.from({ length: COMPETITORS }, (_, k) => `${rounds}-${k + 1}`);
        ({ roundId, workstations } = await addEvent(venue, `焊工 第${rounds}场`, names));
      }
    };
    const sampling = async () => {
      for (let minute = 1; minute <= MINUTES; minute++) {
        const wait = started + minute * 60_000 - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (minute % 20 === 0)
          await renewDriverTokens().catch((error) => console.error(`renewing the driver's tokens: ${error}`));
        const s = await sample(minute);
        samples.push(s);
        console.log(row(s));
      }
    };
    await Promise.all([rehearse(), sampling()]);

    const first = samples[1] as Sample;
    const last = samples[samples.length - 1] as Sample;
    const after = samples.slice(1);
    const perHour = (pick: (s: Sample) => number) =>
      slope(
        after.map((s) => s.minute / 60),
        after.map(pick),
      );
    const compare = (what: string, pick: (s: Sample) => number, unit: string, digits: number) =>
      console.log(
        `${what}: minute 1 ${pick(first).toFixed(digits)}${unit}, minute ${last.minute} ${pick(last).toFixed(digits)}${unit}, ` +
          `slope ${perHour(pick).toFixed(digits)}${unit} per hour`,
      );
    compare('page JS heap', (s) => s.heap, ' MB', 2);
    compare('page DOM nodes', (s) => s.nodes, '', 0);
    compare('page event listeners', (s) => s.listeners, '', 0);
    compare('server process heap', (s) => s.serverHeap, ' MB', 1);
    compare('server process RSS', (s) => s.serverRss, ' MB', 1);
    const held = JSON.parse((await displayToken()) ?? 'null') as { token: string; expiresAt: string } | null;
    const paired = JSON.parse(pairedAs ?? 'null') as { token: string } | null;
    console.log(
      `display token: ${held && paired && held.token !== paired.token ? 'renewed by the screen' : 'not renewed'}` +
        `, now expires ${held?.expiresAt ?? '(none: unpaired)'}`,
    );
    console.log(
      `${last.marks} marks (${failed} failed${failed ? `, first: ${firstFailure}` : ''}) in ${last.rounds} rounds (${last.rounds - 1} published); ` +
        `screen shows ${await page.getByTestId('screen-event').textContent()}; page errors: ${pageErrors.length}` +
        (pageErrors.length ? ` (first: ${pageErrors[0]})` : ''),
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
