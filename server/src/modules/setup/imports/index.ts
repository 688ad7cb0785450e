import {
  type ImportPreview,
  type ImportRejection,
  type ImportReport,
  type ImportRequest,
  teamSize,
} from '@jiangxin/shared';
import type { Principal } from '../../../plugins/auth';
import type { Locale } from '../../../plugins/errors';
import type { SetupDeps } from '../common';
import { findCompetition, findEvent } from '../repository';
import { type ParsedImport, parseImport } from './parse';
import { decideCompetitors, registration, storeCompetitors, storeJudges } from './store';
import { entrantsOf } from './teams';
import {
  COMPETITOR_COLUMNS,
  JUDGE_COLUMNS,
  TEAM_COLUMNS,
  validateCompetitors,
  validateJudges,
} from './validate';

/**
 * Imports of competitors and judges from CSV or XLSX (报名表), in three steps: the file is parsed into
 * records (parse.ts), every record is checked (validate.ts), and the good rows are registered in one
 * transaction with one audit entry (store.ts). Every problem of every bad row is reported with its
 * spreadsheet row number, in the caller's language. A preview runs the same steps and saves nothing.
 */

/** The cells of the refused rows as read, the ID number left out (it is never answered in full). */
function refusedRows(
  parsed: ParsedImport,
  rejected: readonly ImportRejection[],
): ImportPreview['refusedRows'] {
  const refused = new Set(rejected.map((r) => r.row));
  return parsed.records
    .filter((r) => refused.has(r.row))
    .map(({ row, cells: { idNumber: _left, ...cells } }) => ({ row, cells }));
}

export function createImportService({ writer, hmac }: SetupDeps) {
  /** The event's entrants read from the file: rows, or in a team event the teams they make up. */
  async function readEntrants(
    ids: { competitionId: string; eventId: string },
    body: ImportRequest,
    locale: Locale,
  ) {
    const event = await findEvent(writer.db, ids.competitionId, ids.eventId);
    const size = teamSize(event.scheme);
    const parsed = await parseImport(body, size ? TEAM_COLUMNS : COMPETITOR_COLUMNS);
    const checked = entrantsOf(validateCompetitors(hmac, parsed, locale), parsed, size, locale);
    return { event, parsed, checked, team: size !== null };
  }

  return {
    /** Imports the competitors of an event: see the module comment. */
    async importCompetitors(
      principal: Principal,
      ids: { competitionId: string; eventId: string },
      body: ImportRequest,
      locale: Locale,
    ): Promise<ImportReport> {
      const { event, checked, team } = await readEntrants(ids, body, locale);
      const target = { competitionId: ids.competitionId, eventId: event.id, format: body.format };
      const report = await storeCompetitors(writer, principal, target, checked, locale);
      return team ? { ...report, teams: report.teams ?? 0 } : report;
    },

    /** What importCompetitors would register and refuse, row by row; nothing is saved. */
    async previewCompetitors(
      ids: { competitionId: string; eventId: string },
      body: ImportRequest,
      locale: Locale,
    ): Promise<ImportPreview> {
      const { event, parsed, checked, team } = await readEntrants(ids, body, locale);
      const target = { competitionId: ids.competitionId, eventId: event.id };
      const decided = await decideCompetitors(writer.db, target, checked, locale);
      const rows = decided.accepted.flatMap((e) =>
        e.members
          ? e.members.map((m) => ({ row: m.row, ...registration(m), team: e.entrant.name }))
          : [{ row: e.entrant.row, ...registration(e.entrant) }],
      );
      return {
        refusedRows: refusedRows(parsed, decided.rejected),
        accepted: rows.length,
        ...(team ? { teams: decided.accepted.length } : {}),
        rejected: decided.rejected,
        routings: decided.routings,
        rows,
      };
    },

    /** What importJudges would register and refuse, row by row; nothing is saved. */
    async previewJudges(competitionId: string, body: ImportRequest, locale: Locale): Promise<ImportPreview> {
      await findCompetition(writer.db, competitionId);
      const parsed = await parseImport(body, JUDGE_COLUMNS);
      const checked = validateJudges(parsed, locale);
      return {
        refusedRows: refusedRows(parsed, checked.rejected),
        accepted: checked.accepted.length,
        rejected: checked.rejected,
        rows: checked.accepted.map(({ row, name, unit, region }) => ({ row, name, unit, region })),
      };
    },

    /** Imports the judges of a competition: see the module comment. */
    async importJudges(
      principal: Principal,
      competitionId: string,
      body: ImportRequest,
      locale: Locale,
    ): Promise<ImportReport> {
      const checked = validateJudges(await parseImport(body, JUDGE_COLUMNS), locale);
      return storeJudges(writer, principal, { competitionId, format: body.format }, checked);
    },
  };
}
