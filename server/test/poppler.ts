import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reading PDFs back as a person's tools do (poppler-utils): their text, fonts, and page 1 as a picture. */

const screenshots = join(import.meta.dirname, '../../docs/screenshots');

/** The PDF written to a file of its own. */
export function pdfFile(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'jx-pdf-')), 'document.pdf');
  writeFileSync(file, pdf);
  return file;
}

/**
 * The text of each page as pdftotext reads it. `raw`: in drawing order, so a name wrapped in its table cell
 * stays together; `layout`: as laid out on the page.
 */
export function pdfPages(file: string, mode: 'raw' | 'layout' = 'raw'): string[] {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  return Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', [`-${mode}`, '-f', String(i + 1), '-l', String(i + 1), file, '-'], {
      encoding: 'utf8',
    }),
  );
}

export const pdfInfo = (file: string) => execFileSync('pdfinfo', [file], { encoding: 'utf8' });
export const pdfFonts = (file: string) => execFileSync('pdffonts', [file], { encoding: 'utf8' });

/** Page 1 rendered to docs/screenshots/<name>.png, to look at. */
export function screenshotPage1(file: string, name: string): void {
  const stem = join(mkdtempSync(join(tmpdir(), 'jx-png-')), 'page');
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', file, stem]);
  copyFileSync(`${stem}.png`, join(screenshots, `${name}.png`));
}
