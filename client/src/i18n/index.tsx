import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { format, type Locale, locales, type MessageKey } from './messages';

export type { Locale, MessageKey } from './messages';

const STORAGE_KEY = 'jiangxin.locale';

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  /** A message in the current language. */
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  /** The right one of a Chinese name and its optional English translation. */
  pick: (zh: string, en?: string | null) => string;
}

const I18nContext = createContext<I18n | null>(null);

function savedLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return locales.find((l) => l === saved) ?? 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Chinese first: the interface is in Chinese until someone switches, and remembers the choice. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(savedLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      // Private browsing: the choice lasts until the page is closed.
    }
  }, []);

  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, values) => format(locale, key, values),
      pick: (zh, enName) => (locale === 'en' && enName ? enName : zh),
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
