import type {
  CompetitorView,
  CreatePanelRequest,
  JudgeView,
  PanelDrawRequest,
  PanelView,
} from '@jiangxin/shared';
import { type DragEvent, type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setupApi } from '../common/api/endpoints';
import { Status } from '../common/ui/Status';
import { useChosenEvent, useCompetitionId, useEvent, useStaffMutation, useStaffQuery } from './data';
import { EventPicker, RoundPicker } from './EventPicker';
import { Problem } from './Shell';
import { type SeatSlot, seatSlots, unseatedJudges } from './seats';

/** The drag's payload type: a judge's id (nothing else is dropped on a seat). */
const JUDGE_TYPE = 'application/x-jiangxin-judge';

/** Which part of the field a new panel marks: all, alternate competitors by entry number, or a list. */
type Coverage = 'whole' | 'odd' | 'even' | 'list';

/** The competitors a coverage stands for (empty: the whole field). */
export function coveredIds(
  coverage: Coverage,
  competitors: readonly CompetitorView[],
  listed: ReadonlySet<string>,
) {
  if (coverage === 'whole') return [];
  if (coverage === 'list') return competitors.filter((c) => listed.has(c.id)).map((c) => c.id);
  const ordered = [...competitors].sort((a, b) => (a.entryNumber ?? 1e9) - (b.entryNumber ?? 1e9));
  return ordered.filter((_, i) => i % 2 === (coverage === 'odd' ? 0 : 1)).map((c) => c.id);
}

/**
 * Panels of an event: each for every round or one, the whole field or part of it (a group), judges dragged
 * (or chosen, then placed) into seats or drawn from the pool (裁判抽签); recusal is the server's.
 */
export function PanelsPage() {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const { chosen } = useChosenEvent();
  const eventId = chosen?.id ?? '';
  const panels = useStaffQuery(
    ['panels', eventId],
    (o) => setupApi.panels(competitionId, eventId, o),
    !!chosen,
  );
  const judges = useStaffQuery(['judges', competitionId], (o) => setupApi.judges(competitionId, o));
  const competitors = useStaffQuery(
    ['competitors', eventId],
    (o) => setupApi.competitors(competitionId, eventId, o),
    !!chosen,
  );
  const [name, setName] = useState('');
  const [roundId, setRoundId] = useState('');
  const [group, setGroup] = useState('');
  const [coverage, setCoverage] = useState<Coverage>('whole');
  const [listed, setListed] = useState<ReadonlySet<string>>(new Set());
  const create = useStaffMutation(
    (body: CreatePanelRequest, o) => setupApi.createPanel(competitionId, eventId, body, o),
    [['panels', eventId]],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const competitorIds = coveredIds(coverage, competitors.data ?? [], listed);
    create.mutate(
      { name: name.trim(), aspects: [], group: group.trim(), competitorIds, ...(roundId ? { roundId } : {}) },
      { onSuccess: () => setName('') },
    );
  };
  const event = useEvent(chosen?.id ?? null);
  const rounds = event.data?.rounds ?? [];
  const roundName = (id: string | null) => {
    const round = rounds.find((r) => r.id === id);
    return id === null ? t('panels.everyRound') : (round?.name ?? round?.key ?? id);
  };
  return (
    <>
      <EventPicker />
      {chosen && (
        <>
          <Status query={panels} />
          <Status query={judges} />
          {panels.data?.map((panel) => (
            <PanelBoard
              key={panel.id}
              panel={panel}
              judges={judges.data ?? []}
              roundName={roundName(panel.roundId)}
            />
          ))}
          <form className="organizer-card panel-form" onSubmit={submit}>
            <label className="field">
              <span>{t('panels.newName')}</span>
              <input value={name} onChange={(e) => setName(e.target.value)} name="panelName" required />
            </label>
            <RoundPicker
              label={t('panels.round')}
              rounds={rounds}
              value={roundId}
              onChange={setRoundId}
              name="panelRound"
              everyRound={t('panels.everyRound')}
            />
            <label className="field">
              <span>{t('panels.group')}</span>
              <input
                value={group}
                onChange={(e) => setGroup(e.target.value)}
                name="panelGroup"
                placeholder="A组"
              />
            </label>
            <label className="field">
              <span>{t('panels.coverage')}</span>
              <select
                value={coverage}
                onChange={(e) => setCoverage(e.target.value as Coverage)}
                name="panelCoverage"
              >
                {(['whole', 'odd', 'even', 'list'] as const).map((c) => (
                  <option key={c} value={c}>
                    {t(`panels.coverage.${c}`)}
                  </option>
                ))}
              </select>
            </label>
            {coverage === 'list' && (
              <fieldset className="coverage-list">
                <legend>{t('panels.coverage.list')}</legend>
                {(competitors.data ?? []).map((c) => (
                  <label key={c.id}>
                    <input
                      type="checkbox"
                      checked={listed.has(c.id)}
                      onChange={(e) => {
                        const next = new Set(listed);
                        if (e.target.checked) next.add(c.id);
                        else next.delete(c.id);
                        setListed(next);
                      }}
                    />
                    {c.name}
                    {c.entryNumber !== null && ` (${c.entryNumber})`}
                  </label>
                ))}
              </fieldset>
            )}
            <button type="submit" className="button" disabled={create.isPending || name.trim() === ''}>
              {t('panels.create')}
            </button>
            <Problem error={create.error} />
          </form>
          <PanelDraw rounds={rounds} />
        </>
      )}
    </>
  );
}

/** The draw of the competition's judges to the panels of one round (裁判抽签), with reserves. */
function PanelDraw({ rounds }: { rounds: { id: string; key: string; name: string | null }[] }) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const { chosen } = useChosenEvent();
  const [roundId, setRoundId] = useState(rounds[0]?.id ?? '');
  const [reserves, setReserves] = useState(0);
  const draw = useStaffMutation(
    (body: PanelDrawRequest, o) => setupApi.panelDraw(competitionId, roundId, body, o),
    [['panels', chosen?.id ?? '']],
  );
  return (
    <form
      className="organizer-card panel-form"
      data-testid="panel-draw"
      onSubmit={(e) => {
        e.preventDefault();
        draw.mutate({ reserves });
      }}
    >
      <h2>{t('panels.draw.title')}</h2>
      <p className="muted small">{t('panels.draw.intro')}</p>
      <RoundPicker
        label={t('panels.round')}
        rounds={rounds}
        value={roundId}
        onChange={setRoundId}
        name="drawRound"
      />
      <label className="field">
        <span>{t('panels.draw.reserves')}</span>
        <input
          type="number"
          min={0}
          max={9}
          value={reserves}
          onChange={(e) => setReserves(Number(e.target.value))}
          name="drawReserves"
        />
      </label>
      <button type="submit" className="button" disabled={draw.isPending || !roundId}>
        {t('panels.draw.run')}
      </button>
      {draw.data && (
        <p className="small" data-testid="panel-draw-seed">
          {t('panels.draw.done', { count: draw.data.panels.length })}{' '}
          <code>{draw.data.seedHash.slice(0, 16)}…</code>
        </p>
      )}
      <Problem error={draw.error} />
    </form>
  );
}

function PanelBoard({
  panel,
  judges,
  roundName,
}: {
  panel: PanelView;
  judges: JudgeView[];
  roundName: string;
}) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  // The judge chosen with the keyboard or a click, to be placed with a seat's button.
  const [held, setHeld] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<{ seat: string; error: Error } | null>(null);
  const assign = useStaffMutation(
    ({ seat, judgeId }: { seat: string; judgeId: string }, o) =>
      setupApi.assignSeat(competitionId, panel.id, seat, { judgeId }, o),
    [['panels', panel.eventId]],
  );
  const clear = useStaffMutation(
    (seat: string, o) => setupApi.clearSeat(competitionId, panel.id, seat, o),
    [['panels', panel.eventId]],
  );
  const place = (seat: string, judgeId: string) => {
    setRefusal(null);
    assign.mutate(
      { seat, judgeId },
      { onSuccess: () => setHeld(null), onError: (error) => setRefusal({ seat, error }) },
    );
  };
  const free = unseatedJudges(judges, panel);
  const heldJudge = judges.find((j) => j.id === held);
  const drop = (seat: string) => (e: DragEvent) => {
    e.preventDefault();
    setOver(null);
    const judgeId = e.dataTransfer.getData(JUDGE_TYPE);
    if (judgeId) place(seat, judgeId);
  };
  return (
    <section className="organizer-card" data-testid={`panel-${panel.id}`}>
      <h2>
        {panel.name} {panel.group && <span className="panel-group">{panel.group}</span>}{' '}
        <span className="muted small">{t('panels.size', { count: panel.size })}</span>
      </h2>
      <p className="muted small" data-testid="panel-coverage">
        {roundName} ·{' '}
        {panel.competitorIds.length === 0
          ? t('panels.wholeField')
          : t('panels.someCompetitors', { count: panel.competitorIds.length })}
      </p>
      <div className="panel-board">
        <div>
          <h3>{t('panels.seats')}</h3>
          <ol className="seats">
            {seatSlots(panel).map((slot) => (
              <SeatCard
                key={slot.seat}
                slot={slot}
                over={over === slot.seat}
                held={heldJudge?.name ?? null}
                refusal={refusal?.seat === slot.seat ? refusal.error : null}
                onDragOver={(e) => {
                  if (!e.dataTransfer.types.includes(JUDGE_TYPE)) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                  setOver(slot.seat);
                }}
                onDragLeave={() => setOver((o) => (o === slot.seat ? null : o))}
                onDrop={drop(slot.seat)}
                onPlace={() => held && place(slot.seat, held)}
                onClear={() =>
                  clear.mutate(slot.seat, { onError: (error) => setRefusal({ seat: slot.seat, error }) })
                }
              />
            ))}
          </ol>
        </div>
        <div>
          <h3>{t('panels.judges')}</h3>
          <p className="muted small">{t('panels.howTo')}</p>
          <ul className="judge-pool" data-testid="judge-pool">
            {free.map((judge) => (
              <li key={judge.id}>
                <button
                  type="button"
                  className={`judge-chip${held === judge.id ? ' held' : ''}`}
                  draggable
                  aria-pressed={held === judge.id}
                  data-judge={judge.name}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(JUDGE_TYPE, judge.id);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onClick={() => setHeld((h) => (h === judge.id ? null : judge.id))}
                >
                  <strong>{judge.name}</strong>
                  <span className="muted small">
                    {judge.unit} · {judge.region}
                  </span>
                </button>
              </li>
            ))}
            {free.length === 0 && <li className="muted">{t('panels.allSeated')}</li>}
          </ul>
        </div>
      </div>
      {panel.recusals.length > 0 && (
        <table className="org-table" data-testid="recusals">
          <caption>{t('panels.recusals')}</caption>
          <thead>
            <tr>
              <th>{t('panels.judge')}</th>
              <th>{t('panels.competitor')}</th>
              <th>{t('panels.reason')}</th>
              <th>{t('panels.substitute')}</th>
            </tr>
          </thead>
          <tbody>
            {panel.recusals.map((r) => (
              <tr key={`${r.judgeId}-${r.competitorId}`}>
                <td>{panel.seats.find((s) => s.judgeId === r.judgeId)?.name ?? r.seat}</td>
                <td>
                  {r.competitorName}
                  {r.entryNumber !== null && ` (${r.entryNumber})`}
                </td>
                <td>{t(`reason.${r.reason}`)}</td>
                <td>{r.substituteSeat ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function SeatCard({
  slot,
  over,
  held,
  refusal,
  onDragOver,
  onDragLeave,
  onDrop,
  onPlace,
  onClear,
}: {
  slot: SeatSlot;
  over: boolean;
  held: string | null;
  refusal: Error | null;
  onDragOver: (e: DragEvent) => void;
  onDragLeave: () => void;
  onDrop: (e: DragEvent) => void;
  onPlace: () => void;
  onClear: () => void;
}) {
  const { t } = useTranslation('organizer');
  return (
    <li
      className={`seat ${slot.kind}${over ? ' over' : ''}${slot.judge ? ' taken' : ''}${refusal ? ' refused' : ''}`}
      data-seat={slot.seat}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <span className="seat-name">
        {slot.seat}
        <span className="muted small"> {t(`panels.${slot.kind}`)}</span>
      </span>
      {slot.judge ? (
        <span className="seat-judge">
          <strong>{slot.judge.name}</strong>
          <span className="muted small">{slot.judge.unit}</span>
        </span>
      ) : (
        <span className="muted small">{t('panels.empty')}</span>
      )}
      <span className="seat-actions">
        {held && (
          <button type="button" className="button small" onClick={onPlace}>
            {t('panels.placeHere', { name: held })}
          </button>
        )}
        {slot.judge && (
          <button type="button" className="link" onClick={onClear}>
            {t('panels.clear')}
          </button>
        )}
      </span>
      {refusal && (
        <span className="field-problem" role="alert" data-testid={`refusal-${slot.seat}`}>
          {refusal.message}
        </span>
      )}
    </li>
  );
}
