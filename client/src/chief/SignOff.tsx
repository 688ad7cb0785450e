import type { ReviewResponse } from '@jiangxin/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { marksApi } from '../common/api/endpoints';
import { useRoundAction, useRoundContext } from './round';
import { ActionError } from './Shell';
import { blockerTotal, signOffBody } from './signoff';

/** Signing the round off: what it waits for is shown beside; with anything waiting, force and a reason. */
export function SignOff({ review }: { review: ReviewResponse }) {
  const { t, i18n } = useTranslation('chief');
  const ctx = useRoundContext();
  const [confirmed, setConfirmed] = useState(false);
  const [force, setForce] = useState(false);
  const [reason, setReason] = useState('');
  const waiting = blockerTotal(review.blockers);
  const body = signOffBody(review.blockers, { confirmed, force, reason });
  const signOff = useRoundAction((token) => {
    if (!body) throw new Error('not ready');
    return marksApi.signOff(ctx.competitionId, ctx.roundId, body, { token });
  });
  const signedOffAt = review.round.signedOffAt ?? signOff.data?.round.signedOffAt ?? null;
  if (signedOffAt || ctx.locked)
    return (
      <section className="chief-card signed-off" aria-labelledby="sign-off-title">
        <h2 id="sign-off-title">{t('signOff.title')}</h2>
        <p className="ok" role="status">
          {t('signOff.done', {
            at: signedOffAt ? new Date(signedOffAt).toLocaleString(i18n.language) : '',
          })}
        </p>
      </section>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (body) signOff.mutate();
  };
  return (
    <form className="chief-card stacked" onSubmit={submit} aria-labelledby="sign-off-title">
      <h2 id="sign-off-title">{t('signOff.title')}</h2>
      {waiting > 0 && (
        <p className="warning" role="note">
          {t('signOff.blocked', { count: waiting })}
        </p>
      )}
      <label className="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
        {t('signOff.confirm')}
      </label>
      {waiting > 0 && (
        <label className="check">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
          {t('signOff.force')}
        </label>
      )}
      <label>
        {waiting > 0 ? t('signOff.reasonForced') : t('signOff.reason')}
        <textarea
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required={waiting > 0}
          maxLength={2000}
        />
      </label>
      <button type="submit" className="button primary" disabled={!body || signOff.isPending}>
        {t('signOff.submit')}
      </button>
      <ActionError error={signOff.error} />
    </form>
  );
}
