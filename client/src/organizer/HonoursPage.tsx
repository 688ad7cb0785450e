import {
  finalRecommendation,
  type HonourListCandidate,
  type HonoursListResponse,
  type Localized,
} from '@jiangxin/shared';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { exportsApi, honoursApi, membersApi } from '../common/api/endpoints';
import { ApiError } from '../common/api/http';
import { useI18n } from '../common/i18n';
import { Status } from '../common/ui/Status';
import { useCompetitionId, useStaffMutation, useStaffQuery } from './data';
import { useExportDownload } from './ExportsPage';
import {
  fieldText,
  honourSections,
  problemsByPath,
  type RuleField,
  ruleFields,
  ruleProblems,
  warningsOf,
  withField,
} from './honoursEdit';
import { FieldProblem, Problem } from './Shell';
import type { SchemeDraft } from './schemeEdit';

/**
 * 荣誉推荐: the rule set (a template, its figures edited with the problems beside them), the recommendation
 * list per honour with every condition and its figure, what the organizer must decide (ties at a quota,
 * share rules, overrides set aside), overrides with a reason, publication and the XLSX / PDF downloads.
 */
export function HonoursPage() {
  return (
    <>
      <RulesCard />
      <ListCard />
    </>
  );
}

const rulesKey = (competitionId: string) => ['honours', competitionId];

function RulesCard() {
  const { t } = useTranslation('organizer');
  const { pick } = useI18n();
  const competitionId = useCompetitionId();
  const rules = useStaffQuery([...rulesKey(competitionId), 'rules'], (o) =>
    honoursApi.rules(competitionId, o),
  );
  const templates = useStaffQuery(['honour-templates'], (o) => honoursApi.templates(o));
  const [template, setTemplate] = useState('');
  const [draft, setDraft] = useState<SchemeDraft | null>(null);
  const put = useStaffMutation(
    (body: { rules: string | SchemeDraft }, o) => honoursApi.putRules(competitionId, body, o),
    [rulesKey(competitionId)],
  );
  useEffect(() => {
    if (!rules.data) return;
    setTemplate(rules.data.template ?? rules.data.defaultTemplate ?? '');
    setDraft(rules.data.rules ? (structuredClone(rules.data.rules) as unknown as SchemeDraft) : null);
  }, [rules.data]);
  const problems = useMemo(() => (draft ? ruleProblems(draft) : new Map<string, string>()), [draft]);
  // The server checks with the same parseHonourRules; a refusal naming a field shows beside it too.
  const serverProblems = useMemo(() => {
    const error = put.error instanceof ApiError && put.error.field ? put.error : null;
    return problemsByPath(error ? [{ path: error.field ?? '', message: error.message }] : []);
  }, [put.error]);

  if (!rules.data) return <Status query={rules} />;
  const chosen = templates.data?.find((x) => x.name === template);
  return (
    <section className="organizer-card" data-testid="honour-rules">
      <h2>{t('honours.rules')}</h2>
      <p className="muted small">
        {t('honours.rulesState', {
          class: rules.data.competitionClass ?? t('honours.noClass'),
          state: rules.data.stored ? t('honours.stored') : t('honours.default'),
        })}
      </p>
      <div className="form-row">
        <label>
          {t('honours.template')}
          <select
            value={template}
            onChange={(e) => setTemplate(e.target.value)}
            data-testid="honour-template"
          >
            {!template && <option value="">—</option>}
            {templates.data?.map((x) => (
              <option key={x.name} value={x.name}>
                {pick(x.title, x.titleEn)} ({x.name})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="button"
          disabled={!template || put.isPending}
          onClick={() => put.mutate({ rules: template })}
        >
          {t('honours.useTemplate')}
        </button>
      </div>
      {chosen && <p className="muted small">{chosen.source}</p>}
      {draft && (
        <form
          className="honour-rule-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            if (problems.size === 0) put.mutate({ rules: draft });
          }}
        >
          {ruleFields(draft).map((group) => (
            <fieldset key={group.key}>
              <legend>{group.key === 'listRules' ? t('honours.listRules') : group.title}</legend>
              <FieldProblem message={problems.get(group.key) ?? serverProblems.get(group.key)} />
              {group.fields.map((field) => (
                <RuleInput
                  key={field.path}
                  field={field}
                  value={fieldText(draft, field.path)}
                  problem={problems.get(field.path) ?? serverProblems.get(field.path)}
                  onChange={(text) => setDraft(withField(draft, field, text))}
                />
              ))}
            </fieldset>
          ))}
          <FieldProblem message={problems.get('')} />
          <div className="form-row">
            <button type="submit" className="button primary" disabled={problems.size > 0 || put.isPending}>
              {t('honours.saveRules')}
            </button>
            {put.isSuccess && (
              <span className="status ok" role="status">
                {t('honours.rulesSaved')}
              </span>
            )}
          </div>
        </form>
      )}
      <Problem error={put.error} />
    </section>
  );
}

function RuleInput(props: {
  field: RuleField;
  value: string;
  problem?: string;
  onChange: (text: string) => void;
}) {
  const { t } = useTranslation('organizer');
  const { field } = props;
  const id = `rule-${field.path.replaceAll('.', '-')}`;
  return (
    <label className="rule-field">
      <span>
        {t(`honours.field.${field.label}`, {
          detail:
            field.detail === 'frontline' || field.detail === 'unitHead'
              ? t(`honours.rule.${field.detail}`)
              : (field.detail ?? ''),
        })}
        {field.parameter && <span className="muted small"> {t('honours.parameter')}</span>}
      </span>
      <input
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        inputMode={field.whole ? 'numeric' : 'decimal'}
        aria-invalid={props.problem ? true : undefined}
        aria-describedby={props.problem ? `${id}-problem` : undefined}
        data-testid={id}
      />
      <FieldProblem message={props.problem} id={`${id}-problem`} />
    </label>
  );
}

function ListCard() {
  const { t } = useTranslation('organizer');
  const { pick, locale } = useI18n();
  const competitionId = useCompetitionId();
  const list = useStaffQuery([...rulesKey(competitionId), 'list'], (o) => honoursApi.list(competitionId, o));
  const members = useStaffQuery(['members', competitionId], (o) => membersApi.list(competitionId, o));
  const publish = useStaffMutation(
    (_: null, o) => honoursApi.publish(competitionId, o),
    [rulesKey(competitionId)],
  );
  const download = useExportDownload();
  const who = (by: string | undefined) => {
    const id = by?.replace(/^account:/, '');
    return members.data?.members.find((m) => m.accountId === id)?.displayName ?? by ?? '';
  };
  const data = list.data;
  return (
    <section className="organizer-card" data-testid="honour-list" data-hash={data?.hash ?? ''}>
      <h2>{t('honours.list')}</h2>
      <div className="form-row">
        <button type="button" className="button" onClick={() => list.refetch()} data-testid="honours-reload">
          {t('honours.reload')}
        </button>
        {(['xlsx', 'pdf'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button"
            onClick={() => download.mutate(exportsApi.honours(competitionId, format))}
            data-path={exportsApi.honours(competitionId, format)}
          >
            {t(format === 'xlsx' ? 'honours.xlsx' : 'honours.pdf')}
          </button>
        ))}
        {data && !data.publishedAt && (
          <button
            type="button"
            className="button primary"
            disabled={publish.isPending}
            onClick={() => publish.mutate(null)}
            data-testid="honours-publish"
          >
            {t('honours.publish')}
          </button>
        )}
        {data?.publishedAt && (
          <span className="status ok" data-testid="honours-published">
            {t('honours.published', { at: new Date(data.publishedAt).toLocaleString(locale) })}
          </span>
        )}
      </div>
      {download.isPending && <p className="status">{t('exports.working')}</p>}
      {download.data && !download.isPending && (
        <p className="status ok" role="status">
          {t('exports.saved', { name: download.data })}
        </p>
      )}
      <Problem error={download.error ?? publish.error} />
      <Status query={list} />
      {data && (
        <>
          <p className="muted small" data-testid="honours-recorded">
            {t('honours.recorded', { version: data.recorded.version, hash: data.hash.slice(0, 12) })}
            {!data.recorded.current && ` · ${t('honours.notRecorded')}`}
          </p>
          <EventStatuses list={data} />
          <Warnings list={data} />
          {honourSections(data).map((section) => (
            <div key={section.id} className="honour-section" data-testid={`honour-${section.id}`}>
              <h3>
                {pick(section.name, section.nameEn)}{' '}
                <span className="muted small">
                  {t('honours.recommendedCount', {
                    count: section.recommended,
                    of: section.candidates.length,
                  })}
                </span>
              </h3>
              {section.candidates.length === 0 ? (
                <p className="muted small">{t('honours.noCandidates')}</p>
              ) : (
                <table className="org-table honour-table">
                  <thead>
                    <tr>
                      <th>{t('honours.col.place')}</th>
                      <th>{t('honours.col.competitor')}</th>
                      <th>{t('honours.col.unit')}</th>
                      <th>{t('honours.col.event')}</th>
                      <th className="num">{t('honours.col.total')}</th>
                      <th>{t('honours.col.recommended')}</th>
                      <th>{t('honours.col.conditions')}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {section.candidates.map((c) => (
                      <CandidateRow key={`${c.honour}-${c.competitor}`} candidate={c} who={who} />
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          ))}
        </>
      )}
    </section>
  );
}

function EventStatuses({ list }: { list: HonoursListResponse }) {
  const { t } = useTranslation('organizer');
  const waiting = list.events.filter((e) => e.status !== 'computed');
  if (waiting.length === 0) return null;
  return (
    <ul className="honour-events muted small">
      {waiting.map((e) => (
        <li key={e.eventId}>
          {t(
            e.status === 'notDecrypted'
              ? 'honours.event.notDecrypted'
              : e.status === 'noRounds'
                ? 'honours.event.noRounds'
                : 'honours.event.notPublished',
            { event: e.event },
          )}
        </li>
      ))}
    </ul>
  );
}

function Warnings({ list }: { list: HonoursListResponse }) {
  const { t } = useTranslation('organizer');
  const { locale } = useI18n();
  const w = warningsOf(list);
  const text = (f: Localized) => f[locale];
  return (
    <div className="honour-warnings" data-testid="honour-warnings">
      {w.ties.map((tie) => (
        <p key={`${tie.honour}-${tie.event}-${tie.place}`} className="status warning" role="alert">
          {t('honours.tieDecide', { honour: tie.honour, figure: text(tie.figure) })}
        </p>
      ))}
      {w.shared.map((tie) => (
        <p key={`${tie.honour}-${tie.event}-${tie.place}`} className="muted small">
          {t('honours.tieShared', { honour: tie.honour, figure: text(tie.figure) })}
        </p>
      ))}
      {w.listRules.map((r) => (
        <p
          key={r.id}
          className={r.passed ? 'muted small' : 'status warning'}
          role={r.passed ? undefined : 'alert'}
          data-testid={`list-rule-${r.id}`}
        >
          {t(r.passed ? 'honours.ruleOk' : 'honours.ruleBroken', {
            rule: t(`honours.rule.${r.of}`),
            figure: text(r.figure),
          })}
        </p>
      ))}
      {w.setAside.map((o) => (
        <p key={`${o.honour}-${o.competitor}`} className="status warning" role="alert">
          {t('honours.setAside', { honour: o.honour, competitor: o.competitor, reason: o.reason })}
        </p>
      ))}
    </div>
  );
}

function CandidateRow({
  candidate: c,
  who,
}: {
  candidate: HonourListCandidate;
  who: (by?: string) => string;
}) {
  const { t } = useTranslation('organizer');
  const { locale } = useI18n();
  const [deciding, setDeciding] = useState(false);
  const final = finalRecommendation(c);
  const testId = `candidate-${c.honour}-${c.competitor}`;
  return (
    <>
      <tr data-testid={testId} className={final ? 'recommended' : 'not-recommended'}>
        <td className="num">{c.place ?? '—'}</td>
        <td>{c.competitor}</td>
        <td>{c.unit ?? ''}</td>
        <td>{c.event}</td>
        <td className="num">{c.total ?? ''}</td>
        <td data-testid={`${testId}-verdict`}>
          <strong>{final ? t('honours.yes') : t('honours.no')}</strong>
          {c.awarded && <span className="muted small"> → {c.awarded}</span>}
          {c.override && (
            <div className="honour-override small" data-testid={`${testId}-override`}>
              {t('honours.overridden', {
                verdict: c.recommended ? t('honours.yes') : t('honours.no'),
                who: who(c.override.by),
                reason: c.override.reason,
              })}
            </div>
          )}
        </td>
        <td>
          <ul className="conditions">
            {c.conditions.map((x) => (
              <li key={x.id} className={x.passed ? 'passed' : 'failed'} title={x.id}>
                {x.passed ? '✓' : '✗'} {x.figure[locale]}
              </li>
            ))}
          </ul>
        </td>
        <td className="actions-cell">
          {c.recipient === 'unit' || c.competitorId ? (
            <button type="button" className="button small" onClick={() => setDeciding(!deciding)}>
              {t('honours.override')}
            </button>
          ) : null}
        </td>
      </tr>
      {deciding && (
        <tr>
          <td colSpan={8}>
            <OverrideForm candidate={c} done={() => setDeciding(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

function OverrideForm({ candidate: c, done }: { candidate: HonourListCandidate; done: () => void }) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const [recommended, setRecommended] = useState(!finalRecommendation(c));
  const [reason, setReason] = useState('');
  const override = useStaffMutation(
    (_: null, o) =>
      honoursApi.override(
        competitionId,
        {
          honour: c.honour,
          ...(c.recipient === 'unit' ? { unit: c.competitor } : { competitorId: c.competitorId ?? '' }),
          recommended,
          reason,
        },
        o,
      ),
    [rulesKey(competitionId)],
  );
  return (
    <form
      className="honour-override-form"
      data-testid="override-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) override.mutate(null, { onSuccess: done });
      }}
    >
      <fieldset>
        <legend>{t('honours.overrideTitle', { competitor: c.competitor })}</legend>
        <label>
          <input type="radio" checked={recommended} onChange={() => setRecommended(true)} />{' '}
          {t('honours.recommend')}
        </label>
        <label>
          <input type="radio" checked={!recommended} onChange={() => setRecommended(false)} />{' '}
          {t('honours.notRecommend')}
        </label>
        <label className="reason">
          {t('honours.reason')}
          <textarea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            rows={2}
            data-testid="override-reason"
          />
        </label>
        {!reason.trim() && <FieldProblem message={t('honours.reasonNeeded')} />}
        <div className="form-row">
          <button type="submit" className="button primary" disabled={!reason.trim() || override.isPending}>
            {t('honours.confirmOverride')}
          </button>
          <button type="button" className="button" onClick={done}>
            {t('honours.cancel')}
          </button>
        </div>
        <Problem error={override.error} />
      </fieldset>
    </form>
  );
}
