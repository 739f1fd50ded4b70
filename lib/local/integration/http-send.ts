import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { OutgoingHttpRequest } from './http-request';

/** What came back from the backend, before API Gateway's header rules. */
export interface BackendResponse {
  readonly kind: 'response';
  readonly statusCode: number;
  /** Header name as the backend spelled it (first spelling seen) → every value, in order. */
  readonly headers: Record<string, string[]>;
  readonly body: Buffer;
}

/** No complete answer within the integration timeout (→ 504 INTEGRATION_TIMEOUT). */
export interface BackendTimeout {
  readonly kind: 'timeout';
  readonly timeoutMs: number;
  readonly message: string;
}

/** The backend could not be reached or broke the exchange (→ INTEGRATION_FAILURE). */
export interface BackendError {
  readonly kind: 'error';
  readonly message: string;
}

/** Pooled sockets to backends, like API Gateway's own connection reuse; one pool per protocol and TLS mode. */
const HTTP_AGENT = new http.Agent({ keepAlive: true });
const HTTPS_AGENT = new https.Agent({ keepAlive: true });
/** TlsConfig.InsecureSkipVerification: node does not reject, `checkInsecureTls` applies what AWS still checks. */
const HTTPS_INSECURE_AGENT = new https.Agent({ keepAlive: true, rejectUnauthorized: false });

/** Certificate errors that only say "no trusted authority issued this": what InsecureSkipVerification waives. */
const UNTRUSTED_ISSUER = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
const CHECKED_SOCKETS = new WeakSet<tls.TLSSocket>();

/**
 * With InsecureSkipVerification "API Gateway still performs basic certificate validation, which includes
 * checking the certificate's expiration date, hostname, and presence of a root certificate authority"
 * (TlsConfig, API Gateway API reference): any other verification error, or a host name mismatch, fails.
 * Returns the reason, or undefined when the certificate passes.
 */
export function checkInsecureTls(socket: tls.TLSSocket, hostname: string): string | undefined {
  const error = socket.authorizationError as unknown as (Error & { code?: string }) | string | null | undefined;
  const code = typeof error === 'string' ? error : error?.code ?? error?.message;
  if (code && !UNTRUSTED_ISSUER.has(code)) return `certificate rejected: ${code}`;
  const mismatch = tls.checkServerIdentity(hostname.replace(/^\[|\]$/g, ''), socket.getPeerCertificate());
  return mismatch ? `certificate rejected: ${mismatch.message}` : undefined;
}

/** Fold node's raw header list into name → values, keeping the backend's spelling. */
export function foldRawHeaders(raw: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const spelling = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    const name = spelling.get(lower) ?? raw[i];
    spelling.set(lower, name);
    (out[name] ??= []).push(raw[i + 1]);
  }
  return out;
}

/**
 * Send `request` over a real socket and collect the whole answer. The timer covers the exchange from
 * connecting to the last body byte; at the deadline the socket is destroyed and a timeout is answered,
 * as API Gateway does ("Execution failed due to a timeout error" in its execution log).
 * A pooled keep-alive socket the backend closed while idle fails before any answer (ECONNRESET on a reused
 * socket): that request is sent once more on a fresh socket, as node's documentation advises, so the
 * emulator's own pooling never shows up as a backend failure.
 */
export function sendHttpRequest(request: OutgoingHttpRequest): Promise<BackendResponse | BackendTimeout | BackendError> {
  return new Promise((resolve) => {
    const url = new URL(request.url);
    const transport = url.protocol === 'https:' ? https : http;
    let settled = false;
    let current: http.ClientRequest | undefined;
    const finish = (result: BackendResponse | BackendTimeout | BackendError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'timeout', timeoutMs: request.timeoutMs, message: `Execution failed due to a timeout error (${request.timeoutMs} ms)` });
      current?.destroy();
    }, request.timeoutMs);
    const headers: Record<string, string | string[]> = {};
    for (const [name, values] of Object.entries(request.headers)) {
      // Several values of one request header travel as one comma-joined field (RFC 9110 §5.3).
      headers[name] = values.join(',');
    }
    const sendsBody = request.body.length > 0 || ['POST', 'PUT', 'PATCH'].includes(request.method);
    if (sendsBody) headers['Content-Length'] = String(request.body.length);
    const networkError = (detail: string): BackendError => ({ kind: 'error', message: `Network error communicating with endpoint ${url.host}: ${detail}` });

    const attempt = (mayRetry: boolean) => {
      let req: http.ClientRequest;
      try {
        req = transport.request(url, {
          method: request.method,
          headers,
          agent: url.protocol === 'http:' ? HTTP_AGENT : request.insecureSkipVerification ? HTTPS_INSECURE_AGENT : HTTPS_AGENT,
        });
      } catch (e) {
        // node refuses some header values and paths before any socket is opened.
        finish({ kind: 'error', message: `Execution failed due to configuration error: ${(e as Error).message}` });
        return;
      }
      current = req;
      let answered = false;
      if (url.protocol === 'https:' && request.insecureSkipVerification) {
        req.on('socket', (socket) => {
          const tlsSocket = socket as tls.TLSSocket;
          if (CHECKED_SOCKETS.has(tlsSocket)) return; // a pooled socket already checked
          tlsSocket.once('secureConnect', () => {
            const reason = checkInsecureTls(tlsSocket, url.hostname);
            if (reason) req.destroy(new Error(reason));
            else CHECKED_SOCKETS.add(tlsSocket);
          });
        });
      }
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (settled) return;
        if (mayRetry && !answered && req.reusedSocket && e.code === 'ECONNRESET') {
          attempt(false);
          return;
        }
        finish(networkError(`${e.code ?? ''} ${e.message}`.trim()));
      });
      req.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (e) => finish(networkError(e.message)));
        res.on('close', () => {
          if (!res.complete) finish(networkError('the response was cut short'));
        });
        res.on('end', () => finish({
          kind: 'response',
          statusCode: res.statusCode ?? 502,
          headers: foldRawHeaders(res.rawHeaders),
          body: Buffer.concat(chunks),
        }));
      });
      req.end(sendsBody ? request.body : undefined);
    };
    attempt(true);
  });
}
