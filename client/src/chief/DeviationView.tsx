import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { bySeat } from '../common/live/grid';
import { TableHead } from '../common/ui/TableHead';
import { type ChartBar, DeviationChart, signed } from './DeviationChart';
import {
  deviationPoints,
  MIN_MARKS,
  OUTLIER_STEPS,
  SEPARATION_STEPS,
  type SeatDeviation,
  seatDeviations,
} from './deviation';
import { useWhere } from './labels';
import { useRoundContext } from './round';

/** Each judge's marks against the panel: a chart per seat and a table that names the judge who stands out. */
export function DeviationView() {
  const { t } = useTranslation('chief');
  const ctx = useRoundContext();
  const where = useWhere();
  const lines = ctx.live.snapshot?.standings;
  const seats = useMemo(() => [...new Set(ctx.items.flatMap((i) => i.seats))].sort(bySeat), [ctx.items]);
  const rows = useMemo(
    () => seatDeviations(deviationPoints(ctx.items, lines ?? []), seats),
    [ctx.items, lines, seats],
  );
  const limit = useMemo(() => {
    const largest = Math.max(1, ...rows.flatMap((r) => r.points.map((p) => Math.abs(p.deviation))));
    return Math.ceil(largest * 2) / 2;
  }, [rows]);
  const bars = (row: SeatDeviation): ChartBar[] =>
    row.points.map((p) => ({ label: `${p.workstation} ${where(p.item)}`, value: p.deviation }));
  return (
    <section className="chief-card" aria-labelledby="deviation-title">
      <h2 id="deviation-title">{t('deviation.title')}</h2>
      <p className="muted small">{t('deviation.intro')}</p>
      <p className="muted small">
        {t('deviation.rule', { min: MIN_MARKS, steps: OUTLIER_STEPS, separation: SEPARATION_STEPS })}
      </p>
      <div className="deviation-layout">
        <table className="deviation-table" data-testid="deviation-table">
          <TableHead
            columns={[
              { label: t('deviation.seat') },
              { label: t('deviation.count'), className: 'num' },
              { label: t('deviation.mean'), className: 'num' },
              { label: t('deviation.meanAbsolute'), className: 'num' },
              { label: t('deviation.status') },
            ]}
          />
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.seat}
                data-testid={`deviation-${row.seat}`}
                data-outlier={row.outlier ? 'true' : 'false'}
                className={row.outlier ? 'outlier' : undefined}
              >
                <th scope="row">{row.seat}</th>
                <td className="num">{row.count}</td>
                <td className="num">{signed(row.mean)}</td>
                <td className="num">{row.meanAbsolute === null ? '–' : row.meanAbsolute.toFixed(2)}</td>
                <td>
                  {row.count === 0
                    ? t('deviation.none')
                    : row.outlier
                      ? t((row.mean ?? 0) > 0 ? 'deviation.outlier' : 'deviation.outlierLow')
                      : t('deviation.normal')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="deviation-charts">
          {rows.map((row) => (
            <figure key={row.seat} className={`deviation-figure${row.outlier ? ' outlier' : ''}`}>
              <figcaption>
                <strong>{row.seat}</strong> <span className="muted small">{signed(row.mean)}</span>
              </figcaption>
              {row.count === 0 ? (
                <p className="muted small">{t('deviation.empty')}</p>
              ) : (
                <DeviationChart
                  bars={bars(row)}
                  limit={limit}
                  outlier={row.outlier}
                  label={t('deviation.chartLabel', { seat: row.seat })}
                />
              )}
            </figure>
          ))}
        </div>
      </div>
    </section>
  );
}
