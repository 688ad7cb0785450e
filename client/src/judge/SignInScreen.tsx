import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../common/api/endpoints';
import { type Session, useTokenRenewal } from '../common/session/session';
import { LanguageSwitch } from '../common/ui/LanguageSwitch';
import { Status } from '../common/ui/Status';
import { errorText } from './errors';
import { PinPad } from './PinPad';
import { judgeSession, type TabletData } from './session';

const unpair = () => judgeSession.clear();

/** A paired tablet waiting for a judge: choose the name, type the PIN. */
export function SignInScreen({ session }: { session: Session<TabletData> }) {
  const { t } = useTranslation('judge');
  useTokenRenewal(judgeSession, unpair);
  const judges = useQuery({
    queryKey: ['tablet-judges', session.data.deviceId],
    queryFn: ({ signal }) => authApi.signInJudges({ token: session.token, signal }),
  });
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const signIn = async (pin: string) => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const signed = await authApi.judgeSignIn({ judgeId: chosen.id, pin }, { token: session.token });
      judgeSession.set({
        token: signed.token,
        expiresAt: signed.expiresAt,
        data: { ...session.data, judge: signed.judge },
      });
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="judge-center">
      <div className="judge-card">
        <div className="card-head">
          <h1>{t('signIn.title')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('signIn.tablet', { label: session.data.label })}</p>
        {!chosen ? (
          <>
            <h2>{t('signIn.pick')}</h2>
            {judges.data ? (
              <ul className="judge-names">
                {judges.data.judges.map((j) => (
                  <li key={j.id}>
                    <button type="button" disabled={!j.pinSet} onClick={() => setChosen(j)}>
                      {j.name} {!j.pinSet && <span className="muted small">{t('signIn.noPin')}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <Status query={judges} />
            )}
            <button type="button" className="link" onClick={unpair}>
              {t('signIn.unpair')}
            </button>
          </>
        ) : (
          <>
            <h2>{t('signIn.pin', { name: chosen.name })}</h2>
            <PinPad onSubmit={(pin) => void signIn(pin)} busy={busy} />
            <button
              type="button"
              className="link"
              onClick={() => {
                setChosen(null);
                setError(null);
              }}
            >
              {t('signIn.back')}
            </button>
          </>
        )}
        {error && (
          <p className="status error" role="alert">
            {error}
          </p>
        )}
      </div>
    </main>
  );
}
