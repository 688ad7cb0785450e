import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, visibleText } from './support/browser';
import { type RunningApp, startApp } from './support/server';

const SCREENSHOT = '/tmp/jiangxin-demo.png';

let server: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startApp();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the demo in a browser', () => {
  it('shows the demo final computed live, in Chinese', async () => {
    await page.goto(`${server.url}/`);
    // The home page leads each kind of user to theirs; the demo is one of them.
    await page.getByRole('link', { name: /裁判评分平板/ }).waitFor();
    await page.getByRole('link', { name: /演示与工具/ }).click();
    await page.waitForURL(/\/demo$/);
    const rows = page.getByTestId('standing-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(12);
    const first = rows.first();
    expect(await visibleText(first.locator('td').nth(0))).toBe('1');
    expect(await visibleText(first.locator('td').nth(1))).toContain('Cao Yuan');
    expect(await visibleText(first.locator('td').nth(2))).toBe('547.50');
    expect(await visibleText(rows.nth(11))).toContain('Yang Hao');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await visibleText(page.locator('h1'))).toContain('匠心');
    await page.getByRole('link', { name: '演示成绩' }).waitFor();
    await page.getByRole('columnheader', { name: '总分' }).waitFor();
  });

  it('expands a competitor to show each dive with the dropped awards struck out', async () => {
    await page.getByTestId('standing-row').first().click();
    const detail = page.getByTestId('standing-detail');
    await detail.waitFor();
    const dives = detail.locator('tbody tr');
    expect(await dives.count()).toBe(6);
    // Seven judges per dive: the two highest and two lowest awards are dropped.
    const dropped = detail.locator('s.dropped');
    expect(await dropped.count()).toBe(24);
    expect(await detail.locator('.mark:not(.dropped)').count()).toBe(18);
    // A string, because this package is type-checked without the DOM library.
    const decoration = await page.evaluate(
      "getComputedStyle(document.querySelector('[data-testid=standing-detail] s.dropped')).textDecorationLine",
    );
    expect(decoration).toContain('line-through');
    expect(await visibleText(detail)).toContain('难度系数');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('switches the interface to English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Demo results' }).waitFor();
    await page.getByRole('columnheader', { name: 'Total' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('link', { name: '演示成绩' }).count()).toBe(0);
    expect(await visibleText(page.getByTestId('standing-detail'))).toContain('Difficulty');
  });

  it('shows a template’s components and aspects', async () => {
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('button', { name: /Diving/ }).click();
    const scheme = page.getByTestId('scheme-detail');
    await scheme.waitFor();
    const text = await visibleText(scheme);
    expect(text).toContain('Dives');
    expect(text).toContain('7 judges');
    expect(text).toContain('drop 2 highest and 2 lowest');
    expect(new URL(page.url()).pathname).toBe('/templates');
  });

  it('verifies a marks file: bad lines are listed, good files are ranked', async () => {
    await page.getByRole('link', { name: 'Verify results' }).click();
    await page.getByLabel('Scheme template').selectOption('diving');
    const marks = page.getByLabel('Marks file (CSV)');
    await marks.fill(
      [
        'event,round,competitor,item,judge,mark,difficulty',
        'M10,Final,A,dive-1,J1,8,3.2',
        'M10,Final,A,dive-1,J2,eight,3.2',
      ].join('\n'),
    );
    await page.getByRole('button', { name: 'Compute standings' }).click();
    const errors = page.getByTestId('line-errors');
    await errors.waitFor();
    const text = await visibleText(errors);
    expect(text).toContain('Line 3');
    expect(text).toContain('mark "eight" is not a number');

    // A file of many bad rows: the first 100 are listed, the rest counted.
    await marks.fill(
      ['event,round,competitor,item,judge,mark,difficulty', ...Array(150).fill('x')].join('\n'),
    );
    await page.getByRole('button', { name: 'Compute standings' }).click();
    await expect.poll(async () => visibleText(errors)).toContain('50 more error(s) not listed');
    expect(await visibleText(errors)).toContain('The marks file has 150 error(s)');
    expect(await errors.locator('li').count()).toBe(100);

    await page.getByRole('button', { name: 'Load the demo marks' }).click();
    await expect.poll(async () => (await marks.inputValue()).length).toBeGreaterThan(1000);
    await page.getByRole('button', { name: 'Compute standings' }).click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    const rows = result.getByTestId('standing-row');
    expect(await rows.count()).toBe(12);
    expect(await visibleText(rows.first())).toContain('547.50');
  });

  it('reloads a page path from the server (index.html fallback)', async () => {
    await page.reload();
    await page.getByRole('button', { name: 'Compute standings' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/verify');
  });
});
