/**
 * Integration request parameter mapping (`Integration.RequestParameters`): `integration.request.<where>.<name>`
 * ← a mapping expression, per "Parameter mapping source reference for REST APIs in API Gateway"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html):
 * `method.request.path|querystring|multivaluequerystring|header|multivalueheader.<name>`, `method.request.body`,
 * `method.request.body.<JSONPath>`, `stageVariables.<name>`, `context.<name>`, or a static `'value'`.
 */

/** What a mapping expression can read from the method request. */
export interface MappingSources {
  readonly pathParameters: Record<string, string>;
  readonly query: Record<string, string>;
  /** Every value of each query string parameter; defaults to `[query[name]]`. */
  readonly multiValueQuery?: Record<string, string[]>;
  /** Headers as sent (single-valued); names are matched case-insensitively. */
  readonly headers: Record<string, string>;
  /** Every value of each header; defaults to `[headers[name]]`. */
  readonly multiValueHeaders?: Record<string, string[]>;
  readonly body: Buffer;
  readonly stageVariables: Record<string, string>;
  /** `$context` variables by name after `context.`, e.g. `requestId`, `authorizer.claims.sub`. */
  readonly context: Record<string, string>;
}

/** The integration request parameters a mapping produced. */
export interface MappedParameters {
  /** Header name as written in the mapping key → its values (joined with `,` when sent). */
  readonly headers: Record<string, string[]>;
  readonly query: Record<string, string[]>;
  readonly path: Record<string, string>;
}

/** A mapping the emulator cannot evaluate (the message says which and why). */
export class MappingError extends Error {}

const DESTINATION = /^integration\.request\.(header|querystring|path)\.(.+)$/;

/** Case-insensitive lookup in a header record. */
export function headerValues(headers: Record<string, string>, multi: Record<string, string[]> | undefined, name: string): string[] | undefined {
  const lower = name.toLowerCase();
  if (multi) {
    const key = Object.keys(multi).find((k) => k.toLowerCase() === lower);
    if (key !== undefined) return multi[key];
  }
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : [headers[key]];
}

/**
 * The values one mapping expression yields, or undefined when its source is absent from the request.
 * An absent source maps to nothing: the integration parameter is not sent (API Gateway does not document this
 * case; sending nothing rather than an empty value is the emulator's choice).
 */
export function evaluateMappingExpression(expression: string, src: MappingSources): string[] | undefined {
  const expr = expression.trim();
  if (expr.length >= 2 && expr.startsWith('\'') && expr.endsWith('\'')) return [expr.slice(1, -1)];
  const one = (v: string | undefined) => (v === undefined ? undefined : [v]);
  const rest = (prefix: string) => expr.slice(prefix.length);
  if (expr.startsWith('method.request.path.')) return one(src.pathParameters[rest('method.request.path.')]);
  if (expr.startsWith('method.request.querystring.')) return one(src.query[rest('method.request.querystring.')]);
  if (expr.startsWith('method.request.multivaluequerystring.')) {
    const name = rest('method.request.multivaluequerystring.');
    return src.multiValueQuery?.[name] ?? one(src.query[name]);
  }
  // A single-valued source reads the last value when the client repeated the header (as the proxy event's `headers`).
  if (expr.startsWith('method.request.header.')) return lastOf(headerValues(src.headers, src.multiValueHeaders, rest('method.request.header.')));
  if (expr.startsWith('method.request.multivalueheader.')) {
    return headerValues(src.headers, src.multiValueHeaders, rest('method.request.multivalueheader.'));
  }
  if (expr === 'method.request.body') return [src.body.toString('utf8')];
  if (expr.startsWith('method.request.body.')) return bodyPath(src.body, rest('method.request.body.'), expression);
  if (expr.startsWith('stageVariables.')) return one(src.stageVariables[rest('stageVariables.')]);
  if (expr.startsWith('context.')) return one(src.context[rest('context.')]);
  throw new MappingError(`request parameter source '${expression}' is not a mapping expression API Gateway accepts`);
}

function lastOf(values: string[] | undefined): string[] | undefined {
  return values === undefined || values.length === 0 ? values : [values[values.length - 1]];
}

/**
 * `method.request.body.<JSONPath>`: the emulator evaluates the simple paths (`a.b`, `a[0].b`, `['a b']`);
 * filters, wildcards and recursive descent answer a MappingError naming the path.
 */
function bodyPath(body: Buffer, path: string, expression: string): string[] | undefined {
  const steps: Array<string | number> = [];
  const re = /\.?([A-Za-z0-9_$-]+)|\[(\d+)\]|\['([^']*)'\]/y;
  let at = path.startsWith('$') ? 1 : 0;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m) throw new MappingError(`request parameter source '${expression}': the emulator evaluates simple JSONPath (a.b, a[0], ['a b']) only`);
    steps.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3]));
    at = re.lastIndex;
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  for (const step of steps) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  if (value === undefined) return undefined;
  return [typeof value === 'string' ? value : JSON.stringify(value)];
}

/** Evaluate every `integration.request.*` mapping of an integration. */
export function mapRequestParameters(requestParameters: Record<string, string> | undefined, src: MappingSources): MappedParameters {
  const headers: Record<string, string[]> = {};
  const query: Record<string, string[]> = {};
  const path: Record<string, string> = {};
  for (const [key, expression] of Object.entries(requestParameters ?? {})) {
    const m = DESTINATION.exec(key);
    if (!m) throw new MappingError(`request parameter '${key}' is not integration.request.header|querystring|path.<name>`);
    const values = evaluateMappingExpression(expression, src);
    if (values === undefined) continue;
    const [, where, name] = m;
    if (where === 'header') headers[name] = values;
    // A multi-valued source mapped to a query string sends each value (name=a&name=b), as a client would.
    else if (where === 'querystring') query[name] = values;
    // A multi-valued source mapped to a path parameter: its values joined with ',' (the emulator's choice).
    else path[name] = values.join(',');
  }
  return { headers, query, path };
}
