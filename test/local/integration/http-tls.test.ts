import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpIntegrationInput, runHttpIntegration } from '../../../lib/local/integration/http';

/**
 * HTTPS backends with self-signed certificates (made by openssl for this run, in a temp folder, so no key
 * is ever committed): refused unless the integration's TlsConfig.InsecureSkipVerification is set, and even
 * then the host name must match.
 */

const CERTS = fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-local-tls-'));

/** A self-signed certificate for `subjectAltName` (e.g. `IP:127.0.0.1`), valid for two days. */
function selfSigned(name: string, commonName: string, subjectAltName: string): { key: Buffer; cert: Buffer } {
  const key = path.join(CERTS, `${name}.key`);
  const cert = path.join(CERTS, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=${subjectAltName}`], { stdio: 'ignore' });
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

async function startHttps(name: string): Promise<{ server: https.Server; port: number }> {
  const identity = name === 'self-signed-127.0.0.1'
    ? selfSigned(name, '127.0.0.1', 'IP:127.0.0.1')
    : selfSigned(name, 'other.example', 'DNS:other.example');
  const server = https.createServer(identity, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`tls ok ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

let matching: { server: https.Server; port: number };
let otherHost: { server: https.Server; port: number };
beforeAll(async () => {
  [matching, otherHost] = await Promise.all([startHttps('self-signed-127.0.0.1'), startHttps('self-signed-other-host')]);
});
afterAll(async () => {
  fs.rmSync(CERTS, { recursive: true, force: true });
  for (const s of [matching, otherHost]) {
    s.server.closeAllConnections();
    await new Promise<void>((resolve) => s.server.close(() => resolve()));
  }
});

function request(port: number, insecure?: boolean): HttpIntegrationInput {
  return {
    integration: {
      Type: 'HTTP_PROXY', Uri: `https://127.0.0.1:${port}/secure`,
      ...(insecure === undefined ? {} : { TlsConfig: { InsecureSkipVerification: insecure } }),
    },
    method: 'GET', pathParameters: {}, query: {}, headers: {}, body: Buffer.alloc(0), stageVariables: {}, context: {},
  };
}

test('a self-signed backend is refused by default, as AWS refuses an unsupported certificate authority', async () => {
  expect(await runHttpIntegration(request(matching.port))).toMatchObject({ kind: 'error', gatewayResponseType: 'INTEGRATION_FAILURE', message: expect.stringMatching(/self.signed/i) });
  expect(await runHttpIntegration(request(matching.port, false))).toMatchObject({ kind: 'error' });
});

test('InsecureSkipVerification accepts it, twice over one pooled connection', async () => {
  for (let i = 0; i < 2; i++) {
    const result = await runHttpIntegration(request(matching.port, true));
    expect(result).toMatchObject({ kind: 'response', statusCode: 200 });
    if (result.kind === 'response') expect(result.body.toString()).toBe('tls ok /secure');
  }
});

test('InsecureSkipVerification still checks the host name', async () => {
  expect(await runHttpIntegration(request(otherHost.port, true))).toMatchObject({ kind: 'error', gatewayResponseType: 'INTEGRATION_FAILURE', message: expect.stringMatching(/certificate rejected: .*127\.0\.0\.1/) });
});
