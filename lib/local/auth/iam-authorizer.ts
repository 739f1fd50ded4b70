/**
 * AWS_IAM methods: the request must carry a SigV4 `Authorization` header of the right shape.
 *
 * NOT EMULATED: the signature itself. Checking it needs the caller's secret key, which only IAM
 * knows; the emulator accepts any well-formed signature and runs no IAM policy evaluation. What it
 * checks, with API Gateway's answers:
 * - no Authorization header → 403 MISSING_AUTHENTICATION_TOKEN "Missing Authentication Token"
 *   (https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch: an unsigned request gets
 *   "Missing Authentication Token");
 * - Credential, SignedHeaders, Signature or the X-Amz-Date/Date header missing → 403
 *   INCOMPLETE_SIGNATURE with API Gateway's message ("Authorization header requires 'Credential'
 *   parameter. ... Authorization=<header>", as API Gateway answers a JWT sent to an IAM method);
 * - a credential scope that is not `<key>/<yyyymmdd>/<region>/execute-api/aws4_request` → 403
 *   INCOMPLETE_SIGNATURE (malformed) or INVALID_SIGNATURE (wrong service or region; chosen: AWS's
 *   exact type for these is not documented);
 * - the request date more than 5 minutes off → 403 INVALID_SIGNATURE "Signature expired: ..."
 *   (API Gateway's own 403 shows "(... - 5 min.)", e.g. aws-amplify/aws-sdk-android#253).
 * Presigned query-string signatures (X-Amz-Signature in the query) are not emulated: such a request
 * is treated as unsigned.
 */
import { LocalRequest } from '../request';
import { headerValue } from './identity-source';
import { AuthResult, incompleteSignature, invalidSignature, missingAuthenticationToken } from './result';

export interface IamAuthorizeOptions {
  /** Milliseconds since the epoch. @default Date.now() */
  readonly now?: number;
  /** The API's region: a credential scoped to another region is refused. @default - any region */
  readonly region?: string;
}

/** Allowed clock skew between the request's date and now. */
export const SIGV4_MAX_SKEW_MS = 5 * 60 * 1000;

export interface ParsedSigV4 {
  readonly algorithm: string;
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function isoBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `20150830T123600Z` → epoch ms. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

export function authorizeIam(request: LocalRequest, options: IamAuthorizeOptions = {}): AuthResult {
  const header = headerValue(request.headers, 'Authorization');
  if (header === undefined || header.trim() === '') return missingAuthenticationToken('AWS_IAM method called without an Authorization header');

  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  const params = new Map<string, string>();
  if (space >= 0) {
    for (const part of header.slice(space + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
  }
  const amzDate = headerValue(request.headers, 'X-Amz-Date');
  const date = headerValue(request.headers, 'Date');
  const missing: string[] = [];
  if (!params.get('Credential')) missing.push("Authorization header requires 'Credential' parameter.");
  if (!params.get('Signature')) missing.push("Authorization header requires 'Signature' parameter.");
  if (!params.get('SignedHeaders')) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!amzDate && !date) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (algorithm !== 'AWS4-HMAC-SHA256' || missing.length > 0) {
    if (missing.length === 0) missing.push(`Unsupported Authorization Type`);
    return incompleteSignature(`${missing.join(' ')} Authorization=${header}`);
  }

  const credential = params.get('Credential')!;
  const scope = credential.split('/');
  if (scope.length !== 5) {
    return incompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  const [accessKeyId, scopeDate, region, service, terminator] = scope;
  if (!/^\d{8}$/.test(scopeDate) || terminator !== 'aws4_request' || accessKeyId === '') {
    return incompleteSignature(`Credential scope is malformed: '${credential}'`);
  }
  if (service !== 'execute-api') return invalidSignature(`Credential should be scoped to correct service: 'execute-api'. `);
  if (options.region !== undefined && region !== options.region) {
    return invalidSignature(`Credential should be scoped to a valid region, not '${region}'. `);
  }
  if (!/^[0-9a-f]{64}$/.test(params.get('Signature')!)) {
    return incompleteSignature(`Signature must be 64 lowercase hex characters, got '${params.get('Signature')}'`);
  }

  const requestMs = amzDate !== undefined ? parseAmzDate(amzDate) : Date.parse(date!);
  if (requestMs === undefined || Number.isNaN(requestMs)) {
    return incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate ?? date}'.`);
  }
  const now = options.now ?? Date.now();
  const requestStamp = isoBasic(requestMs);
  if (requestMs < now - SIGV4_MAX_SKEW_MS) {
    return invalidSignature(`Signature expired: ${requestStamp} is now earlier than ${isoBasic(now - SIGV4_MAX_SKEW_MS)} (${isoBasic(now)} - 5 min.)`);
  }
  if (requestMs > now + SIGV4_MAX_SKEW_MS) {
    return invalidSignature(`Signature not yet current: ${requestStamp} is still later than ${isoBasic(now + SIGV4_MAX_SKEW_MS)} (${isoBasic(now)} + 5 min.)`);
  }
  if (requestStamp.slice(0, 8) !== scopeDate) {
    return invalidSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${requestStamp.slice(0, 8)}', from '${requestStamp}'.`);
  }

  // Stand-ins: AWS fills caller/user with the IAM principal's unique id and userArn with its ARN,
  // which only IAM knows; the access key id is what the emulator has.
  return {
    kind: 'allow',
    contextAuthorizer: {},
    identity: { accessKey: accessKeyId, caller: accessKeyId, user: accessKeyId },
  };
}

/** The parts of a well-formed SigV4 Authorization header (for logs and tests). */
export function parseSigV4Header(header: string): ParsedSigV4 | undefined {
  const m = /^(AWS4-HMAC-SHA256) Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(header.trim());
  if (!m) return undefined;
  return { algorithm: m[1], accessKeyId: m[2], date: m[3], region: m[4], service: m[5], signedHeaders: m[6].split(';'), signature: m[7] };
}
