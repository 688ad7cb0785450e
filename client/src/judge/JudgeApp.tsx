import { useTranslation } from 'react-i18next';
import { addCatalogue } from '../common/i18n';
import { judgeMessages } from './messages';

addCatalogue('judge', judgeMessages);

export function JudgeApp() {
  const { t } = useTranslation('judge');
  return <h1>{t('judge.title')}</h1>;
}
