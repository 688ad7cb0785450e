import type { CheckInResult, DrawResult } from '@jiangxin/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setupApi } from '../common/api/endpoints';
import { Status } from '../common/ui/Status';
import {
  useChosenEvent,
  useCompetitionId,
  useCompetitionView,
  useEvent,
  useStaffMutation,
  useStaffQuery,
} from './data';
import { EventPicker, RoundPicker } from './EventPicker';
import { Problem } from './Shell';

/**
 * The draw (抽签: entry numbers, by the organizer) and check-in (检录: the second draw gives each competitor
 * a workstation of the round). Check-in reveals codes, so only the encryption officer and the chief judge
 * check competitors in; the organizer sees how many have been.
 */
export function DrawPage() {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const competition = useCompetitionView();
  const { chosen } = useChosenEvent();
  const eventId = chosen?.id ?? '';
  const event = useEvent(chosen?.id ?? null);
  const competitors = useStaffQuery(
    ['competitors', eventId],
    (o) => setupApi.competitors(competitionId, eventId, o),
    !!chosen,
  );
  const [drawn, setDrawn] = useState<DrawResult | null>(null);
  const draw = useStaffMutation(
    (_: undefined, o) => setupApi.draw(competitionId, eventId, o),
    [['competitors', eventId]],
  );
  const [roundId, setRoundId] = useState('');
  const rounds = event.data?.rounds ?? [];
  const round = rounds.find((r) => r.id === roundId) ?? rounds[0];
  const workstations = useStaffQuery(
    ['workstations', round?.id],
    (o) => setupApi.workstations(competitionId, round?.id ?? '', o),
    !!round,
  );
  const mayCheckIn = competition.data?.roles.some((r) => r === 'encryptionOfficer' || r === 'chiefJudge');
  const [checkedIn, setCheckedIn] = useState<Record<string, CheckInResult>>({});
  const checkIn = useStaffMutation(
    (competitorId: string, o) => setupApi.checkIn(competitionId, round?.id ?? '', competitorId, o),
    [['workstations', round?.id]],
  );
  const list = competitors.data ?? [];
  const undrawn = list.filter((c) => c.entryNumber === null).length;
  return (
    <>
      <EventPicker />
      {chosen && (
        <section className="organizer-card">
          <h2>{t('draw.title')}</h2>
          <p className="muted">{t('draw.intro')}</p>
          <div className="form-row">
            <button
              type="button"
              className="button primary"
              disabled={draw.isPending || list.length === 0 || undrawn === 0}
              onClick={() => draw.mutate(undefined, { onSuccess: setDrawn })}
            >
              {t('draw.run')}
            </button>
            <span className="muted" data-testid="draw-state">
              {list.length === 0
                ? t('draw.nobody')
                : undrawn === 0
                  ? t('draw.allDrawn', { count: list.length })
                  : t('draw.undrawn', { count: undrawn })}
            </span>
          </div>
          {drawn?.seedHash && (
            <p className="small" data-testid="draw-seed">
              {t('draw.seed', { count: drawn.assigned.length })} <code>{drawn.seedHash}</code>
            </p>
          )}
          <Problem error={draw.error} />
          <Status query={competitors} />
        </section>
      )}
      {chosen && rounds.length > 0 && (
        <section className="organizer-card">
          <h2>{t('checkIn.title')}</h2>
          <div className="form-row">
            <RoundPicker
              label={t('run.round')}
              rounds={rounds}
              value={round?.id ?? ''}
              onChange={setRoundId}
            />
            <span data-testid="checked-in-count">
              {t('checkIn.count', { done: workstations.data?.codes.length ?? 0, total: list.length })}
            </span>
          </div>
          {!mayCheckIn && <p className="muted small">{t('checkIn.byOfficer')}</p>}
          <Problem error={checkIn.error} />
          <table className="org-table" data-testid="draw-table">
            <thead>
              <tr>
                <th>{t('draw.entryNumber')}</th>
                <th>{t('person.name')}</th>
                <th>{t('person.unit')}</th>
                {mayCheckIn && <th>{t('checkIn.workstation')}</th>}
              </tr>
            </thead>
            <tbody>
              {[...list]
                .sort((a, b) => (a.entryNumber ?? 1e9) - (b.entryNumber ?? 1e9))
                .map((c) => (
                  <tr key={c.id}>
                    <td className="num">{c.entryNumber ?? '—'}</td>
                    <td>{c.name}</td>
                    <td>{c.unit}</td>
                    {mayCheckIn && (
                      <td>
                        {checkedIn[c.id] ? (
                          <strong>{checkedIn[c.id]?.code}</strong>
                        ) : (
                          <button
                            type="button"
                            className="button small"
                            disabled={checkIn.isPending}
                            onClick={() =>
                              checkIn.mutate(c.id, {
                                onSuccess: (result) => setCheckedIn((held) => ({ ...held, [c.id]: result })),
                              })
                            }
                          >
                            {t('checkIn.run')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
