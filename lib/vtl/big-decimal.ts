import { JavaException, JBigDecimal, JDouble } from './values';

/**
 * java.math.BigDecimal arithmetic for Velocity 1.7's MathUtils: when either operand of `+ - * /` is
 * a BigDecimal (json-smart reads decimals longer than 18 characters as BigDecimal), Velocity
 * computes in BigDecimal, so the digits a double cannot hold are kept. Checked against Velocity 1.7
 * running on the JVM:
 *
 * - a Double operand becomes `new BigDecimal(double)`, the exact binary value (`$bd * 0.1` prints
 *   0.1's 55-digit expansion times $bd); an Integer/Long becomes a BigDecimal of scale 0;
 * - `/` is `divide(other, ROUND_HALF_DOWN)`: the result keeps the dividend's scale (`10 / $bd` is 9);
 * - `%` throws ArithmeticException("Cannot calculate the modulo of BigDecimals.");
 * - a BigInteger beside a Double also computes in BigDecimal (MathUtils.findCalculationBase).
 *
 * Float literals in templates are Doubles in 1.7 (`1.12345678901234567890123` prints
 * 1.1234567890123457), so a BigDecimal only comes from JSON or a Java method.
 */

interface Decimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

const TEN = BigInt(10);
const ZERO = BigInt(0);

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

function parseDecimal(text: string): Decimal {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal: ${text}`);
  const digits = `${m[2] ?? ''}${m[3] ?? ''}` || '0';
  const unscaled = BigInt(digits) * (m[1] === '-' ? BigInt(-1) : BigInt(1));
  return { unscaled, scale: (m[3] ?? '').length - Number(m[4] ?? '0') };
}

/** `new BigDecimal(double)`: the exact value of the binary double, with the smallest scale. */
function fromDouble(d: number): Decimal {
  if (!Number.isFinite(d)) throw new JavaException('java.lang.NumberFormatException', 'Infinite or NaN');
  if (d === 0) return { unscaled: ZERO, scale: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const negative = bits >> BigInt(63) === BigInt(1);
  const exponentBits = Number((bits >> BigInt(52)) & BigInt(0x7ff));
  let significand = bits & ((BigInt(1) << BigInt(52)) - BigInt(1));
  let exponent: number;
  if (exponentBits === 0) {
    exponent = -1074;
  } else {
    significand |= BigInt(1) << BigInt(52);
    exponent = exponentBits - 1075;
  }
  while ((significand & BigInt(1)) === ZERO) {
    significand >>= BigInt(1);
    exponent++;
  }
  const sign = negative ? BigInt(-1) : BigInt(1);
  if (exponent >= 0) return { unscaled: sign * (significand << BigInt(exponent)), scale: 0 };
  return { unscaled: sign * significand * BigInt(5) ** BigInt(-exponent), scale: -exponent };
}

export type JavaNumber = number | bigint | JDouble | JBigDecimal;

const LONG_MIN = -(BigInt(2) ** BigInt(63));
const LONG_MAX = BigInt(2) ** BigInt(63) - BigInt(1);

function isBigInteger(v: JavaNumber): boolean {
  return typeof v === 'bigint' && (v < LONG_MIN || v > LONG_MAX);
}

/** MathUtils.findCalculationBase: BigDecimal when either side is one, or a BigInteger meets a double. */
export function needsBigDecimal(a: JavaNumber, b: JavaNumber): boolean {
  if (a instanceof JBigDecimal || b instanceof JBigDecimal) return true;
  return (isBigInteger(a) && b instanceof JDouble) || (isBigInteger(b) && a instanceof JDouble);
}

function toDecimal(v: JavaNumber): Decimal {
  if (v instanceof JBigDecimal) return parseDecimal(v.text);
  if (v instanceof JDouble) return fromDouble(v.value);
  return { unscaled: BigInt(v), scale: 0 };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.unscaled * pow10(scale - a.scale), b.unscaled * pow10(scale - b.scale), scale];
}

function make(d: Decimal): JBigDecimal {
  return new JBigDecimal(d.scale === 0 ? d.unscaled.toString() : `${d.unscaled}E${-d.scale}`);
}

/** Division rounded to the nearest, ties toward zero (RoundingMode.HALF_DOWN). */
function divideHalfDown(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === ZERO) return q;
  const twice = (r < ZERO ? -r : r) * BigInt(2);
  const abs = d < ZERO ? -d : d;
  if (twice <= abs) return q;
  return (n < ZERO) !== (d < ZERO) ? q - BigInt(1) : q + BigInt(1);
}

/**
 * `a op b` in BigDecimal. Returns null for a division (or modulo) by zero, as ASTDivNode/ASTModNode
 * do; throws for `%` of non-zero operands, as Velocity 1.7's MathUtils.modulo does.
 */
export function bigDecimalArithmetic(op: string, left: JavaNumber, right: JavaNumber): JBigDecimal | null {
  const a = toDecimal(left);
  const b = toDecimal(right);
  switch (op) {
    case '+': {
      const [x, y, scale] = align(a, b);
      return make({ unscaled: x + y, scale });
    }
    case '-': {
      const [x, y, scale] = align(a, b);
      return make({ unscaled: x - y, scale });
    }
    case '*':
      return make({ unscaled: a.unscaled * b.unscaled, scale: a.scale + b.scale });
    case '/': {
      if (b.unscaled === ZERO) return null;
      // Result scale = dividend's scale: r / 10^sa = (ua / 10^sa) / (ub / 10^sb).
      let n = a.unscaled;
      let d = b.unscaled;
      if (b.scale >= 0) n *= pow10(b.scale);
      else d *= pow10(-b.scale);
      return make({ unscaled: divideHalfDown(n, d), scale: a.scale });
    }
    default:
      if (b.unscaled === ZERO) return null;
      throw new JavaException('java.lang.ArithmeticException', 'Cannot calculate the modulo of BigDecimals.');
  }
}

/** MathUtils.compare in BigDecimal (exact): -1, 0 or 1. */
export function compareBigDecimal(left: JavaNumber, right: JavaNumber): number {
  const [x, y] = align(toDecimal(left), toDecimal(right));
  return x < y ? -1 : x > y ? 1 : 0;
}
