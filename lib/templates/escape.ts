/**
 * How a request value is escaped for each place it lands in. Every template builder goes through
 * these; nothing interpolates a request value any other way.
 */

/**
 * VTL that prints `expression` as the *content* of a JSON string (between quotes the caller writes).
 * escapeJavaScript escapes quotes, backslashes, control characters and non-ASCII, but also turns `'`
 * into `\'`, which JSON rejects: the replaceAll puts the plain quote back (the fix aws-cdk-lib adopted
 * in PR #20169).
 */
export function jsonStringContent(expression: string): string {
  return `$util.escapeJavaScript(${expression}).replaceAll("\\\\'","'")`;
}

/** VTL that prints `expression` as a complete JSON string, quotes included. */
export function jsonString(expression: string): string {
  return `"${jsonStringContent(expression)}"`;
}

/** VTL that prints `expression` form-encoded, for `application/x-www-form-urlencoded` bodies. */
export function formValue(expression: string): string {
  return `$util.urlEncode(${expression})`;
}

/**
 * VTL that prints `true` or `false` (never anything else) from a request value: true only for the exact
 * text `true`. `variable` must be a name unique within the template (without `$`), since a `#set` to a
 * missing value keeps the variable's previous value.
 */
export function jsonBoolean(expression: string, variable: string): string {
  return `#set($${variable} = ${expression})#if("$!{${variable}}" == "true")true#{else}false#end`;
}

/**
 * VTL that prints a JSON number from a request value, or `null` when the value is not a plain decimal
 * number, so nothing else can reach the JSON text.
 */
export function jsonNumber(expression: string, variable: string): string {
  return `#set($${variable} = ${expression})#set($${variable}s = "$!{${variable}}")` +
    `#if($${variable}s.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))$${variable}s#{else}null#end`;
}
