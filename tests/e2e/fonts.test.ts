import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AudienceVenue, audienceVenue } from './support/display';
import { tabletContext } from './support/judge';

/**
 * This Chromium has no CJK font (like many fresh computers): Chinese shows only through the bundled Noto Sans SC.
 * Every element with Chinese text must draw its Chinese characters with it, once the page has loaded, as
 * Chromium reports by CDP `CSS.getPlatformFontsForNode` (the fonts that actually drew a node's text).
 */

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
// Han characters, CJK punctuation and full-width forms: none has a glyph in the system's fonts here.
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/gu;

let held: AudienceVenue;

beforeAll(async () => {
  held = await audienceVenue();
}, 120_000);

afterAll(async () => {
  await held?.close();
});

/** The elements whose own text has Chinese, with how many of its characters a font other than the bundled one drew. */
async function boxedText(page: Page): Promise<string[]> {
  // Page code as text: this package's TypeScript has no DOM library.
  const marked = await page.evaluate<{ text: string; count: number }[]>(`(() => {
    const found = [];
    for (const element of document.body.querySelectorAll('*')) {
      const own = [...element.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('');
      const count = own.match(/${CJK.source}/gu)?.length ?? 0;
      if (count === 0 || !element.getClientRects().length) continue;
      element.setAttribute('data-cjk-probe', String(found.length));
      found.push({ text: own.trim(), count });
    }
    return found;
  })()`);
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
      nodeId: root.nodeId,
      selector: '[data-cjk-probe]',
    });
    const wrong: string[] = [];
    for (const [index, nodeId] of nodeIds.entries()) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const bundled = fonts
        .filter((f) => f.isCustomFont && f.familyName.startsWith('Noto Sans SC'))
        .reduce((n, f) => n + f.glyphCount, 0);
      const { text = '?', count = 0 } = marked[index] ?? {};
      if (bundled < count)
        wrong.push(`"${text}": ${fonts.map((f) => `${f.familyName} ×${f.glyphCount}`).join(', ')}`);
    }
    return marked.length === 0 ? ['no Chinese text on the page'] : wrong;
  } finally {
    await cdp.detach();
  }
}

async function expectBundledFont(page: Page) {
  await expect.poll(() => boxedText(page), { timeout: 15_000 }).toEqual([]);
}

describe('Chinese text on a computer without a CJK font', () => {
  it('the phone page draws it with the bundled font: the intro, the events list and a round', async () => {
    const { browser, venue } = held;
    for (const path of [
      '/live',
      `/live/${venue.competitionId}`,
      `/live/${venue.competitionId}/${venue.roundId}`,
    ]) {
      // A fresh phone for each page: each is a first load, the font decided before anything shows.
      const context = await browser.newContext(PHONE);
      const page = await context.newPage();
      await page.goto(`${venue.url}${path}`);
      await page.locator('.sp-top h1').waitFor();
      await expectBundledFont(page);
      await context.close();
    }
  }, 120_000);

  it('the big screen and the judge’s tablet draw it with the bundled font', async () => {
    const { browser, venue } = held;
    const screen = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await screen.newPage();
    await page.goto(`${venue.url}/screen`);
    await page.getByTestId('pair-code').waitFor();
    await expectBundledFont(page);
    await screen.close();

    const tablet = await tabletContext(browser);
    const judge = await tablet.newPage();
    await judge.goto(`${venue.url}/judge`);
    await judge.getByLabel('配对码').waitFor();
    await expectBundledFont(judge);
    await tablet.close();
  }, 60_000);
});
