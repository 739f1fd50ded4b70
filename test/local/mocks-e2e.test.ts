import { LocalApi } from '../../lib/local/local-api';
import { removeDir } from './assemblies';
import { synthesizeMocks } from './example-assemblies';
import { httpRequest } from './http-client';

/** Scenario 2 (the example app's Mocks stack) served over 127.0.0.1, as `serve` serves it. */
let dir: string;
let api: LocalApi;
let base: string;
const logLines: string[] = [];
const ORIGIN = 'http://localhost:3000';

beforeAll(async () => {
  dir = synthesizeMocks();
  api = LocalApi.fromAssembly(dir, { log: (line) => logLines.push(line) });
  const { url, port } = await api.listen(0);
  expect(url).toBe(`http://127.0.0.1:${port}/dev/`);
  base = `http://127.0.0.1:${port}/dev`;
});
afterAll(async () => {
  await api.close();
  removeDir(dir);
});

test('GET /test answers the mock body with the request time filled in, and the CORS headers', async () => {
  const before = Date.now();
  const r = await httpRequest(`${base}/test`, { headers: { Origin: ORIGIN } });
  expect(r.statusCode).toBe(200);
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
  expect(r.headers.vary).toBe('Origin');
  const body = JSON.parse(r.body);
  expect(body.message).toBe('This is a mock response');
  expect(body.timestamp).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  expect(body.epochMillis).toBeGreaterThanOrEqual(before - 1000);
  expect(body.epochMillis).toBeLessThanOrEqual(Date.now());
});

test('GET /health', async () => {
  expect(await httpRequest(`${base}/health`)).toMatchObject({ statusCode: 200, body: '{"status":"ok"}' });
});

test.each([
  ['', 200, { orders: [{ orderId: 'o-1001', status: 'SHIPPED' }, { orderId: 'o-1002', status: 'PENDING' }] }],
  ['?scenario=notFound', 404, { error: 'NotFound', message: 'No orders found' }],
  ['?scenario=error', 500, { error: 'InternalError', message: 'Something went wrong' }],
  ['?scenario=throttled', 429, { error: 'TooManyRequests', message: 'Slow down' }],
  ['?scenario=unknown', 200, { orders: [{ orderId: 'o-1001', status: 'SHIPPED' }, { orderId: 'o-1002', status: 'PENDING' }] }],
])('GET /mock/orders%s answers %d with the CORS headers', async (query, status, body) => {
  const r = await httpRequest(`${base}/mock/orders${query}`, { headers: { Origin: ORIGIN } });
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([status, body]);
  expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
  if (status === 429) expect(r.headers['retry-after']).toBe('5');
});

test.each([
  [undefined, 201, { orderId: 'o-1003', status: 'PENDING' }],
  ['invalid', 400, { error: 'ValidationError', message: 'items must not be empty' }],
  ['conflict', 409, { error: 'Conflict', message: 'Order already exists' }],
])('POST /mock/orders with X-Mock-Scenario %s answers %d', async (scenario, status, body) => {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Origin: ORIGIN };
  if (scenario) headers['X-Mock-Scenario'] = scenario;
  const r = await httpRequest(`${base}/mock/orders`, { method: 'POST', headers, body: '{"items":[]}' });
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([status, body]);
  expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
});

test.each([
  ['o-1001', 200, { orderId: 'o-1001', status: 'SHIPPED', items: [{ productId: 'p1', quantity: 2 }] }],
  ['missing', 404, { error: 'NotFound', message: 'Order not found' }],
  ['broken', 500, { error: 'InternalError', message: 'Something went wrong' }],
  ['mis%73ing', 404, { error: 'NotFound', message: 'Order not found' }],
])('GET /mock/orders/%s answers %d (the path parameter is URL-decoded)', async (id, status, body) => {
  const r = await httpRequest(`${base}/mock/orders/${id}`);
  expect([r.statusCode, JSON.parse(r.body)]).toEqual([status, body]);
});

test('a POST with a Content-Type the mock has no template for answers 415 (PassthroughBehavior NEVER), with the CORS headers', async () => {
  const r = await httpRequest(`${base}/mock/orders`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: ORIGIN }, body: 'x' });
  expect(r).toMatchObject({ statusCode: 415, body: '{"message":"Unsupported Media Type"}' });
  expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
});

test.each(['/test', '/mock/orders', '/mock/orders/o-1'])('CORS preflight OPTIONS %s through its OPTIONS mock', async (path) => {
  const r = await httpRequest(`${base}${path}`, {
    method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'content-type' },
  });
  expect(r.statusCode).toBe(204);
  expect(r.body).toBe('');
  expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
  expect(r.headers['access-control-allow-headers']).toBe('Content-Type,Authorization,X-Mock-Scenario');
  expect(r.headers['access-control-allow-methods']).toMatch(/GET/);
});

test('an unknown route, an unknown method and an unknown stage answer 403 Missing Authentication Token with the CORS headers of DEFAULT_4XX', async () => {
  const urls: Array<[string, string]> = [['GET', `${base}/nope`], ['DELETE', `${base}/test`], ['GET', `${base.replace(/\/dev$/, '/prod')}/test`]];
  for (const [method, url] of urls) {
    const r = await httpRequest(url, { method, headers: { Origin: ORIGIN } });
    expect([method, url, r.statusCode, r.body]).toEqual([method, url, 403, '{"message":"Missing Authentication Token"}']);
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(r.headers.vary).toBe('Origin');
  }
});

test('one log line per request: method, path, route, integration type, status, latency', async () => {
  logLines.length = 0;
  await httpRequest(`${base}/mock/orders/missing`);
  expect(logLines).toEqual([expect.stringMatching(/^GET \/dev\/mock\/orders\/missing -> GET \/mock\/orders\/\{orderId\} \[MOCK\] 404 \d+\.\d ms$/)]);
});

test('request() answers the same without a socket', async () => {
  const r = await api.request({ method: 'GET', path: '/mock/orders?scenario=notFound', headers: { Origin: ORIGIN } });
  expect(r).toMatchObject({ statusCode: 404, body: '{"error":"NotFound","message":"No orders found"}' });
  expect(r.headers['Access-Control-Allow-Origin']).toBe(ORIGIN);
});
