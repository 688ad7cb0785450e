import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator } from 'playwright-core';

/** The system Chromium (installed by apt; Playwright's own browser downloads are not used). */
export const CHROMIUM = '/usr/bin/chromium';

/** Chromium; `args` adds switches (e.g. `--host-resolver-rules` to reach the server by a venue's name). */
export async function launchChromium(args: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install it with apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...args,
    ],
  });
}

/** The text a user sees in an element (Playwright's innerText, which follows the layout). */
export function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: this is Playwright's Locator.innerText, not the DOM property.
  return locator.innerText();
}
