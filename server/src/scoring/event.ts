import {
  type DifficultyInput,
  type EventMarkInput,
  type EventMissingMarkInput,
  type RoundEntry,
  type Scheme,
  scoreEvent,
} from '@jiangxin/shared';
import type { Executor } from '../db/client';
import { computeRound } from './compute';
import { loadRound } from './round';

/**
 * Reading a whole event for one `scoreEvent`: every round held, each read and seated by `computeRound` (the
 * one reading of a round), its own marks, declared attempts and entries gathered with competitors by id, so
 * the engine's overall standings place everyone (a later round reached ranks above an earlier exit) even
 * when a final carries no earlier round. The exports and the honours list both score events this way.
 */

type ById<T> = T & { competitorId: string };

export interface EventReading {
  /** Everyone drawn into a round held, with the workstation code and round of the latest round reached. */
  people: Map<string, { name: string; unit: string; code: string; round: string }>;
  marks: ById<EventMarkInput>[];
  difficulties: ById<DifficultyInput>[];
  entries: ById<RoundEntry>[];
  /** Seats the chief judge replaced under the scheme's missing-mark rule. */
  missingMarks: ById<EventMissingMarkInput>[];
}

/** Reads the rounds (ids in the scheme's order); a round nobody was drawn into adds nothing. */
export async function readEvent(
  ex: Executor,
  competitionId: string,
  roundIds: readonly string[],
): Promise<EventReading> {
  const reading: EventReading = {
    people: new Map(),
    marks: [],
    difficulties: [],
    entries: [],
    missingMarks: [],
  };
  for (const roundId of roundIds) {
    const ctx = await loadRound(ex, competitionId, roundId);
    const comp = await computeRound(ex, ctx);
    const key = ctx.round.key;
    const idOf = (code: string) => comp.view.byCode.get(code)?.id ?? code;
    for (const c of comp.view.competitors) {
      reading.people.set(c.id, { name: c.name, unit: c.unit, code: c.code, round: key });
      reading.entries.push({ round: key, competitor: c.id, competitorId: c.id });
    }
    for (const m of comp.inputs)
      if (m.round === key) reading.marks.push({ ...m, competitorId: idOf(m.competitor) });
    for (const d of comp.difficulties)
      if (d.round === key) reading.difficulties.push({ ...d, competitorId: idOf(d.competitor) });
    for (const r of comp.missingMarks)
      if (r.round === key) reading.missingMarks.push({ ...r, competitorId: idOf(r.competitor) });
  }
  return reading;
}

/**
 * Scores a reading with everything the live review scores (marks, declared attempts, entries and the
 * replaced seats), competitors named by `label`: the one computation behind the exports and the honours.
 */
export function scoreReading(
  scheme: Scheme,
  reading: EventReading,
  label: (competitorId: string) => string = (id) => id,
): ReturnType<typeof scoreEvent> {
  const named = <T extends { competitorId: string }>(x: T) => ({ ...x, competitor: label(x.competitorId) });
  return scoreEvent(
    scheme,
    reading.marks.map(named),
    reading.difficulties.map(named),
    reading.entries.map(named),
    reading.missingMarks.map(named),
  );
}
