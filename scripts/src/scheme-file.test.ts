import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTemplate, templateInputs } from '@jiangxin/shared';
import { describe, expect, it } from 'vitest';
import { loadHonourRules, loadScheme } from './scheme-file';

const dir = mkdtempSync(join(tmpdir(), 'scheme-file-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('--scheme and --rules', () => {
  it('loads a template by name and sends the server its name', () => {
    expect(loadScheme('diving')).toEqual({ scheme: getTemplate('diving'), input: 'diving' });
  });

  it('loads a scheme file and sends the server its JSON', () => {
    const json = templateInputs.tea;
    const loaded = loadScheme(write('tea.json', JSON.stringify(json)));
    expect(loaded.scheme).toEqual(getTemplate('tea'));
    expect(loaded.input).toEqual(json);
  });

  it('names every wrong path of a scheme file, an unknown template and an unreadable file', () => {
    const broken = write('broken.json', JSON.stringify({ ...templateInputs.tea, components: 'none' }));
    expect(() => loadScheme(broken)).toThrow(`${broken}: the scheme is invalid:\n  components:`);
    expect(() => loadScheme('divng')).toThrow('unknown template "divng"; templates: national-workers');
    expect(() => loadScheme(join(dir, 'missing.json'))).toThrow('cannot read scheme');
    expect(() => loadScheme(write('text.json', 'not json'))).toThrow('not JSON');
    expect(() => loadHonourRules('nowhere')).toThrow('unknown honour template "nowhere"');
  });
});
