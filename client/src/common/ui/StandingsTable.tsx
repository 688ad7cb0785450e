import type { EventJson, Scheme } from '@jiangxin/shared';
import { Fragment, useState } from 'react';
import type { Standing } from '../api/types';
import { useI18n } from '../i18n';
import { StandingDetail } from './StandingDetail';
import { TableHead } from './TableHead';

interface Props {
  event: EventJson;
  /** The scheme, for component and aspect names; ids are shown without it. */
  scheme: Scheme | null;
  caption?: string;
}

/** An event's standings: rank, competitor, total; a row opens to show how the total was made. */
export function StandingsTable({ event, scheme, caption }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState<string | null>(null);

  return (
    <table className="standings">
      {caption && <caption>{caption}</caption>}
      <TableHead
        columns={[
          { label: t('standings.rank'), className: 'num' },
          { label: t('standings.competitor') },
          { label: t('standings.total'), className: 'num' },
        ]}
      />
      <tbody>
        {event.standings.map((standing) => {
          const isOpen = open === standing.competitor;
          const toggle = () => setOpen(isOpen ? null : standing.competitor);
          return (
            <Fragment key={standing.competitor}>
              <tr
                className={`standing${isOpen ? ' open' : ''}`}
                data-testid="standing-row"
                onClick={toggle}
                aria-expanded={isOpen}
              >
                <td className="num rank">{standing.rank === null ? t('standings.dsq') : standing.rank}</td>
                <td>
                  <button
                    type="button"
                    className="competitor"
                    onClick={(e) => {
                      e.stopPropagation();
                      toggle();
                    }}
                    aria-label={t(isOpen ? 'standings.hide' : 'standings.show', {
                      name: standing.competitor,
                    })}
                  >
                    <span className="chevron" aria-hidden="true">
                      {isOpen ? '▾' : '▸'}
                    </span>
                    {standing.competitor}
                  </button>
                  <Notes standing={standing} />
                </td>
                <td className="num total">{standing.total}</td>
              </tr>
              {isOpen && (
                <tr className="detail-row">
                  <td colSpan={3}>
                    <StandingDetail standing={standing} scheme={scheme} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

function Notes({ standing }: { standing: Standing }) {
  const { t } = useI18n();
  const notes: string[] = [];
  if (standing.shared) notes.push(t('standings.shared'));
  if (standing.decidedBy) notes.push(t('standings.decidedBy', { by: standing.decidedBy }));
  if (!standing.complete) notes.push(t('standings.incomplete'));
  if (notes.length === 0) return null;
  return <span className="notes">{notes.join(' · ')}</span>;
}
