import { readFile } from 'node:fs/promises';
import type { HonoursListResponse } from '@jiangxin/shared';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { visibleText } from './support/browser';
import { judgeTokens, markWorkstation } from './support/display';
import { browserSuite } from './support/suite';
import { createVenue, type Venue } from './support/venue';

/**
 * The organizer's honours review (荣誉推荐) in a real Chromium: a city competition's round marked, signed
 * off, decrypted and published through the API, then in the console the list with every condition and its
 * figure, a parameter edited with its problem beside the field, an override refused without a reason and
 * shown with who and why once given, publication, and the XLSX and PDF downloaded.
 */

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const LAPTOP = { width: 1366, height: 900 };

const suite = browserSuite();

async function publishedVenue(): Promise<Venue> {
  const venue = await createVenue(suite.server);
  const tokens = await judgeTokens(venue);
  for (let i = 0; i < venue.workstations.length; i++) await markWorkstation(venue, tokens, i);
  const R = `/competitions/${venue.competitionId}/rounds/${venue.roundId}`;
  await venue.api(venue.tokens.chiefJudge, 'POST', `${R}/sign-off`, { confirm: true });
  await venue.api(venue.tokens.encryptionOfficer, 'POST', `${R}/decrypt`);
  await venue.api(venue.tokens.chiefJudge, 'POST', `${R}/publish`);
  return venue;
}

async function signInOrganizer(page: Page, venue: Venue) {
  await page.goto(`${venue.url}/organizer`);
  await page.getByLabel('用户名').fill(venue.accounts.organizer.username);
  await page.getByLabel('密码').fill(venue.accounts.organizer.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '我的竞赛' }).waitFor();
  await page.goto(`${venue.url}/organizer/${venue.competitionId}/honours`);
}

describe('the organizer’s honours review', () => {
  it('lists every condition, edits a figure, overrides with a reason, publishes and downloads', async () => {
    const venue = await publishedVenue();
    const page = await suite.page(LAPTOP);
    await signInOrganizer(page, venue);
    const C = `/competitions/${venue.competitionId}`;
    const listed = await venue.api<HonoursListResponse>(venue.tokens.organizer, 'GET', `${C}/honours`);
    const winner = listed.candidates.find((c) => c.honour === 'city-may-day-medal' && c.place === 1);
    if (!winner) throw new Error('no first place in the list');

    // The city medal: five entrants fail the default minimum of 30, each figure shown in Chinese.
    const medal = page.getByTestId('honour-city-may-day-medal');
    const row = page.getByTestId(`candidate-city-may-day-medal-${winner.competitor}`);
    await row.waitFor();
    expect(await visibleText(medal.locator('h3'))).toContain('市五一劳动奖章');
    const rowText = await visibleText(row);
    expect(rowText).toContain('第 1 名（共 5 名）');
    expect(rowText).toMatch(/✗ .*5.*30/);
    expect(
      await visibleText(page.getByTestId(`candidate-city-may-day-medal-${winner.competitor}-verdict`)),
    ).toBe('不推荐');
    await page.screenshot({ path: `${SCREENSHOTS}organizer-honours.png`, fullPage: true });

    // A figure edited: 0 is refused beside the field before anything is sent; 5 is saved and the list follows.
    const minEntrants = page
      .locator('[data-testid^="rule-honours-0-conditions-"][data-testid$="-count"]')
      .first();
    await minEntrants.fill('0');
    const problem = page.locator(`#${await minEntrants.getAttribute('data-testid')}-problem`);
    expect(await visibleText(problem)).toContain('must be at least 1');
    expect(await page.getByRole('button', { name: '保存规则' }).isDisabled()).toBe(true);
    await minEntrants.fill('5');
    await page.getByRole('button', { name: '保存规则' }).click();
    await page.getByText('规则已保存').waitFor();
    const rules = await venue.api<{ stored: boolean }>(venue.tokens.organizer, 'GET', `${C}/honours/rules`);
    expect(rules.stored).toBe(true);
    await row.getByText(/✓ .*5.*5/).waitFor();

    // An override needs a reason; given one, the decision shows with who made it and why.
    const verdictNow = await visibleText(
      page.getByTestId(`candidate-city-may-day-medal-${winner.competitor}-verdict`),
    );
    await row.getByRole('button', { name: '调整…' }).click();
    const form = page.getByTestId('override-form');
    expect(await form.getByRole('button', { name: '确认调整' }).isDisabled()).toBe(true);
    expect(await visibleText(form)).toContain('请填写理由');
    await form.getByLabel(verdictNow === '推荐' ? '不推荐' : '推荐', { exact: true }).check();
    const reason = '经市总工会核实，该选手的理论考试另行组织且合格';
    await page.getByTestId('override-reason').fill(reason);
    await form.getByRole('button', { name: '确认调整' }).click();
    const override = page.getByTestId(`candidate-city-may-day-medal-${winner.competitor}-override`);
    await override.waitFor();
    expect(await visibleText(override)).toContain(reason);
    expect(await visibleText(override)).toContain(venue.accounts.organizer.displayName);
    const after = await venue.api<HonoursListResponse>(venue.tokens.organizer, 'GET', `${C}/honours`);
    expect(after.overrides).toMatchObject([{ honour: 'city-may-day-medal', reason }]);
    await page.screenshot({ path: `${SCREENSHOTS}organizer-honours-override.png`, fullPage: true });

    // Publication, then the XLSX (a zip: "PK") and the PDF download.
    await page.getByTestId('honours-publish').click();
    await page.getByTestId('honours-published').waitFor();
    const [workbook] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '推荐名单（XLSX）' }).click(),
    ]);
    expect(workbook.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await readFile((await workbook.path()) as string)).subarray(0, 2).toString()).toBe('PK');
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '推荐名单打印版（PDF）' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    expect((await readFile((await pdf.path()) as string)).subarray(0, 5).toString()).toBe('%PDF-');

    // English second: the same page, no key showing.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Recommendation list' }).waitFor();
    expect(await visibleText(page.locator('main'))).not.toMatch(/\bhonours\.[a-zA-Z.]+/);
  }, 180_000);
});
