import type { BrowserContext, Page } from 'playwright-core';
import { PIN, type Venue } from './venue';

/** A tablet-sized browser context (10–11 inch, landscape) with service workers, as on a venue's tablets. */
export function tabletContext(browser: { newContext: (o: object) => Promise<BrowserContext> }) {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'allow',
    hasTouch: true,
  });
}

/** Pairs the page's tablet with a new pairing code and signs in the judge of `seat` with the PIN, all in the UI. */
export async function pairAndSignIn(page: Page, venue: Venue, seat: string, label = `平板 ${seat}`) {
  const judge = venue.judges.find((j) => j.seat === seat);
  if (!judge) throw new Error(`no judge in ${seat}`);
  const code = await venue.newTablet(label);
  await page.goto(`${venue.url}/judge`);
  await page.getByLabel('配对码').fill(`${code.slice(0, 4)}-${code.slice(4)}`);
  await page.getByRole('button', { name: '配对', exact: true }).click();
  await page.getByRole('button', { name: judge.name }).click();
  await typePin(page);
  await page.getByTestId('ws-A01').waitFor();
}

export async function typePin(page: Page, pin = PIN) {
  for (const digit of pin) await page.getByRole('button', { name: `数字 ${digit}` }).click();
  await page.getByRole('button', { name: '登录' }).click();
}

/** Marks the items of a workstation on the pads, confirms, and returns when the confirmation closed. */
export async function markWorkstation(page: Page, workstation: string, values: Record<string, string>) {
  await page.getByTestId(`ws-${workstation}`).click();
  await page.getByRole('heading', { name: `工位 ${workstation}` }).waitFor();
  for (const [item, value] of Object.entries(values)) {
    await page.getByTestId(`item-${item}`).getByRole('radio', { name: value, exact: true }).click();
  }
  await page.getByRole('button', { name: `提交 ${workstation} 的评分` }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

/** The state line of an item on the open workstation. */
export const markState = (page: Page, item: string) =>
  page.getByTestId(`item-${item}`).getByTestId('mark-state');
