import { catalogue } from '../common/i18n';

export const judgeMessages = catalogue(
  {
    'judge.title': '裁判评分',
  },
  {
    'judge.title': 'Judge’s marking',
  },
);
