import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../common/api/endpoints';
import { ApiError } from '../common/api/http';
import type { Session } from '../common/session/session';
import { errorText } from './errors';
import { PinPad } from './PinPad';
import { judgeSession, type TabletData } from './session';

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
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState(false);
  const [busy, setBusy] = useState(false);
  const name = session.data.judge?.name ?? '';

  const resume = async (pin: string) => {
    setBusy(true);
    setError(null);
    try {
      const issued = await authApi.judgeResume({ token: session.token, pin });
      judgeSession.renew(issued);
      onResumed();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'unauthenticated') setEnded(true);
      else setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

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
        {error && (
          <p className="status error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
