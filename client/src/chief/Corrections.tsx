import type { CorrectionView, ReviewResponse } from '@jiangxin/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { marksApi } from '../common/api/endpoints';
import { useWhere } from './labels';
import { useRoundAction, useRoundContext } from './round';
import { ActionError } from './Shell';

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

/** What the chief judge may decide on a pending correction, in the order the buttons stand. */
const DECISIONS = ['approve', 'reject'] as const;

function Correction({ correction: c }: { correction: CorrectionView }) {
  const { t } = useTranslation('chief');
  const ctx = useRoundContext();
  const where = useWhere();
  const [reason, setReason] = useState('');
  const decide = useRoundAction((token, decision: (typeof DECISIONS)[number]) =>
    marksApi.decideCorrection(
      ctx.competitionId,
      ctx.roundId,
      c.id,
      decision,
      { reason: reason.trim() },
      { token },
    ),
  );
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
          {DECISIONS.map((decision) => (
            <button
              key={decision}
              type="button"
              className={decision === 'approve' ? 'button primary' : 'button'}
              disabled={!reason.trim() || decide.isPending}
              onClick={() => decide.mutate(decision)}
            >
              {t(`corrections.${decision}`)}
            </button>
          ))}
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
