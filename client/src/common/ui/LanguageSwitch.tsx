import { useI18n } from '../i18n';

/** Switches between Chinese and English; the choice is remembered on this device. */
export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <button
      type="button"
      className="lang"
      onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
      title={t('lang.switchLabel')}
      lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}
    >
      {t('lang.switchTo')}
    </button>
  );
}
