import type { LiveStanding, RoundSnapshot, SessionEnded } from '@jiangxin/shared';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCompetition } from '../common/live/useCompetition';
import { useRound } from '../common/live/useRound';
import { DistributionChart } from './DistributionChart';
import { distribution, emptyScreen, panelSizes, pickRound, progress, rotation, stepScreen } from './model';
import { useRoundNames } from './names';
import { Clock, OnStage, ProgressRing, Ranking, Ticker } from './parts';
import { QrCode } from './QrCode';

/** Seconds per round when the organizer set none (`/screen?rotate=30` sets it). */
const DEFAULT_ROTATE_S = 20;
const RANKING_ROWS = 10;

function rotateMs(): number {
  const asked = Number(new URLSearchParams(globalThis.location?.search ?? '').get('rotate'));
  return (Number.isFinite(asked) && asked >= 5 ? asked : DEFAULT_ROTATE_S) * 1000;
}

/** The screen's base size: 1/1920 of the width, kept within a 16:9 box (so 1280×720 reads the same). */
function useBaseSize(): number {
  const size = () => Math.min(window.innerWidth / 1920, window.innerHeight / 1080) * 18;
  const [base, setBase] = useState(size);
  useEffect(() => {
    const resize = () => setBase(size());
    window.addEventListener('resize', resize);
    return () => window.removeEventListener('resize', resize);
  }, []);
  return base;
}

/** True once `value` has been true for `ms` without a break. */
function useLasting(value: boolean, ms: number): boolean {
  const [lasting, setLasting] = useState(false);
  useEffect(() => {
    if (!value) {
      setLasting(false);
      return;
    }
    const timer = setTimeout(() => setLasting(true), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return lasting;
}

interface Props {
  token: string;
  competitionId: string;
  onSessionEnded: (ended: SessionEnded) => void;
}

/** The venue's big screen: the competition's rounds in rotation, each live, frozen or in its ceremony. */
export function Screen({ token, competitionId, onSessionEnded }: Props) {
  const { t } = useTranslation('display');
  const competition = useCompetition(token, competitionId, onSessionEnded);
  const rounds = competition.rounds ?? [];
  const [roundId, setRoundId] = useState<string | null>(null);
  const base = useBaseSize();

  useEffect(() => {
    setRoundId((current) => pickRound(competition.rounds ?? [], current, false));
  }, [competition.rounds]);
  useEffect(() => {
    const timer = setInterval(
      () => setRoundId((current) => pickRound(competition.rounds ?? [], current, true)),
      rotateMs(),
    );
    return () => clearInterval(timer);
  }, [competition.rounds]);

  const live = useRound(token, competitionId, roundId, onSessionEnded);
  const [model, setModel] = useState(emptyScreen);
  useEffect(() => {
    const snapshot = live.snapshot;
    if (snapshot) setModel((held) => stepScreen(held, snapshot, Date.now()));
  }, [live.snapshot]);
  // Kept on screen while the socket reconnects (or the token is renewed), and the round shown last stays until
  // the next one's snapshot arrives: the screen never goes blank, not even between rounds.
  const held = model.snapshot;
  const snapshot = held && rounds.some((r) => r.roundId === held.roundId) ? held : null;
  const connected = competition.connected && (roundId === null || live.connected);
  // Said only when it lasts: a rotation's new socket takes a moment to connect, which is not news.
  const reconnecting = useLasting(!connected, 1_500);
  const rotating = rotation(rounds);
  const at = rotating.findIndex((r) => r.roundId === roundId);
  const names = useRoundNames(token, competitionId, roundId);

  return (
    <div
      className="screen"
      style={{ fontSize: `${base}px` }}
      data-testid="screen"
      data-version={snapshot?.version ?? ''}
    >
      <header className="screen-top">
        <div className="title">
          <h1 data-testid="screen-event">{snapshot ? snapshot.event : t('display.title')}</h1>
          {snapshot && <span className="round-name">{names.roundName(snapshot.round)}</span>}
          {snapshot && <StateChip snapshot={snapshot} />}
        </div>
        <div className="top-right">
          {rotating.length > 1 && at >= 0 && (
            <span className="rotation">{t('screen.rounds', { at: at + 1, of: rotating.length })}</span>
          )}
          {reconnecting && (
            <span className="reconnecting" role="status" data-testid="reconnecting">
              {t('screen.reconnecting')}
            </span>
          )}
          <Clock />
        </div>
      </header>
      {!snapshot ? (
        <main className="screen-empty">
          <p>{live.error === 'round_unpublished' ? t('screen.unpublished') : t('screen.waiting')}</p>
        </main>
      ) : snapshot.frozen && snapshot.frozen.revealed > 0 ? (
        <Ceremony snapshot={snapshot} />
      ) : (
        <LiveBoard
          snapshot={snapshot}
          model={model}
          base={base}
          competitionId={competitionId}
          aspectName={names.aspectName}
        />
      )}
      {/* A frozen round shows nothing new, the ticker included. */}
      <Ticker entries={snapshot && !snapshot.frozen ? model.ticker : []} />
    </div>
  );
}

function StateChip({ snapshot }: { snapshot: RoundSnapshot }) {
  const { t } = useTranslation('display');
  const [key, cls] = snapshot.frozen
    ? snapshot.frozen.revealed > 0
      ? (['screen.ceremony', 'ceremony'] as const)
      : (['screen.frozen', 'frozen'] as const)
    : snapshot.status.signedOff
      ? (['screen.final', 'final'] as const)
      : (['screen.live', 'live'] as const);
  return (
    <span className={`chip chip-${cls}`} data-testid="screen-state">
      {t(key)}
    </span>
  );
}

function LiveBoard({
  snapshot,
  model,
  base,
  competitionId,
  aspectName,
}: {
  snapshot: RoundSnapshot;
  model: typeof emptyScreen;
  base: number;
  competitionId: string;
  aspectName: (id: string) => string;
}) {
  const { t } = useTranslation('display');
  const bins = useMemo(
    () => distribution(snapshot.standings.filter((s) => !s.disqualifiedBy).map((s) => s.total)),
    [snapshot.standings],
  );
  const sizes = useMemo(() => panelSizes(snapshot), [snapshot]);
  const { done, of } = progress(snapshot);
  const frozen = snapshot.frozen !== null;
  const focus = frozen ? null : model.focus;
  const link = `${globalThis.location.origin}/live/${competitionId}/${snapshot.roundId}`;
  return (
    <main className="board">
      <section className="card board-ranking">
        <div className="rank-head">
          <span>{t('screen.rank')}</span>
          <span>{snapshot.labels === 'name' ? t('screen.competitor') : t('screen.workstation')}</span>
          <span />
          <span>{t('screen.total')}</span>
        </div>
        {frozen && <p className="frozen-note">{t('screen.frozenNote')}</p>}
        <Ranking
          standings={snapshot.standings}
          rows={RANKING_ROWS}
          moves={frozen ? {} : model.moves}
          focus={focus}
        />
      </section>
      <div className="board-side">
        {frozen ? (
          <section className="stage card frozen-card">
            <h2>{t('screen.frozen')}</h2>
            <p>{t('screen.frozenNote')}</p>
          </section>
        ) : (
          <OnStage
            line={snapshot.standings.find((s) => s.workstation === focus)}
            fresh={model.fresh}
            sizes={sizes}
            aspectName={aspectName}
          />
        )}
        <div className="side-row">
          <section className="card">
            <ProgressRing done={done} of={of} />
          </section>
          <section className="card dist">
            <h2>{t('screen.distribution')}</h2>
            <DistributionChart bins={bins} fontSize={base} />
          </section>
          <section className="card qr-card">
            <QrCode text={link} label={t('screen.qr')} />
            <span>{t('screen.qr')}</span>
          </section>
        </div>
      </div>
    </main>
  );
}

/** The ceremony: the places revealed so far, from the bottom; the newest revealed large, above it the rest. */
function Ceremony({ snapshot }: { snapshot: RoundSnapshot }) {
  const { t } = useTranslation('display');
  const hidden = snapshot.frozen?.hidden ?? 0;
  const [newest, ...rest] = snapshot.standings;
  return (
    <main className="ceremony" data-testid="ceremony">
      {hidden > 0 && (
        <p className="hidden-places" data-testid="hidden-places">
          {t('screen.hidden', { count: hidden })}
        </p>
      )}
      {newest && <Revealed key={newest.workstation} line={newest} newest />}
      <div className="revealed-rest">
        {rest.map((s) => (
          <Revealed key={s.workstation} line={s} newest={false} />
        ))}
      </div>
    </main>
  );
}

function Revealed({ line, newest }: { line: LiveStanding; newest: boolean }) {
  const { t } = useTranslation('display');
  return (
    <div
      className={`revealed${newest ? ' newest' : ''}`}
      data-testid="revealed"
      data-workstation={line.workstation}
    >
      <span className="place">{line.rank ?? '–'}</span>
      <span className="who">{line.competitor}</span>
      <span className="score">{line.disqualifiedBy ? t('screen.dsq') : (line.total ?? '–')}</span>
    </div>
  );
}
