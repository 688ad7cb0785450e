import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '@jiangxin/shared';

/**
 * The official standings of the Paris 2024 men's 10 m platform final (tests/fixtures), and the same lines
 * of a results JSON, so every tool that recomputes the final compares the same way.
 */

export interface OfficialLine {
  rank: number | null;
  competitor: string;
  total: string | null;
}

export const parisOfficial = (): OfficialLine[] =>
  parseCsv(
    readFileSync(
      join(import.meta.dirname, '../../tests/fixtures/paris2024-men-10m-platform-final.official.csv'),
      'utf8',
    ),
  )
    .records.slice(1)
    .map(({ fields: [rank, competitor = '', total = ''] }) => ({ rank: Number(rank), competitor, total }));

/** The rank, competitor and total of each standing of a results JSON event (`pnpm results --format json`). */
export const officialLines = (standings: readonly OfficialLine[]): OfficialLine[] =>
  standings.map(({ rank, competitor, total }) => ({ rank, competitor, total }));
