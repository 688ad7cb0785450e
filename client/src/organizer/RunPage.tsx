import type { RoundSummary, RoundView } from '@jiangxin/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CeremonyState, marksApi, setupApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { gridItems, gridRows } from '../common/live/grid';
import { useCompetition as useLiveCompetition } from '../common/live/useCompetition';
import { useRound } from '../common/live/useRound';
import { useSession } from '../common/session/session';
import { staffSession } from '../common/session/staff';
import { Status } from '../common/ui/Status';
import { KEY, useChosenEvent, useCompetitionId, useEvent, useStaffMutation, useStaffQuery } from './data';
import { EventPicker } from './EventPicker';
import { roundProgress, type Tally } from './progress';
import { RoundState } from './RoundState';
import { Problem } from './Shell';
import { dateTime } from './time';

/**
 * The day itself: each round's state (marking while open; closed by the chief judge's sign-off; decrypted;
 * published), the ceremony (freeze, reveal) and publication, and the progress of the round chosen, live.
 */
export function RunPage() {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const session = useSession(staffSession);
  const ended = useCallback(() => staffSession.clear(), []);
  const { locale } = useI18n();
  const { chosen } = useChosenEvent();
  const event = useEvent(chosen?.id ?? null);
  // The staff audience sees every round: its status follows the chief judge's sign-off without a reload.
  const live = useLiveCompetition(session?.token ?? null, competitionId, ended);
  const summaries = new Map(live.rounds?.map((r) => [r.roundId, r]));
  // A status pushed live (the chief judge signed off elsewhere): read the event again for the times.
  const client = useQueryClient();
  const pushed = live.rounds?.map((r) => `${r.roundId}${Object.values(r.status).join()}`).join() ?? '';
  const eventId = chosen?.id ?? null;
  useEffect(() => {
    if (pushed) void client.invalidateQueries({ queryKey: [KEY, 'event', eventId] });
  }, [pushed, client, eventId]);
  const [watching, setWatching] = useState<string | null>(null);
  const [ceremony, setCeremony] = useState<Record<string, CeremonyState>>({});
  const refresh = [['event', chosen?.id ?? null]];
  const onCeremony = (state: CeremonyState) => setCeremony((held) => ({ ...held, [state.round.id]: state }));
  const publish = useStaffMutation(
    (roundId: string, o) => marksApi.publish(competitionId, roundId, o),
    refresh,
  );
  const marking = useStaffMutation(
    ({ roundId, to }: { roundId: string; to: 'open' | 'close' }, o) =>
      marksApi.setMarking(competitionId, roundId, to, o),
    refresh,
  );
  const freeze = useStaffMutation(
    (roundId: string, o) => marksApi.freeze(competitionId, roundId, o),
    refresh,
  );
  const reveal = useStaffMutation(
    ({ roundId, all }: { roundId: string; all: boolean }, o) =>
      marksApi.reveal(competitionId, roundId, all, o),
    refresh,
  );
  const rounds = event.data?.rounds ?? [];
  const shown = rounds.find((r) => r.id === watching) ?? rounds[0] ?? null;
  return (
    <>
      <EventPicker />
      <Status query={event} />
      {event.data && (
        <section className="organizer-card">
          <h2>
            {t('run.rounds')}{' '}
            <span className={`chip ${live.connected ? 'live' : 'offline'}`}>
              {live.connected ? t('run.live') : t('run.offline')}
            </span>
          </h2>
          <table className="org-table" data-testid="rounds">
            <thead>
              <tr>
                <th>{t('run.round')}</th>
                <th>{t('run.state')}</th>
                <th>{t('run.signOff')}</th>
                <th>{t('run.ceremony')}</th>
                <th>{t('run.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((round) => {
                const state = merged(round, summaries.get(round.id));
                const held = ceremony[round.id];
                return (
                  <tr
                    key={round.id}
                    data-round={round.key}
                    className={shown?.id === round.id ? 'chosen' : ''}
                  >
                    <td>{round.name ?? round.key}</td>
                    <td>
                      <RoundState round={state} />
                    </td>
                    <td className="small">
                      {state.signedOffAt
                        ? t('run.signedOffAt', { time: dateTime(state.signedOffAt, locale) })
                        : t('run.notSignedOff')}
                    </td>
                    <td className="small">
                      {held?.frozen ? t('run.frozen', { revealed: held.revealed }) : t('run.notFrozen')}
                    </td>
                    <td className="actions-cell">
                      <button type="button" className="link" onClick={() => setWatching(round.id)}>
                        {t('run.watch')}
                      </button>
                      {!state.signedOffAt && (
                        <button
                          type="button"
                          className="button small"
                          data-testid="marking-toggle"
                          disabled={marking.isPending}
                          onClick={() =>
                            marking.mutate({
                              roundId: round.id,
                              to: state.markingClosedAt ? 'open' : 'close',
                            })
                          }
                        >
                          {state.markingClosedAt ? t('run.openMarking') : t('run.closeMarking')}
                        </button>
                      )}
                      <button
                        type="button"
                        className="button small"
                        disabled={!state.signedOffAt || !!state.publishedAt || publish.isPending}
                        title={state.signedOffAt ? undefined : t('run.publishNeedsSignOff')}
                        onClick={() => publish.mutate(round.id)}
                      >
                        {t('run.publish')}
                      </button>
                      {held?.frozen ? (
                        <>
                          <button
                            type="button"
                            className="button small"
                            onClick={() =>
                              reveal.mutate({ roundId: round.id, all: false }, { onSuccess: onCeremony })
                            }
                          >
                            {t('run.revealNext')}
                          </button>
                          <button
                            type="button"
                            className="link"
                            onClick={() =>
                              reveal.mutate({ roundId: round.id, all: true }, { onSuccess: onCeremony })
                            }
                          >
                            {t('run.revealAll')}
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="button small"
                          onClick={() => freeze.mutate(round.id, { onSuccess: onCeremony })}
                        >
                          {t('run.freeze')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted small">{t('run.lifecycle')}</p>
          <Problem
            error={marking.error ?? publish.error ?? freeze.error ?? reveal.error}
            testId="run-error"
          />
        </section>
      )}
      {event.data && shown && (
        <RoundProgressView
          key={shown.id}
          roundId={shown.id}
          roundKey={shown.key}
          title={shown.name ?? shown.key}
          scheme={event.data.scheme}
        />
      )}
    </>
  );
}

/** The round's state: the event's as read, the live summary's when it is newer. */
function merged(round: RoundView, summary: RoundSummary | undefined): RoundView {
  if (!summary) return round;
  const stamp = (flag: boolean, at: string | null) => (flag ? (at ?? new Date().toISOString()) : null);
  return {
    ...round,
    signedOffAt: stamp(summary.status.signedOff, round.signedOffAt),
    decryptedAt: stamp(summary.status.decrypted, round.decryptedAt),
    publishedAt: stamp(summary.status.published, round.publishedAt),
    markingClosedAt: stamp(summary.status.markingClosed, round.markingClosedAt),
  };
}

function Bar({ tally }: { tally: Tally }) {
  const share = tally.expected === 0 ? 0 : Math.round((tally.received / tally.expected) * 100);
  return (
    <span className="bar" title={`${share}%`}>
      <span style={{ width: `${share}%` }} />
    </span>
  );
}

/** Marks expected and received, per judge seat and per workstation, following the live round. */
function RoundProgressView({
  roundId,
  roundKey,
  title,
  scheme,
}: {
  roundId: string;
  /** The scheme's round id: the round's own count of attempts. */
  roundKey: string;
  title: string;
  scheme: Parameters<typeof gridItems>[0];
}) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const session = useSession(staffSession);
  const ended = useCallback(() => staffSession.clear(), []);
  const live = useRound(session?.token ?? null, competitionId, roundId, ended);
  const version = live.snapshot?.version ?? null;
  const workstations = useStaffQuery(['workstations', roundId, version], (o) =>
    setupApi.workstations(competitionId, roundId, o),
  );
  const lines = live.snapshot?.standings;
  const progress = useMemo(() => {
    const items = gridItems(scheme, roundKey, lines ?? []);
    return roundProgress(gridRows(items, lines ?? [], workstations.data?.codes ?? []));
  }, [scheme, roundKey, lines, workstations.data]);
  return (
    <section className="organizer-card" data-testid="progress" data-version={version ?? ''}>
      <h2>
        {t('progress.title', { round: title })}{' '}
        <span className="muted small" data-testid="progress-total">
          {t('progress.total', { received: progress.received, expected: progress.expected })}
        </span>
      </h2>
      {live.error && <p className="status error">{t('progress.liveError', { code: live.error })}</p>}
      {progress.byWorkstation.length === 0 && <p className="muted">{t('progress.nobody')}</p>}
      <div className="progress-layout">
        <table className="org-table" data-testid="progress-judges">
          <caption>{t('progress.byJudge')}</caption>
          <thead>
            <tr>
              <th>{t('progress.seat')}</th>
              <th className="num">{t('progress.received')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {progress.bySeat.map((s) => (
              <tr key={s.seat} data-seat={s.seat}>
                <td>{s.seat}</td>
                <td className="num">
                  {s.received} / {s.expected}
                </td>
                <td>
                  <Bar tally={s} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="org-table" data-testid="progress-workstations">
          <caption>{t('progress.byWorkstation')}</caption>
          <thead>
            <tr>
              <th>{t('progress.workstation')}</th>
              <th className="num">{t('progress.received')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {progress.byWorkstation.map((w) => (
              <tr key={w.workstation} data-workstation={w.workstation}>
                <td>
                  {w.competitor}
                  {w.complete && <span className="ok small"> ✓</span>}
                </td>
                <td className="num">
                  {w.received} / {w.expected}
                </td>
                <td>
                  <Bar tally={w} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
