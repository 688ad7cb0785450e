import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../common/api/endpoints';
import { ApiError } from '../common/api/http';
import type { Session } from '../common/session/session';
import { PinPad } from './PinPad';
import { judgeSession, type TabletData } from './session';
import { ErrorLine, useAction } from './ui';

/**
 * The judge's token is over while marks may wait in the outbox: the judge types the PIN again on this tablet
 * (no re-pairing), and the outbox sends what waited. Nothing is dropped, even when the tablet must be paired
 * again: the marks stay on the tablet for the same judge.
 */
export function ResumeDialog({
  session,
  waiting,
  onResumed,
}: {
  session: Session<TabletData>;
  waiting: number;
  onResumed: () => void;
}) {
  const { t } = useTranslation('judge');
  const { busy, error, run } = useAction();
  const [ended, setEnded] = useState(false);
  const name = session.data.judge?.name ?? '';

  const resume = (pin: string) =>
    run(async () => {
      try {
        judgeSession.renew(await authApi.judgeResume({ token: session.token, pin }));
        onResumed();
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 'unauthenticated')) throw e;
        setEnded(true);
      }
    });

  return (
    <div className="dialog-backdrop">
      <div className="judge-card" role="dialog" aria-modal="true" aria-labelledby="resume-title">
        <h2 id="resume-title">{t('resume.title')}</h2>
        {ended ? (
          <>
            <p>{t('resume.ended', { count: waiting })}</p>
            <button type="button" className="primary wide" onClick={() => judgeSession.clear()}>
              {t('resume.repair')}
            </button>
          </>
        ) : (
          <>
            <p>{t('resume.intro', { name, count: waiting })}</p>
            <PinPad onSubmit={(pin) => void resume(pin)} busy={busy} />
          </>
        )}
        <ErrorLine error={error} />
      </div>
    </div>
  );
}
