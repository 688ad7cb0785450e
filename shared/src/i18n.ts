/** The interface languages: Simplified Chinese first, English second. */
export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
/** A message a person reads, in every interface language. */
export type Localized = Record<Locale, string>;

export const localized = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

/** Joins several messages, each language with its own separator. */
export const joinLocalized = (parts: readonly Localized[]): Localized => ({
  'zh-CN': parts.map((p) => p['zh-CN']).join('；'),
  en: parts.map((p) => p.en).join('; '),
});
