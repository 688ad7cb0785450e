import { useEffect } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useI18n } from '../common/i18n';
import type { MessageKey } from '../common/i18n/messages';
import { LanguageSwitch } from '../common/ui/LanguageSwitch';

const tabs = [
  { path: '/', label: 'tab.home' },
  { path: '/demo', label: 'tab.demo' },
  { path: '/templates', label: 'tab.templates' },
  { path: '/verify', label: 'tab.verify' },
] as const satisfies readonly { path: string; label: MessageKey }[];

/** The shell of the home page and the tools: brand, language switch, tabs. */
export function Layout() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const current = tabs.find((tab) => tab.path === pathname) ?? tabs[0];

  // The bundled CJK font comes with each surface that needs it (not in the first load: the spectators' page
  // uses the phone's own font).
  useEffect(() => {
    void import('../common/ui/fonts');
  }, []);

  useEffect(() => {
    document.title = `${t(current.label)} · ${t('app.brand')} ${t('app.brandLatin')}`;
  }, [current, t]);

  return (
    <div className="app">
      <header className="header">
        <div className="brand">
          <h1>
            {t('app.brand')} <span className="latin">{t('app.brandLatin')}</span>
          </h1>
          <p className="tagline">{t('app.tagline')}</p>
        </div>
        <LanguageSwitch />
      </header>
      <nav className="tabs" aria-label={t('tabs.label')}>
        {tabs.map((tab) => (
          <NavLink
            key={tab.path}
            to={tab.path}
            end
            className={({ isActive }) => `tab${isActive ? ' active' : ''}`}
          >
            {t(tab.label)}
          </NavLink>
        ))}
      </nav>
      <main className="main">
        <Outlet />
      </main>
      <footer className="footer">{t('app.footer')}</footer>
    </div>
  );
}
