import {
  type CompetitorView,
  type CreatePanelRequest,
  type JudgeView,
  mostAttempts,
  type PanelCoverageRequest,
  type PanelDrawRequest,
  type PanelView,
  type RoundView,
  type Scheme,
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

/** A panel's coverage as the form edits it. */
interface CoverageDraft {
  roundId: string;
  group: string;
  coverage: Coverage;
  listed: ReadonlySet<string>;
  /** The attempts it marks; none chosen: every attempt. */
  attempts: ReadonlySet<number>;
}

const emptyDraft: CoverageDraft = {
  roundId: '',
  group: '',
  coverage: 'whole',
  listed: new Set(),
  attempts: new Set(),
};

/** An existing panel's coverage, to edit: its list as chosen competitors. */
const draftOf = (panel: PanelView): CoverageDraft => ({
  roundId: panel.roundId ?? '',
  group: panel.group,
  coverage: panel.competitorIds.length > 0 ? 'list' : 'whole',
  listed: new Set(panel.competitorIds),
  attempts: new Set(panel.attempts),
});

/** The request a draft stands for (attempts a round does not have are dropped). */
function coverageOf(draft: CoverageDraft, competitors: readonly CompetitorView[], most: number) {
  return {
    group: draft.group.trim(),
    competitorIds: coveredIds(draft.coverage, competitors, draft.listed),
    attempts: [...draft.attempts].filter((a) => a <= most).sort((a, b) => a - b),
    ...(draft.roundId ? { roundId: draft.roundId } : {}),
  } satisfies PanelCoverageRequest;
}

/** The round, group, part of the field and attempts of a panel, for a new panel and to change one. */
function CoverageFields({
  draft,
  onChange,
  rounds,
  scheme,
  competitors,
  prefix,
}: {
  draft: CoverageDraft;
  onChange: (next: CoverageDraft) => void;
  rounds: RoundView[];
  scheme: Scheme | undefined;
  competitors: readonly CompetitorView[];
  prefix: string;
}) {
  const { t } = useTranslation('organizer');
  const set = (part: Partial<CoverageDraft>) => onChange({ ...draft, ...part });
  const toggled = <T,>(all: ReadonlySet<T>, item: T, on: boolean) => {
    const next = new Set(all);
    if (on) next.add(item);
    else next.delete(item);
    return next;
  };
  const most = mostAttempts(scheme, rounds.find((r) => r.id === draft.roundId)?.key);
  return (
    <>
      <RoundPicker
        label={t('panels.round')}
        rounds={rounds}
        value={draft.roundId}
        onChange={(roundId) => set({ roundId })}
        name={`${prefix}Round`}
        everyRound={t('panels.everyRound')}
      />
      <label className="field">
        <span>{t('panels.group')}</span>
        <input
          value={draft.group}
          onChange={(e) => set({ group: e.target.value })}
          name={`${prefix}Group`}
          placeholder="A组"
        />
      </label>
      <label className="field">
        <span>{t('panels.coverage')}</span>
        <select
          value={draft.coverage}
          onChange={(e) => set({ coverage: e.target.value as Coverage })}
          name={`${prefix}Coverage`}
        >
          {(['whole', 'odd', 'even', 'list'] as const).map((c) => (
            <option key={c} value={c}>
              {t(`panels.coverage.${c}`)}
            </option>
          ))}
        </select>
      </label>
      {draft.coverage === 'list' && (
        <fieldset className="coverage-list">
          <legend>{t('panels.coverage.list')}</legend>
          {competitors.map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={draft.listed.has(c.id)}
                onChange={(e) => set({ listed: toggled(draft.listed, c.id, e.target.checked) })}
              />
              {c.name}
              {c.entryNumber !== null && ` (${c.entryNumber})`}
            </label>
          ))}
        </fieldset>
      )}
      {most > 0 && (
        <fieldset className="coverage-list" data-testid={`${prefix}-attempts`}>
          <legend>{t('panels.attempts')}</legend>
          {Array.from({ length: most }, (_, i) => i + 1).map((attempt) => (
            <label key={attempt}>
              <input
                type="checkbox"
                name={`${prefix}Attempt${attempt}`}
                checked={draft.attempts.has(attempt)}
                onChange={(e) => set({ attempts: toggled(draft.attempts, attempt, e.target.checked) })}
              />
              {t('panels.attempt', { n: attempt })}
            </label>
          ))}
          <p className="muted small">{t('panels.attempts.hint')}</p>
        </fieldset>
      )}
    </>
  );
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
  const [draft, setDraft] = useState<CoverageDraft>(emptyDraft);
  const event = useEvent(chosen?.id ?? null);
  const rounds = event.data?.rounds ?? [];
  const scheme = event.data?.scheme;
  const create = useStaffMutation(
    (body: CreatePanelRequest, o) => setupApi.createPanel(competitionId, eventId, body, o),
    [['panels', eventId]],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const most = mostAttempts(scheme, rounds.find((r) => r.id === draft.roundId)?.key);
    create.mutate(
      { name: name.trim(), aspects: [], ...coverageOf(draft, competitors.data ?? [], most) },
      { onSuccess: () => setName('') },
    );
  };
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
              rounds={rounds}
              scheme={scheme}
              competitors={competitors.data ?? []}
            />
          ))}
          <form className="organizer-card panel-form" onSubmit={submit}>
            <label className="field">
              <span>{t('panels.newName')}</span>
              <input value={name} onChange={(e) => setName(e.target.value)} name="panelName" required />
            </label>
            <CoverageFields
              draft={draft}
              onChange={setDraft}
              rounds={rounds}
              scheme={scheme}
              competitors={competitors.data ?? []}
              prefix="panel"
            />
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
  rounds,
  scheme,
  competitors,
}: {
  panel: PanelView;
  judges: JudgeView[];
  roundName: string;
  rounds: RoundView[];
  scheme: Scheme | undefined;
  competitors: readonly CompetitorView[];
}) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const [draft, setDraft] = useState<CoverageDraft | null>(null);
  const replace = useStaffMutation(
    (body: PanelCoverageRequest, o) => setupApi.replaceCoverage(competitionId, panel.id, body, o),
    [['panels', panel.eventId]],
  );
  const saveCoverage = (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const most = mostAttempts(scheme, rounds.find((r) => r.id === draft.roundId)?.key);
    replace.mutate(coverageOf(draft, competitors, most), { onSuccess: () => setDraft(null) });
  };
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
        {panel.attempts.length > 0 && ` · ${t('panels.attemptsOf', { list: panel.attempts.join('、') })}`}{' '}
        {draft === null && (
          <button type="button" className="button secondary" onClick={() => setDraft(draftOf(panel))}>
            {t('panels.editCoverage')}
          </button>
        )}
      </p>
      {draft !== null && (
        <form className="panel-form" onSubmit={saveCoverage} data-testid="coverage-form">
          <CoverageFields
            draft={draft}
            onChange={setDraft}
            rounds={rounds}
            scheme={scheme}
            competitors={competitors}
            prefix="edit"
          />
          <button type="submit" className="button" disabled={replace.isPending}>
            {t('panels.saveCoverage')}
          </button>{' '}
          <button type="button" className="button secondary" onClick={() => setDraft(null)}>
            {t('panels.cancel')}
          </button>
          <Problem error={replace.error} />
        </form>
      )}
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
