import { readFileSync } from 'node:fs';
import { templateNames } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { SCHEMES_DOC, withTemplatesSection } from './schemes-doc';

describe('docs/SCHEMES.md', () => {
  it('documents every shipped template exactly as the code defines it (run `pnpm docs:schemes` to update)', () => {
    const doc = readFileSync(SCHEMES_DOC, 'utf8');
    expect(doc).toBe(withTemplatesSection(doc));
    for (const name of templateNames) expect(doc).toContain(`### \`${name}\``);
  });
});
