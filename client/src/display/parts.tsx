import type { LiveStanding } from '@jiangxin/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Moves, rowComplete, stageRows, type TickerEntry } from './model';

/** The round's progress as a ring: lines complete of all lines. */
export function ProgressRing({ done, of }: { done: number; of: number }) {
  const { t } = useTranslation('display');
  const r = 42;
  const length = 2 * Math.PI * r;
  const share = of === 0 ? 0 : done / of;
  return (
    <figure className="ring" data-testid="progress">
      <svg viewBox="0 0 100 100" aria-hidden="true">
        <circle cx="50" cy="50" r={r} className="ring-track" />
        <circle
          cx="50"
          cy="50"
          r={r}
          className="ring-value"
          strokeDasharray={`${length * share} ${length}`}
          transform="rotate(-90 50 50)"
        />
        <text x="50" y="50" className="ring-figure" textAnchor="middle" dominantBaseline="central">
          {Math.round(share * 100)}%
        </text>
      </svg>
      <figcaption>
        <strong>{t('screen.progress')}</strong>
        <span>{t('screen.progressOf', { done, of })}</span>
      </figcaption>
    </figure>
  );
}

/** A ranking whose rows slide to their new place (each row is placed by its index; top animates). */
export function Ranking({
  standings,
  rows,
  moves,
  focus,
}: {
  standings: LiveStanding[];
  rows: number;
  moves: Moves;
  focus: string | null;
}) {
  const { t } = useTranslation('display');
  const shown = standings.slice(0, rows);
  return (
    <div className="ranking" data-testid="ranking" style={{ height: `${rows * 3.6}em` }}>
      {shown.map((s, i) => {
        const move = moves[s.workstation];
        return (
          <div
            key={s.workstation}
            className={`rank-row${s.workstation === focus ? ' focus' : ''}${move ? (move.by > 0 ? ' up' : ' down') : ''}`}
            style={{ top: `${i * 3.6}em` }}
            data-testid="rank-row"
            data-workstation={s.workstation}
          >
            <span className={`place${s.rank !== null && s.rank <= 3 ? ` medal-${s.rank}` : ''}`}>
              {s.total === null ? '' : (s.rank ?? '–')}
            </span>
            <span className="who">{s.competitor}</span>
            <span
              className="move"
              title={
                move
                  ? t(move.by > 0 ? 'screen.moveUp' : 'screen.moveDown', { by: Math.abs(move.by) })
                  : undefined
              }
            >
              {move ? `${move.by > 0 ? '▲' : '▼'}${Math.abs(move.by)}` : ''}
            </span>
            <span className="score" data-testid="rank-total">
              {s.disqualifiedBy ? t('screen.dsq') : (s.total ?? '–')}
            </span>
          </div>
        );
      })}
    </div>
  );
}

/** The competitor on stage (or marked last): the total and every judge's mark by seat, new ones one by one. */
export function OnStage({
  line,
  fresh,
  sizes,
  aspectName,
}: {
  line: LiveStanding | undefined;
  fresh: string[];
  /** Each aspect's panel size (strikes wait for a complete row). */
  sizes: Map<string, number>;
  aspectName: (id: string) => string;
}) {
  const { t } = useTranslation('display');
  if (!line) return <section className="stage card" />;
  const rows = stageRows(line);
  const order = new Map(fresh.map((k, i) => [k, i]));
  const complete = rows.every((r) => rowComplete(line, r, sizes));
  return (
    <section className="stage card" data-testid="on-stage" data-workstation={line.workstation}>
      <header>
        <h2>{t('screen.onStage')}</h2>
        <span className="stage-rank">
          {line.disqualifiedBy ? t('screen.dsq') : line.rank === null ? '' : `#${line.rank}`}
        </span>
      </header>
      <div className="stage-who">
        <strong data-testid="stage-name">{line.competitor}</strong>
        <span className="stage-total" data-testid="stage-total">
          {line.total ?? '–'}
        </span>
      </div>
      <div className="stage-rows">
        {rows.map((row) => (
          <div key={row.key} className="mark-row">
            <span className="aspect">
              {row.attempt !== null ? t('screen.attempt', { attempt: row.attempt }) : aspectName(row.aspect)}
            </span>
            <span className="seats">
              {row.marks.map((m) => {
                const struck = m.dropped && rowComplete(line, row, sizes);
                const key = `${row.key}|${m.judge}|${m.mark}`;
                const at = order.get(key);
                return (
                  <span
                    key={`${m.judge}/${m.mark}`}
                    className={`seat${struck ? ' dropped' : ''}${m.awaiting ? ' awaiting' : ''}${at !== undefined ? ' fresh' : ''}`}
                    style={at !== undefined ? { animationDelay: `${at * 450}ms` } : undefined}
                    data-testid="seat-mark"
                    data-key={key}
                  >
                    <small>{m.judge}</small>
                    <b>{m.mark}</b>
                  </span>
                );
              })}
              {Array.from(
                { length: Math.max(0, (sizes.get(row.aspect) ?? 0) - row.marks.length) },
                (_, i) => (
                  <span key={`empty${row.marks.length + i}`} className="seat empty" aria-hidden="true">
                    <small>&nbsp;</small>
                    <b>–</b>
                  </span>
                ),
              )}
            </span>
            <span className="row-points">{rowComplete(line, row, sizes) ? (row.points ?? '') : ''}</span>
          </div>
        ))}
      </div>
      <p className="stage-note">{complete ? t('screen.dropped') : t('screen.awaiting')}</p>
    </section>
  );
}

/** The latest results, scrolling along the bottom of the screen. */
export function Ticker({ entries }: { entries: TickerEntry[] }) {
  const { t } = useTranslation('display');
  const text = (e: TickerEntry) =>
    e.disqualified
      ? t('screen.tickerDsq', { competitor: e.competitor })
      : t('screen.tickerLine', { competitor: e.competitor, total: e.total, rank: e.rank });
  return (
    <footer className="ticker" data-testid="ticker">
      {entries.length > 0 && <strong className="ticker-label">{t('screen.ticker')}</strong>}
      <div className="ticker-track">
        {entries.map((e) => (
          <span key={e.id} className="ticker-item">
            {text(e)}
          </span>
        ))}
      </div>
    </footer>
  );
}

/** The time of day, every second (its own component: the rest of the screen does not redraw for it). */
export function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <time className="clock">{now.toLocaleTimeString('zh-CN', { hour12: false })}</time>;
}
