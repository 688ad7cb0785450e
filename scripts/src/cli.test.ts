import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('writeAllSync', () => {
  it('writes everything into a pipe that fills, in order, before returning', () => {
    const cli = join(import.meta.dirname, 'cli.ts');
    // 8 MB in 1 MB pieces into a 64 KB pipe: the writes meet a full pipe (EAGAIN) and must wait, not drop.
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { writeAllSync } = await import(${JSON.stringify(cli)});
         for (let i = 0; i < 8; i++) writeAllSync(1, String(i).repeat(1 << 20));`,
      ],
      { maxBuffer: 16 << 20, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toBe(Array.from({ length: 8 }, (_, i) => String(i).repeat(1 << 20)).join(''));
  });
});
