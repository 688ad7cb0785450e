import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import { useSession } from '../common/session/session';
import { staffSession } from '../common/session/staff';
import { LanguageSwitch } from '../common/ui/LanguageSwitch';

/** The console's pages of one competition, in the order of a competition's lifecycle. */
export const PAGES = [
  { path: '', key: 'tab.events' },
  { path: 'members', key: 'tab.members' },
  { path: 'registration', key: 'tab.registration' },
  { path: 'panels', key: 'tab.panels' },
  { path: 'draw', key: 'tab.draw' },
  { path: 'devices', key: 'tab.devices' },
  { path: 'run', key: 'tab.run' },
  { path: 'exports', key: 'tab.exports' },
  { path: 'honours', key: 'tab.honours' },
] as const;

/** The console's frame: brand, the competition open and its pages, who is signed in, the language switch. */
export function Shell({
  title,
  competitionId,
  children,
}: {
  title: ReactNode;
  competitionId?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation('organizer');
  const session = useSession(staffSession);
  return (
    <div className="organizer">
      <header className="top-bar organizer-header no-print">
        <Link to="/organizer" className="organizer-brand">
          {t('brand')}
        </Link>
        <h1>{title}</h1>
        <div className="organizer-user">
          {session && (
            <>
              <span className="muted small">
                {t('signedInAs', { name: session.data.account.displayName })}
              </span>
              <button type="button" className="lang" onClick={() => staffSession.clear()}>
                {t('signOut')}
              </button>
            </>
          )}
          <LanguageSwitch />
        </div>
      </header>
      {competitionId && (
        <nav className="organizer-tabs no-print" aria-label={t('tabs.label')}>
          {PAGES.map((page) => (
            <NavLink
              key={page.path}
              to={`/organizer/${competitionId}${page.path ? `/${page.path}` : ''}`}
              end
              className={({ isActive }) => `tab${isActive ? ' active' : ''}`}
            >
              {t(page.key)}
            </NavLink>
          ))}
        </nav>
      )}
      <main className="organizer-main">{children}</main>
    </div>
  );
}

/** A failed action, in the server's words (already in the interface language), next to what it is about. */
export function Problem({ error, testId }: { error: Error | null | undefined; testId?: string }) {
  const { t } = useTranslation('organizer');
  if (!error) return null;
  return (
    <p className="status error" role="alert" data-testid={testId}>
      {t('actionFailed', { message: error.message })}
    </p>
  );
}

/** The message next to a form field, when it has one. */
export function FieldProblem({ message, id }: { message: string | undefined; id?: string }) {
  if (!message) return null;
  return (
    <span className="field-problem" role="alert" id={id}>
      {message}
    </span>
  );
}
