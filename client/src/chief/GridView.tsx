import { Decimal, type ReviewCompetitor } from '@jiangxin/shared';
import { Fragment, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type GridCell,
  type GridRow,
  gridRows,
  missingFromReview,
  outlierDistance,
} from '../common/live/grid';
import { useItemLabel } from './labels';
import { useRoundContext } from './round';

/** Workstations × items × seats, filling in as the live socket pushes the round. */
export function GridView() {
  const { t } = useTranslation('chief');
  const ctx = useRoundContext();
  const label = useItemLabel();
  const snapshot = ctx.live.snapshot;
  const rows = useMemo(
    () =>
      gridRows(ctx.items, snapshot?.standings ?? [], ctx.workstations, missingFromReview(ctx.review.data)),
    [ctx.items, snapshot, ctx.workstations, ctx.review.data],
  );
  const distance = ctx.items[0] ? outlierDistance(ctx.items[0].aspect) : null;
  const panelsOf = useMemo(() => markingPanels(ctx.review.data?.competitors ?? []), [ctx.review.data]);
  return (
    <section className="chief-card grid-card">
      {!snapshot && (
        <p className="status" role="status">
          {t('grid.waiting')}
        </p>
      )}
      <div className="grid-scroll">
        <table className="marks-grid" data-testid="marks-grid" data-version={snapshot?.version ?? ''}>
          <caption className="visually-hidden">{t('grid.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" rowSpan={2} className="ws">
                {t('grid.workstation')}
              </th>
              {ctx.items.map((item) => (
                <th key={item.item} scope="colgroup" colSpan={item.seats.length + 1} className="item-head">
                  {label(item)}
                </th>
              ))}
              <th scope="col" rowSpan={2} className="num">
                {t('grid.total')}
              </th>
              <th scope="col" rowSpan={2} className="num">
                {t('grid.rank')}
              </th>
            </tr>
            <tr>
              {ctx.items.map((item) => (
                <Fragment key={item.item}>
                  {item.seats.map((seat, i) => (
                    <th key={seat} scope="col" className={`seat${i === 0 ? ' first' : ''}`}>
                      {seat}
                    </th>
                  ))}
                  <th scope="col" className="result">
                    {t('grid.result')}
                  </th>
                </Fragment>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <Row key={row.workstation} row={row} panels={panelsOf.get(row.workstation)} />
            ))}
          </tbody>
        </table>
      </div>
      <ul className="grid-legend" aria-label={t('grid.legend')}>
        <li>
          <span className="swatch missing" />
          {t('grid.legendMissing')}
        </li>
        <li>
          <s className="swatch-text">8.5</s>
          {t('grid.legendDropped')}
        </li>
        <li>
          <span className="swatch outlier" />
          {t('grid.legendOutlier', { distance: distance ?? '–' })}
        </li>
        <li>
          <span className="swatch tolerance" />
          {t('grid.legendTolerance')}
        </li>
        <li>
          <span className="swatch replaced" />
          {t('grid.legendReplaced')}
        </li>
      </ul>
    </section>
  );
}

/**
 * The panel (and group) marking each workstation, when the round has more than one panel: the chief judge sees
 * which panel marked whom.
 */
function markingPanels(competitors: readonly ReviewCompetitor[]): Map<string, string> {
  const distinct = new Set(competitors.flatMap((c) => c.panels.map((p) => p.id)));
  if (distinct.size < 2) return new Map();
  return new Map(
    competitors.map((c) => [
      c.workstation,
      c.panels.map((p) => (p.group ? `${p.group} · ${p.name}` : p.name)).join('、'),
    ]),
  );
}

function Row({ row, panels }: { row: GridRow; panels: string | undefined }) {
  const { t } = useTranslation('chief');
  const ctx = useRoundContext();
  const label = useItemLabel();
  return (
    <tr data-testid={`grid-row-${row.workstation}`} className={row.complete ? 'complete' : 'incomplete'}>
      <th scope="row" className="ws">
        {row.workstation}
        {row.competitor !== row.workstation && <span className="muted small"> {row.competitor}</span>}
        {panels && (
          <span className="muted small panel-tag" data-testid={`grid-panel-${row.workstation}`}>
            {t('grid.panel', { panels })}
          </span>
        )}
      </th>
      {row.items.map((item, i) => {
        const name = label(ctx.items[i], item.item);
        return (
          <Fragment key={item.item}>
            {item.cells.map((cell, j) => (
              <Cell
                key={cell.seat}
                cell={cell}
                first={j === 0}
                tolerance={item.tolerance}
                testId={`cell-${row.workstation}-${item.item}-${cell.seat}`}
                title={cellTitle(t, row.workstation, name, cell)}
              />
            ))}
            <td
              className={`result num${item.tolerance ? ' tolerance' : ''}`}
              title={t('grid.progress', { received: item.received, expected: item.expected })}
            >
              {item.result ?? ''}
            </td>
          </Fragment>
        );
      })}
      <td className="num total">{row.total ?? ''}</td>
      <td className="num">{row.rank ?? ''}</td>
    </tr>
  );
}

type T = ReturnType<typeof useTranslation<'chief'>>['t'];

function cellTitle(t: T, workstation: string, item: string, cell: GridCell) {
  const vars = { workstation, item, seat: cell.seat, value: cell.value ?? '' };
  if (cell.value !== null && cell.replaced) return t('grid.cellReplaced', vars);
  if (cell.value !== null) return t(cell.dropped ? 'grid.cellDropped' : 'grid.cellTitle', vars);
  if (cell.received) return t('grid.cellReceived', vars);
  if (cell.missing) return t('grid.cellMissing', vars);
  return undefined;
}

function Cell(props: { cell: GridCell; first: boolean; tolerance: boolean; testId: string; title?: string }) {
  const { cell } = props;
  const classes = [
    'cell',
    props.first && 'first',
    cell.missing && 'missing',
    cell.received && 'received',
    cell.dropped && 'dropped',
    cell.outlier && 'outlier',
    cell.replaced && 'replaced',
    props.tolerance && 'tolerance',
  ].filter(Boolean);
  return (
    <td className={classes.join(' ')} data-testid={props.testId} title={props.title}>
      {cell.value === null ? (
        ''
      ) : cell.replaced ? (
        // The exact average is in the title; the cell shows it to the hundredth.
        <i>≈{Decimal.of(cell.value).toString(2)}</i>
      ) : cell.dropped ? (
        <s>{cell.value}</s>
      ) : (
        cell.value
      )}
    </td>
  );
}
