import { randomUUID } from 'node:crypto';
import type { EventView, ReviewResponse } from '@jiangxin/shared';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { type RunningApp, startApp } from './server';
import { createVenue, type Venue, type VenueOptions, WELDING_SCHEME } from './venue';

/**
 * Helpers for the audience's surfaces (the big screen at /screen, the phone page at /live): the marks a test
 * submits, the order and totals the server computes, and what a page shows of them.
 */

export interface AudienceVenue {
  server: RunningApp;
  browser: Browser;
  venue: Venue;
  /** The judges' tokens by seat (J1 … J5). */
  tokens: string[];
  close(): Promise<void>;
}

/**
 * The real server, Chromium, and a venue with open scoring by default (the public, and so the big screen and
 * the phone page, follow the round from its first mark, under names), its five judges signed in through the API.
 */
export async function audienceVenue(
  competitors = 5,
  // Open scoring, each competitor named once their marks are all in: codes and names on one screen.
  options: VenueOptions = { openScoring: true, namesShown: 'whenCompetitorComplete' },
): Promise<AudienceVenue> {
  const server = await startApp();
  const browser = await launchChromium();
  const venue = await createVenue(server, competitors, options);
  const tokens = await judgeTokens(venue);
  return {
    server,
    browser,
    venue,
    tokens,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Marks of the five seats for each aspect: every workstation's own spread, with a high and a low mark. */
export function marksFor(index: number): { quality: string[]; technique: string[] } {
  const q = [7, 8, 6.5, 9, 7.5].map((v) => v + ((index * 3) % 5) * 0.5 - 1);
  const t = [8, 6, 7, 7.5, 9.5].map((v) => v - ((index * 2) % 4) * 0.5);
  const clamp = (v: number) => String(Math.min(10, Math.max(0, v)));
  return { quality: q.map(clamp), technique: t.map(clamp) };
}

/** The judges' tokens by seat (J1 … J5), each paired and signed in through the API as a tablet does. */
export async function judgeTokens(venue: Venue): Promise<string[]> {
  const tokens: string[] = [];
  for (const judge of venue.judges) tokens.push(await venue.judgeToken(judge.seat));
  return tokens;
}

/** Submits the marks of one workstation's aspect from every seat, in seat order. */
export async function markAspect(
  venue: Venue,
  tokens: string[],
  workstation: string,
  item: 'quality' | 'technique',
  values: string[],
): Promise<void> {
  for (const [seat, token] of tokens.entries())
    await venue.mark(token, workstation, item, values[seat] ?? '5');
}

/** The server's order and totals for the round (the chief judge's review: workstation codes). */
export async function serverOrder(venue: Venue): Promise<string[]> {
  const review = await venue.api<ReviewResponse>(
    venue.tokens.chiefJudge,
    'GET',
    `/competitions/${venue.competitionId}/rounds/${venue.roundId}/review`,
  );
  // A competitor without a mark yet has no total: the pages show a dash.
  return review.event.standings.map((s) => `${s.competitor} ${s.total ?? '–'}`);
}

/** The big screen's ranking, top to bottom: `workstation total`. */
export function screenOrder(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="rank-row"]', (rows) =>
    rows.map(
      (r) =>
        `${r.getAttribute('data-workstation')} ${r.querySelector('[data-testid="rank-total"]')?.textContent ?? ''}`,
    ),
  );
}

/** The phone page's standings, top to bottom: `workstation total`. */
export function phoneOrder(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="standing"]', (rows) =>
    rows.map(
      (r) =>
        `${r.getAttribute('data-workstation')} ${r.querySelector('[data-testid="total"]')?.textContent ?? ''}`,
    ),
  );
}

/** Asks the chief judge's routes of the ceremony: freeze the round, or reveal the next place from the bottom. */
export function ceremony(venue: Venue, step: 'freeze' | 'reveal'): Promise<unknown> {
  return venue.api(
    venue.tokens.chiefJudge,
    'POST',
    `/competitions/${venue.competitionId}/rounds/${venue.roundId}/${step}`,
    {},
  );
}

/**
 * A further event in the venue's competition (the same scheme and panel of judges, its competitors — by name
 * suffix — drawn and checked in): its round id and workstation codes.
 */
export async function addEvent(
  venue: Venue,
  name: string,
  competitors: readonly string[],
): Promise<{ roundId: string; workstations: string[] }> {
  const C = `/competitions/${venue.competitionId}`;
  const organizer = venue.tokens.organizer;
  const event = await venue.api<EventView>(organizer, 'POST', `${C}/events`, {
    name,
    scheme: { ...WELDING_SCHEME, id: 'e2e-welding-2' },
  });
  const ids: string[] = [];
  for (const n of competitors) {
    const created = await venue.api<{ competitor: { id: string } }>(
      organizer,
      'POST',
      `${C}/events/${event.id}/competitors`,
      { name: `选手${n}`, unit: `第${n}安装公司`, region: '市区', frontline: true, unionMember: true },
    );
    ids.push(created.competitor.id);
  }
  const panel = await venue.api<{ id: string }>(organizer, 'POST', `${C}/events/${event.id}/panels`, {
    name: `${name}裁判组`,
    aspects: [],
  });
  for (const judge of venue.judges)
    await venue.api(organizer, 'PUT', `${C}/panels/${panel.id}/seats/${judge.seat}`, { judgeId: judge.id });
  await venue.api(organizer, 'POST', `${C}/events/${event.id}/draw`);
  const { rounds } = await venue.api<EventView>(organizer, 'GET', `${C}/events/${event.id}`);
  const roundId = rounds[0]?.id ?? '';
  for (const id of ids)
    await venue.api(venue.tokens.chiefJudge, 'POST', `${C}/rounds/${roundId}/check-in`, { competitorId: id });
  const { codes } = await venue.api<{ codes: string[] }>(
    organizer,
    'GET',
    `${C}/rounds/${roundId}/workstations`,
  );
  return { roundId, workstations: codes };
}

/**
 * A second event in the venue's competition (two competitors), with one mark in its round, so the public
 * (open scoring) may watch it: its round id.
 */
export async function addMarkedEvent(venue: Venue, name: string, judgeToken: string): Promise<string> {
  const { roundId, workstations } = await addEvent(venue, name, ['乙', '丙']);
  await venue.api(judgeToken, 'POST', `/competitions/${venue.competitionId}/rounds/${roundId}/marks`, {
    id: randomUUID(),
    workstation: workstations[0],
    item: 'quality',
    value: '8',
  });
  return roundId;
}

/**
 * A big screen (/screen at 1920×1080, a context of its own) paired with a display device's code; `query` as
 * the organizer sets it in the screen's address (e.g. `?rotate=5`).
 */
export async function pairedScreen(
  browser: Browser,
  url: string,
  pairingCode: string,
  query = '',
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(`${url}/screen${query}`);
  await page.getByTestId('pair-code').fill(pairingCode);
  await page.getByRole('button', { name: '配对' }).click();
  await page.getByTestId('screen').waitFor();
  return page;
}

/** The big screen's ranking as the audience reads it, top to bottom: `place competitor total`. */
export function screenLines(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="rank-row"]', (rows) =>
    rows.map((r) =>
      [...r.querySelectorAll('.place, .who, [data-testid="rank-total"]')]
        .map((e) => e.textContent ?? '')
        .join(' '),
    ),
  );
}

/** Marks a whole workstation of the venue's round (its index in the draw): both aspects from every seat. */
export async function markWorkstation(venue: Venue, tokens: string[], index: number): Promise<void> {
  const marks = marksFor(index);
  const workstation = venue.workstations[index] ?? '';
  await markAspect(venue, tokens, workstation, 'quality', marks.quality);
  await markAspect(venue, tokens, workstation, 'technique', marks.technique);
}
