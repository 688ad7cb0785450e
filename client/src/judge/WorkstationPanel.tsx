import type { CorrectionView, MarkView, MyMarksResponse } from '@jiangxin/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useI18n } from '../common/i18n';
import { newId } from '../common/id';
import type { Outbox, OutboxEntry } from '../common/outbox/outbox';
import { CorrectionDialog } from './CorrectionDialog';
import type { JudgeRound } from './data';
import { MarkInput } from './MarkInput';
import { describeItem, formatClock, inputSpec, itemKey, itemStatus, valueProblem } from './marking';

interface Props {
  token: string;
  competitionId: string;
  round: JudgeRound;
  assignment: MyMarksResponse['assignments'][number];
  myMarks: MyMarksResponse;
  /** This workstation's outbox entries. */
  entries: OutboxEntry[];
  serverMarks: Map<string, MarkView>;
  locked: boolean;
  outbox: Outbox;
  onCorrection: () => void;
}

/** One workstation: each item the judge marks, its input and its state; submit asks for confirmation first. */
export function WorkstationPanel(props: Props) {
  const { t } = useTranslation('judge');
  const { pick, locale } = useI18n();
  const { assignment, round, locked } = props;
  const [drafts, setDrafts] = useState<Record<string, string | null>>({});
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<{ item: string; value: string | null } | null>(null);

  const items = assignment.items.map((item) => {
    const ref = describeItem(round.scheme, item, assignment.attempts);
    const attempt = ref?.attempt ? ` · ${t('item.attempt', { n: ref.attempt })}` : '';
    const difficulty = ref?.difficulty ? ` · ${t('item.difficulty', { dd: ref.difficulty })}` : '';
    const label = ref ? `${pick(ref.aspect.name, ref.aspect.nameEn)}${attempt}${difficulty}` : item;
    return { item, ref, label };
  });
  const chosen = items.filter(({ item }) => drafts[item] != null);

  const review = () => {
    if (chosen.length === 0) return setProblem(t('submit.nothing'));
    for (const { item, ref, label } of chosen) {
      const found = ref && valueProblem(ref.aspect, drafts[item] as string);
      if (found) return setProblem(`${label}: ${found[locale]}`);
    }
    setProblem(null);
    setConfirming(true);
  };

  const submit = async () => {
    for (const { item } of chosen) {
      await props.outbox.add({
        competitionId: props.competitionId,
        roundId: round.roundId,
        body: {
          id: newId(),
          workstation: assignment.workstation,
          item,
          value: drafts[item] as string,
        },
      });
    }
    setDrafts({});
    setConfirming(false);
  };

  const shown = (ref: (typeof items)[number]['ref'], value: string) =>
    ref && inputSpec(ref.aspect).kind === 'clock' ? formatClock(value) : value;

  return (
    <section className="ws-panel" aria-labelledby="ws-heading" data-testid="ws-panel">
      <h2 id="ws-heading">{t('ws.heading', { code: assignment.workstation })}</h2>
      {items.map(({ item, ref, label }) => {
        const status = itemStatus(
          props.entries.filter((e) => e.body.item === item),
          props.serverMarks.get(itemKey(assignment.workstation, item)),
        );
        const remark = props.myMarks.remarks.find(
          (r) => r.workstation === assignment.workstation && r.item === item,
        );
        const corrections = (props.myMarks.corrections ?? []).filter(
          (c) => c.workstation === assignment.workstation && c.item === item,
        );
        const draft = drafts[item] ?? null;
        return (
          <article key={item} className="panel item" data-testid={`item-${item}`}>
            <header>
              <h3>{label}</h3>
              <ItemState status={status} draft={draft} show={(v) => shown(ref, v)} />
            </header>
            {remark && <p className="remark">{t('item.remark', { reason: remark.reason })}</p>}
            {corrections.map((c) => (
              <CorrectionLine key={c.id} correction={c} />
            ))}
            {ref && !locked && (
              <MarkInput
                spec={inputSpec(ref.aspect)}
                value={draft}
                current={status.state === 'empty' ? null : status.value}
                name={label}
                onChange={(value) => setDrafts((held) => ({ ...held, [item]: value }))}
              />
            )}
            {locked && (
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  setCorrecting({ item, value: status.state === 'refused' ? status.value : null })
                }
              >
                {status.state === 'refused' && status.entry.error?.code === 'round_signed_off'
                  ? t('correction.fromRefused')
                  : t('correction.button')}
              </button>
            )}
          </article>
        );
      })}
      {!locked && (
        <div className="submit-row">
          {problem && (
            <p className="status error" role="alert">
              {problem}
            </p>
          )}
          <button type="button" className="primary big" onClick={review}>
            {t('submit.button', { code: assignment.workstation })}
          </button>
        </div>
      )}
      {confirming && (
        <div className="dialog-backdrop">
          <div className="judge-card" role="dialog" aria-modal="true" aria-labelledby="confirm-title">
            <h2 id="confirm-title">{t('confirm.title', { code: assignment.workstation })}</h2>
            <p>{t('confirm.intro')}</p>
            <table className="confirm-table">
              <thead>
                <tr>
                  <th>{t('confirm.item')}</th>
                  <th>{t('confirm.value')}</th>
                </tr>
              </thead>
              <tbody>
                {chosen.map(({ item, ref, label }) => (
                  <tr key={item}>
                    <td>{label}</td>
                    <td className="num">{shown(ref, drafts[item] as string)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="dialog-actions">
              <button type="button" onClick={() => setConfirming(false)}>
                {t('confirm.cancel')}
              </button>
              <button type="button" className="primary" onClick={() => void submit()}>
                {t('confirm.ok')}
              </button>
            </div>
          </div>
        </div>
      )}
      {correcting && (
        <CorrectionDialog
          token={props.token}
          competitionId={props.competitionId}
          roundId={round.roundId}
          workstation={assignment.workstation}
          item={correcting.item}
          label={items.find((i) => i.item === correcting.item)?.label ?? correcting.item}
          aspect={items.find((i) => i.item === correcting.item)?.ref?.aspect}
          initial={correcting.value}
          onClose={(sent) => {
            setCorrecting(null);
            if (sent) props.onCorrection();
          }}
        />
      )}
    </section>
  );
}

function ItemState({
  status,
  draft,
  show,
}: {
  status: ReturnType<typeof itemStatus>;
  draft: string | null;
  show: (value: string) => string;
}) {
  const { t } = useTranslation('judge');
  if (draft !== null && status.state !== 'saved' && status.state !== 'sending')
    return <span className="state draft">{`${show(draft)} · ${t('state.draft')}`}</span>;
  switch (status.state) {
    case 'empty':
      return <span className="state empty">{t('state.empty')}</span>;
    case 'refused':
      return (
        <span className="state refused" role="alert" data-testid="mark-state">
          {show(status.value)} · {t('state.refused', { reason: status.entry.error?.message ?? '' })}
          {status.inForce !== null && ` · ${t('state.inForce', { value: show(status.inForce) })}`}
        </span>
      );
    default:
      return (
        <span className={`state ${status.state}`} data-testid="mark-state">
          {show(status.value)} · {t(`state.${status.state}`)}
        </span>
      );
  }
}

function CorrectionLine({ correction }: { correction: CorrectionView }) {
  const { t } = useTranslation('judge');
  const text =
    correction.status === 'pending'
      ? t('correction.pending', { value: correction.value })
      : correction.status === 'approved'
        ? t('correction.approved', { value: correction.value })
        : t('correction.rejected', { reason: correction.decisionReason ?? '' });
  return (
    <p className={`correction ${correction.status}`} data-testid="correction-state">
      {text}
    </p>
  );
}
