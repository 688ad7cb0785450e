import { type EventJson, type LineError, readMarksCsv, type Scheme, scoreFileEvent } from '@jiangxin/shared';

/**
 * The verify tool's limits, proportional to real use. A real event is at most a few thousand marks (the
 * Paris final 504, a 60-diver preliminary 2,520, a skills event of 200 competitors × 10 aspects × 5 judges
 * 10,000): 20,000 marks leave room for several events in one file and take well under a second to score;
 * a whole championship is verified one event (or a few) at a time. 1.5 MB holds 20,000 rows of about 75
 * bytes (Chinese names included). Bad lines are listed up to 100, with the count of the rest, so a file of
 * bad rows cannot make an answer many times its own size.
 */
export const MARKS_FILE_LIMITS = { bytes: 1.5 * 1024 * 1024, marks: 20_000, linesListed: 100 } as const;

/** A marks file scored, or refused: its first bad lines and how many there are in all. */
export type MarksFileOutcome = { events: EventJson[] } | { errors: LineError[]; errorCount: number };

/** The data rows of a marks file, at most: its line breaks (a last line may lack one; the header has one). */
export function rowsIn(marksCsv: string): number {
  let rows = 0;
  for (let i = marksCsv.indexOf('\n'); i !== -1; i = marksCsv.indexOf('\n', i + 1)) rows++;
  return rows;
}

/**
 * Reads a marks file against a scheme and scores every event in it. Bad lines are reported, never skipped:
 * if any line is wrong nothing is computed.
 */
export function scoreMarksFile(scheme: Scheme, marksCsv: string): MarksFileOutcome {
  const file = readMarksCsv(marksCsv, scheme);
  if (file.errors.length > 0)
    return { errors: file.errors.slice(0, MARKS_FILE_LIMITS.linesListed), errorCount: file.errors.length };
  return {
    events: file.events.map((e) => scoreFileEvent(scheme, e)),
  };
}
