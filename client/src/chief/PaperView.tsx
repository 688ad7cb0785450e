import { markDomain } from '@jiangxin/shared';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { marksApi } from '../common/api/endpoints';
import { useI18n } from '../common/i18n';
import { newId } from '../common/id';
import { useSession } from '../common/session/session';
import { asStaff, staffSession } from '../common/session/staff';
import { Status } from '../common/ui/Status';
import { TableHead } from '../common/ui/TableHead';
import { TextField } from '../common/ui/TextField';
import { CodeField, ItemField, usePlaceChoice, WorkstationField } from './fields';
import { useWhere } from './labels';
import { type EnteredHere, paperEntryProblem, paperRows } from './paper';
import { useRoundAction, useRoundContext } from './round';
import { ActionError } from './Shell';

/** The paper marks entered on this computer for a round (to tell when they were confirmed). */
function useEnteredHere(roundId: string) {
  const key = `jiangxin.paper.${roundId}`;
  const read = useCallback((): EnteredHere[] => {
    try {
      return JSON.parse(sessionStorage.getItem(key) ?? '[]') as EnteredHere[];
    } catch {
      return [];
    }
  }, [key]);
  const [entries, setEntries] = useState(read);
  const add = (entry: EnteredHere) => {
    const next = [...read(), entry];
    sessionStorage.setItem(key, JSON.stringify(next));
    setEntries(next);
  };
  return [entries, add] as const;
}

/** The scorekeeper enters marks from signed paper sheets; a second person confirms them. */
export function PaperView() {
  const { t, i18n } = useTranslation('chief');
  const ctx = useRoundContext();
  const session = useSession(staffSession);
  const where = useWhere();
  const [entered, remember] = useEnteredHere(ctx.roundId);
  const pending = useQuery({
    queryKey: ctx.keys.paper,
    queryFn: async () => {
      const askedAt = Date.now();
      const list = await asStaff((token) => marksApi.pendingPaper(ctx.competitionId, ctx.roundId, { token }));
      return { ...list, askedAt };
    },
  });
  const rows = useMemo(
    () => paperRows(pending.data?.pending ?? [], entered, pending.data?.askedAt ?? 0),
    [pending.data, entered],
  );
  const me = session?.data.account.id;
  return (
    <div className="paper-layout">
      {ctx.locked ? (
        <p className="chief-card warning">{t('paper.locked')}</p>
      ) : (
        <PaperForm onEntered={remember} />
      )}
      <section className="chief-card" aria-labelledby="paper-list-title">
        <div className="card-head">
          <h2 id="paper-list-title">{t('paper.list')}</h2>
          <button type="button" className="button" onClick={() => void pending.refetch()}>
            {t('paper.refresh')}
          </button>
        </div>
        <Status query={pending} />
        {pending.data && rows.length === 0 && <p className="muted">{t('paper.empty')}</p>}
        {rows.length > 0 && (
          <table className="paper-table" data-testid="paper-list">
            <TableHead
              columns={[
                { label: t('paper.workstation') },
                { label: t('paper.item') },
                { label: t('paper.seat') },
                { label: t('paper.value'), className: 'num' },
                { label: t('paper.enteredBy') },
                { label: t('paper.enteredAt') },
                { label: t('paper.status') },
              ]}
            />
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid={`paper-entry-${r.id}`} data-status={r.status}>
                  <td>{r.workstation}</td>
                  <td>{where(r.item)}</td>
                  <td>{r.seat}</td>
                  <td className="num">{r.value}</td>
                  <td>
                    {r.enteredBy === null || r.enteredBy === me
                      ? t('paper.me')
                      : t('paper.other', { id: r.enteredBy.slice(-6) })}
                  </td>
                  <td>{new Date(r.createdAt).toLocaleTimeString(i18n.language)}</td>
                  <td>
                    <span className={`chip ${r.status === 'confirmed' ? 'open' : 'warn'}`}>
                      {t(`paper.status.${r.status}`)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function PaperForm({ onEntered }: { onEntered: (entry: EnteredHere) => void }) {
  const { t } = useTranslation('chief');
  const { locale } = useI18n();
  const ctx = useRoundContext();
  const itemName = useWhere();
  const { workstation, setWorkstation, item, setItem } = usePlaceChoice();
  const [seat, setSeat] = useState('J1');
  const [value, setValue] = useState('');
  const [tried, setTried] = useState(false);
  const chosen = ctx.items.find((i) => i.item === item);
  const entry = { workstation, item, seat, value };
  const problem = paperEntryProblem(ctx.scheme, ctx.round.key, entry);
  const domain = chosen ? markDomain(chosen.aspect) : null;
  const send = useRoundAction(
    (token, id: string) =>
      marksApi.paperMark(ctx.competitionId, ctx.roundId, { id, ...entry, value: value.trim() }, { token }),
    (answer) => {
      const m = answer.mark;
      onEntered({
        id: m.id,
        workstation: m.workstation,
        item: m.item,
        seat: m.seat ?? seat,
        value: m.value,
        createdAt: m.createdAt,
        enteredAt: Date.now(),
      });
      setValue('');
      setTried(false);
    },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!problem) send.mutate(newId());
  };
  const problemText = !problem
    ? null
    : problem.key === 'paper.outOfScale'
      ? t('paper.outOfScale', { problem: problem.text[locale] })
      : problem.key === 'paper.unknownItem'
        ? t('paper.unknownItem', { item: problem.item })
        : t(problem.key);
  const saved = send.data?.mark;
  return (
    <form className="chief-card paper-form" onSubmit={submit} aria-labelledby="paper-title" noValidate>
      <h2 id="paper-title">{t('paper.title')}</h2>
      <p className="muted small">{t('paper.intro')}</p>
      <div className="fields">
        <WorkstationField label={t('paper.workstation')} value={workstation} onChange={setWorkstation} />
        <ItemField
          label={t('paper.item')}
          value={item}
          onChange={(next) => {
            setItem(next);
            setSeat('J1');
          }}
        />
        <CodeField label={t('paper.seat')} value={seat} onChange={setSeat} codes={chosen?.seats ?? []} />
        <TextField
          label={t('paper.value')}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onChange={setValue}
          aria-invalid={tried && problem !== null}
          aria-describedby="paper-range"
        />
        <button type="submit" className="button primary" disabled={send.isPending}>
          {t('paper.submit')}
        </button>
      </div>
      {domain?.min && domain.max && (
        <p id="paper-range" className="muted small">
          {t('paper.range', {
            min: domain.min.toString(),
            max: domain.max.toString(),
            step: domain.step?.toString() ?? '–',
          })}
        </p>
      )}
      {tried && problemText && (
        <p className="status error" role="alert">
          {problemText}
        </p>
      )}
      {saved && !tried && (
        <p className="ok" role="status">
          {t('paper.saved', {
            workstation: saved.workstation,
            item: itemName(saved.item),
            seat: saved.seat ?? '',
            value: saved.value,
          })}
        </p>
      )}
      <ActionError error={send.error} />
    </form>
  );
}
