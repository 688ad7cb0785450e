/**
 * Exact arithmetic for marks and scores.
 *
 * A `Decimal` is a rational number held as two bigints, so 8.5 × 3.2 is exactly 27.2 and a mean of three
 * marks (25/3) stays exact until a scheme's rounding rule says where to round. Values are parsed only from
 * decimal strings (or finite numbers printed the shortest way), never from binary fractions.
 */

export type RoundingMode = 'halfUp' | 'halfEven' | 'down';

/** A decimal literal as judges and rulebooks write them: "8", "8.5", "-0.25". */
export const DECIMAL_PATTERN = /^[+-]?\d+(\.\d+)?$/;

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

/** The texts parsed so far (bounded: cleared when full, so arbitrary input cannot grow it for ever). */
const parsed = new Map<string, Decimal>();
const PARSED_MAX = 10_000;

export class Decimal {
  /** Numerator and (always positive) denominator, in lowest terms. */
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    if (den === 0n) throw new RangeError('division by zero');
    // Integers (most marks, counts and sums of them) are in lowest terms already: no gcd in the hot loops.
    if (den === 1n) {
      this.num = num;
      this.den = 1n;
      return;
    }
    const sign = den < 0n ? -1n : 1n;
    const divisor = gcd(num, den) || 1n;
    this.num = (sign * num) / divisor;
    this.den = (sign * den) / divisor;
  }

  static readonly ZERO = new Decimal(0n, 1n);
  static readonly ONE = new Decimal(1n, 1n);
  static readonly HUNDRED = new Decimal(100n, 1n);

  static of(value: string | number | bigint | Decimal): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === 'bigint') return new Decimal(value, 1n);
    if (typeof value === 'string') {
      // Marks repeat a handful of texts ("8.5", "1") a million times over, and a value never changes.
      const known = parsed.get(value);
      if (known) return known;
      const decimal = parse(value.trim());
      if (parsed.size >= PARSED_MAX) parsed.clear();
      parsed.set(value, decimal);
      return decimal;
    }
    return parse(numberToText(value));
  }

  /** A finite number's exact shortest decimal text ("3.2", "0.0000001"), as a scheme or mark stores it. */
  static textOf(value: number): string {
    return numberToText(value);
  }

  static isDecimal(text: string): boolean {
    return DECIMAL_PATTERN.test(text.trim());
  }

  static ratio(num: bigint, den: bigint): Decimal {
    return new Decimal(num, den);
  }

  static sum(values: readonly Decimal[]): Decimal {
    return values.reduce((total, v) => total.plus(v), Decimal.ZERO);
  }

  static max(values: readonly Decimal[]): Decimal | undefined {
    return values.reduce<Decimal | undefined>(
      (best, v) => (best === undefined || v.gt(best) ? v : best),
      undefined,
    );
  }

  static min(values: readonly Decimal[]): Decimal | undefined {
    return values.reduce<Decimal | undefined>(
      (best, v) => (best === undefined || v.lt(best) ? v : best),
      undefined,
    );
  }

  // The fast paths below return an operand or skip a product: every bigint operation allocates, and a
  // round of a million marks spent more time collecting them than scoring.
  plus(other: Decimal): Decimal {
    if (other.num === 0n) return this;
    if (this.num === 0n) return other;
    if (this.den === other.den) return new Decimal(this.num + other.num, this.den);
    return new Decimal(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  minus(other: Decimal): Decimal {
    return new Decimal(this.num * other.den - other.num * this.den, this.den * other.den);
  }

  times(other: Decimal): Decimal {
    if (other.den === 1n && other.num === 1n) return this;
    if (this.den === 1n && this.num === 1n) return other;
    return new Decimal(this.num * other.num, this.den * other.den);
  }

  div(other: Decimal): Decimal {
    if (other.den === 1n && other.num === 1n) return this;
    return new Decimal(this.num * other.den, this.den * other.num);
  }

  neg(): Decimal {
    return new Decimal(-this.num, this.den);
  }

  abs(): Decimal {
    return this.num < 0n ? this.neg() : this;
  }

  cmp(other: Decimal): -1 | 0 | 1 {
    if (this.den === other.den) return this.num < other.num ? -1 : this.num > other.num ? 1 : 0;
    const left = this.num * other.den;
    const right = other.num * this.den;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  eq(other: Decimal): boolean {
    return this.cmp(other) === 0;
  }
  lt(other: Decimal): boolean {
    return this.cmp(other) < 0;
  }
  lte(other: Decimal): boolean {
    return this.cmp(other) <= 0;
  }
  gt(other: Decimal): boolean {
    return this.cmp(other) > 0;
  }
  gte(other: Decimal): boolean {
    return this.cmp(other) >= 0;
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  isNegative(): boolean {
    return this.num < 0n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }

  /** Rounds to `places` decimal places; `halfUp` rounds halves away from zero (四舍五入). */
  round(places: number, mode: RoundingMode = 'halfUp'): Decimal {
    if (this.den === 1n) return this;
    const scale = 10n ** BigInt(places);
    const scaled = abs(this.num) * scale;
    let quotient = scaled / this.den;
    const twiceRemainder = (scaled % this.den) * 2n;
    if (mode === 'halfUp' && twiceRemainder >= this.den) quotient += 1n;
    if (mode === 'halfEven') {
      if (twiceRemainder > this.den || (twiceRemainder === this.den && quotient % 2n === 1n)) quotient += 1n;
    }
    return new Decimal(this.num < 0n ? -quotient : quotient, scale);
  }

  /** The value printed with exactly `places` decimals, rounded by `mode`. */
  toFixed(places: number, mode: RoundingMode = 'halfUp'): string {
    const rounded = this.round(places, mode);
    const scale = 10n ** BigInt(places);
    const units = (rounded.num * scale) / rounded.den;
    const digits = abs(units)
      .toString()
      .padStart(places + 1, '0');
    const sign = units < 0n ? '-' : '';
    if (places === 0) return sign + digits;
    return `${sign}${digits.slice(0, -places)}.${digits.slice(-places)}`;
  }

  /** The shortest exact decimal text, or the value rounded to `maxPlaces` if it does not terminate. */
  toString(maxPlaces = 12): string {
    for (let places = 0; places <= maxPlaces; places++) {
      if ((this.num * 10n ** BigInt(places)) % this.den === 0n) return this.toFixed(places);
    }
    return this.toFixed(maxPlaces);
  }

  toJSON(): string {
    return this.toString();
  }
}

function parse(text: string): Decimal {
  if (!DECIMAL_PATTERN.test(text)) throw new SyntaxError(`not a decimal number: "${text}"`);
  const negative = text.startsWith('-');
  const unsigned = negative || text.startsWith('+') ? text.slice(1) : text;
  const point = unsigned.indexOf('.');
  const digits = point < 0 ? unsigned : unsigned.slice(0, point) + unsigned.slice(point + 1);
  const places = point < 0 ? 0 : unsigned.length - point - 1;
  const num = BigInt(digits) * (negative ? -1n : 1n);
  return Decimal.ratio(num, 10n ** BigInt(places));
}

function numberToText(value: number): string {
  if (!Number.isFinite(value)) throw new SyntaxError(`not a finite number: ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent form only appears for very large or very small numbers; spell it out exactly.
  const [mantissa = '0', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const [whole = '0', fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const spelled =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + spelled;
}
