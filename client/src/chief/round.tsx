import type {
  CompetitionView,
  EventView,
  ReviewResponse,
  Role,
  RoundSnapshot,
  RoundView,
  Scheme,
} from '@jiangxin/shared';
import {
  keepPreviousData,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useNavigate, useOutletContext, useParams } from 'react-router';
import { marksApi, setupApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { type GridItem, gridItems } from '../common/live/grid';
import { type LiveRound, useRound } from '../common/live/useRound';
import { useSession } from '../common/session/session';
import { asStaff, staffSession } from '../common/session/staff';
import { Status } from '../common/ui/Status';
import { RoundStatusChip } from './Pickers';
import { Shell } from './Shell';
import { blockerTotal } from './signoff';

/** Everything the round's views share: loaded once by `RoundData`, handed down through the outlet. */
export interface RoundContext {
  competitionId: string;
  eventId: string;
  roundId: string;
  competition: CompetitionView;
  event: EventView;
  round: RoundView;
  scheme: Scheme;
  items: GridItem[];
  workstations: string[];
  roles: Role[];
  isChief: boolean;
  isScorekeeper: boolean;
  /** The round as the live socket last pushed it (chief judge only: the staff audience). */
  live: LiveRound;
  /** The chief judge's review, fetched again whenever the live round's version moves. */
  review: UseQueryResult<ReviewResponse>;
  locked: boolean;
  /** Query keys to refresh after an action. */
  keys: { review: readonly unknown[]; paper: readonly unknown[] };
}

export const useRoundContext = () => useOutletContext<RoundContext>();

/** A value that follows `value` once it stopped changing for `ms` (a burst of marks asks for one review). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const lockedOf = (snapshot: RoundSnapshot | null, review: ReviewResponse | undefined, round: RoundView) =>
  snapshot?.status.signedOff ?? (review ? review.round.signedOffAt !== null : round.signedOffAt !== null);

/** Loads the competition, event and round, follows the round live, and renders the view chosen. */
export function RoundData() {
  const { competitionId = '', eventId = '', roundId = '' } = useParams();
  const session = useSession(staffSession);
  const competition = useQuery({
    queryKey: ['chief', 'competition', competitionId],
    queryFn: () => asStaff((token) => setupApi.competition(competitionId, { token })),
  });
  const event = useQuery({
    queryKey: ['chief', 'event', competitionId, eventId],
    queryFn: () => asStaff((token) => setupApi.event(competitionId, eventId, { token })),
  });
  const workstations = useQuery({
    queryKey: ['chief', 'workstations', competitionId, roundId],
    queryFn: () => asStaff((token) => setupApi.workstations(competitionId, roundId, { token })),
  });
  const roles = competition.data?.roles ?? [];
  const isChief = roles.includes('chiefJudge');
  const isScorekeeper = roles.includes('scorekeeper');
  const ended = useCallback(() => staffSession.clear(), []);
  // Only the staff audience sees an unpublished round: the socket is opened for the chief judge.
  const live = useRound(
    session?.token ?? null,
    isChief ? competitionId : null,
    isChief ? roundId : null,
    ended,
  );
  const version = useSettled(live.snapshot?.version ?? null, 150);
  const reviewKey = ['chief', 'review', competitionId, roundId] as const;
  const review = useQuery({
    queryKey: [...reviewKey, version],
    queryFn: () => asStaff((token) => marksApi.review(competitionId, roundId, { token })),
    enabled: isChief,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const scheme = event.data?.scheme;
  const lines = live.snapshot?.standings;
  const round = event.data?.rounds.find((r) => r.id === roundId);
  const items = useMemo(
    () => (scheme && round ? gridItems(scheme, round.key, lines, review.data?.seats) : []),
    [scheme, round, lines, review.data?.seats],
  );

  const loading = [competition, event, workstations].find((q) => q.status !== 'success');
  if (loading || !competition.data || !event.data || !scheme || !round)
    return (
      <Shell title="" back={`/chief/${competitionId}`}>
        <Status query={loading ?? event} />
      </Shell>
    );
  const context: RoundContext = {
    competitionId,
    eventId,
    roundId,
    competition: competition.data,
    event: event.data,
    round,
    scheme,
    items,
    workstations: workstations.data?.codes ?? [],
    roles,
    isChief,
    isScorekeeper,
    live,
    review,
    locked: lockedOf(live.snapshot, review.data, round),
    keys: { review: reviewKey, paper: ['chief', 'paper', competitionId, roundId] },
  };
  return <Outlet context={context} />;
}

/** The console around a view: the round's title and state, and the tabs the roles allow. */
export function RoundChrome() {
  const { t } = useTranslation('chief');
  const { pick } = useI18n();
  const ctx = useRoundContext();
  const navigate = useNavigate();
  const base = `/chief/${ctx.competitionId}/${ctx.eventId}/${ctx.roundId}`;
  const blockers = ctx.review.data ? blockerTotal(ctx.review.data.blockers) : 0;
  const tabs = [
    ...(ctx.isChief
      ? [
          { to: 'grid', label: t('tab.grid') },
          { to: 'review', label: t('tab.review'), badge: blockers },
          { to: 'deviation', label: t('tab.deviation') },
        ]
      : []),
    ...(ctx.isScorekeeper ? [{ to: 'paper', label: t('tab.paper') }] : []),
  ];
  const roundName = ctx.round.name ?? ctx.round.key;
  return (
    <Shell
      title={t('round.title', { event: ctx.event.name, round: roundName })}
      back={`/chief/${ctx.competitionId}`}
    >
      <div className="round-bar">
        <span className="muted small">
          {ctx.competition.name} · {pick(ctx.scheme.name, ctx.scheme.nameEn)}
        </span>
        {ctx.locked ? (
          <span className="chip locked" data-testid="round-locked">
            {t('round.signedOff')}
          </span>
        ) : (
          <RoundStatusChip round={ctx.round} />
        )}
        {ctx.isChief && <LiveState live={ctx.live} />}
      </div>
      <nav className="chief-tabs" aria-label={t('tab.label')}>
        {tabs.map((tab) => (
          <NavLink
            key={tab.to}
            to={`${base}/${tab.to}`}
            className={({ isActive }) => `tab${isActive ? ' active' : ''}`}
          >
            {tab.label}
            {tab.badge ? <span className="badge">{tab.badge}</span> : null}
          </NavLink>
        ))}
        {ctx.isChief && (
          <button type="button" className="button print-button" onClick={() => navigate(`${base}/print`)}>
            {t('print.button')}
          </button>
        )}
      </nav>
      {ctx.locked && (
        <p className="hint locked-note" role="status">
          {t('round.locked')}
        </p>
      )}
      <Outlet context={ctx} />
    </Shell>
  );
}

function LiveState({ live }: { live: LiveRound }) {
  const { t } = useTranslation('chief');
  if (live.error && live.error !== 'xhr poll error')
    return <span className="chip warn">{t('round.liveError', { code: live.error })}</span>;
  return live.connected ? (
    <span className="chip live" data-testid="live-connected">
      {t('round.live')}
    </span>
  ) : (
    <span className="chip warn">{t('round.offline')}</span>
  );
}

/** A round opens on what the role does first: the grid for the chief judge, paper entry for a scorekeeper. */
export function RoundHome() {
  const ctx = useRoundContext();
  return <Navigate to={ctx.isChief ? 'grid' : ctx.isScorekeeper ? 'paper' : '/chief'} replace />;
}

/** After an action: read the review (and the paper list) again, whatever the socket says. */
export function useRefresh() {
  const ctx = useRoundContext();
  const client = useQueryClient();
  return useCallback(() => {
    void client.invalidateQueries({ queryKey: ctx.keys.review });
    void client.invalidateQueries({ queryKey: ctx.keys.paper });
  }, [client, ctx.keys]);
}

/** An action on the round, made with the staff token; the review and paper list are read again after it. */
export function useRoundAction<T, V = void>(
  act: (token: string, variables: V) => Promise<T>,
  then?: (answer: T) => void,
) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (variables: V) => asStaff((token) => act(token, variables)),
    onSuccess: (answer: T) => {
      then?.(answer);
      refresh();
    },
  });
}
