/**
 * Small, pure helpers for writing Velocity (VTL) text safely. Nothing here reads a request: these
 * escape values *we* put into templates, so that no literal can be read as VTL syntax.
 */

/**
 * A VTL single-quoted string literal. Single-quoted strings are not interpolated, so `$` and `#` inside
 * stay literal; a `'` is written as `''`. Backslash-u sequences would be unescaped by Velocity, so a
 * literal containing one is rejected rather than silently changed.
 */
export function vtlString(value: string): string {
  if (/\\u[0-9a-fA-F]{4}/.test(value)) {
    throw new Error(`cannot place '${value}' in a mapping template literal: Velocity would unescape its \\uXXXX sequence`);
  }
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * JSON text that a template prints verbatim. Outside string values JSON has no `$` or `#`; inside them
 * they are written as the JSON escapes \u0024 and \u0023, so Velocity sees neither a reference nor a
 * directive, and any JSON parser reads back the original value.
 */
export function literalJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error('literalJson: value is not JSON-serializable');
  return text.replace(/\$/g, '\\u0024').replace(/#/g, '\\u0023');
}

/**
 * Literal text a template prints verbatim (for non-JSON bodies): `$` and `#` are printed through
 * `${d}` / `${h}`-style variables set once at the top, so nothing in the text can start VTL syntax.
 */
export function literalText(value: string): string {
  if (!/[$#\\]/.test(value)) return value;
  // Velocity 1.7 reads `\$` and `\#` as escapes, so backslashes are routed through a variable too.
  const prelude = "#set($__d = '$')#set($__h = '#')#set($__b = '\\')";
  return prelude + value.replace(/[$#\\]/g, (c) => (c === '$' ? '${__d}' : c === '#' ? '${__h}' : '${__b}'));
}

/** C0 and C1 control characters (tab included), DEL, and Unicode's line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

/**
 * Refuses a control character in a static value API Gateway sends as a header or parameter: a CR or LF
 * would end the header and start another (header injection into the backend call or the answer), and
 * other control characters are not valid in a header value. `what` names the value, e.g. `header X value`.
 */
export function checkStaticValue(route: string, what: string, value: string): void {
  const found = CONTROL_CHARACTER.exec(value);
  if (!found) return;
  const c = found[0];
  const kind = /[\r\n\u2028\u2029]/.test(c) ? 'a line break' : 'a control character';
  const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  throw new Error(`${route}: ${what} must not contain ${kind} (${code} at index ${found.index} of ${JSON.stringify(value)}): ` +
    'a static header value is one line of printable characters: remove it');
}

/** A static value for a header in `responseParameters` / `requestParameters`: API Gateway wants it in single quotes. */
export function staticHeaderValue(route: string, header: string, value: string): string {
  if (typeof value !== 'string') throw new Error(`${route}: header ${header} value must be a string, got ${typeof value}`);
  if (value.includes("'")) {
    throw new Error(`${route}: header ${header} value "${value}" contains a single quote, which a static API Gateway header value cannot carry: use a value without '`);
  }
  checkStaticValue(route, `header ${header} value`, value);
  return `'${value}'`;
}
