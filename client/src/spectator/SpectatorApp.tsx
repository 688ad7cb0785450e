import type { LiveStanding, RoundSnapshot, RoundSummary } from '@jiangxin/shared';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams } from 'react-router';
import { addCatalogue, useI18n } from '../common/i18n';
import { roundLabel } from '../common/i18n/rounds';
import type { LiveView } from '../common/live/useLiveOrPolled';
import { LanguageSwitch } from '../common/ui/LanguageSwitch';
import { StandingDetail } from '../common/ui/StandingDetail';
import { ensureCjkFont } from './font';
import { spectatorMessages } from './messages';
import { Follows, search } from './search';
import './spectator.css';
import { useLiveRounds, useLiveStandings, type Via } from './useLiveStandings';

addCatalogue('spectator', spectatorMessages);
/**
 * Loads the page with the font's rules in place if it needs them: the router renders it only after this
 * resolves (no top-level await: Safari 14 does not parse it).
 */
export async function loadSpectatorApp() {
  await ensureCjkFont();
  return SpectatorApp;
}

/**
 * The spectators' page (/live), for phones on mobile data: a competition's events, a round's live standings
 * with search and follows, a competitor's breakdown; every view has its own shareable path.
 */
export function SpectatorApp() {
  const { t } = useTranslation('spectator');
  useEffect(() => {
    document.title = `${t('live.title')} · 匠心`;
  }, [t]);
  return (
    <div className="spectator">
      <Routes>
        <Route index element={<Intro />} />
        <Route path=":competitionId" element={<CompetitionView />} />
        <Route path=":competitionId/:roundId" element={<RoundView />} />
        <Route path=":competitionId/:roundId/:workstation" element={<CompetitorView />} />
      </Routes>
    </div>
  );
}

function Top({ title, back, children }: { title: string; back?: string; children?: ReactNode }) {
  const { t } = useTranslation('spectator');
  return (
    <header className="sp-top">
      {back ? (
        <Link to={back} className="sp-back" aria-label={t('live.back')}>
          ‹
        </Link>
      ) : (
        <span className="sp-brand">匠心</span>
      )}
      <h1>{title}</h1>
      {children}
      <LanguageSwitch />
    </header>
  );
}

function Intro() {
  const { t } = useTranslation('spectator');
  return (
    <>
      <Top title={t('live.title')} />
      <p className="sp-note">{t('live.intro')}</p>
    </>
  );
}

function stateOf(r: Pick<RoundSummary, 'frozen' | 'status'>): 'frozen' | 'final' | 'published' | 'live' {
  if (r.frozen) return 'frozen';
  if (r.status.signedOff) return r.status.published ? 'published' : 'final';
  return 'live';
}

/** Rounds grouped by event, in the order the room listed them. */
function byEvent(rounds: RoundSummary[]): [string, RoundSummary[]][] {
  const groups = new Map<string, RoundSummary[]>();
  for (const r of rounds) groups.set(r.event, [...(groups.get(r.event) ?? []), r]);
  return [...groups];
}

function CompetitionView() {
  const { t } = useTranslation('spectator');
  const common = useI18n().t;
  const { competitionId = '' } = useParams();
  const competition = useLiveRounds(competitionId);
  const rounds = competition.value;
  return (
    <>
      <Top title={t('live.events')} />
      <PollingNotice via={competition.via} />
      {rounds === null ? (
        <p className="sp-note" role="status">
          {t('live.loading')}
        </p>
      ) : rounds.length === 0 ? (
        <p className="sp-note">{t('live.noRounds')}</p>
      ) : (
        <ul className="sp-events">
          {byEvent(rounds).map(([event, list]) => (
            <li key={event} className="sp-card">
              <h2>{event}</h2>
              {list.map((r) => (
                <Link
                  key={r.roundId}
                  to={`/live/${competitionId}/${r.roundId}`}
                  className="sp-round"
                  data-testid="round-link"
                >
                  <span>{roundLabel(common, r.round)}</span>
                  <span className={`sp-state ${stateOf(r)}`}>{t(`live.state.${stateOf(r)}`)}</span>
                </Link>
              ))}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ViaBadge({ live }: { live: LiveView<unknown> }) {
  const { t } = useTranslation('spectator');
  return (
    <span className={`sp-via ${live.via}`} data-testid="via">
      {t(`live.via.${live.via}`)}
    </span>
  );
}

/** Said once, discreetly, while the page polls because its live connection does not connect. */
function PollingNotice({ via }: { via: Via }) {
  const { t } = useTranslation('spectator');
  if (via !== 'polling') return null;
  return (
    <p className="sp-notice" role="status" data-testid="polling-notice">
      {t('live.polling')}
    </p>
  );
}

function useFollows(competitionId: string, roundId: string) {
  const follows = useMemo(
    () => new Follows(`jiangxin.follow.${competitionId}.${roundId}`),
    [competitionId, roundId],
  );
  const [list, setList] = useState(() => follows.list());
  return { list, toggle: (workstation: string) => setList(follows.toggle(workstation)) };
}

function Share({ title }: { title: string }) {
  const { t } = useTranslation('spectator');
  const [copied, setCopied] = useState(false);
  const share = async () => {
    const url = globalThis.location.href;
    const nav = navigator as Navigator & { share?: (d: { title: string; url: string }) => Promise<void> };
    try {
      if (nav.share) return await nav.share({ title, url });
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // dismissed, or no clipboard: the address bar still holds the link
    }
  };
  return (
    <button type="button" className="sp-share" onClick={() => void share()} data-testid="share">
      {copied ? t('live.copied') : t('live.share')}
    </button>
  );
}

function RoundView() {
  const { t } = useTranslation('spectator');
  const { competitionId = '', roundId = '' } = useParams();
  const live = useLiveStandings(competitionId, roundId);
  const follows = useFollows(competitionId, roundId);
  const [query, setQuery] = useState('');
  const snapshot = live.value;
  const found = useMemo(() => (snapshot ? search(snapshot.standings, query) : []), [snapshot, query]);
  const followed = snapshot?.standings.filter((s) => follows.list.includes(s.workstation)) ?? [];
  const common = useI18n().t;
  const title = snapshot ? `${snapshot.event} · ${roundLabel(common, snapshot.round)}` : t('live.title');
  return (
    <>
      <Top title={title} back={`/live/${competitionId}`}>
        <ViaBadge live={live} />
      </Top>
      <PollingNotice via={live.via} />
      {!snapshot ? (
        <p className="sp-note" role="status">
          {live.error === 'round_unpublished' ? t('live.unpublished') : t('live.loading')}
        </p>
      ) : (
        <>
          <Banner snapshot={snapshot} />
          <div className="sp-tools">
            <input
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder={snapshot.labels === 'name' ? t('live.search') : t('live.searchCoded')}
              aria-label={snapshot.labels === 'name' ? t('live.search') : t('live.searchCoded')}
              data-testid="search"
            />
            <Share
              title={t('live.shareText', {
                event: snapshot.event,
                round: roundLabel(common, snapshot.round),
              })}
            />
          </div>
          {followed.length > 0 && query === '' && (
            <section>
              <h2 className="sp-h2">{t('live.following')}</h2>
              <Lines lines={followed} base={`/live/${competitionId}/${roundId}`} follows={follows} />
            </section>
          )}
          <section>
            <h2 className="sp-h2">{t('live.all')}</h2>
            {found.length === 0 ? (
              <p className="sp-note">{t('live.none')}</p>
            ) : (
              <Lines
                lines={found}
                base={`/live/${competitionId}/${roundId}`}
                follows={follows}
                testId="standing"
              />
            )}
          </section>
          <p className="sp-foot">
            {/* Open scoring may name a competitor before decryption, once all their marks are in. */}
            {t(
              snapshot.labels === 'name' && !snapshot.status.decrypted
                ? 'live.namesWhenComplete'
                : 'live.codes',
            )}
          </p>
        </>
      )}
    </>
  );
}

function Banner({ snapshot }: { snapshot: RoundSnapshot }) {
  const { t } = useTranslation('spectator');
  if (!snapshot.frozen) return null;
  return (
    <p className="sp-banner" data-testid="frozen">
      {t('live.frozen')}
      {snapshot.frozen.hidden > 0 && ` ${t('live.hidden', { count: snapshot.frozen.hidden })}`}
    </p>
  );
}

function Lines({
  lines,
  base,
  follows,
  testId,
}: {
  lines: LiveStanding[];
  base: string;
  follows: ReturnType<typeof useFollows>;
  testId?: string;
}) {
  const { t } = useTranslation('spectator');
  return (
    <ol className="sp-lines">
      {lines.map((s) => {
        const on = follows.list.includes(s.workstation);
        return (
          <li
            key={s.workstation}
            className={on ? 'followed' : undefined}
            data-testid={testId}
            data-workstation={s.workstation}
          >
            <Link to={`${base}/${encodeURIComponent(s.workstation)}`} className="sp-line">
              <span className="sp-rank">{s.total === null ? '' : (s.rank ?? '–')}</span>
              <span className="sp-who">
                {s.competitor}
                {s.competitor !== s.workstation && <small>{s.workstation}</small>}
                {s.total !== null && !s.complete && (
                  <small className="sp-marking">{t('live.incomplete')}</small>
                )}
              </span>
              <span className="sp-total" data-testid="total">
                {s.disqualifiedBy ? t('live.dsq') : (s.total ?? '–')}
              </span>
            </Link>
            <button
              type="button"
              className={`sp-star${on ? ' on' : ''}`}
              aria-pressed={on}
              aria-label={t(on ? 'live.unfollow' : 'live.follow', { name: s.competitor })}
              onClick={() => follows.toggle(s.workstation)}
            >
              {on ? '★' : '☆'}
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function CompetitorView() {
  const { t } = useTranslation('spectator');
  const { competitionId = '', roundId = '', workstation = '' } = useParams();
  const live = useLiveStandings(competitionId, roundId);
  const follows = useFollows(competitionId, roundId);
  const common = useI18n().t;
  const line = live.value?.standings.find((s) => s.workstation === workstation);
  const on = follows.list.includes(workstation);
  return (
    <>
      <Top title={line?.competitor ?? workstation} back={`/live/${competitionId}/${roundId}`}>
        <ViaBadge live={live} />
      </Top>
      <PollingNotice via={live.via} />
      {!live.value ? (
        <p className="sp-note" role="status">
          {live.error === 'round_unpublished' ? t('live.unpublished') : t('live.loading')}
        </p>
      ) : !line ? (
        <p className="sp-note">{t('live.notFound')}</p>
      ) : (
        <>
          <section className="sp-card sp-competitor" data-testid="competitor">
            <p className="sp-event">
              {live.value.event} · {roundLabel(common, live.value.round)}
            </p>
            <div className="sp-figures">
              <strong>
                {line.disqualifiedBy
                  ? t('live.dsq')
                  : line.rank === null || line.total === null
                    ? ''
                    : t('live.rank', { rank: line.rank })}
              </strong>
              <span className="sp-big">
                {line.total === null ? '–' : t('live.points', { total: line.total })}
              </span>
            </div>
            <div className="sp-tools">
              <button
                type="button"
                className={`sp-star${on ? ' on' : ''}`}
                aria-pressed={on}
                onClick={() => follows.toggle(workstation)}
              >
                {on ? '★ ' : '☆ '}
                {t(on ? 'live.unfollow' : 'live.follow', { name: line.competitor })}
              </button>
              <Share title={`${line.competitor} · ${live.value.event}`} />
            </div>
          </section>
          <h2 className="sp-h2">{t('live.breakdown')}</h2>
          <StandingDetail standing={line} scheme={null} />
        </>
      )}
    </>
  );
}
