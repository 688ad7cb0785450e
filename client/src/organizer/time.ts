import type { Locale } from '@jiangxin/shared';

/** Times in the interface language, whatever the browser's own (a venue laptop may be set to English). */
const tag = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'zh-CN');

export const clockTime = (iso: string, locale: Locale) =>
  new Date(iso).toLocaleTimeString(tag(locale), { hour: '2-digit', minute: '2-digit' });

export const dateTime = (iso: string, locale: Locale) =>
  new Date(iso).toLocaleString(tag(locale), { dateStyle: 'short', timeStyle: 'short' });
