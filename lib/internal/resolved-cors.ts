import { CorsOptions } from '../cors';
import { HEADER_NAME } from './names';
import { wholeSeconds } from './prop-checks';

export const DEFAULT_CORS_HEADERS = ['Content-Type', 'Authorization', 'X-Amz-Date', 'X-Api-Key', 'X-Amz-Security-Token'];

/** CORS settings after validation and defaults, in a canonical form that two routes can be compared by. */
export interface ResolvedCors {
  readonly allowOrigins: string[];
  readonly allowHeaders: string[];
  readonly allowCredentials: boolean;
  readonly exposeHeaders: string[];
  readonly maxAgeSeconds?: number;
  readonly statusCode: number;
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** Validates CORS options and fills in the defaults. Throws an error naming the route on misuse. */
export function resolveCors(route: string, options: CorsOptions): ResolvedCors {
  const fail = (why: string): never => {
    throw new Error(`${route}: CORS ${why}`);
  };
  const origins = options.allowOrigins ?? [];
  if (origins.length === 0) fail("needs at least one origin in allowOrigins (or ['*'])");
  if (origins.includes('*') && origins.length > 1) {
    fail(`mixes '*' with specific origins (${origins.filter((o) => o !== '*').join(', ')}): use either ['*'] or a list of origins`);
  }
  if (origins.includes('*') && options.allowCredentials) {
    fail("cannot allow credentials for origin '*' (browsers reject it, and it would let any site act as the user): list the origins that may send credentials");
  }
  for (const origin of origins) {
    if (origin === '*') continue;
    if (!ORIGIN.test(origin)) {
      fail(`origin '${origin}' is not of the form scheme://host[:port] (no path, no trailing slash), e.g. https://app.example.com`);
    }
  }
  if (new Set(origins).size !== origins.length) fail('lists an origin twice: list each origin once');
  const allowHeaders = options.allowHeaders ?? DEFAULT_CORS_HEADERS;
  const exposeHeaders = options.exposeHeaders ?? [];
  for (const h of [...allowHeaders, ...exposeHeaders]) {
    if (!HEADER_NAME.test(h)) fail(`header name '${h}' is not a valid HTTP header name`);
  }
  let maxAgeSeconds: number | undefined;
  if (options.maxAge !== undefined) {
    if (options.maxAge.isUnresolved()) fail('maxAge must be a concrete duration, not a token');
    maxAgeSeconds = wholeSeconds(route, 'CORS maxAge', options.maxAge);
  }
  const statusCode = options.statusCode ?? 204;
  if (!Number.isInteger(statusCode) || statusCode < 200 || statusCode > 299) {
    fail(`preflight statusCode ${statusCode} must be a 2xx code, e.g. 204`);
  }
  return {
    allowOrigins: [...origins],
    allowHeaders: [...allowHeaders],
    allowCredentials: options.allowCredentials ?? false,
    exposeHeaders: [...exposeHeaders],
    maxAgeSeconds,
    statusCode,
  };
}

/** True when two resolved CORS settings are the same (routes sharing a resource must agree). */
export function sameCors(a: ResolvedCors, b: ResolvedCors): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
