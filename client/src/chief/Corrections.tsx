import type { CorrectionView, ReviewResponse } from '@jiangxin/shared';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { marksApi } from '../common/api/endpoints';
import { useWhere } from './labels';
import { useRefresh, useRoundContext } from './round';
import { ActionError } from './Shell';
import { asStaff } from './session';

/** Corrections after sign-off: pending ones first, each approved or rejected with a reason. */
export function Corrections({ review }: { review: ReviewResponse }) {
  const { t } = useTranslation('chief');
  const order = { pending: 0, approved: 1, rejected: 1 } as const;
  const list = [...review.corrections].sort(
    (a, b) => order[a.status] - order[b.status] || b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <section className="chief-card" aria-labelledby="corrections-title">
      <h2 id="corrections-title">{t('corrections.title')}</h2>
      {list.length === 0 ? (
        <p className="muted">{t('corrections.none')}</p>
      ) : (
        <ul className="action-list">
          {list.map((c) => (
            <Correction key={c.id} correction={c} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Correction({ correction: c }: { correction: CorrectionView }) {
  const { t } = useTranslation('chief');
  const ctx = useRoundContext();
  const where = useWhere();
  const refresh = useRefresh();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      asStaff((token) =>
        marksApi.decideCorrection(
          ctx.competitionId,
          ctx.roundId,
          c.id,
          decision,
          { reason: reason.trim() },
          { token },
        ),
      ),
    onSuccess: refresh,
  });
  const item = where(c.item);
  return (
    <li
      data-testid={`correction-${c.id}`}
      data-workstation={c.workstation}
      data-item={c.item}
      data-status={c.status}
      className={`correction ${c.status}`}
    >
      <div className="what">
        <strong>{c.workstation}</strong> {item}{' '}
        {t('corrections.change', { seat: c.seat, from: c.currentValue ?? '–', to: c.value })}
        <span className={`chip ${c.status === 'pending' ? 'warn' : 'open'}`}>
          {t(`corrections.status.${c.status}`)}
        </span>
      </div>
      <p className="small">
        {t('corrections.reason', { reason: c.reason })} ·{' '}
        <span className="muted">
          {c.requestedBy.startsWith('device:') ? t('corrections.byDevice') : t('corrections.byAccount')}
        </span>
      </p>
      {c.status === 'pending' ? (
        <div className="inline-form">
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('corrections.decisionReason')}
            aria-label={t('corrections.decisionLabel', { workstation: c.workstation, item })}
            maxLength={2000}
          />
          <button
            type="button"
            className="button primary"
            disabled={!reason.trim() || decide.isPending}
            onClick={() => decide.mutate('approve')}
          >
            {t('corrections.approve')}
          </button>
          <button
            type="button"
            className="button"
            disabled={!reason.trim() || decide.isPending}
            onClick={() => decide.mutate('reject')}
          >
            {t('corrections.reject')}
          </button>
        </div>
      ) : (
        c.decisionReason && (
          <p className="small muted">{t('corrections.decided', { reason: c.decisionReason })}</p>
        )
      )}
      <ActionError error={decide.error} />
    </li>
  );
}
