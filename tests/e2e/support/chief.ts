import type { Locator, Page } from 'playwright-core';
import type { Venue } from './venue';

/**
 * Page helpers for the chief judge's console (/chief). Stable for other tests (a combined judge + chief
 * test uses them): sign in and open the venue's round grid, find a grid cell, approve a correction.
 */

/** Signs in at /chief with a staff account and opens the venue's round (the grid for a chief judge). */
export async function signInStaff(
  page: Page,
  venue: Venue,
  who: 'chiefJudge' | 'scorekeeper' = 'chiefJudge',
): Promise<void> {
  const { username, password } = venue.accounts[who];
  await page.goto(`${venue.url}/chief`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId(`competition-${venue.competitionId}`).click();
  await page.getByTestId(`round-${venue.roundId}`).click();
  const first = venue.workstations[0] ?? 'A01';
  if (who === 'chiefJudge') {
    await page.waitForURL(/\/grid$/);
    await page.getByTestId(`grid-row-${first}`).waitFor();
    // The live socket has answered the join: the grid shows the round as pushed.
    await page.locator('[data-testid="marks-grid"]:not([data-version=""])').waitFor();
  } else {
    await page.waitForURL(/\/paper$/);
  }
}

/** Goes to /chief, signs in as the venue's chief judge, opens the venue's round grid and waits for it. */
export function signInChief(page: Page, venue: Venue): Promise<void> {
  return signInStaff(page, venue, 'chiefJudge');
}

/** The grid cell of one seat's mark: its text is the mark (empty while missing). */
export function gridCell(page: Page, workstation: string, item: string, seat: string): Locator {
  return page.getByTestId(`cell-${workstation}-${item}-${seat}`);
}

/** Opens the console's review tab (审核与签字). */
export async function openReview(page: Page): Promise<void> {
  await page.getByRole('link', { name: /^审核与签字/ }).click();
  await page.getByTestId('blockers').waitFor();
}

/** Approves, through the UI, the pending correction of a workstation and item, with a reason. */
export async function approveCorrection(page: Page, workstation: string, item: string, reason: string) {
  await openReview(page);
  const pending = page.locator(
    `[data-testid^="correction-"][data-workstation="${workstation}"][data-item="${item}"][data-status="pending"]`,
  );
  await pending.first().waitFor();
  const correction = pending.first();
  const id = await correction.getAttribute('data-testid');
  await correction.getByRole('textbox').fill(reason);
  await correction.getByRole('button', { name: '批准' }).click();
  await page.locator(`[data-testid="${id}"][data-status="approved"]`).waitFor();
}
