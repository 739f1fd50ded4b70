import { FoundationStack, ORDERS_WRITE_SCOPE } from '../../examples/foundation-stack';
import { FRONT_END_ORIGINS } from '../../examples/shared/functions';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';
import { httpRequest } from './http-client';

/**
 * Scenarios 9 and 10 over 127.0.0.1: the Foundation stack's Cognito routes with tokens of the local
 * issuer (claims reaching the Lambda backend), the Lambda TOKEN authorizer run in-process (its context
 * reaching the backend, its result cached), and CORS for both front-end origins on answers and refusals.
 */
let dir: string;
let api: LocalApi;
let base: string;
const logLines: string[] = [];
const [ORIGIN, ADMIN_ORIGIN] = FRONT_END_ORIGINS;
let now = new Date();

beforeAll(async () => {
  dir = synthesize('foundation-auth', (app) => new FoundationStack(app, 'ApigwPatternsFoundation'));
  api = LocalApi.fromAssembly(dir, { log: (l) => logLines.push(l), now: () => now });
  base = (await api.listen(0)).url.replace(/\/$/, '');
});
afterAll(async () => {
  await api.close();
  removeDir(dir);
});

const get = (path: string, headers: Record<string, string> = {}) => httpRequest(`${base}${path}`, { headers: { Origin: ORIGIN, ...headers } });

describe('Cognito user pools authorizer (scenario 10)', () => {
  test('no token, a malformed one, or one from another issuer: 401 Unauthorized, with the CORS header of the gateway response', async () => {
    for (const headers of [{}, { Authorization: 'not-a-jwt' }, { Authorization: 'eyJhbGciOiJSUzI1NiIsImtpZCI6Im90aGVyIn0.eyJzdWIiOiJ4In0.c2ln' }] as Array<Record<string, string>>) {
      const r = await get('/orders', headers);
      expect([r.statusCode, r.body]).toEqual([401, '{"message":"Unauthorized"}']);
      // Two origins and no credentials: the library's DEFAULT_4XX answers '*' (a gateway response cannot pick one).
      expect(r.headers['access-control-allow-origin']).toBe('*');
    }
    expect(logLines.join('\n')).toMatch(/only locally minted tokens verify/);
  });

  test('a minted ID token passes: its claims reach the Lambda backend in requestContext.authorizer.claims', async () => {
    const token = api.mintToken({ sub: 'user-123', claims: { email: 'me@example.com' } });
    const orders = await get('/orders', { Authorization: token });
    expect([orders.statusCode, JSON.parse(orders.body)]).toEqual([200, { orders: [], customer: 'user-123' }]);
    expect(orders.headers['access-control-allow-origin']).toBe(ORIGIN);
    const me = await get('/private', { Authorization: `Bearer ${token}` });
    expect(JSON.parse(me.body)).toMatchObject({ via: 'cognito', sub: 'user-123', email: 'me@example.com' });
  });

  test('scopes: a write route wants an access token with orders/write; an ID token or another scope is 401', async () => {
    const body = JSON.stringify({ items: [{ productId: 'p1', quantity: 1 }] });
    const post = (authorization: string) => httpRequest(`${base}/orders?storeId=s1`, { method: 'POST', headers: { 'Origin': ORIGIN, 'Content-Type': 'application/json', 'Authorization': authorization }, body });
    expect((await post(api.mintToken({ sub: 'u1' }))).statusCode).toBe(401);
    expect((await post(api.mintToken({ sub: 'u1', scopes: ['orders/read'] }))).statusCode).toBe(401);
    const ok = await post(api.mintToken({ sub: 'u1', scopes: [ORDERS_WRITE_SCOPE] }));
    expect([ok.statusCode, JSON.parse(ok.body)]).toEqual([201, expect.objectContaining({ customer: 'u1', storeId: 's1', status: 'PENDING' })]);
  });

  test('an expired token is 401; the emulator clock decides', async () => {
    const token = api.mintToken({ sub: 'u2', expiresInSeconds: 60 });
    expect((await get('/orders', { Authorization: token })).statusCode).toBe(200);
    now = new Date(now.getTime() + 61_000);
    try {
      expect((await get('/orders', { Authorization: token })).statusCode).toBe(401);
    } finally {
      now = new Date();
    }
  });
});

describe('Lambda TOKEN authorizer (scenario 10, GET /me)', () => {
  test('a token not matching the validation regex is 401 without calling the function; the function\'s own "Unauthorized" is 401', async () => {
    const before = logLines.length;
    expect((await get('/me', { Authorization: 'Bearer admin!' })).statusCode).toBe(401);
    expect((await get('/me')).statusCode).toBe(401);
    expect(logLines.slice(before).join('\n')).not.toMatch(/\[.*TokenAuthorizerFunction/);
  });

  test('an accepted token: principalId and the context reach the backend; the answer carries CORS for the caller\'s origin', async () => {
    const r = await get('/me', { Authorization: 'Bearer user-abc', Origin: ADMIN_ORIGIN });
    expect([r.statusCode, JSON.parse(r.body)]).toEqual([200, { via: 'lambda', principalId: 'abc', userId: 'abc', tier: 'standard' }]);
    expect(r.headers['access-control-allow-origin']).toBe(ADMIN_ORIGIN);
  });

  test('the result is cached per token for its TTL (5 minutes): the second call does not run the authorizer', async () => {
    const invocations = (): number => api.functionPool.get(tokenAuthorizerArn()).invocations;
    await get('/me', { Authorization: 'Bearer user-cache1' });
    const started = invocations();
    const r = await get('/me', { Authorization: 'Bearer user-cache1' });
    expect(r.statusCode).toBe(200);
    expect(invocations()).toBe(started);
    await get('/me', { Authorization: 'Bearer user-cache2' });
    expect(invocations()).toBe(started + 1);
    now = new Date(Date.now() + 301_000);
    try {
      await get('/me', { Authorization: 'Bearer user-cache1' });
      expect(invocations()).toBe(started + 2);
    } finally {
      now = new Date();
    }
  });
});

test('CORS preflight for both origins is never behind the authorizer (scenario 9)', async () => {
  for (const origin of FRONT_END_ORIGINS) {
    const r = await httpRequest(`${base}/orders`, { method: 'OPTIONS', headers: { 'Origin': origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'Content-Type, Authorization' } });
    expect([r.statusCode, r.headers['access-control-allow-origin']]).toEqual([204, origin]);
    expect(String(r.headers['access-control-allow-headers'])).toMatch(/Authorization/);
  }
  const stranger = await httpRequest(`${base}/orders`, { method: 'OPTIONS', headers: { 'Origin': 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
  expect(stranger.headers['access-control-allow-origin']).not.toBe('https://evil.example');
});

function tokenAuthorizerArn(): string {
  const fn = [...api.assembly.functions.values()].find((f) => /TokenAuthorizerFunction/.test(f.logicalId))!;
  return fn.arn;
}

describe('API keys and usage plans (scenario 6)', () => {
  const keyNamed = (name: string): string => api.apiKeys().find((k) => k.name.includes(name))!.value;
  const products = (key?: string, path = '/products') => get(path, key ? { 'x-api-key': key } : {});
  const at = async <T>(time: number, work: () => Promise<T>): Promise<T> => {
    now = new Date(time);
    try {
      return await work();
    } finally {
      now = new Date();
    }
  };

  test('the keys have local values (stable across loads) and belong to their tier\'s plan on the stage', () => {
    const keys = api.apiKeys();
    expect(keys.map((k) => [k.name.replace(/^.*?(Evaluation|Customer-[ABC]).*$/, '$1'), k.plans.map((p) => p.name)]).sort()).toEqual([
      ['Customer-A', [expect.stringMatching(/Basic/)]], ['Customer-B', [expect.stringMatching(/Pro/)]], ['Customer-C', [expect.stringMatching(/Pro/)]], ['Evaluation', [expect.stringMatching(/Free/)]],
    ]);
    expect(keys.every((k) => /^[A-Za-z0-9]{40}$/.test(k.value) && !k.valueFromTemplate)).toBe(true);
    expect(LocalApi.fromAssembly(dir).apiKeys().map((k) => k.value)).toEqual(keys.map((k) => k.value));
  });

  test('no key, an unknown key: 403 Forbidden (INVALID_API_KEY), with the CORS header', async () => {
    for (const key of [undefined, 'not-a-key-of-this-api']) {
      const r = await products(key);
      expect([r.statusCode, r.body, r.headers['access-control-allow-origin']]).toEqual([403, '{"message":"Forbidden"}', '*']);
    }
  });

  test('the Free tier\'s route throttle (1/s, burst 2): the third request in the same instant is 429 Too Many Requests, and a second later it passes', async () => {
    const key = keyNamed('Evaluation');
    const t = Date.UTC(2027, 0, 4, 10, 0, 0);
    const statuses = await at(t, async () => [(await products(key)).statusCode, (await products(key)).statusCode, (await products(key)).statusCode]);
    expect(statuses).toEqual([200, 200, 429]);
    const throttled = await at(t, () => products(key));
    expect(throttled.body).toBe('{"message":"Too Many Requests"}');
    expect((await at(t + 1000, () => products(key))).statusCode).toBe(200);
    // Another tier's key has its own bucket.
    expect((await at(t, () => products(keyNamed('Customer-B')))).statusCode).toBe(200);
  });

  test('the Free tier\'s quota (200 a day): request 201 is 429 Limit Exceeded until the next UTC day', async () => {
    const key = keyNamed('Evaluation');
    const day = Date.UTC(2027, 0, 5, 0, 0, 0);
    let last = 0;
    for (let i = 0; i < 200; i++) last = (await at(day + i * 1000, () => products(key, '/products/p1'))).statusCode;
    expect(last).toBe(200);
    const over = await at(day + 200_000, () => products(key, '/products/p1'));
    expect([over.statusCode, over.body]).toEqual([429, '{"message":"Limit Exceeded"}']);
    expect((await at(day + 86_400_000, () => products(key, '/products/p1'))).statusCode).toBe(200);
  });
});

describe('request validation (POST /orders: storeId required, body against CreateOrderRequest)', () => {
  const post = (query: string, body: string) => httpRequest(`${base}/orders${query}`, {
    method: 'POST', headers: { 'Origin': ORIGIN, 'Content-Type': 'application/json', 'Authorization': api.mintToken({ sub: 'v1', scopes: [ORDERS_WRITE_SCOPE] }) }, body,
  });
  const valid = JSON.stringify({ items: [{ productId: 'p1', quantity: 2 }] });

  test('a missing required query string: 400 with AWS\'s message naming it, before the function runs', async () => {
    const r = await post('', valid);
    expect([r.statusCode, r.body]).toEqual([400, '{"message":"Missing required request parameters: [storeId]"}']);
    expect(r.headers['access-control-allow-origin']).toBe('*');
  });

  test.each([
    ['no items', '{}'],
    ['an extra property (the customer id a caller must not choose)', JSON.stringify({ items: [{ productId: 'p1', quantity: 1 }], customerId: 'someone-else' })],
    ['a quantity over 100', JSON.stringify({ items: [{ productId: 'p1', quantity: 101 }] })],
    ['a quantity that is not an integer', JSON.stringify({ items: [{ productId: 'p1', quantity: 1.5 }] })],
    ['an injection attempt in a string field', '{"items": [{"productId": "p1", "quantity": 1}], "note": "a", "admin": true, "x": ""}'],
    ['malformed JSON', '{"items": [{"productId": "p1", "quantity": 1}'],
    ['a number too large for any integer type', '{"items": [{"productId": "p1", "quantity": 1e400}]}'],
    ['deeply nested arrays', `{"items": ${'['.repeat(500)}${']'.repeat(500)}}`],
  ])('%s: 400 Invalid request body', async (_what, body) => {
    const r = await post('?storeId=s1', body);
    expect([r.statusCode, r.body]).toEqual([400, '{"message":"Invalid request body"}']);
  });

  test('a valid body with quotes, backslashes, newlines and unicode in its note reaches the function unchanged', async () => {
    const note = 'say "hi" \\ back\nslash — 日本語 😀 a", "admin": true, "x": "';
    const r = await post('?storeId=s1', JSON.stringify({ items: [{ productId: 'p1', quantity: 2 }], note }));
    expect([r.statusCode, JSON.parse(r.body).note, JSON.parse(r.body).admin]).toEqual([201, note, undefined]);
    // The server keeps serving after the refusals.
    expect((await post('?storeId=s1', valid)).statusCode).toBe(201);
  });
});

describe('the stage cache (scenario 7: GET /products/{productId} cached 300 s by id and currency)', () => {
  const key = (): string => api.apiKeys().find((k) => k.name.includes('Customer-C'))!.value;
  const product = (path: string) => get(path, { 'x-api-key': key() });
  const cacheOf = (): string | undefined => / \(cache (hit|miss)\)$/.exec(logLines.filter((l) => l.startsWith('GET ')).pop() ?? '')?.[1];

  test('each product id is its own entry (the path parameter is a cache key), and a repeat is a hit', async () => {
    now = new Date(Date.UTC(2027, 1, 1, 9, 0, 0));
    try {
      const p1 = await product('/products/p1');
      expect(cacheOf()).toBe('miss');
      const p2 = await product('/products/p2');
      expect([JSON.parse(p1.body).productId, JSON.parse(p2.body).productId]).toEqual(['p1', 'p2']);
      expect((await product('/products/p1')).body).toBe(p1.body);
      expect(cacheOf()).toBe('hit');
      expect(JSON.parse((await product('/products/p1?currency=EUR')).body).currency).toBe('EUR');
      expect(cacheOf()).toBe('miss');
      now = new Date(now.getTime() + 301_000);
      await product('/products/p1');
      expect(cacheOf()).toBe('miss');
    } finally {
      now = new Date();
    }
  });
});
