import 'i18next';
import type { chiefMessages } from '../chief/messages';
import type { zhCN } from '../common/i18n/messages';
import type { displayMessages } from '../display/messages';
import type { judgeMessages } from '../judge/messages';
import type { organizerMessages } from '../organizer/messages';
import type { spectatorMessages } from '../spectator/messages';

// The catalogues' keys type `t` in every surface (type-only imports: no surface code is loaded by this).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    keySeparator: false;
    nsSeparator: false;
    resources: {
      common: typeof zhCN;
      judge: (typeof judgeMessages)['zh-CN'];
      chief: (typeof chiefMessages)['zh-CN'];
      display: (typeof displayMessages)['zh-CN'];
      spectator: (typeof spectatorMessages)['zh-CN'];
      organizer: (typeof organizerMessages)['zh-CN'];
    };
  }
}
