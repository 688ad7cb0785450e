import { type CompetitionView, competitionGrades, competitionLevels } from '@jiangxin/shared';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { setupApi } from '../common/api/endpoints';
import { useSession } from '../common/session/session';
import { staffSession } from '../common/session/staff';
import { Status } from '../common/ui/Status';
import { useStaffMutation, useStaffQuery } from './data';
import { type CompetitionDraft, competitionProblems, refusedField } from './forms';
import { FieldProblem, Problem, Shell } from './Shell';

const EMPTY: CompetitionDraft = {
  name: '',
  level: 'city',
  grade: null,
  organizer: '',
  venue: '',
  startsOn: '',
  endsOn: '',
  recusalByRegion: false,
  openScoring: false,
};

/** The competitions the account belongs to, and a new one (an organizer account). */
export function CompetitionsPage() {
  const { t } = useTranslation('organizer');
  const session = useSession(staffSession);
  const competitions = useStaffQuery(['competitions'], (o) => setupApi.competitions(o));
  return (
    <Shell title={t('title')}>
      <section className="organizer-card">
        <h2>{t('competitions.title')}</h2>
        <Status query={competitions} />
        {competitions.data && competitions.data.length === 0 && (
          <p className="muted">{t('competitions.none')}</p>
        )}
        {competitions.data && competitions.data.length > 0 && <CompetitionTable list={competitions.data} />}
      </section>
      {session?.data.account.organizer && <CreateCompetition />}
    </Shell>
  );
}

function CompetitionTable({ list }: { list: CompetitionView[] }) {
  const { t } = useTranslation('organizer');
  return (
    <table className="org-table">
      <thead>
        <tr>
          <th>{t('competition.name')}</th>
          <th>{t('competition.level')}</th>
          <th>{t('competition.dates')}</th>
          <th>{t('competition.venue')}</th>
          <th>{t('competition.roles')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((c) => (
          <tr key={c.id}>
            <td>
              <Link to={`/organizer/${c.id}`} data-testid={`competition-${c.id}`}>
                {c.name}
              </Link>
            </td>
            <td>
              {t(`level.${c.level}`)}
              {c.grade && ` · ${t(`grade.${c.grade}`)}`}
            </td>
            <td className="nowrap">
              {c.startsOn} – {c.endsOn}
            </td>
            <td>{c.venue}</td>
            <td>{c.roles.map((r) => t(`role.${r}`)).join('、')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A label, its control and the problem next to it. */
function Field({
  label,
  problem,
  children,
}: {
  label: string;
  problem?: string;
  children: (id: string, problemId: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`field${problem ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, `${id}-problem`)}
      <FieldProblem message={problem} id={`${id}-problem`} />
    </div>
  );
}

function CreateCompetition() {
  const { t } = useTranslation('organizer');
  const navigate = useNavigate();
  const [draft, setDraft] = useState(EMPTY);
  const [shown, setShown] = useState(false);
  const create = useStaffMutation(
    (body: CompetitionDraft, o) => setupApi.createCompetition(body, o),
    [['competitions']],
  );
  const problems = shown ? competitionProblems(draft) : {};
  const refused = refusedField(create.error);
  const problemOf = (field: keyof CompetitionDraft) =>
    problems[field] ? t(`form.${problems[field]}`) : refused === field ? create.error?.message : undefined;
  const set = <K extends keyof CompetitionDraft>(field: K, value: CompetitionDraft[K]) =>
    setDraft((held) => ({ ...held, [field]: value }));
  const text = (field: 'name' | 'organizer' | 'venue' | 'startsOn' | 'endsOn', type = 'text') => (
    <Field label={t(`competition.${field}`)} problem={problemOf(field)}>
      {(id, problemId) => (
        <input
          id={id}
          aria-describedby={problemOf(field) ? problemId : undefined}
          type={type}
          name={field}
          value={draft[field]}
          aria-invalid={problemOf(field) ? true : undefined}
          onChange={(e) => set(field, e.target.value)}
        />
      )}
    </Field>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setShown(true);
    if (Object.keys(competitionProblems(draft)).length > 0) return;
    create.mutate(draft, { onSuccess: (created) => navigate(`/organizer/${created.id}`) });
  };
  return (
    <form className="organizer-card form-grid" onSubmit={submit} noValidate data-testid="create-competition">
      <h2>{t('competitions.create')}</h2>
      {text('name')}
      <Field label={t('competition.level')}>
        {(id) => (
          <select
            id={id}
            name="level"
            value={draft.level}
            onChange={(e) => set('level', e.target.value as typeof draft.level)}
          >
            {competitionLevels.map((level) => (
              <option key={level} value={level}>
                {t(`level.${level}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('competition.grade')}>
        {(id) => (
          <select
            id={id}
            name="grade"
            value={draft.grade ?? ''}
            onChange={(e) => set('grade', (e.target.value || null) as typeof draft.grade)}
          >
            <option value="">{t('grade.none')}</option>
            {competitionGrades.map((grade) => (
              <option key={grade} value={grade}>
                {t(`grade.${grade}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {text('organizer')}
      {text('venue')}
      {text('startsOn', 'date')}
      {text('endsOn', 'date')}
      <label className="check wide">
        <input
          type="checkbox"
          checked={draft.recusalByRegion}
          onChange={(e) => set('recusalByRegion', e.target.checked)}
        />
        {t('competition.recusalByRegion')}
      </label>
      <label className="check wide">
        <input
          type="checkbox"
          checked={draft.openScoring}
          onChange={(e) => set('openScoring', e.target.checked)}
        />
        {t('competition.openScoring')}
      </label>
      <div className="wide">
        {create.error && !refused && <Problem error={create.error} />}
        <button type="submit" className="button primary" disabled={create.isPending}>
          {t('competitions.createSubmit')}
        </button>
      </div>
    </form>
  );
}
