import type { MarkView } from '@jiangxin/shared';
import { useQueryClient } from '@tanstack/react-query';
import { CloudOff, LogOut, Wifi } from 'lucide-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../common/api/endpoints';
import { isPending } from '../common/outbox/outbox';
import { isExpired, type Session, useTokenRenewal } from '../common/session/session';
import { LanguageSwitch } from '../common/ui/LanguageSwitch';
import { Status } from '../common/ui/Status';
import { useJudgeRounds, useMyMarks } from './data';
import { errorText } from './errors';
import { itemKey, itemStatus } from './marking';
import { ResumeDialog } from './ResumeDialog';
import { judgeSession, type TabletData } from './session';
import { useOnline } from './useOnline';
import { useOutbox } from './useOutbox';
import { WorkstationPanel } from './WorkstationPanel';

const ROUND_KEY = 'jiangxin.tablet.round';

/** The signed-in judge's screen: the round, the workstations in order, and the marks of the one chosen. */
export function MarkingScreen({ session }: { session: Session<TabletData> }) {
  const { t, i18n } = useTranslation('judge');
  const judge = session.data.judge as { id: string; name: string };
  const { competitionId } = session.data;
  const { outbox, entries, needsPin, askPin, resumed } = useOutbox(competitionId, judge.id);
  useTokenRenewal(judgeSession, askPin);
  const online = useOnline();
  const queryClient = useQueryClient();

  const rounds = useJudgeRounds(session.token, competitionId, judge.id);
  const [roundId, setRoundId] = useState<string | null>(() => localStorage.getItem(ROUND_KEY));
  const [picking, setPicking] = useState(false);
  const available = rounds.data?.rounds ?? [];
  const round =
    available.find((r) => r.roundId === roundId) ?? (available.length === 1 ? available[0] : undefined);
  const myMarks = useMyMarks(session.token, competitionId, judge.id, round?.roundId ?? null);
  const [workstation, setWorkstation] = useState<string | null>(null);
  const [signOutError, setSignOutError] = useState<string | null>(null);

  const pending = entries.filter(isPending);
  // Answered marks (accepted or refused, e.g. after sign-off) change what the server holds: read again.
  const accepted = entries.filter((e) => e.state === 'accepted' || e.state === 'refused').length;
  // A mark the server answered changes "my marks" (or shows the round locked): read them again.
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: ['my-marks', competitionId, judge.id] });
  }, [accepted, queryClient, competitionId, judge.id]);
  // A token that expired while the tablet slept: the PIN, before anything is sent with it.
  useEffect(() => {
    if (isExpired(session)) askPin();
  }, [session, askPin]);

  const chooseRound = useCallback((id: string) => {
    localStorage.setItem(ROUND_KEY, id);
    setRoundId(id);
    setWorkstation(null);
    setPicking(false);
  }, []);

  const roundEntries = useMemo(
    () => entries.filter((e) => e.roundId === round?.roundId),
    [entries, round?.roundId],
  );
  const serverMarks = useMemo(() => {
    const map = new Map<string, MarkView>();
    for (const m of myMarks.data?.marks ?? []) map.set(itemKey(m.workstation, m.item), m);
    return map;
  }, [myMarks.data]);
  const assignments = myMarks.data?.assignments ?? [];
  const selected = assignments.find((a) => a.workstation === workstation) ?? assignments[0];

  const signOut = async () => {
    if (pending.length > 0) return setSignOutError(t('top.signOutBlocked', { count: pending.length }));
    try {
      const tablet = await authApi.judgeSignOut({ token: session.token });
      judgeSession.set({ ...tablet, data: { ...session.data, judge: null } });
    } catch (e) {
      setSignOutError(errorText(e, t));
    }
  };

  const locked = myMarks.data ? myMarks.data.round.signedOffAt !== null : (round?.signedOff ?? false);
  // Marking closed: said by the round, or by a mark the server held back (it stays here and goes on reopening).
  const closed =
    !locked &&
    (Boolean(myMarks.data?.round.markingClosedAt) ||
      roundEntries.some((e) => isPending(e) && e.error?.code === 'round_closed'));
  return (
    <div className="judge-app" lang={i18n.language}>
      <header className="top-bar judge-top">
        <div className="judge-where">
          <strong>{rounds.data?.competitionName ?? '匠心'}</strong>
          {round && (
            <button type="button" className="link" onClick={() => setPicking(true)} title={t('round.change')}>
              {round.eventName} · {round.roundName}
            </button>
          )}
        </div>
        <span className="judge-name">{t('top.judge', { name: judge.name })}</span>
        <span className={`net ${online ? 'online' : 'offline'}`} data-testid="network-state">
          {online ? <Wifi aria-hidden /> : <CloudOff aria-hidden />}{' '}
          {online ? t('top.online') : t('top.offline')}
        </span>
        <span className={`outbox-count${pending.length ? ' waiting' : ''}`} data-testid="outbox-count">
          {pending.length ? t('top.pending', { count: pending.length }) : t('top.allSent')}
        </span>
        <LanguageSwitch />
        <button type="button" className="icon-text" onClick={() => void signOut()}>
          <LogOut aria-hidden /> {t('top.signOut')}
        </button>
      </header>
      {signOutError && (
        <p className="status error" role="alert">
          {signOutError}
        </p>
      )}
      {/* Plain HTTP (a venue address without TLS): no service worker, so no offline reload of the page. */}
      {!window.isSecureContext && (
        <p className="insecure-banner" role="note" data-testid="insecure-notice">
          {t('top.insecure')}
        </p>
      )}
      {!rounds.data ? (
        <Status query={rounds} />
      ) : !round || picking ? (
        <section className="round-picker">
          <h2>{available.length ? t('round.pick') : t('round.none')}</h2>
          <ul>
            {available.map((r) => (
              <li key={r.roundId}>
                <button type="button" onClick={() => chooseRound(r.roundId)}>
                  {r.eventName} · {r.roundName}{' '}
                  <span className="muted small">{r.signedOff ? t('round.signedOff') : t('round.open')}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <>
          {locked && (
            <p className="locked-banner" role="status" data-testid="locked-banner">
              {t('locked.banner')}
            </p>
          )}
          {closed && (
            <p className="locked-banner" role="status" data-testid="closed-banner">
              {t('closed.banner')}
            </p>
          )}
          {!myMarks.data ? (
            <Status query={myMarks} />
          ) : assignments.length === 0 ? (
            <p className="status">{t('ws.recusedNone')}</p>
          ) : (
            <div className="judge-body">
              <nav className="ws-list" aria-label={t('ws.list')}>
                {assignments.map((a) => {
                  const statuses = a.items.map((item) =>
                    itemStatus(
                      roundEntries.filter(
                        (e) => e.body.workstation === a.workstation && e.body.item === item,
                      ),
                      serverMarks.get(itemKey(a.workstation, item)),
                    ),
                  );
                  const done = statuses.filter((s) => s.state !== 'empty').length;
                  const state = statuses.some((s) => s.state === 'refused')
                    ? 'refused'
                    : statuses.some((s) => s.state === 'saved' || s.state === 'sending')
                      ? 'saved'
                      : done === a.items.length
                        ? 'accepted'
                        : 'open';
                  return (
                    <button
                      key={a.workstation}
                      type="button"
                      className={`ws ${state}${a.workstation === selected?.workstation ? ' current' : ''}`}
                      aria-current={a.workstation === selected?.workstation ? 'true' : undefined}
                      data-testid={`ws-${a.workstation}`}
                      onClick={() => setWorkstation(a.workstation)}
                    >
                      <strong>{a.workstation}</strong>
                      <span className="small">{t('ws.progress', { done, total: a.items.length })}</span>
                    </button>
                  );
                })}
              </nav>
              {selected && myMarks.data && (
                <WorkstationPanel
                  key={selected.workstation}
                  token={session.token}
                  competitionId={competitionId}
                  round={round}
                  assignment={selected}
                  myMarks={myMarks.data}
                  entries={roundEntries.filter((e) => e.body.workstation === selected.workstation)}
                  serverMarks={serverMarks}
                  locked={locked}
                  outbox={outbox}
                  onCorrection={() => void myMarks.refetch()}
                />
              )}
            </div>
          )}
        </>
      )}
      {needsPin && <ResumeDialog session={session} waiting={pending.length} onResumed={resumed} />}
    </div>
  );
}
