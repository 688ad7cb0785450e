import { Fragment, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useI18n } from '../common/i18n';
import { bySeat, gridRows } from '../common/live/grid';
import { TableHead } from '../common/ui/TableHead';
import { useItemLabel } from './labels';
import { useRoundContext } from './round';

/**
 * The round's score sheets for signing (A4 portrait): every mark by seat for each workstation and item, the
 * panel's result and the total, then a signature line for each judge seat and the chief judge. Opens the
 * browser's print dialog once the marks are in.
 */
export function PrintView() {
  const { t, i18n } = useTranslation('chief');
  const { pick } = useI18n();
  const ctx = useRoundContext();
  const navigate = useNavigate();
  const label = useItemLabel();
  const snapshot = ctx.live.snapshot;
  const rows = useMemo(
    () => gridRows(ctx.items, snapshot?.standings ?? [], ctx.workstations),
    [ctx.items, snapshot, ctx.workstations],
  );
  const seats = useMemo(() => [...new Set(ctx.items.flatMap((i) => i.seats))].sort(bySeat), [ctx.items]);
  const printed = useRef(false);
  useEffect(() => {
    if (!snapshot || printed.current) return;
    printed.current = true;
    // After the sheet has been laid out with its font.
    const timer = setTimeout(() => void document.fonts.ready.then(() => window.print()), 100);
    return () => clearTimeout(timer);
  }, [snapshot]);
  const now = new Date().toLocaleString(i18n.language);
  return (
    <div className="chief print-page">
      <div className="print-toolbar no-print">
        <button
          type="button"
          className="button"
          onClick={() => navigate(`/chief/${ctx.competitionId}/${ctx.eventId}/${ctx.roundId}`)}
        >
          ‹ {t('print.back')}
        </button>
        <button type="button" className="button primary" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </div>
      <article className="sheet" data-testid="score-sheet">
        <header className="sheet-head">
          <h1>
            {ctx.event.name} · {t('print.title')}
          </h1>
          <dl>
            <dt>{t('print.competition')}</dt>
            <dd>{ctx.competition.name}</dd>
            <dt>{t('print.event')}</dt>
            <dd>
              {ctx.event.name}（{pick(ctx.scheme.name, ctx.scheme.nameEn)}）
            </dd>
            <dt>{t('print.round')}</dt>
            <dd>{ctx.round.name ?? ctx.round.key}</dd>
            <dt>{t('print.status')}</dt>
            <dd>{ctx.locked ? t('round.signedOff') : t('print.provisional')}</dd>
            <dt>{t('print.printedAt')}</dt>
            <dd>{now}</dd>
          </dl>
        </header>
        <table className="sheet-table">
          <TableHead
            columns={[
              { label: t('print.workstation'), className: 'col-ws' },
              { label: t('print.item') },
              ...seats.map((seat) => ({ label: seat, className: 'col-seat' })),
              { label: t('print.result'), className: 'num col-result' },
              { label: t('print.total'), className: 'num col-total' },
            ]}
          />
          {rows.map((row) => (
            <tbody key={row.workstation} className="sheet-workstation">
              {row.items.map((item, i) => {
                const cells = new Map(item.cells.map((c) => [c.seat, c]));
                return (
                  <tr key={item.item}>
                    {i === 0 && (
                      <th scope="rowgroup" rowSpan={row.items.length}>
                        {row.workstation}
                        {row.competitor !== row.workstation && <div className="small">{row.competitor}</div>}
                      </th>
                    )}
                    <td>{label(ctx.items[i], item.item)}</td>
                    {seats.map((seat) => {
                      const cell = cells.get(seat);
                      return (
                        <td key={seat} className="col-seat">
                          {cell?.value ? (cell.dropped ? `(${cell.value})` : cell.value) : ''}
                        </td>
                      );
                    })}
                    <td className="num">{item.result ?? ''}</td>
                    {i === 0 && (
                      <td className="num total" rowSpan={row.items.length}>
                        {row.total ?? ''}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          ))}
        </table>
        <p className="sheet-note">{t('print.note')}</p>
        <section className="signatures" aria-label={t('print.signatures')}>
          {seats.map((seat) => (
            <Fragment key={seat}>
              <Signature name={t('print.judge', { seat })} date={t('print.date')} />
            </Fragment>
          ))}
          <Signature name={t('print.chiefJudge')} date={t('print.date')} />
        </section>
      </article>
    </div>
  );
}

function Signature({ name, date }: { name: string; date: string }) {
  return (
    <div className="signature">
      <span className="who">{name}</span>
      <span className="line" />
      <span className="who">{date}</span>
      <span className="line short" />
    </div>
  );
}
