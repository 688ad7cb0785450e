import type { ImportReport, ImportRequest } from '@jiangxin/shared';
import type { Principal } from '../../../plugins/auth';
import type { Locale } from '../../../plugins/errors';
import type { SetupDeps } from '../common';
import { findEvent } from '../repository';
import { parseImport } from './parse';
import { storeCompetitors, storeJudges } from './store';
import { COMPETITOR_COLUMNS, JUDGE_COLUMNS, validateCompetitors, validateJudges } from './validate';

/**
 * Imports of competitors and judges from CSV or XLSX (报名表), in three steps: the file is parsed into
 * records (parse.ts), every record is checked (validate.ts), and the good rows are registered in one
 * transaction with one audit entry (store.ts). Every problem of every bad row is reported with its
 * spreadsheet row number, in the caller's language.
 */

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
