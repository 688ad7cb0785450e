import type { CompetitorView } from '@jiangxin/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from './support/browser';
import {
  type AudienceVenue,
  audienceVenue,
  markWorkstation,
  pairedScreen,
  screenOrder,
  serverOrder,
} from './support/display';

const COMPETITORS = 3;

let held: AudienceVenue;

beforeAll(async () => {
  // A blind round (no open scoring): the public sees it once published, by workstation code until decrypted.
  held = await audienceVenue(COMPETITORS, {});
}, 120_000);

afterAll(async () => {
  await held?.close();
});

/** Every text of the page's document, hidden or not. */
const pageText = (page: Page) => page.evaluate<string>('document.body.textContent');
/** The name column of the screen's ranking, top to bottom. */
const whoColumn = (page: Page) =>
  page.$$eval('[data-testid="rank-row"] .who', (cells) => cells.map((c) => c.textContent));

describe('the big screen of a blind round', () => {
  it('shows workstation codes only until the round is decrypted, then the names', async () => {
    const { browser, venue, tokens } = held;
    const C = `/competitions/${venue.competitionId}`;
    const R = `${C}/rounds/${venue.roundId}`;
    const competitors = await venue.api<CompetitorView[]>(
      venue.tokens.organizer,
      'GET',
      `${C}/events/${venue.eventId}/competitors`,
    );
    const names = competitors.map((c) => c.name);
    // Who a competitor is, by name or by unit: none of it may reach the hall before decryption.
    const identities = competitors.flatMap((c) => [c.name, c.unit]);
    expect(names).toHaveLength(COMPETITORS);

    const page = await pairedScreen(browser, venue.url, await venue.newDisplay('主会场大屏'));
    for (let i = 0; i < COMPETITORS; i++) await markWorkstation(venue, tokens, i);
    // Marked but unpublished: the screen has no round of it to show.
    await page.waitForTimeout(1_000);
    await page.locator('.screen-empty').waitFor();
    expect(await page.getByTestId('rank-row').count()).toBe(0);

    await venue.api(venue.tokens.chiefJudge, 'POST', `${R}/sign-off`, { confirm: true });
    await venue.api(venue.tokens.chiefJudge, 'POST', `${R}/publish`, {});
    const order = await serverOrder(venue);
    await expect.poll(() => screenOrder(page), { timeout: 15_000 }).toEqual(order);
    const codes = order.map((line) => line.split(' ')[0]);
    expect(await whoColumn(page)).toEqual(codes);
    expect(await visibleText(page.locator('.rank-head'))).toContain('工位号');
    const before = await pageText(page);
    expect(identities.filter((who) => before.includes(who))).toEqual([]);

    await venue.api(venue.tokens.encryptionOfficer, 'POST', `${R}/decrypt`, {});
    // The same order, now under names: each workstation's line carries its competitor's name.
    await expect
      .poll(async () => [...(await whoColumn(page))].sort(), { timeout: 15_000 })
      .toEqual([...names].sort());
    expect(await screenOrder(page)).toEqual(order);
    expect(await visibleText(page.locator('.rank-head'))).toContain('选手');
  }, 120_000);
});
