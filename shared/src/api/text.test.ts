import { describe, expect, it } from 'vitest';
import { plainText, textProblem } from './text';

describe('the text rule', () => {
  it('counts code points, so emoji and CJK are one character each', () => {
    expect(textProblem('🏆'.repeat(100), { max: 100 })).toBeNull();
    expect(textProblem('👨‍👩‍👧', { max: 5 })).toBeNull(); // 5 code points (3 people, 2 joiners)
    expect(textProblem('🏆'.repeat(101), { max: 100 })).toEqual({ kind: 'tooLong', max: 100, length: 101 });
    expect(textProblem('ab', { min: 3, max: 10 })).toEqual({ kind: 'tooShort', min: 3 });
    expect(textProblem('', { max: 10 })).toEqual({ kind: 'tooShort', min: 1 });
  });

  it('refuses C0 and C1 controls and DEL, allowing tab and line breaks only in text of several lines', () => {
    for (const code of [0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9f]) {
      const char = String.fromCharCode(code);
      const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      expect(textProblem(`a${char}b`, { max: 10 })).toEqual({ kind: 'control', codePoint: hex, position: 2 });
    }
    expect(textProblem('第一行\r\n第二行\t完', { max: 100, lines: true })).toBeNull();
    expect(textProblem('a\u0000b', { max: 100, lines: true })).toMatchObject({ kind: 'control' });
    // Characters next to the controls are ordinary text.
    expect(textProblem('\u00a0é\u200f\u3000', { max: 10 })).toBeNull();
  });

  it('refuses half a surrogate pair wherever it stands, and keeps whole pairs', () => {
    expect(textProblem('a\ud83c', { max: 10 })).toEqual({ kind: 'loneSurrogate', position: 2 });
    expect(textProblem('\udfc6a', { max: 10 })).toEqual({ kind: 'loneSurrogate', position: 1 });
    expect(textProblem('\udfc6\ud83c', { max: 10 })).toEqual({ kind: 'loneSurrogate', position: 1 });
    expect(textProblem('\ud83c\udfc6', { max: 1 })).toBeNull();
  });

  it('trims before checking, and carries the problem in the zod issue', () => {
    const name = plainText({ max: 3 });
    expect(name.parse('  张三丰  ')).toBe('张三丰');
    const failed = name.safeParse('张\u0000三');
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]).toMatchObject({
      code: 'custom',
      message: 'contains the control character U+0000 (character 2); remove it',
      params: { textProblem: { kind: 'control', codePoint: 'U+0000', position: 2 } },
    });
  });
});
