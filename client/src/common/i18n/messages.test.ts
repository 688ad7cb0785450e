import { describe, expect, it } from 'vitest';
import { chiefMessages } from '../../chief/messages';
import { displayMessages } from '../../display/messages';
import { judgeMessages } from '../../judge/messages';
import { organizerMessages } from '../../organizer/messages';
import { spectatorMessages } from '../../spectator/messages';
import { i18n } from './index';
import { en, zhCN } from './messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const catalogues = {
  common: { 'zh-CN': zhCN, en } as Record<string, Record<string, string>>,
  judge: judgeMessages,
  chief: chiefMessages,
  display: displayMessages,
  spectator: spectatorMessages,
  organizer: organizerMessages,
};

describe('catalogues', () => {
  for (const [namespace, catalogue] of Object.entries(catalogues)) {
    it(`${namespace}: every message in both languages, with the same placeholders`, () => {
      const zh = catalogue['zh-CN'] as Record<string, string>;
      const english = catalogue.en as Record<string, string>;
      expect(Object.keys(english).sort()).toEqual(Object.keys(zh).sort());
      for (const key of Object.keys(zh)) {
        expect(placeholders(english[key] ?? ''), key).toEqual(placeholders(zh[key] ?? ''));
        expect((english[key] ?? '').trim(), key).not.toBe('');
      }
    });
  }

  it('fills in {placeholders} through i18next, in the language chosen', async () => {
    expect(i18n.t('verify.line', { line: 3, lng: 'zh-CN' })).toBe('第 3 行');
    expect(i18n.t('verify.line', { line: 3, lng: 'en' })).toBe('Line 3');
  });
});
