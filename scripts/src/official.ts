import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '@jiangxin/shared';

/**
 * The official standings of the real competitions in tests/fixtures, and the same lines of a results JSON, so
 * every tool that recomputes them compares the same way.
 */

export interface OfficialLine {
  rank: number | null;
  competitor: string;
  total: string | null;
}

export interface OfficialRoundLine extends OfficialLine {
  round: string;
}

const fixtureRows = (name: string): string[][] =>
  parseCsv(readFileSync(join(import.meta.dirname, `../../tests/fixtures/${name}.official.csv`), 'utf8'))
    .records.slice(1)
    .map((r) => r.fields);

/** The official standings of the Paris 2024 men's 10 m platform final. */
export const parisOfficial = (): OfficialLine[] =>
  fixtureRows('paris2024-men-10m-platform-final').map(([rank, competitor = '', total = '']) => ({
    rank: Number(rank),
    competitor,
    total,
  }));

/** The rank, competitor and total of each standing of a results JSON event (`pnpm results --format json`). */
export const officialLines = (standings: readonly OfficialLine[]): OfficialLine[] =>
  standings.map(({ rank, competitor, total }) => ({ rank, competitor, total }));

// Competitors sharing a place are listed in the publisher's own order: compare by round, rank, then name.
const byPlace = (lines: OfficialRoundLine[]): OfficialRoundLine[] =>
  lines.sort(
    (a, b) =>
      a.round.localeCompare(b.round) ||
      (a.rank ?? 0) - (b.rank ?? 0) ||
      a.competitor.localeCompare(b.competitor),
  );

/** A fixture's official standings of every round (`<name>.official.csv`: round, rank, competitor, total). */
export const officialRounds = (name: string): OfficialRoundLine[] =>
  byPlace(
    fixtureRows(name).map(([round = '', rank, competitor = '', total = '']) => ({
      round,
      rank: Number(rank),
      competitor,
      total,
    })),
  );

/** Every round's rank, competitor and total of a results JSON event, in the order of `officialRounds`. */
export const roundLines = (event: {
  rounds: readonly { round: string; standings: readonly OfficialLine[] }[];
}): OfficialRoundLine[] =>
  byPlace(
    event.rounds.flatMap((r) => officialLines(r.standings).map((line) => ({ round: r.round, ...line }))),
  );
