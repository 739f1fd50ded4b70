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

/** A static value for a header in `responseParameters` / `requestParameters`: API Gateway wants it in single quotes. */
export function staticHeaderValue(route: string, header: string, value: string): string {
  if (value.includes("'")) {
    throw new Error(`${route}: header ${header} value "${value}" contains a single quote, which a static API Gateway header value cannot carry: use a value without '`);
  }
  if (/[\r\n]/.test(value)) throw new Error(`${route}: header ${header} value must not contain a line break: put it on one line`);
  return `'${value}'`;
}
