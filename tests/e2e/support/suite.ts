import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { type RunningApp, startApp } from './server';

export interface BrowserSuite {
  /** The app of this test file (started in beforeAll). */
  readonly server: RunningApp;
  /** A page in a fresh browser context of the given viewport, closed after the file. */
  page(viewport: { width: number; height: number }): Promise<Page>;
}

/** One app and one Chromium for a test file, with every context it opens closed after it. */
export function browserSuite(): BrowserSuite {
  let server: RunningApp | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser suite is used before its beforeAll ran');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    async page(viewport) {
      const context = await started(browser).newContext({ viewport, deviceScaleFactor: 1 });
      contexts.push(context);
      return context.newPage();
    },
  };
}
