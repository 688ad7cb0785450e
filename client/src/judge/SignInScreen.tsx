import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../common/api/endpoints';
import { type Session, useTokenRenewal } from '../common/session/session';
import { Status } from '../common/ui/Status';
import { PinPad } from './PinPad';
import { judgeSession, type TabletData } from './session';
import { CardScreen, ErrorLine, useAction } from './ui';

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
  const { busy, error, setError, run } = useAction();

  const signIn = (pin: string) =>
    run(async () => {
      if (!chosen) return;
      const signed = await authApi.judgeSignIn({ judgeId: chosen.id, pin }, { token: session.token });
      judgeSession.set({
        token: signed.token,
        expiresAt: signed.expiresAt,
        data: { ...session.data, judge: signed.judge },
      });
    });

  return (
    <CardScreen title={t('signIn.title')}>
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
      <ErrorLine error={error} />
    </CardScreen>
  );
}
