import { describe, expect, it } from 'vitest';
import { pickLocale } from './errors';

describe('pickLocale', () => {
  it('prefers the first supported language by weight, Chinese by default', () => {
    expect(pickLocale(undefined)).toBe('zh-CN');
    expect(pickLocale('')).toBe('zh-CN');
    expect(pickLocale('fr-FR')).toBe('zh-CN');
    expect(pickLocale('en')).toBe('en');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale('zh-TW;q=0.4, en-GB;q=0.8')).toBe('en');
    expect(pickLocale('en;q=0, zh')).toBe('zh-CN');
    expect(pickLocale(['fr', 'en;q=0.5'])).toBe('en');
  });
});
