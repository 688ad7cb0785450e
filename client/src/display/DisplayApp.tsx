import { normalizePairingCode, type SessionEnded } from '@jiangxin/shared';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../common/api/endpoints';
import { ApiError } from '../common/api/http';
import { addCatalogue } from '../common/i18n';
import { pairedSession, useSession, useTokenRenewal } from '../common/session/session';
import '../common/ui/fonts';
import './display.css';
import { displayMessages } from './messages';
import { Screen } from './Screen';
import { displaySession } from './session';

addCatalogue('display', displayMessages);

/** Renews the display's token now; false when it is over (the screen must be paired again). */
async function renewNow(): Promise<boolean> {
  const held = displaySession.get();
  if (!held) return false;
  try {
    displaySession.renew(await authApi.refresh({ token: held.token }));
    return true;
  } catch (error) {
    return !(error instanceof ApiError && error.status === 401);
  }
}

/**
 * The venue's big screen (/screen): paired once by code, then unattended all day. Its display token is renewed
 * before it expires (a renewed token reconnects the live sockets); when the server ends the socket's session
 * the screen renews at once, and only a token that is over sends it back to pairing.
 */
export function DisplayApp() {
  const session = useSession(displaySession);
  const [ended, setEnded] = useState(false);
  const end = useCallback(() => {
    displaySession.clear();
    setEnded(true);
  }, []);
  useTokenRenewal(displaySession, end);
  // A session the server ended (token expired, device revoked): renew, or pair again if that is refused.
  const [generation, setGeneration] = useState(0);
  const onSessionEnded = useCallback(
    (_: SessionEnded) =>
      void renewNow().then((alive) => {
        if (!alive) end();
        else setGeneration((g) => g + 1);
      }),
    [end],
  );
  useEffect(() => {
    document.title = '大屏 · 匠心 Jiangxin';
  }, []);

  if (!session) return <PairScreen ended={ended} />;
  return (
    <Screen
      key={`${session.data.competitionId}/${generation}`}
      token={session.token}
      competitionId={session.data.competitionId}
      onSessionEnded={onSessionEnded}
    />
  );
}

function PairScreen({ ended }: { ended: boolean }) {
  const { t } = useTranslation('display');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(ended ? t('pair.ended') : null);

  const pair = async () => {
    setBusy(true);
    setError(null);
    try {
      const paired = pairedSession(await authApi.pair({ code }), 'display');
      if (!paired) return setError(t('pair.notDisplay'));
      displaySession.set(paired);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="screen pair">
      <form
        className="pair-card"
        onSubmit={(e) => {
          e.preventDefault();
          void pair();
        }}
      >
        <h1>{t('pair.title')}</h1>
        <p>{t('pair.intro')}</p>
        <label>
          <span>{t('pair.code')}</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder="ABCD-EFGH"
            data-testid="pair-code"
          />
        </label>
        <button type="submit" disabled={busy || normalizePairingCode(code).length < 8}>
          {busy ? t('pair.working') : t('pair.submit')}
        </button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}
