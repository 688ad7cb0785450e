import { catalogue } from '../common/i18n';

export const chiefMessages = catalogue(
  {
    'chief.title': '裁判长控制台',
  },
  {
    'chief.title': 'Chief judge’s console',
  },
);
