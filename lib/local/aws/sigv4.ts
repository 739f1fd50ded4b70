/**
 * AWS Signature Version 4 for the requests the emulator sends to AWS service endpoints, as API
 * Gateway signs its service integrations
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). Pure: the caller
 * gives the time and the credentials.
 */
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface RequestToSign {
  readonly method: string;
  /** The full URL (its path and query are signed). */
  readonly url: string;
  /** Header name → value; `Host` is taken from the URL when absent. */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** RFC 3986 encoding, as SigV4 wants it (`~` kept, everything else but unreserved characters escaped). */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** `20150830T123600Z` */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The headers to add to `request` (X-Amz-Date, X-Amz-Security-Token when there is a session token,
 * X-Amz-Content-Sha256 for S3, Authorization) for `service` in `region` at `date`.
 */
export function signRequest(request: RequestToSign, service: string, region: string, credentials: AwsCredentials, date: Date): Record<string, string> {
  const url = new URL(request.url);
  const stamp = amzDate(date);
  const day = stamp.slice(0, 8);
  const payloadHash = sha256(request.body);
  const added: Record<string, string> = { 'X-Amz-Date': stamp };
  if (credentials.sessionToken) added['X-Amz-Security-Token'] = credentials.sessionToken;
  if (service === 's3') added['X-Amz-Content-Sha256'] = payloadHash;
  const all: Record<string, string> = { ...request.headers, ...added };
  if (!Object.keys(all).some((k) => k.toLowerCase() === 'host')) all.Host = url.host;
  const canonical = new Map<string, string>();
  for (const [name, value] of Object.entries(all)) canonical.set(name.toLowerCase(), String(value).trim().replace(/\s+/g, ' '));
  const signedHeaders = [...canonical.keys()].sort();
  // Each path segment is encoded again (S3 excepted): SigV4 signs the path as the service decodes it.
  const path = service === 's3' ? url.pathname : url.pathname.split('/').map((s) => encode(encode(decodeURIComponent(s)))).join('/');
  const query = [...url.searchParams.entries()].map(([k, v]) => [encode(k), encode(v)]).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalRequest = [
    request.method.toUpperCase(),
    path || '/',
    query,
    ...signedHeaders.map((h) => `${h}:${canonical.get(h)}`),
    '',
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return { ...added, Authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}` };
}
