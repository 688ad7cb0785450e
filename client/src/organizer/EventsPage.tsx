import type { EventSummary, FieldError, Scheme } from '@jiangxin/shared';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setupApi, toolsApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { Status } from '../common/ui/Status';
import { useCompetitionId, useEvent, useEvents, useStaffMutation, useStaffQuery } from './data';
import { refusedField } from './forms';
import { RoundState } from './RoundState';
import { FieldProblem, Problem } from './Shell';
import {
  checkDraft,
  editableFields,
  otherProblems,
  problemsAt,
  type SchemeDraft,
  sheetColumns,
  valueAt,
  withValue,
} from './schemeEdit';

/** The competition's events with their rounds, and a new event from a template, its scheme adjusted. */
export function EventsPage() {
  const { t } = useTranslation('organizer');
  const events = useEvents();
  return (
    <>
      <section className="organizer-card">
        <h2>{t('events.title')}</h2>
        <Status query={events} />
        {events.data?.length === 0 && <p className="muted">{t('events.none')}</p>}
        {events.data && events.data.length > 0 && (
          <table className="org-table" data-testid="events">
            <thead>
              <tr>
                <th>{t('events.name')}</th>
                <th>{t('events.scheme')}</th>
                <th>{t('events.rounds')}</th>
              </tr>
            </thead>
            <tbody>
              {events.data.map((event) => (
                <EventRow key={event.id} event={event} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <AddEvent />
    </>
  );
}

function EventRow({ event }: { event: EventSummary }) {
  const detail = useEvent(event.id);
  return (
    <tr data-testid={`event-${event.id}`}>
      <td>{event.name}</td>
      <td>{event.schemeName}</td>
      <td>
        {detail.data?.rounds.map((round) => (
          <span key={round.id} className="round-tag">
            {round.name ?? round.key} <RoundState round={round} />
          </span>
        ))}
      </td>
    </tr>
  );
}

function AddEvent() {
  const { t } = useTranslation('organizer');
  const { pick } = useI18n();
  const competitionId = useCompetitionId();
  const templates = useStaffQuery(['templates'], (o) => toolsApi.templates(o));
  const [name, setName] = useState('');
  const [template, setTemplate] = useState('');
  const [draft, setDraft] = useState<SchemeDraft | null>(null);
  const [edited, setEdited] = useState(false);
  const loadTemplate = useStaffMutation((chosen: string, o) => toolsApi.template(chosen, o), []);
  const create = useStaffMutation(
    (body: { name: string; scheme: string | SchemeDraft }, o) => setupApi.createEvent(competitionId, body, o),
    [['events', competitionId]],
  );
  const checked = useMemo(() => (draft ? checkDraft(draft) : null), [draft]);
  const choose = (chosen: string) => {
    setTemplate(chosen);
    setDraft(null);
    setEdited(false);
    if (chosen)
      loadTemplate.mutate(chosen, {
        onSuccess: (scheme) => setDraft(JSON.parse(JSON.stringify(scheme)) as SchemeDraft),
      });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft || !checked?.ok) return;
    // An unchanged template is sent by name, so the event records which template it came from.
    create.mutate(
      { name: name.trim(), scheme: edited ? draft : template },
      {
        onSuccess: () => {
          setName('');
          choose('');
        },
      },
    );
  };
  const nameProblem = refusedField(create.error) === 'name' ? create.error?.message : undefined;
  return (
    <form className="organizer-card" onSubmit={submit} data-testid="add-event">
      <h2>{t('events.add')}</h2>
      <div className="form-row">
        <label className={`field${nameProblem ? ' invalid' : ''}`}>
          <span>{t('events.name')}</span>
          <input name="eventName" value={name} onChange={(e) => setName(e.target.value)} required />
          <FieldProblem message={nameProblem} />
        </label>
        <label className="field">
          <span>{t('events.template')}</span>
          <select name="template" value={template} onChange={(e) => choose(e.target.value)}>
            <option value="">{t('events.chooseTemplate')}</option>
            {templates.data?.map((tpl) => (
              <option key={tpl.name} value={tpl.name}>
                {pick(tpl.title, tpl.titleEn)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Problem error={loadTemplate.error} />
      {draft && checked && (
        <div className="scheme-layout">
          <SchemeEditor
            draft={draft}
            errors={checked.ok ? [] : checked.errors}
            onChange={(next) => {
              setDraft(next);
              setEdited(true);
            }}
          />
          {checked.ok && <ScoreSheet scheme={checked.scheme} />}
        </div>
      )}
      {create.error && !nameProblem && <Problem error={create.error} />}
      <button
        type="submit"
        className="button primary"
        disabled={!draft || !checked?.ok || name.trim() === '' || create.isPending}
      >
        {t('events.addSubmit')}
      </button>
    </form>
  );
}

/** The fields an organizer adjusts, each with the engine's problems beside it; the rest listed below. */
function SchemeEditor({
  draft,
  errors,
  onChange,
}: {
  draft: SchemeDraft;
  errors: FieldError[];
  onChange: (next: SchemeDraft) => void;
}) {
  const { t } = useTranslation('organizer');
  const groups = editableFields(draft);
  const shown = groups.flatMap((g) => g.fields.map((f) => f.path));
  const others = otherProblems(errors, shown);
  return (
    <fieldset className="scheme-editor" data-testid="scheme-editor" data-valid={errors.length === 0}>
      <legend>{t('scheme.adjust')}</legend>
      {groups.map((group) => (
        <div key={group.path || 'scheme'} className="scheme-group">
          <h4>
            {group.path === ''
              ? t('scheme.whole')
              : t('scheme.aspect', { name: String(valueAt(draft, `${group.path}.name`) ?? group.path) })}
          </h4>
          <div className="scheme-fields">
            {group.fields.map((field) => {
              const problems = problemsAt(errors, field.path);
              const value = valueAt(draft, field.path);
              return (
                <label key={field.path} className={`field${problems.length > 0 ? ' invalid' : ''}`}>
                  <span>{t(`scheme.${field.label}`)}</span>
                  <input
                    data-path={field.path}
                    value={value === undefined || value === null ? '' : String(value)}
                    inputMode={field.numeric ? 'numeric' : undefined}
                    aria-invalid={problems.length > 0 ? true : undefined}
                    onChange={(e) => {
                      const text = e.target.value;
                      const next = field.numeric && /^-?\d+$/.test(text.trim()) ? Number(text) : text;
                      onChange(withValue(draft, field.path, next));
                    }}
                  />
                  {problems.map((p) => (
                    <FieldProblem key={p.path + p.message} message={p.message} />
                  ))}
                </label>
              );
            })}
          </div>
        </div>
      ))}
      {others.length > 0 && (
        <ul className="problems" role="alert">
          {others.map((p) => (
            <li key={p.path + p.message}>
              <code>{p.path}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      {errors.length === 0 ? (
        <p className="ok small">{t('scheme.valid')}</p>
      ) : (
        <p className="status error small">{t('scheme.invalid', { count: errors.length })}</p>
      )}
    </fieldset>
  );
}

/**
 * The scheme as the paper score sheet a judge fills in: a row an aspect with its full mark, step and panel,
 * and a column for each workstation (three shown), the judge's signature at the foot.
 */
export function ScoreSheet({ scheme }: { scheme: Scheme }) {
  const { t } = useTranslation('organizer');
  const { pick } = useI18n();
  const columns = sheetColumns(scheme);
  const blanks = [1, 2, 3];
  return (
    <figure className="score-sheet" data-testid="score-sheet">
      <figcaption>
        <strong>{pick(scheme.name, scheme.nameEn)}</strong> · {t('sheet.caption')}
      </figcaption>
      <table className="org-table">
        <thead>
          <tr>
            <th>{t('sheet.aspect')}</th>
            <th>{t('sheet.rule')}</th>
            {blanks.map((n) => (
              <th key={n} className="blank">
                {t('sheet.workstation')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr key={`${c.component}-${c.id}`}>
              <td>
                <span className="muted small">{pick(c.component, c.componentEn)}</span>{' '}
                {pick(c.name, c.nameEn)}
              </td>
              <td className="small nowrap">
                {[
                  c.max ? t('sheet.max', { max: c.max }) : t(`sheet.kind.${c.kind}`),
                  c.step ? t('sheet.step', { step: c.step }) : null,
                  c.panel > 1 ? t('sheet.panel', { count: c.panel }) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </td>
              {blanks.map((n) => (
                <td key={n} className="blank" />
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={2}>{t('sheet.signature')}</td>
            {blanks.map((n) => (
              <td key={n} className="blank" />
            ))}
          </tr>
        </tfoot>
      </table>
    </figure>
  );
}
