/**
 * What API Gateway does to headers on their way to an HTTP / HTTP_PROXY backend and back, from the table in
 * "Amazon API Gateway important notes for REST APIs"
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html#api-gateway-known-issues-rest-apis):
 *
 * | Header             | Request (http / http_proxy)               | Response (http / http_proxy)      |
 * | ------------------ | ----------------------------------------- | --------------------------------- |
 * | Accept             | Passthrough                               | Dropped / Passthrough             |
 * | Authorization      | Passthrough (*)                           | Remapped                          |
 * | Connection         | Passthrough                               | Remapped                          |
 * | Content-Encoding   | Passthrough / Dropped                     | Passthrough                       |
 * | Content-Length     | Passthrough (generated from the body)     | Passthrough                       |
 * | Content-MD5        | Dropped                                   | Remapped                          |
 * | Date               | Passthrough                               | Remapped Overwritten              |
 * | Expect             | Dropped                                   | Dropped                           |
 * | Host               | Overwritten to the integration endpoint   | Dropped                           |
 * | Max-Forwards       | Dropped                                   | Remapped                          |
 * | Proxy-Authenticate | Dropped                                   | Dropped                           |
 * | Server             | Dropped                                   | Remapped Overwritten              |
 * | TE                 | Dropped                                   | Dropped                           |
 * | Transfer-Encoding  | Dropped                                   | Dropped                           |
 * | Trailer            | Dropped                                   | Dropped                           |
 * | Upgrade            | Dropped                                   | Dropped                           |
 * | User-Agent         | Passthrough                               | Remapped                          |
 * | Via                | Dropped                                   | Passthrough / Dropped             |
 * | WWW-Authenticate   | Dropped                                   | Remapped                          |
 *
 * (*) "The Authorization header is dropped if it contains a Signature Version 4 signature or if AWS_IAM
 * authorization is used." Age, Accept-Charset, Accept-Encoding, Content-Type, Pragma, Range, Referer and Warn
 * pass both ways. "Remapped" renames `<name>` to `X-Amzn-Remapped-<name>`.
 */

/** HTTP custom (`HTTP`) or HTTP proxy (`HTTP_PROXY`): the two columns of the table. */
export type HttpIntegrationType = 'HTTP' | 'HTTP_PROXY';

const REQUEST_DROPPED_BOTH = ['content-md5', 'expect', 'max-forwards', 'proxy-authenticate', 'server', 'te',
  'transfer-encoding', 'trailer', 'upgrade', 'via', 'www-authenticate'];

/** Request headers API Gateway never sends to the backend (Host and Content-Length are set from the request it builds). */
const REQUEST_DROPPED: Record<HttpIntegrationType, ReadonlySet<string>> = {
  HTTP: new Set([...REQUEST_DROPPED_BOTH, 'host', 'content-length']),
  HTTP_PROXY: new Set([...REQUEST_DROPPED_BOTH, 'host', 'content-length', 'content-encoding']),
};

/**
 * `Connection` passes through per the table, but node:http owns the connection it opens (keep-alive pooling);
 * sending the client's `Connection` value would let one caller close a pooled socket, so the emulator leaves it out.
 */
const REQUEST_OWNED_BY_NODE = new Set(['connection', 'keep-alive']);

const RESPONSE_REMAPPED = new Set(['authorization', 'connection', 'content-md5', 'date', 'max-forwards', 'server',
  'user-agent', 'www-authenticate']);

const RESPONSE_DROPPED: Record<HttpIntegrationType, ReadonlySet<string>> = {
  HTTP: new Set(['accept', 'expect', 'host', 'proxy-authenticate', 'te', 'transfer-encoding', 'trailer', 'upgrade']),
  HTTP_PROXY: new Set(['expect', 'host', 'proxy-authenticate', 'te', 'transfer-encoding', 'trailer', 'upgrade', 'via']),
};

/** The prefix API Gateway gives a remapped header. */
export const REMAPPED_PREFIX = 'X-Amzn-Remapped-';

/** Whether API Gateway drops this request header (by name, any case) before calling a backend of `type`. */
export function isDroppedRequestHeader(type: HttpIntegrationType, name: string): boolean {
  const lower = name.toLowerCase();
  return REQUEST_DROPPED[type].has(lower) || REQUEST_OWNED_BY_NODE.has(lower);
}

/** Whether an `Authorization` value carries a SigV4 signature (then API Gateway drops it, per the table's note). */
export function isSigV4Authorization(value: string): boolean {
  return /^\s*AWS4-HMAC-SHA256\s/i.test(value);
}

/**
 * The backend's response headers as API Gateway keeps them for an integration of `type`: dropped ones removed,
 * remapped ones renamed `X-Amzn-Remapped-<name as the backend spelled it>`, the rest unchanged.
 * For HTTP_PROXY this is what the client receives; for HTTP custom it is what `integration.response.header.*`
 * reads (the table lists the `http` column for what the backend "sends back", so the emulator applies it there too).
 * A response without Content-Type gets `application/json`, as the same page says API Gateway does.
 * "Remapped Overwritten" (Date, Server): the backend's value moves to the remapped name, and the gateway's own
 * value (the server's Date) takes the plain name when the response is written — the emulator sets no Server.
 */
export function gatewayResponseHeaders(type: HttpIntegrationType, headers: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (RESPONSE_DROPPED[type].has(lower)) continue;
    const target = RESPONSE_REMAPPED.has(lower) ? `${REMAPPED_PREFIX}${name}` : name;
    out[target] = [...(out[target] ?? []), ...values];
  }
  // "API Gateway includes a Content-Type header for all integration responses. By default, the content type
  // is application/json." (same page, REST APIs notes)
  if (!Object.keys(out).some((k) => k.toLowerCase() === 'content-type')) out['Content-Type'] = ['application/json'];
  return out;
}
