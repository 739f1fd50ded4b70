import { sendHttpRequest } from '../integration/http-send';
import { AwsCredentials, signRequest } from './sigv4';

/** What a signed request to an AWS service endpoint needs. */
export interface SignedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The signing name and region (`sqs`, `us-east-1`). */
  readonly service: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
  readonly timeoutMs: number;
}

/** Signs `request` with SigV4 and sends it (integrations and local backends alike). */
export function sendSigned(request: SignedRequest): ReturnType<typeof sendHttpRequest> {
  const signed = signRequest(request, request.service, request.region, request.credentials, request.now);
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries({ ...request.headers, ...signed })) headers[k] = [v];
  return sendHttpRequest({ method: request.method, url: request.url, headers, body: request.body, timeoutMs: request.timeoutMs, insecureSkipVerification: false });
}
