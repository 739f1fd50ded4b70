import { ResolvedCors } from '../internal/resolved-cors';
import { staticHeaderValue, vtlString } from './vtl';

/**
 * CORS header values and the VTL that reflects an allowed Origin. Pure functions of the resolved
 * options, shared by the preflight mock, mock routes and gateway responses.
 */

/** The static Access-Control-Allow-Origin value: `*`, the only origin, or the first one before reflection. */
export function staticAllowOrigin(cors: ResolvedCors): string {
  return `'${cors.allowOrigins[0]}'`;
}

/** True when the caller's Origin must be reflected (more than one allowed origin). */
export function reflectsOrigin(cors: ResolvedCors): boolean {
  return cors.allowOrigins.length > 1;
}

/**
 * VTL for a response template that sets Access-Control-Allow-Origin to the caller's Origin only when it
 * is one of the allowed origins. The request's Origin is compared, never printed into the body, so it
 * cannot inject anything; an unknown origin keeps the static first origin, which the browser rejects.
 * Empty when there is only one origin (the static header is enough).
 */
export function originReflectionTemplate(cors: ResolvedCors): string {
  if (!reflectsOrigin(cors)) return '';
  const test = cors.allowOrigins.map((o) => `$__origin == ${vtlString(o)}`).join(' || ');
  return "#set($__origin = $input.params().header.get('Origin'))" +
    // "$!x" is '' for a missing header whether or not the engine treats null as ''.
    "#if(\"$!__origin\" == '')#set($__origin = $input.params().header.get('origin'))#end" +
    // `#{end}`, not `#end`: a template appended after it may start with a letter or digit ("#endtrue"
    // would be a call of an undefined macro `endtrue`, leaving this #if unclosed).
    `#if(${test})#set($context.responseOverride.header.Access-Control-Allow-Origin = $__origin)#{end}`;
}

/**
 * Headers for an actual (non-preflight) response: `method.response.header.X` → static value. Used on
 * every integration response of non-proxy routes.
 */
export function corsResponseHeaders(route: string, cors: ResolvedCors): { [header: string]: string } {
  const headers: { [header: string]: string } = { 'Access-Control-Allow-Origin': staticAllowOrigin(cors) };
  if (cors.allowOrigins[0] !== '*') headers.Vary = "'Origin'";
  if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = "'true'";
  if (cors.exposeHeaders.length > 0) {
    headers['Access-Control-Expose-Headers'] = staticHeaderValue(route, 'Access-Control-Expose-Headers', cors.exposeHeaders.join(','));
  }
  return headers;
}

/** Headers of the preflight (OPTIONS) answer for a resource whose CORS routes have `methods`. */
export function corsPreflightHeaders(route: string, cors: ResolvedCors, methods: string[]): { [header: string]: string } {
  const headers = corsResponseHeaders(route, cors);
  delete headers['Access-Control-Expose-Headers'];
  headers['Access-Control-Allow-Headers'] = staticHeaderValue(route, 'Access-Control-Allow-Headers', cors.allowHeaders.join(','));
  headers['Access-Control-Allow-Methods'] = `'${methods.join(',')}'`;
  if (cors.maxAgeSeconds !== undefined) headers['Access-Control-Max-Age'] = `'${cors.maxAgeSeconds}'`;
  return headers;
}

/** Prefixes each header name for an integration response's `responseParameters`. */
export function asMethodResponseParameters(headers: { [header: string]: string }): { [param: string]: string } {
  const out: { [param: string]: string } = {};
  for (const [name, value] of Object.entries(headers)) out[`method.response.header.${name}`] = value;
  return out;
}

/** Declares each header for a method response's `responseParameters`. */
export function declaredMethodResponseParameters(headers: { [header: string]: string }): { [param: string]: boolean } {
  const out: { [param: string]: boolean } = {};
  for (const name of Object.keys(headers)) out[`method.response.header.${name}`] = true;
  return out;
}

/**
 * The CORS headers on the API's DEFAULT_4XX/DEFAULT_5XX gateway responses, from every CORS setting on
 * the API. A gateway response cannot run the reflection template, so: one origin (or `*`) is sent as is;
 * several origins without credentials send `*` (reflection would allow the same set of readers); several
 * origins with credentials send the first origin only (never `*` with credentials), reported in `note`.
 */
export function gatewayResponseCorsHeaders(all: ResolvedCors[]): { headers: { [header: string]: string }; note?: string } {
  const origins = [...new Set(all.flatMap((c) => c.allowOrigins))];
  const credentials = all.some((c) => c.allowCredentials);
  const headers: { [header: string]: string } = {};
  let note: string | undefined;
  if (origins.length === 1) {
    headers['Access-Control-Allow-Origin'] = `'${origins[0]}'`;
  } else if (!credentials) {
    headers['Access-Control-Allow-Origin'] = "'*'";
  } else {
    headers['Access-Control-Allow-Origin'] = `'${origins.filter((o) => o !== '*')[0]}'`;
    note = `gateway 4XX/5XX responses carry Access-Control-Allow-Origin ${origins.filter((o) => o !== '*')[0]} only: ` +
      `with credentials they cannot name all of ${origins.join(', ')}`;
  }
  if (headers['Access-Control-Allow-Origin'] !== "'*'") headers.Vary = "'Origin'";
  if (credentials && headers['Access-Control-Allow-Origin'] !== "'*'") headers['Access-Control-Allow-Credentials'] = "'true'";
  return { headers, note };
}
