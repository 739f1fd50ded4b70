import {
  isJavaInteger,
  JavaException,
  javaHashCode,
  javaTypeName,
  JBigDecimal,
  JDouble,
  toJavaString,
  Value,
  VList,
} from './values';

/**
 * `String.format(format, args...)` (java.util.Formatter) for what templates reach through
 * `"".format(...)`: the general (`%s %b %h`), character (`%c`), integral (`%d %o %x`),
 * floating-point (`%e %f %g %a` is not emulated) and `%n %%` conversions, with argument indexes
 * (`%2$s`, `%<s`), flags (`-#+ 0,(`), width and precision, and Java's exceptions for a mismatch.
 * The locale is en_US (`,` groups thousands, `.` is the decimal point); the default locale of
 * API Gateway's JVM is not recorded. Date/time conversions (`%t`) are not emulated and fail.
 */

const SPECIFIER = /%(\d+\$|<)?([-#+ 0,(]*)(\d+)?(\.\d+)?([tT]?)([a-zA-Z%])/g;

function fail(cls: string, message: string): never {
  throw new JavaException(`java.util.${cls}`, message);
}

function javaClassOf(v: Value): string {
  const name = javaTypeName(v);
  if (name === 'BigInteger' || name === 'BigDecimal') return `java.math.${name}`;
  return ['String', 'Boolean', 'Integer', 'Long', 'Double'].includes(name) ? `java.lang.${name}` : name;
}

/** Inserts `,` every three digits of an unsigned digit string. */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Rounds a non-negative decimal (digits with the decimal point after `pointAt` digits) half-up to
 * `scale` fraction digits, as Formatter does on the decimal form of the value.
 */
function roundHalfUp(digits: string, pointAt: number, scale: number): { int: string; frac: string } {
  // Pad so that there are enough digits on both sides of the point.
  let d = digits;
  let p = pointAt;
  if (p <= 0) {
    d = '0'.repeat(1 - p) + d;
    p = 1;
  }
  if (d.length < p + scale + 1) d = d + '0'.repeat(p + scale + 1 - d.length);
  const keep = d.slice(0, p + scale);
  const next = d.charCodeAt(p + scale) - 48;
  let n = BigInt(keep === '' ? '0' : keep);
  if (next >= 5) n += BigInt(1);
  const s = n.toString().padStart(p + scale, '0');
  const intLen = s.length - scale;
  return { int: s.slice(0, intLen).replace(/^0+(?=\d)/, '') || '0', frac: s.slice(intLen) };
}

/** The exact-enough decimal digits of a value: Java's shortest repr for doubles, the text for BigDecimal. */
function decimalDigits(v: JDouble | JBigDecimal | number | bigint): { negative: boolean; digits: string; pointAt: number } {
  let text: string;
  if (v instanceof JDouble) text = v.value.toExponential();
  else if (v instanceof JBigDecimal) text = v.text;
  else text = v.toString();
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return { negative: false, digits: '0', pointAt: 1 };
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  let digits = intPart + frac;
  let pointAt = intPart.length + Number(m[4] ?? '0');
  const lead = /^0*/.exec(digits)![0].length;
  if (lead === digits.length) return { negative: m[1] === '-', digits: '0', pointAt: 1 };
  digits = digits.slice(lead);
  pointAt -= lead;
  return { negative: m[1] === '-', digits, pointAt };
}

function fixed(v: JDouble | JBigDecimal, precision: number, groupIt: boolean): { negative: boolean; body: string } {
  const { negative, digits, pointAt } = decimalDigits(v);
  const r = roundHalfUp(digits, pointAt, precision);
  const int = groupIt ? group(r.int) : r.int;
  return { negative, body: precision > 0 ? `${int}.${r.frac}` : int };
}

function scientific(v: JDouble | JBigDecimal, precision: number): { negative: boolean; body: string } {
  const { negative, digits } = decimalDigits(v);
  let { pointAt } = decimalDigits(v);
  if (digits === '0') return { negative, body: `${precision > 0 ? `0.${'0'.repeat(precision)}` : '0'}e+00` };
  let r = roundHalfUp(digits, 1, precision);
  if (r.int.length > 1) {
    // Rounding carried into a new digit (9.99 -> 10.0): shift one place.
    r = roundHalfUp(r.int + r.frac, 1, precision);
    pointAt++;
  }
  const exponent = pointAt - 1;
  const exp = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return { negative, body: `${r.int}${precision > 0 ? `.${r.frac}` : ''}e${exp}` };
}

function isFloating(v: Value): v is JDouble | JBigDecimal {
  return v instanceof JDouble || v instanceof JBigDecimal;
}

function applySign(negative: boolean, body: string, flags: string): string {
  if (negative) return flags.includes('(') ? `(${body})` : `-${body}`;
  if (flags.includes('+')) return `+${body}`;
  if (flags.includes(' ')) return ` ${body}`;
  return body;
}

/** Pads to width: spaces on the left (or right with `-`), or zeros after the sign with `0`. */
function pad(s: string, width: number | undefined, flags: string): string {
  if (width === undefined || s.length >= width) return s;
  if (flags.includes('-')) return s + ' '.repeat(width - s.length);
  if (flags.includes('0')) {
    const m = /^([-+ (]?)(0[xX])?(.*)$/.exec(s)!;
    const prefix = (m[1] ?? '') + (m[2] ?? '');
    return prefix + '0'.repeat(width - s.length) + m[3];
  }
  return ' '.repeat(width - s.length) + s;
}

function integral(v: Value, conversion: string, flags: string): string {
  if (!isJavaInteger(v)) fail('IllegalFormatConversionException', `${conversion} != ${javaClassOf(v)}`);
  const n = BigInt(v);
  const isBig = javaTypeName(v) === 'BigInteger';
  if (conversion === 'd') {
    const digits = (n < BigInt(0) ? -n : n).toString();
    return applySign(n < BigInt(0), flags.includes(',') ? group(digits) : digits, flags);
  }
  if (flags.includes(',') || (!isBig && /[+ (]/.test(flags))) fail('FormatFlagsConversionMismatchException', `Conversion = ${conversion}, Flags = ${flags}`);
  const radix = conversion === 'o' ? 8 : 16;
  let text: string;
  let negative = false;
  if (isBig) {
    negative = n < BigInt(0);
    text = (negative ? -n : n).toString(radix);
  } else {
    // Integer and Long print their two's complement.
    const bits = typeof v === 'number' && v >= -2147483648 && v <= 2147483647 ? 32 : 64;
    text = BigInt.asUintN(bits, n).toString(radix);
  }
  if (flags.includes('#')) text = (radix === 8 ? '0' : '0x') + text;
  return applySign(negative, text, flags);
}

function floating(v: Value, conversion: string, flags: string, precision: number | undefined): string {
  if (!isFloating(v)) fail('IllegalFormatConversionException', `${conversion} != ${javaClassOf(v)}`);
  if (v instanceof JDouble && !Number.isFinite(v.value)) {
    if (Number.isNaN(v.value)) return 'NaN';
    return applySign(v.value < 0, 'Infinity', flags);
  }
  const p = precision ?? 6;
  if (conversion === 'f') {
    const r = fixed(v, p, flags.includes(','));
    return applySign(r.negative, r.body, flags);
  }
  if (conversion === 'e') {
    const r = scientific(v, p);
    return applySign(r.negative, r.body, flags);
  }
  // %g: scientific unless 10^-4 <= |rounded value| < 10^precision; trailing zeros are kept.
  const gp = p === 0 ? 1 : p;
  const { digits, pointAt } = decimalDigits(v);
  const rounded = roundHalfUp(digits, 1, gp - 1);
  const exponent = pointAt - 1 + (rounded.int.length > 1 ? 1 : 0);
  const zero = digits === '0';
  if (zero || (exponent >= -4 && exponent < gp)) {
    const r = fixed(v, zero ? gp - 1 : gp - 1 - exponent, flags.includes(','));
    return applySign(r.negative, r.body, flags);
  }
  const r = scientific(v, gp - 1);
  return applySign(r.negative, r.body, flags);
}

export function javaFormat(format: string, args: Value[]): string {
  let ordinary = 0;
  let previous = -1;
  let out = '';
  let last = 0;
  SPECIFIER.lastIndex = 0;
  for (let m = SPECIFIER.exec(format); m; m = SPECIFIER.exec(format)) {
    const stray = format.slice(last, m.index).indexOf('%');
    if (stray >= 0) fail('UnknownFormatConversionException', `Conversion = '${format.charAt(last + stray + 1) || '%'}'`);
    out += format.slice(last, m.index);
    last = SPECIFIER.lastIndex;
    const [spec, index, flags, widthText, precisionText, dateTime, conversionChar] = m;
    const width = widthText !== undefined ? Number(widthText) : undefined;
    const precision = precisionText !== undefined ? Number(precisionText.slice(1)) : undefined;
    if ((flags.includes('-') || flags.includes('0')) && width === undefined) fail('MissingFormatWidthException', spec);
    if (dateTime) fail('UnknownFormatConversionException', `${spec}: date/time conversions are not emulated by this renderer`);
    if (conversionChar === 'n') {
      out += '\n';
      continue;
    }
    if (conversionChar === '%') {
      out += pad('%', width, flags.replace('0', ''));
      continue;
    }
    const conversion = conversionChar.toLowerCase();
    const upper = conversionChar !== conversion;
    if (!'bhscdoxefga'.includes(conversion) || (upper && 'dof'.includes(conversion))) {
      fail('UnknownFormatConversionException', `Conversion = '${conversionChar}'`);
    }
    let at: number;
    if (index === '<') at = previous;
    else if (index !== undefined) at = Number(index.slice(0, -1)) - 1;
    else at = ordinary++;
    if (at < 0 || at >= args.length) fail('MissingFormatArgumentException', `Format specifier '${spec}'`);
    previous = at;
    const arg = args[at];
    let text: string;
    if ('dox'.includes(conversion)) {
      if (precision !== undefined) fail('IllegalFormatPrecisionException', String(precision));
      text = arg === null ? 'null' : integral(arg, conversion, flags);
    } else if ('efg'.includes(conversion)) {
      text = arg === null ? 'null' : floating(arg, conversion, flags, precision);
    } else if (conversion === 'a') {
      fail('UnknownFormatConversionException', `${spec}: %a is not emulated by this renderer`);
    } else {
      if (/[#+ ,(0]/.test(flags)) {
        fail('FormatFlagsConversionMismatchException', `Conversion = ${conversion}, Flags = ${flags}`);
      }
      if (conversion === 'c') {
        if (precision !== undefined) fail('IllegalFormatPrecisionException', String(precision));
        if (arg === null) text = 'null';
        else if (typeof arg === 'string' && [...arg].length === 1) text = arg; // a char (charAt gives one-character strings)
        else if (typeof arg === 'number' && arg >= 0 && arg <= 0x10ffff) text = String.fromCodePoint(arg);
        else if (typeof arg === 'number') fail('IllegalFormatCodePointException', `Code point = 0x${(arg >>> 0).toString(16)}`);
        else fail('IllegalFormatConversionException', `c != ${javaClassOf(arg)}`);
      } else {
        if (conversion === 'b') text = arg === null ? 'false' : typeof arg === 'boolean' ? String(arg) : 'true';
        else if (conversion === 'h') text = arg === null ? 'null' : (javaHashCode(arg) >>> 0).toString(16);
        else text = toJavaString(arg);
        if (precision !== undefined) text = text.slice(0, precision);
      }
    }
    out += pad(upper ? text.toUpperCase() : text, width, flags);
  }
  const rest = format.slice(last);
  const stray = rest.indexOf('%');
  if (stray >= 0) fail('UnknownFormatConversionException', `Conversion = '${rest.charAt(stray + 1) || '%'}'`);
  return out + rest;
}

/** The varargs of `String.format` / `formatted`: a Java array passed alone is the argument array. */
export function varargs(args: Value[]): Value[] {
  if (args.length === 1 && args[0] instanceof VList && args[0].kind === 'javaArray') return [...args[0].items];
  return args;
}
