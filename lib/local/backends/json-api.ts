import { sendSigned } from '../aws/signed-send';
import { LOCAL_CREDENTIALS } from '../integration/aws-service';

/** An error a local backend answered, with the service's error type (`ResourceInUseException`). */
export class BackendCallError extends Error {
  constructor(public readonly type: string, message: string) {
    super(message);
  }
}

/**
 * A client for a JSON-protocol local backend (dynalite, kinesalite): the action as X-Amz-Target,
 * signed like any request; resolves with the JSON answer, rejects with BackendCallError.
 */
export function jsonApiCaller(url: string, service: string, targetPrefix: string, contentType: string, region: string):
(action: string, input: unknown) => Promise<Record<string, unknown>> {
  return async (action, input) => {
    const body = Buffer.from(JSON.stringify(input));
    const headers = { 'Content-Type': contentType, 'X-Amz-Target': `${targetPrefix}.${action}` };
    const result = await sendSigned({
      method: 'POST', url: `${url}/`, headers, body, service, region, credentials: LOCAL_CREDENTIALS, now: new Date(), timeoutMs: 10_000,
    });
    if (result.kind !== 'response') throw new BackendCallError('NetworkError', `local ${service} ${action}: ${result.message}`);
    const doc = JSON.parse(result.body.toString('utf8') || '{}') as Record<string, unknown>;
    if (result.statusCode >= 300) {
      const type = String(doc.__type ?? result.statusCode).replace(/^.*#/, '');
      throw new BackendCallError(type, `local ${service} ${action}: ${type}: ${String(doc.message ?? doc.Message ?? '')}`);
    }
    return doc;
  };
}

/** Listens on a free port of 127.0.0.1 and resolves with the base URL. */
export function listenLocal(server: import('node:http').Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`));
  });
}

/** Closes a server and the connections kept alive to it. */
export function closeServer(server: import('node:http').Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
