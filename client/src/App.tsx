import { useEffect, useState } from 'react';
import { useI18n } from './i18n';
import type { MessageKey } from './i18n/messages';
import { DemoResults } from './results/DemoResults';
import { VerifyResults } from './results/VerifyResults';
import { TemplatesView } from './templates/TemplatesView';

/** The surfaces of the client, each at its own path (the server answers every page path with the client). */
const tabs = [
  { path: '/', label: 'tab.demo', View: DemoResults },
  { path: '/templates', label: 'tab.templates', View: TemplatesView },
  { path: '/verify', label: 'tab.verify', View: VerifyResults },
] as const satisfies readonly { path: string; label: MessageKey; View: () => unknown }[];

function tabFor(pathname: string) {
  const clean = pathname.replace(/\/+$/, '') || '/';
  return tabs.find((tab) => tab.path === clean) ?? tabs[0];
}

export function App() {
  const { t, locale, setLocale } = useI18n();
  const [path, setPath] = useState<string>(() => tabFor(window.location.pathname).path);

  useEffect(() => {
    const onPop = () => setPath(tabFor(window.location.pathname).path);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.title = `${t(tabFor(path).label)} · ${t('app.brand')} ${t('app.brandLatin')}`;
  }, [path, t]);

  const go = (next: string) => {
    if (next === path) return;
    window.history.pushState(null, '', next);
    setPath(next);
  };

  const { View } = tabFor(path);
  return (
    <div className="app">
      <header className="header">
        <div className="brand">
          <h1>
            {t('app.brand')} <span className="latin">{t('app.brandLatin')}</span>
          </h1>
          <p className="tagline">{t('app.tagline')}</p>
        </div>
        <button
          type="button"
          className="lang"
          onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
          title={t('lang.switchLabel')}
          lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}
        >
          {t('lang.switchTo')}
        </button>
      </header>
      <nav className="tabs" aria-label={t('tabs.label')}>
        {tabs.map((tab) => (
          <a
            key={tab.path}
            href={tab.path}
            className={`tab${tab.path === path ? ' active' : ''}`}
            aria-current={tab.path === path ? 'page' : undefined}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              go(tab.path);
            }}
          >
            {t(tab.label)}
          </a>
        ))}
      </nav>
      <main className="main">
        <View />
      </main>
      <footer className="footer">{t('app.footer')}</footer>
    </div>
  );
}
