import './judge.css';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { addCatalogue } from '../common/i18n';
import { useSession } from '../common/session/session';
import { MarkingScreen } from './MarkingScreen';
import { judgeMessages } from './messages';
import { PairScreen } from './PairScreen';
import { SignInScreen } from './SignInScreen';
import { judgeSession } from './session';

addCatalogue('judge', judgeMessages);

/** The judge's tablet: pair it, sign a judge in with the PIN, mark. */
export function JudgeApp() {
  const { t } = useTranslation('judge');
  const session = useSession(judgeSession);
  useEffect(() => {
    document.title = `${t('judge.title')} · 匠心 Jiangxin`;
  }, [t]);
  if (!session) return <PairScreen />;
  if (!session.data.judge) return <SignInScreen session={session} />;
  return <MarkingScreen session={session} />;
}
