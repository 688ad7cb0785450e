import { useTranslation } from 'react-i18next';
import { exportsApi } from '../common/api/endpoints';
import { download } from '../common/api/http';
import { Status } from '../common/ui/Status';
import { useCompetitionId, useEvents, useStaffMutation } from './data';
import { Problem } from './Shell';
import { saveFile } from './saveFile';

/** Downloads an export with the staff token and saves it under the server's file name; the name is the result. */
export function useExportDownload() {
  return useStaffMutation(async (path: string, o) => {
    const file = await download(path, o);
    saveFile(file.blob, file.name);
    return file.name;
  }, []);
}

/**
 * The official exports, made by the server: the competition's results (XLSX, CSV, a printable PDF) and per
 * event the marks file with its scheme, so anyone can recompute the results offline. A file is fetched with
 * the staff token (an unpublished one carries the draft watermark, for the organizer and chief judge only).
 */
export function ExportsPage() {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const events = useEvents();
  const fetchFile = useExportDownload();
  const link = (path: string, label: string) => (
    <button type="button" className="button" onClick={() => fetchFile.mutate(path)} data-path={path}>
      {label}
    </button>
  );
  return (
    <>
      <section className="organizer-card">
        <h2>{t('exports.results')}</h2>
        <p className="muted small">{t('exports.resultsHint')}</p>
        <div className="form-row">
          {link(exportsApi.competition(competitionId, 'xlsx'), t('exports.xlsx'))}
          {link(exportsApi.competition(competitionId, 'csv'), t('exports.csv'))}
          {link(exportsApi.competition(competitionId, 'pdf'), t('exports.pdf'))}
        </div>
      </section>
      <section className="organizer-card">
        <h2>{t('exports.marks')}</h2>
        <p className="muted small">{t('exports.marksHint')}</p>
        <Status query={events} />
        <table className="org-table">
          <tbody>
            {events.data?.map((event) => (
              <tr key={event.id}>
                <td>{event.name}</td>
                <td className="actions-cell">
                  {link(exportsApi.event(competitionId, event.id, 'results.xlsx'), t('exports.xlsx'))}
                  {link(exportsApi.event(competitionId, event.id, 'results.pdf'), t('exports.pdf'))}
                  {link(exportsApi.event(competitionId, event.id, 'marks.csv'), t('exports.marksCsv'))}
                  {link(exportsApi.event(competitionId, event.id, 'scheme.json'), t('exports.schemeJson'))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {fetchFile.isPending && <p className="status">{t('exports.working')}</p>}
      {fetchFile.data && !fetchFile.isPending && (
        <p className="status ok" role="status">
          {t('exports.saved', { name: fetchFile.data })}
        </p>
      )}
      <Problem error={fetchFile.error} />
    </>
  );
}
