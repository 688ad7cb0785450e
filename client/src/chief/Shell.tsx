import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../common/session/session';
import { staffSession } from '../common/session/staff';
import { LanguageSwitch } from '../common/ui/LanguageSwitch';

/** The console's frame: brand, what is open, who is signed in, the language switch. */
export function Shell({ title, children, back }: { title: ReactNode; children: ReactNode; back?: string }) {
  const { t } = useTranslation('chief');
  const session = useSession(staffSession);
  return (
    <div className="chief">
      <header className="top-bar chief-header no-print">
        <Link to="/chief" className="chief-brand">
          {t('chief.brand')}
        </Link>
        <div className="chief-heading">
          {back && (
            <Link to={back} className="chief-back">
              ‹ {t('chief.back')}
            </Link>
          )}
          <h1>{title}</h1>
        </div>
        <div className="chief-user">
          {session && (
            <>
              <span className="muted small">
                {t('chief.signedInAs', { name: session.data.account.displayName })}
              </span>
              <button type="button" className="lang" onClick={() => staffSession.clear()}>
                {t('chief.signOut')}
              </button>
            </>
          )}
          <LanguageSwitch />
        </div>
      </header>
      <main className="chief-main">{children}</main>
    </div>
  );
}

/** An action's failure, in the words of the server (already in the interface language). */
export function ActionError({ error }: { error: Error | null }) {
  const { t } = useTranslation('chief');
  if (!error) return null;
  return (
    <p className="status error" role="alert">
      {t('error.action', { message: error.message })}
    </p>
  );
}
