import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpBackendsStack } from '../../examples/http-backends-stack';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';
import { httpRequest } from './http-client';

/**
 * The HttpBackends example over 127.0.0.1 with real local backends: scenario 8 (the stage variable
 * picks the backend of each stage), HTTP custom with mapped parameters and a reshaped answer,
 * scenario 11 (JSON → legacy XML → JSON through the Lambda custom integration, tagged errors mapped),
 * scenario 12 (VPC link routes forwarded to a local server).
 */
interface Seen { server: string; method: string; url: string; headers: http.IncomingHttpHeaders; body: string }
const seen: Seen[] = [];
function echoServer(name: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ server: name, method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const body = req.url!.startsWith('/v2/search') ? { items: [{ id: 'p1', name: `tea from ${name}` }], count: 1, internal: 'not for clients' } : { server: name, url: req.url };
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Backend': name, 'Set-Cookie': 'backend=1' });
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const url = (s: http.Server): string => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

let prod: http.Server;
let dev: http.Server;
let inventory: http.Server;
let dir: string;
let api: LocalApi;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
  [prod, dev, inventory] = await Promise.all([echoServer('prod'), echoServer('dev'), echoServer('inventory')]);
  dir = synthesize('http-backends', (app) => new HttpBackendsStack(app, 'ApigwPatternsHttpBackends', { backendHosts: { prod: url(prod), dev: url(dev) } }));
  const probe = LocalApi.fromAssembly(dir);
  const links = probe.vpcLinks();
  await probe.close();
  api = LocalApi.fromAssembly(dir, { log: (l) => lines.push(l), vpcLinks: Object.fromEntries(links.map((l) => [l.connectionId, url(inventory)])) });
  const { port } = await api.listen(0);
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await api.close();
  await Promise.all([prod, dev, inventory].map((s) => new Promise((r) => s.close(r))));
  removeDir(dir);
});

const auth = (sub = 'user-8') => ({ Authorization: api.mintToken({ sub }) });

test('scenario 8: the backendUrl stage variable sends each stage to its own backend; the verified caller goes along as X-Caller-Sub', async () => {
  for (const stage of ['prod', 'dev']) {
    const r = await httpRequest(`${base}/${stage}/users/42/orders?expand=1`, { headers: { ...auth(`sub-${stage}`), 'X-Caller-Sub': 'forged' } });
    expect([stage, r.statusCode, JSON.parse(r.body)]).toEqual([stage, 200, { server: stage, url: '/users/42/orders?expand=1' }]);
    const request = seen.filter((s) => s.server === stage).pop()!;
    expect(request.headers['x-caller-sub']).toBe(`sub-${stage}`);
    // HTTP_PROXY passes the backend's headers on (Set-Cookie included).
    expect(r.headers['x-backend']).toBe(stage);
  }
});

test('HTTP custom (GET /catalog/search): query and request id mapped, a fixed version header, the answer reshaped; q is required', async () => {
  const r = await httpRequest(`${base}/prod/catalog/search?q=tea&other=dropped`);
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([200, { results: [{ id: 'p1', name: 'tea from prod' }], total: 1 }]);
  const request = seen.filter((s) => s.url.startsWith('/v2/search')).pop()!;
  expect(request.url).toBe('/v2/search?q=tea');
  expect(request.headers['x-api-version']).toBe('2');
  expect(request.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect((await httpRequest(`${base}/prod/catalog/search`)).statusCode).toBe(400);
});

describe('scenario 11: the legacy XML service through a Lambda custom integration', () => {
  const post = (body: unknown, headers: Record<string, string> = auth()) => httpRequest(`${base}/prod/legacy/customers`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body),
  });

  test('JSON → legacy XML → JSON: the record comes back under the client\'s names, XML specials and unicode intact', async () => {
    const name = 'Ada <Lovelace> & "Byron" \'s — 日本 a", "admin": true, "x": "';
    const r = await post({ name, email: 'ada@example.com', creditLimit: 2500 });
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body);
    expect(body).toEqual({ customerId: expect.stringMatching(/^C/), name, email: 'ada@example.com', creditLimit: '2500', status: 'A' });
    expect(body.admin).toBeUndefined();
  });

  test('[NotFound] maps to 404 and [Invalid] to 400; without a token the function is not called (401)', async () => {
    const missing = await httpRequest(`${base}/prod/legacy/customers/C0`, { headers: auth() });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toMatch(/stackTrace|trace|at exports/);
    expect((await post({ email: 'no-name@example.com' })).statusCode).toBe(400);
    expect((await post({ name: 'x' }, {})).statusCode).toBe(401);
    expect((await httpRequest(`${base}/prod/legacy/customers/C42`, { headers: auth() })).statusCode).toBe(200);
  });
});

test('scenario 12: VPC link routes go to the local target given for the link (proxy keeps the path, the custom route its backend path)', async () => {
  const proxied = await httpRequest(`${base}/prod/inventory/items/7`, { headers: auth('inv-user') });
  expect([proxied.statusCode, JSON.parse(proxied.body)]).toEqual([200, { server: 'inventory', url: '/inventory/items/7' }]);
  expect(seen.filter((s) => s.server === 'inventory').pop()!.headers['x-caller-sub']).toBe('inv-user');
  const summary = await httpRequest(`${base}/prod/inventory`, { headers: auth() });
  expect(summary.statusCode).toBe(200);
  expect(seen.filter((s) => s.server === 'inventory').pop()!.url).toBe('/index.html');
});

test('a backend that is down: a 5xx gateway answer with the reason in the log, and the server keeps serving', async () => {
  await new Promise((r) => dev.close(r));
  const r = await httpRequest(`${base}/dev/users`, { headers: auth() });
  expect(r.statusCode).toBeGreaterThanOrEqual(500);
  expect(JSON.parse(r.body)).toEqual({ message: 'Internal server error' });
  expect(lines.join('\n')).toMatch(/ECONNREFUSED/);
  expect((await httpRequest(`${base}/prod/users`, { headers: auth() })).statusCode).toBe(200);
});
