import { type Locale, locales } from '@jiangxin/shared';
import i18next from 'i18next';
import { useCallback, useMemo } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en, zhCN } from './messages';

export type { Locale } from '@jiangxin/shared';
export type { MessageKey } from './messages';

const STORAGE_KEY = 'jiangxin.locale';

/** A surface's catalogue: Chinese is the reference, English must have the same keys. */
export interface Catalogue<K extends string> {
  'zh-CN': Record<K, string>;
  en: Record<K, string>;
}

export function catalogue<const Z extends Record<string, string>>(
  zh: Z,
  english: Record<keyof Z, string>,
): Catalogue<keyof Z & string> {
  return { 'zh-CN': zh, en: english };
}

function savedLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    return locales.find((l) => l === saved) ?? 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

/** Chinese first: the interface is in Chinese until someone switches, and the choice is remembered. */
export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { common: zhCN }, en: { common: en } },
  lng: savedLocale(),
  fallbackLng: 'zh-CN',
  supportedLngs: [...locales],
  defaultNS: 'common',
  ns: ['common'],
  // Keys are flat ("standings.rank") and placeholders are written {name}, as the catalogues always were.
  keySeparator: false,
  nsSeparator: false,
  interpolation: { prefix: '{', suffix: '}', escapeValue: false },
  returnNull: false,
  initAsync: false,
});

const setDocumentLanguage = (lng: string) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
};
setDocumentLanguage(i18n.language);
i18n.on('languageChanged', setDocumentLanguage);

/** Adds a surface's catalogue under its namespace (each surface registers its own when its code loads). */
export function addCatalogue(namespace: string, messages: Catalogue<string>) {
  for (const locale of locales) i18n.addResourceBundle(locale, namespace, messages[locale], true, true);
}

export function currentLocale(): Locale {
  return locales.find((l) => l === i18n.language) ?? 'zh-CN';
}

export function setLocale(next: Locale) {
  void i18n.changeLanguage(next);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Private browsing: the choice lasts until the page is closed.
  }
}

/** The common catalogue's `t`, the language, its switch, and `pick` for names kept in two languages. */
export function useI18n() {
  const { t, i18n: instance } = useTranslation('common');
  const locale = locales.find((l) => l === instance.language) ?? 'zh-CN';
  const pick = useCallback(
    (zh: string, enName?: string | null) => (locale === 'en' && enName ? enName : zh),
    [locale],
  );
  return useMemo(() => ({ t, locale, setLocale, pick }), [t, locale, pick]);
}
