import type { Role, RoundView } from '@jiangxin/shared';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { setupApi } from '../common/api/endpoints';
import { asStaff } from '../common/session/staff';
import { Status } from '../common/ui/Status';
import { Shell } from './Shell';

/** The roles this console serves. */
export const consoleRoles: readonly Role[] = ['chiefJudge', 'scorekeeper'];

function RoleChips({ roles }: { roles: readonly Role[] }) {
  const { t } = useTranslation('chief');
  return (
    <span className="chips">
      {roles
        .filter((r) => r === 'chiefJudge' || r === 'scorekeeper')
        .map((r) => (
          <span key={r} className="chip">
            {t(`role.${r as 'chiefJudge' | 'scorekeeper'}`)}
          </span>
        ))}
    </span>
  );
}

/** The competitions where the account is chief judge or scorekeeper. */
export function CompetitionPicker() {
  const { t } = useTranslation('chief');
  const query = useQuery({
    queryKey: ['chief', 'competitions'],
    queryFn: () => asStaff((token) => setupApi.competitions({ token })),
  });
  const mine = (query.data ?? []).filter((c) => c.roles.some((r) => consoleRoles.includes(r)));
  return (
    <Shell title={t('chief.title')}>
      <section className="chief-card">
        <h2>{t('pick.competitions')}</h2>
        <Status query={query} />
        {query.data && mine.length === 0 && <p className="muted">{t('pick.noCompetitions')}</p>}
        <ul className="pick-list">
          {mine.map((c) => (
            <li key={c.id}>
              <Link to={`/chief/${c.id}`} className="pick" data-testid={`competition-${c.id}`}>
                <strong>{c.name}</strong>
                <span className="muted small">
                  {t('pick.dates', { from: c.startsOn, to: c.endsOn, venue: c.venue })}
                </span>
                <RoleChips roles={c.roles} />
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </Shell>
  );
}

export function RoundStatusChip({
  round,
}: {
  round: Pick<RoundView, 'signedOffAt' | 'publishedAt' | 'decryptedAt'>;
}) {
  const { t } = useTranslation('chief');
  const key = round.publishedAt
    ? 'round.published'
    : round.decryptedAt
      ? 'round.decrypted'
      : round.signedOffAt
        ? 'round.signedOff'
        : 'round.open';
  return <span className={`chip ${round.signedOffAt ? 'locked' : 'open'}`}>{t(key)}</span>;
}

/** The events of a competition, each with its rounds. */
export function RoundPicker() {
  const { t } = useTranslation('chief');
  const { competitionId = '' } = useParams();
  const competition = useQuery({
    queryKey: ['chief', 'competition', competitionId],
    queryFn: () => asStaff((token) => setupApi.competition(competitionId, { token })),
  });
  const events = useQuery({
    queryKey: ['chief', 'events', competitionId],
    queryFn: () => asStaff((token) => setupApi.events(competitionId, { token })),
  });
  const views = useQueries({
    queries: (events.data ?? []).map((e) => ({
      queryKey: ['chief', 'event', competitionId, e.id],
      queryFn: () => asStaff((token) => setupApi.event(competitionId, e.id, { token })),
    })),
  });
  return (
    <Shell title={competition.data?.name ?? t('chief.title')} back="/chief">
      <section className="chief-card">
        <h2>{t('pick.events')}</h2>
        {competition.data && <RoleChips roles={competition.data.roles} />}
        <Status query={events} />
        {events.data?.length === 0 && <p className="muted">{t('pick.noEvents')}</p>}
        {(events.data ?? []).map((event, i) => {
          const view = views[i]?.data;
          return (
            <div key={event.id} className="pick-event">
              <h3>{event.name}</h3>
              <p className="muted small">{event.schemeName}</p>
              {view && view.rounds.length === 0 && <p className="muted">{t('pick.noRounds')}</p>}
              <ul className="pick-list rounds">
                {(view?.rounds ?? []).map((round) => (
                  <li key={round.id}>
                    <Link
                      to={`/chief/${competitionId}/${event.id}/${round.id}`}
                      className="pick"
                      data-testid={`round-${round.id}`}
                    >
                      <strong>{t('pick.round', { round: round.name ?? round.key })}</strong>
                      <RoundStatusChip round={round} />
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </section>
    </Shell>
  );
}
