import type { ReviewFlag, ReviewResponse } from '@jiangxin/shared';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { marksApi } from '../common/api/endpoints';
import { Status } from '../common/ui/Status';
import { TextField } from '../common/ui/TextField';
import { Corrections } from './Corrections';
import { CodeField, ItemField, usePlaceChoice, WorkstationField } from './fields';
import { useWhere } from './labels';
import { useRoundAction, useRoundContext } from './round';
import { ActionError } from './Shell';
import { SignOff } from './SignOff';

/** What the chief judge acts on: what blocks sign-off, paper marks, re-marks, corrections, sign-off. */
export function ReviewView() {
  const ctx = useRoundContext();
  const review = ctx.review.data;
  if (!review)
    return (
      <section className="chief-card">
        <Status query={ctx.review} />
      </section>
    );
  return (
    <div className="review-layout">
      <div className="review-main">
        <Blockers review={review} />
        <PaperConfirmations review={review} />
        <Corrections review={review} />
      </div>
      <div className="review-side">
        <SignOff review={review} />
        {!ctx.locked && <RemarkForm />}
        {!ctx.locked && ctx.scheme.missingMark === 'averageOfOthers' && <MissingJudgeForm />}
      </div>
    </div>
  );
}

function flagText(t: ReturnType<typeof useTranslation<'chief'>>['t'], f: ReviewFlag, item: string) {
  const vars = { workstation: f.workstation, item };
  switch (f.flag.code) {
    case 'missingMarks':
    case 'tooManyMarks':
      return t(`review.flag.${f.flag.code}`, {
        ...vars,
        expected: f.flag.expected,
        received: f.flag.received,
      });
    case 'toleranceExceeded':
      return t('review.flag.toleranceExceeded', {
        ...vars,
        spread: f.flag.spread,
        maxSpread: f.flag.maxSpread,
      });
    default:
      return t('review.flag.other', { ...vars, code: f.flag.code });
  }
}

function Blockers({ review }: { review: ReviewResponse }) {
  const { t } = useTranslation('chief');
  const where = useWhere();
  const b = review.blockers;
  const flagged = b.flagged.filter((f) => f.blocking);
  const total = b.missing.length + b.unconfirmedPaper.length + flagged.length + b.openRemarks.length;
  return (
    <section className="chief-card" data-testid="blockers" aria-labelledby="blockers-title">
      <h2 id="blockers-title">{t('review.blockers')}</h2>
      {total === 0 ? (
        <p className="ok">{t('review.nothingBlocks')}</p>
      ) : (
        <div className="blockers">
          <BlockerList count={b.missing.length} summary={t('review.missing', { count: b.missing.length })}>
            {b.missing.map((m) => (
              <li key={`${m.workstation}-${m.item}`}>
                {t('review.missingItem', {
                  workstation: m.workstation,
                  item: where(m.item),
                  seats: m.seats.join('、'),
                })}
                {m.unassigned && <span className="muted"> {t('review.unassigned')}</span>}
              </li>
            ))}
          </BlockerList>
          {b.unconfirmedPaper.length > 0 && (
            <p>{t('review.unconfirmedPaper', { count: b.unconfirmedPaper.length })}</p>
          )}
          <BlockerList count={flagged.length} summary={t('review.flagged', { count: flagged.length })}>
            {flagged.map((f) => (
              <li key={`${f.workstation}-${f.item}-${f.flag.code}`}>{flagText(t, f, where(f.item))}</li>
            ))}
          </BlockerList>
          <BlockerList
            count={b.openRemarks.length}
            summary={t('review.openRemarks', { count: b.openRemarks.length })}
            open
          >
            {b.openRemarks.map((r) => (
              <li key={r.id}>
                {t('review.remarkItem', {
                  workstation: r.workstation,
                  item: where(r.item),
                  seats: r.pendingSeats.join('、'),
                  reason: r.reason,
                })}
              </li>
            ))}
          </BlockerList>
        </div>
      )}
    </section>
  );
}

/** One kind of blocker under its count, nothing when there is none; open when short enough to read at once. */
function BlockerList({
  count,
  summary,
  open = count <= 6,
  children,
}: {
  count: number;
  summary: string;
  open?: boolean;
  children: ReactNode;
}) {
  if (count === 0) return null;
  return (
    <details open={open}>
      <summary>{summary}</summary>
      <ul>{children}</ul>
    </details>
  );
}

function PaperConfirmations({ review }: { review: ReviewResponse }) {
  const { t } = useTranslation('chief');
  const where = useWhere();
  const pending = review.pendingPaper;
  return (
    <section className="chief-card" aria-labelledby="paper-confirm-title">
      <h2 id="paper-confirm-title">{t('paperConfirm.title')}</h2>
      <p className="muted small">{t('paperConfirm.intro')}</p>
      {pending.length === 0 ? (
        <p className="muted">{t('paperConfirm.none')}</p>
      ) : (
        <ul className="action-list">
          {pending.map((p) => (
            <PaperConfirmation
              key={p.id}
              id={p.id}
              workstation={p.workstation}
              item={where(p.item)}
              seat={p.seat ?? ''}
              value={p.value}
              superseded={p.superseded}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function PaperConfirmation(props: {
  id: string;
  workstation: string;
  item: string;
  seat: string;
  value: string;
  superseded: boolean;
}) {
  const { t } = useTranslation('chief');
  const ctx = useRoundContext();
  const [retyped, setRetyped] = useState('');
  const confirm = useRoundAction((token) =>
    marksApi.confirmPaper(
      ctx.competitionId,
      ctx.roundId,
      props.id,
      retyped.trim() ? { value: retyped.trim() } : {},
      { token },
    ),
  );
  const vars = { workstation: props.workstation, item: props.item, seat: props.seat };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };
  return (
    <li data-testid={`paper-${props.id}`} data-workstation={props.workstation}>
      <form className="inline-form" onSubmit={submit}>
        <span className="what">
          <strong>{props.workstation}</strong> {props.item} {props.seat}
          <span className="value">{props.value}</span>
          {props.superseded && <span className="chip warn">{t('paperConfirm.superseded')}</span>}
        </span>
        <input
          className="short"
          inputMode="decimal"
          placeholder={t('paperConfirm.retype')}
          aria-label={t('paperConfirm.retypeLabel', vars)}
          value={retyped}
          onChange={(e) => setRetyped(e.target.value)}
          disabled={ctx.locked}
        />
        <button
          type="submit"
          className="button primary"
          aria-label={t('paperConfirm.confirmLabel', vars)}
          disabled={confirm.isPending || ctx.locked}
        >
          {t('paperConfirm.confirm')}
        </button>
      </form>
      <ActionError error={confirm.error} />
    </li>
  );
}

function RemarkForm() {
  const { t } = useTranslation('chief');
  const ctx = useRoundContext();
  const itemName = useWhere();
  const { workstation, setWorkstation, item, setItem } = usePlaceChoice();
  const [reason, setReason] = useState('');
  const order = useRoundAction(
    (token) =>
      marksApi.orderRemark(
        ctx.competitionId,
        ctx.roundId,
        { workstation, item, reason: reason.trim() },
        { token },
      ),
    () => setReason(''),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    order.mutate();
  };
  return (
    <form className="chief-card stacked" onSubmit={submit} aria-labelledby="remark-title">
      <h2 id="remark-title">{t('remark.title')}</h2>
      <p className="muted small">{t('remark.intro')}</p>
      <WorkstationField label={t('remark.workstation')} value={workstation} onChange={setWorkstation} />
      <ItemField label={t('remark.item')} value={item} onChange={setItem} />
      <TextField label={t('remark.reason')} value={reason} onChange={setReason} required maxLength={2000} />
      <button type="submit" className="button" disabled={order.isPending || !reason.trim()}>
        {t('remark.submit')}
      </button>
      {order.isSuccess && (
        <p className="ok" role="status">
          {t('remark.done', {
            workstation: order.data.remark.workstation,
            item: itemName(order.data.remark.item),
          })}
        </p>
      )}
      <ActionError error={order.error} />
    </form>
  );
}

/**
 * A judge who cannot mark (a dead tablet): the seat's mark of one item is replaced under the scheme's rule,
 * the average of the other judges' marks, confirmed with a reason (audited).
 */
function MissingJudgeForm() {
  const { t } = useTranslation('chief');
  const ctx = useRoundContext();
  const itemName = useWhere();
  const { workstation, setWorkstation, item, setItem } = usePlaceChoice();
  const seats = ctx.items.find((i) => i.item === item)?.seats.filter((s) => s.startsWith('J')) ?? [];
  const [seat, setSeat] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const chosenSeat = seats.includes(seat) ? seat : (seats[0] ?? '');
  const replace = useRoundAction(
    (token) =>
      marksApi.replaceMissingMark(
        ctx.competitionId,
        ctx.roundId,
        { workstation, item, seat: chosenSeat, reason: reason.trim() },
        { token },
      ),
    () => {
      setReason('');
      setConfirming(false);
    },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (confirming) replace.mutate();
    else setConfirming(true);
  };
  const where = {
    workstation,
    item: itemName(item),
    seat: chosenSeat,
  };
  return (
    <form
      className="chief-card stacked"
      onSubmit={submit}
      aria-labelledby="missing-judge-title"
      data-testid="missing-judge"
    >
      <h2 id="missing-judge-title">{t('missingJudge.title')}</h2>
      <p className="muted small">{t('missingJudge.intro')}</p>
      <WorkstationField label={t('missingJudge.workstation')} value={workstation} onChange={setWorkstation} />
      <ItemField label={t('missingJudge.item')} value={item} onChange={setItem} />
      <CodeField label={t('missingJudge.seat')} value={chosenSeat} onChange={setSeat} codes={seats} />
      <TextField
        label={t('missingJudge.reason')}
        value={reason}
        onChange={(v) => {
          setReason(v);
          setConfirming(false);
        }}
        required
        maxLength={2000}
      />
      {confirming && (
        <p className="warning" role="alert">
          {t('missingJudge.confirmText', where)}
        </p>
      )}
      <button type="submit" className="button" disabled={replace.isPending || !reason.trim() || !chosenSeat}>
        {confirming ? t('missingJudge.confirm') : t('missingJudge.submit')}
      </button>
      {replace.isSuccess && (
        <p className="ok" role="status">
          {t('missingJudge.done', {
            workstation: replace.data.missingMark.workstation,
            item: itemName(replace.data.missingMark.item),
            seat: replace.data.missingMark.seat,
          })}
        </p>
      )}
      <ActionError error={replace.error} />
    </form>
  );
}
