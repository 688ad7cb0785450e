import { z } from 'zod';
import { type Localized, localized } from '../i18n';

/**
 * The one rule for text people type (names, labels, units, regions, usernames, reasons): trimmed; no
 * control characters (C0 U+0000–U+001F, DEL, C1 U+0080–U+009F), except tab and line breaks in text that may
 * run over several lines (reasons); no lone surrogates (half an emoji, which storage would silently turn
 * into U+FFFD); length counted in characters (Unicode code points), so 60 emoji are 60 characters. Used by
 * every request schema (`plainText`) and by the imports' row checks (`textProblem`).
 */

export interface TextRule {
  /** At least this many characters (1: not empty). */
  min?: number;
  max: number;
  /** Tab, line feed and carriage return allowed (a reason written over several lines). */
  lines?: boolean;
}

export type TextProblem =
  | { kind: 'tooShort'; min: number }
  | { kind: 'tooLong'; max: number; length: number }
  /** `position`: the character's place in the text, from 1. */
  | { kind: 'control'; codePoint: string; position: number }
  | { kind: 'loneSurrogate'; position: number };

const isControl = (code: number, lines: boolean) =>
  (code <= 0x1f && !(lines && (code === 0x09 || code === 0x0a || code === 0x0d))) ||
  (code >= 0x7f && code <= 0x9f);

const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with a (trimmed) text under the rule, or null when nothing is. */
export function textProblem(text: string, rule: TextRule): TextProblem | null {
  const { min = 1, max, lines = false } = rule;
  let length = 0;
  // Iterating a string yields code points; a surrogate without its other half comes out alone.
  for (const char of text) {
    length++;
    const code = char.codePointAt(0) ?? 0;
    if (isControl(code, lines)) return { kind: 'control', codePoint: hex(code), position: length };
    if (isSurrogate(code)) return { kind: 'loneSurrogate', position: length };
  }
  if (length < min) return { kind: 'tooShort', min };
  if (length > max) return { kind: 'tooLong', max, length };
  return null;
}

/** The problem as a phrase that follows the field's name. */
export function describeTextProblem(problem: TextProblem): Localized {
  switch (problem.kind) {
    case 'tooShort':
      return problem.min === 1
        ? localized('不能为空', 'must not be empty')
        : localized(
            `过短（至少 ${problem.min} 个字符）`,
            `is too short (at least ${problem.min} characters)`,
          );
    case 'tooLong':
      return localized(
        `过长（${problem.length} 个字符，至多 ${problem.max} 个）`,
        `is too long (${problem.length} characters; at most ${problem.max})`,
      );
    case 'control':
      return localized(
        `含有不可见的控制字符 ${problem.codePoint}（第 ${problem.position} 个字符），请删除`,
        `contains the control character ${problem.codePoint} (character ${problem.position}); remove it`,
      );
    case 'loneSurrogate':
      return localized(
        `含有残缺的字符（第 ${problem.position} 个字符是半个代理对），请重新输入`,
        `contains a broken character (character ${problem.position} is half of a surrogate pair); type it again`,
      );
  }
}

/** The zod issue params a text problem travels in, so the API's messages can name it in every language. */
export interface TextIssueParams {
  textProblem: TextProblem;
}

/** A request field holding text a person typed: see the module comment. */
export function plainText(rule: TextRule) {
  const { min = 1, max } = rule;
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = textProblem(value, rule);
      if (problem) {
        const params: TextIssueParams = { textProblem: problem };
        ctx.addIssue({ code: 'custom', message: describeTextProblem(problem).en, params });
      }
    })
    .meta({ minLength: min, maxLength: max });
}
