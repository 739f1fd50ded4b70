/**
 * An authorizer's `IdentitySource`: a comma-separated list of mapping expressions
 * (`method.request.header.Auth`, `method.request.querystring.token`, `stageVariables.name`,
 * `context.name`), read from the request.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_CreateAuthorizer.html#apigw-CreateAuthorizer-request-identitySource
 */
import { LocalRequest } from '../request';

export type IdentitySourceKind = 'header' | 'querystring' | 'stageVariable' | 'context';

export interface IdentitySourceExpression {
  readonly kind: IdentitySourceKind;
  readonly name: string;
  /** The expression as written, e.g. `method.request.header.Authorization`. */
  readonly expression: string;
}

/** What identity source values are read from besides the request itself. */
export interface IdentitySourceInputs {
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** `$context` variables by name (e.g. `requestId`, `identity.sourceIp`). */
  readonly contextVariables?: Readonly<Record<string, string>>;
}

const PREFIXES: ReadonlyArray<[string, IdentitySourceKind]> = [
  ['method.request.header.', 'header'],
  ['method.request.querystring.', 'querystring'],
  ['stageVariables.', 'stageVariable'],
  ['context.', 'context'],
];

/** Parses `IdentitySource`; throws on an expression API Gateway would not accept. */
export function parseIdentitySource(identitySource: string | undefined): IdentitySourceExpression[] {
  if (identitySource === undefined || identitySource.trim() === '') return [];
  return identitySource.split(',').map((raw) => {
    const expression = raw.trim();
    for (const [prefix, kind] of PREFIXES) {
      if (expression.startsWith(prefix) && expression.length > prefix.length) {
        return { kind, name: expression.slice(prefix.length), expression };
      }
    }
    throw new Error(`Unsupported identity source expression '${expression}' (expected method.request.header.*, method.request.querystring.*, stageVariables.* or context.*)`);
  });
}

/** Case-insensitive header lookup: HTTP header names are case-insensitive. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lower) return headers[key];
  }
  return undefined;
}

/** The value of one identity source in this request, or undefined when absent. */
export function identitySourceValue(
  source: IdentitySourceExpression, request: LocalRequest, inputs: IdentitySourceInputs = {},
): string | undefined {
  switch (source.kind) {
    case 'header': return headerValue(request.headers, source.name);
    case 'querystring': return request.query[source.name];
    case 'stageVariable': return inputs.stageVariables?.[source.name];
    case 'context': return inputs.contextVariables?.[source.name];
  }
}

/**
 * The values of all identity sources, or the first that is missing or empty: API Gateway then
 * answers 401 without calling the authorizer ("verifying all of the identity-related request
 * parameters are present, not null and non-empty", API_CreateAuthorizer identitySource).
 */
export function readIdentitySources(
  sources: readonly IdentitySourceExpression[], request: LocalRequest, inputs: IdentitySourceInputs = {},
): { ok: true; values: string[] } | { ok: false; missing: string } {
  const values: string[] = [];
  for (const source of sources) {
    const value = identitySourceValue(source, request, inputs);
    if (value === undefined || value === '') return { ok: false, missing: source.expression };
    values.push(value);
  }
  return { ok: true, values };
}
