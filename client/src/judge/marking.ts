import {
  type Aspect,
  DECIMAL_PATTERN,
  Decimal,
  type Localized,
  type MarkView,
  markDomain,
  markProblem,
  resolveItem,
  type Scheme,
} from '@jiangxin/shared';
import type { OutboxEntry } from '../common/outbox/outbox';

/** How the tablet asks for a mark of an aspect: what the scheme allows, as large touch targets where it can. */
export type MarkInputSpec =
  /** A pad of buttons, one per allowed value (half points: 0, 0.5 … 10). `levels`: WorldSkills 0–3. */
  | { kind: 'pad'; values: string[]; levels: boolean; unit?: string }
  /** A number typed on an on-screen keypad (a range too large for buttons). */
  | { kind: 'keypad'; min?: string; max?: string; step?: string; unit?: string }
  /** A time entered as mm:ss, sent in seconds. */
  | { kind: 'clock'; min?: string; max?: string }
  /** A count of faults, with + and −. */
  | { kind: 'counter'; min: string; max?: string; step: string; unit?: string; per?: string }
  /** A binary check: yes (1) or no (0). */
  | { kind: 'yesNo' }
  /** A veto (一票否决): broken (1) asks for confirmation; not broken (0). */
  | { kind: 'veto' };

/** Buttons are used up to this many values; beyond, a keypad. */
export const PAD_LIMIT = 41;

/** Every allowed value from min to max in steps, or null when there are too many (or the range is open). */
export function padValues(min?: Decimal, max?: Decimal, step?: Decimal): string[] | null {
  if (!min || !max || !step) return null;
  const count = max.minus(min).div(step);
  if (!count.isInteger() || count.gt(Decimal.of(PAD_LIMIT - 1))) return null;
  const values: string[] = [];
  for (let v = min; v.lte(max); v = v.plus(step)) values.push(v.toString());
  return values;
}

const isSeconds = (unit?: string) => unit === 's' || unit === '秒';

export function inputSpec(aspect: Aspect): MarkInputSpec {
  const { min, max, step } = markDomain(aspect);
  const text = (d?: Decimal) => d?.toString();
  switch (aspect.kind) {
    case 'veto':
      return { kind: 'veto' };
    case 'measurement': {
      if (aspect.mapping.type === 'binary') return { kind: 'yesNo' };
      if (isSeconds(aspect.unit)) return { kind: 'clock', min: text(min), max: text(max) };
      const values = padValues(min, max, step);
      if (values) return { kind: 'pad', values, levels: false, unit: aspect.unit };
      return { kind: 'keypad', min: text(min), max: text(max), step: text(step), unit: aspect.unit };
    }
    case 'deduction':
      if (aspect.per !== undefined)
        return {
          kind: 'counter',
          min: text(min) ?? '0',
          max: text(max),
          step: text(step) ?? '1',
          unit: aspect.unit,
          per: aspect.per,
        };
      if (isSeconds(aspect.unit)) return { kind: 'clock', min: text(min), max: text(max) };
      return { kind: 'keypad', min: text(min), max: text(max), step: text(step), unit: aspect.unit };
    case 'judgement': {
      const values = padValues(min, max, step);
      const levels = aspect.range.min === '0' && aspect.range.max === '3' && aspect.step === '1';
      if (values) return { kind: 'pad', values, levels };
      return { kind: 'keypad', min: text(min), max: text(max), step: text(step) };
    }
  }
}

/** `m:ss` (or `mm:ss`, or plain seconds) → seconds as a decimal string; null if it is not a time. */
export function parseClock(input: string): string | null {
  const text = input.trim();
  const clock = /^(\d{1,3}):([0-5]\d)(\.\d+)?$/.exec(text);
  if (clock) {
    const seconds = Decimal.of(clock[1] ?? '0')
      .times(Decimal.of(60))
      .plus(Decimal.of(`${clock[2]}${clock[3] ?? ''}`));
    return seconds.toString();
  }
  return /^\d+(\.\d+)?$/.test(text) ? Decimal.of(text).toString() : null;
}

/** Seconds → `m:ss` (fractions kept: `1:05.5`). */
export function formatClock(seconds: string): string {
  const value = Decimal.of(seconds);
  const whole = Number(value.toString().split('.')[0]);
  const fraction = value.toString().split('.')[1];
  const m = Math.floor(whole / 60);
  const s = String(whole % 60).padStart(2, '0');
  return `${m}:${s}${fraction ? `.${fraction}` : ''}`;
}

/** Why a value cannot be sent for an aspect (both languages), or null: the engine's own check. */
export function valueProblem(aspect: Aspect, value: string): Localized | null {
  if (!DECIMAL_PATTERN.test(value)) return { 'zh-CN': '不是有效的数字', en: 'is not a number' };
  return markProblem(aspect, Decimal.of(value));
}

/** The aspect an item names in the scheme, with its attempt number (dives, runs). */
export function itemAspect(scheme: Scheme, item: string) {
  const ref = resolveItem(scheme, item);
  return ref ? { aspect: ref.aspect, attempt: ref.attempt, component: ref.component } : null;
}

/** What names an item on the tablet: the aspect, the attempt, and that attempt's declared difficulty. */
export function describeItem(
  scheme: Scheme,
  item: string,
  declared: readonly { attempt: number; difficulty: string }[],
) {
  const ref = itemAspect(scheme, item);
  if (!ref) return null;
  const difficulty =
    ref.attempt === null ? null : (declared.find((d) => d.attempt === ref.attempt)?.difficulty ?? null);
  return { ...ref, difficulty };
}

/** What the tablet shows for one item of a workstation: the value and where it is on its way. */
export type ItemStatus =
  | { state: 'empty' }
  | { state: 'saved' | 'sending'; value: string; entry: OutboxEntry }
  | { state: 'accepted'; value: string }
  | { state: 'refused'; value: string; entry: OutboxEntry; inForce: string | null };

/**
 * An item's status from the outbox (what this tablet did) and the server's marks (what counts): a mark on its
 * way shows first; a refusal newer than anything accepted shows with the reason and the value still in force;
 * otherwise the server's mark (or, offline, the tablet's last accepted one).
 */
export function itemStatus(entries: OutboxEntry[], serverMark: MarkView | undefined): ItemStatus {
  const latest = entries.at(-1);
  const pending = [...entries].reverse().find((e) => e.state === 'saved' || e.state === 'sending');
  if (pending)
    return { state: pending.state as 'saved' | 'sending', value: pending.body.value, entry: pending };
  const lastAccepted = [...entries].reverse().find((e) => e.state === 'accepted');
  const inForce = serverMark?.value ?? lastAccepted?.body.value ?? null;
  // A refusal stands until the value the judge wanted is in force (e.g. through an approved correction).
  if (
    latest?.state === 'refused' &&
    (inForce === null || !Decimal.of(inForce).eq(Decimal.of(latest.body.value)))
  )
    return { state: 'refused', value: latest.body.value, entry: latest, inForce };
  // The server's answer can be older than the tablet's last accepted mark while the read is offline.
  const serverKnowsLatest =
    !lastAccepted || serverMark?.id === lastAccepted.id || (serverMark?.seq ?? 0) >= (lastAccepted.seq ?? 0);
  const value = serverKnowsLatest
    ? (serverMark?.value ?? lastAccepted?.body.value)
    : lastAccepted?.body.value;
  return value === undefined ? { state: 'empty' } : { state: 'accepted', value };
}

export const itemKey = (workstation: string, item: string) => `${workstation}\u0000${item}`;
