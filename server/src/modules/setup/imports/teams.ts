import { randomUUID } from 'node:crypto';
import type { ImportRejection } from '@jiangxin/shared';
import { type Locale, localized } from '../../../plugins/errors';
import { teamFields } from '../people';
import type { ParsedImport } from './parse';
import { type CheckedCompetitor, type CheckedImport, rejection } from './validate';

/**
 * Entrants of an import: in an individual event each accepted row is one; in a team event the rows of one
 * `team` are its members, and the team is one entrant (a competitors row) when every row of it passed and
 * its size is the event's. A team with a bad row is refused whole, each of its rows naming why.
 */

export interface CheckedEntrant {
  /** The competitor row it registers: the person, or the team (its name, its members' units and regions). */
  entrant: CheckedCompetitor;
  /** A team's members, in file order; null in an individual event. */
  members: CheckedCompetitor[] | null;
}

/** Every row an entrant came from. */
export const rowsOf = (e: CheckedEntrant) => (e.members ?? [e.entrant]).map((m) => m.row);

/** The competitors row standing for a team. */
function teamEntrant(name: string, members: readonly CheckedCompetitor[]): CheckedCompetitor {
  return { row: members[0]?.row ?? 0, id: randomUUID(), name, ...teamFields(members), identity: null };
}

export function entrantsOf(
  checked: CheckedImport<CheckedCompetitor>,
  parsed: ParsedImport,
  size: { min: number; max: number } | null,
  locale: Locale,
): CheckedImport<CheckedEntrant> {
  if (!size)
    return {
      accepted: checked.accepted.map((c) => ({ entrant: c, members: null })),
      rejected: checked.rejected,
    };
  const rejected: ImportRejection[] = [...checked.rejected];
  const accepted: CheckedEntrant[] = [];
  const rowsByTeam = new Map<string, number[]>();
  for (const r of parsed.records) {
    const team = r.cells.team ?? '';
    if (team !== '') rowsByTeam.set(team, [...(rowsByTeam.get(team) ?? []), r.row]);
  }
  for (const [team, rows] of rowsByTeam) {
    const good = checked.accepted.filter((c) => c.team === team);
    const refuse = (zh: string, en: string) => {
      for (const c of good) rejected.push(rejection(c.row, 'team', localized(zh, en), locale));
    };
    const bounds = size.min === size.max ? `${size.min}` : `${size.min}–${size.max}`;
    if (rows.length < size.min || rows.length > size.max) {
      refuse(
        `团队“${team}”有 ${rows.length} 名成员（第 ${rows.join('、')} 行），本赛项每队 ${bounds} 人`,
        `team "${team}" has ${rows.length} member(s) (rows ${rows.join(', ')}); this event takes teams of ${bounds}`,
      );
      continue;
    }
    const bad = rows.filter((row) => !good.some((c) => c.row === row));
    if (bad.length > 0) {
      refuse(
        `团队“${team}”的第 ${bad.join('、')} 行有误，整队未登记`,
        `row(s) ${bad.join(', ')} of team "${team}" are refused, so the team is not registered`,
      );
      continue;
    }
    accepted.push({ entrant: teamEntrant(team, good), members: good });
  }
  rejected.sort((a, b) => a.row - b.row);
  return { accepted, rejected };
}
