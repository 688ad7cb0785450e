import { describe, expect, it } from 'vitest';
import { en, format, type MessageKey, zhCN } from './messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('has every message in both languages, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const key of Object.keys(zhCN) as MessageKey[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
      expect(en[key].trim(), key).not.toBe('');
    }
  });

  it('fills in placeholders', () => {
    expect(format('zh-CN', 'verify.line', { line: 3 })).toBe('第 3 行');
    expect(format('en', 'verify.line', { line: 3 })).toBe('Line 3');
    expect(format('en', 'verify.line')).toBe('Line {line}');
  });
});
