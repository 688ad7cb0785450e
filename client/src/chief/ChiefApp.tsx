import { useTranslation } from 'react-i18next';
import { addCatalogue } from '../common/i18n';
import { chiefMessages } from './messages';

addCatalogue('chief', chiefMessages);

export function ChiefApp() {
  const { t } = useTranslation('chief');
  return <h1>{t('chief.title')}</h1>;
}
