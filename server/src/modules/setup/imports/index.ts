import type { ImportPreview, ImportRejection, ImportReport, ImportRequest } from '@jiangxin/shared';
import type { Principal } from '../../../plugins/auth';
import type { Locale } from '../../../plugins/errors';
import type { SetupDeps } from '../common';
import { findCompetition, findEvent } from '../repository';
import { type ParsedImport, parseImport } from './parse';
import { decideCompetitors, registration, storeCompetitors, storeJudges } from './store';
import { COMPETITOR_COLUMNS, JUDGE_COLUMNS, validateCompetitors, validateJudges } from './validate';

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
  return {
    /** Imports the competitors of an event: see the module comment. */
    async importCompetitors(
      principal: Principal,
      ids: { competitionId: string; eventId: string },
      body: ImportRequest,
      locale: Locale,
    ): Promise<ImportReport> {
      const event = await findEvent(writer.db, ids.competitionId, ids.eventId);
      const checked = validateCompetitors(hmac, await parseImport(body, COMPETITOR_COLUMNS), locale);
      const target = { competitionId: ids.competitionId, eventId: event.id, format: body.format };
      return storeCompetitors(writer, principal, target, checked, locale);
    },

    /** What importCompetitors would register and refuse, row by row; nothing is saved. */
    async previewCompetitors(
      ids: { competitionId: string; eventId: string },
      body: ImportRequest,
      locale: Locale,
    ): Promise<ImportPreview> {
      const event = await findEvent(writer.db, ids.competitionId, ids.eventId);
      const parsed = await parseImport(body, COMPETITOR_COLUMNS);
      const checked = validateCompetitors(hmac, parsed, locale);
      const target = { competitionId: ids.competitionId, eventId: event.id };
      const decided = await decideCompetitors(writer.db, target, checked, locale);
      return {
        refusedRows: refusedRows(parsed, decided.rejected),
        accepted: decided.accepted.length,
        rejected: decided.rejected,
        routings: decided.routings,
        rows: decided.accepted.map((c) => ({ row: c.row, ...registration(c) })),
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
