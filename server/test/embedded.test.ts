import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client';
import { competitions } from '../src/db/schema';

describe('the embedded default (PGlite in a data folder)', () => {
  const root = mkdtempSync(join(tmpdir(), 'jx-embedded-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('starts on a machine without the data folder and keeps its data across restarts', async () => {
    const dataDir = join(root, 'not', 'yet', 'there', 'pglite');
    const first = await openDatabase({ dataDir });
    await first.db.insert(competitions).values({
      name: '重启前',
      level: 'enterprise',
      organizer: '工会',
      venue: '车间',
      startsOn: '2026-06-01',
      endsOn: '2026-06-01',
    });
    await first.close();
    const second = await openDatabase({ dataDir });
    const rows = await second.db.select({ name: competitions.name }).from(competitions);
    await second.close();
    expect(rows).toEqual([{ name: '重启前' }]);
  });
});
