import type { LineReport, Scheme, VerifyResponse } from '@jiangxin/shared';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { toolsApi } from '../common/api/endpoints';
import { ApiError } from '../common/api/http';
import { useI18n } from '../common/i18n';
import { StandingsTable } from '../common/ui/StandingsTable';
import { Status } from '../common/ui/Status';

type Outcome =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; result: VerifyResponse; scheme: Scheme | null }
  | { kind: 'badLines'; lines: LineReport[]; count: number }
  | { kind: 'failed'; message: string };

/** 成绩复核: recompute standings from a marks file with a template, or list its bad lines. */
export function VerifyResults() {
  const { t, pick } = useI18n();
  const ids = { template: useId(), marks: useId(), file: useId() };
  const templates = useQuery({
    queryKey: ['templates'],
    queryFn: ({ signal }) => toolsApi.templates({ signal }),
  });
  const [template, setTemplate] = useState('diving');
  const [marksCsv, setMarksCsv] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (marksCsv.trim() === '') {
      setOutcome({ kind: 'failed', message: t('verify.empty') });
      return;
    }
    setOutcome({ kind: 'working' });
    try {
      const result = await toolsApi.verify({ scheme: template, marksCsv });
      const scheme = await toolsApi.template(template).catch(() => null);
      setOutcome({ kind: 'done', result, scheme });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'marks_invalid') {
        setOutcome({ kind: 'badLines', lines: error.lines, count: error.errorCount });
      } else {
        setOutcome({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  async function upload(file: File | undefined) {
    if (!file) return;
    setMarksCsv(await file.text());
    setOutcome({ kind: 'idle' });
  }

  async function loadSample() {
    try {
      setMarksCsv(await toolsApi.demoMarks());
      setTemplate('diving');
      setOutcome({ kind: 'idle' });
    } catch (error) {
      setOutcome({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  if (!templates.data) return <Status query={templates} />;
  return (
    <section className="panel">
      <p>{t('verify.intro')}</p>
      <form className="verify" onSubmit={submit}>
        <label htmlFor={ids.template}>{t('verify.template')}</label>
        <select id={ids.template} value={template} onChange={(e) => setTemplate(e.target.value)}>
          {templates.data.map((tpl) => (
            <option key={tpl.name} value={tpl.name}>
              {pick(tpl.title, tpl.titleEn)} ({tpl.name})
            </option>
          ))}
        </select>
        <label htmlFor={ids.marks}>{t('verify.marks')}</label>
        <p className="muted small">{t('verify.columns')}</p>
        <textarea
          id={ids.marks}
          value={marksCsv}
          onChange={(e) => setMarksCsv(e.target.value)}
          rows={10}
          spellCheck={false}
          placeholder="event,round,competitor,item,judge,mark,difficulty"
        />
        <div className="actions">
          <label className="button secondary" htmlFor={ids.file}>
            {t('verify.upload')}
          </label>
          <input
            id={ids.file}
            className="visually-hidden"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => upload(e.target.files?.[0])}
          />
          <button type="button" className="button secondary" onClick={loadSample}>
            {t('verify.sample')}
          </button>
          <button type="submit" className="button primary" disabled={outcome.kind === 'working'}>
            {outcome.kind === 'working' ? t('verify.working') : t('verify.submit')}
          </button>
        </div>
      </form>
      <OutcomeView outcome={outcome} />
    </section>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  const { t } = useI18n();
  switch (outcome.kind) {
    case 'idle':
    case 'working':
      return null;
    case 'failed':
      return (
        <p className="status error" role="alert">
          {outcome.message}
        </p>
      );
    case 'badLines':
      return (
        <div className="line-errors" role="alert" data-testid="line-errors">
          <p>{t('verify.badLines', { count: outcome.count })}</p>
          <ul>
            {outcome.lines.map((e) => (
              <li key={`${e.line}:${e.message}`}>
                <strong>{t('verify.line', { line: e.line })}</strong>: {e.message}
              </li>
            ))}
          </ul>
          {outcome.count > outcome.lines.length && (
            <p>{t('verify.moreLines', { count: outcome.count - outcome.lines.length })}</p>
          )}
        </div>
      );
    case 'done':
      if (outcome.result.events.length === 0) return <p className="status">{t('verify.noEvents')}</p>;
      return (
        <div data-testid="verify-result">
          <h3>{t('verify.result')}</h3>
          {outcome.result.events.map((event) => (
            <StandingsTable
              key={event.event}
              event={event}
              scheme={outcome.scheme}
              caption={t('standings.event', { event: event.event })}
            />
          ))}
        </div>
      );
  }
}
