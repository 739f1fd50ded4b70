import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LocalApi } from '../../lib/local/local-api';
import { IGNORED_CACHE_CONTROL_WARNING, methodCacheSettings } from '../../lib/local/stage-cache';
import { removeDir, synthesize } from './assemblies';
import { sigV4Headers } from './credentials';

/**
 * The stage cache over a plain aws-cdk-lib RestApi whose Lambda counts its invocations: a cached route
 * without its path parameter as a cache key serves one caller's answer to another (as on AWS), one
 * with it does not; TTL, verbs, size limit and Cache-Control: max-age=0.
 */
const COUNTING_HANDLER = `let calls = 0;
exports.handler = async (event) => {
  calls += 1;
  const big = (event.queryStringParameters || {}).big;
  return { statusCode: event.pathParameters && event.pathParameters.id === 'missing' ? 404 : 200,
    body: big ? 'x'.repeat(1048577) : JSON.stringify({ id: event.pathParameters && event.pathParameters.id, calls }) };
};`;

let dir: string;
let api: LocalApi;
let strict: LocalApi;
const lines: string[] = [];
let now = Date.UTC(2027, 0, 4, 12, 0, 0);

beforeAll(() => {
  process.env.CDK_VALIDATION = 'false';
  dir = synthesize('stage-cache', (app) => {
    const stack = new Stack(app, 'Cache');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(COUNTING_HANDLER) });
    const rest = new apigw.RestApi(stack, 'Api', {
      deployOptions: { stageName: 'v1', cacheClusterEnabled: true, cachingEnabled: true, cacheTtl: Duration.seconds(60) },
    });
    const integration = new apigw.LambdaIntegration(fn);
    // No cache key: every id shares one entry (the mistake the emulator must show).
    rest.root.addResource('leaky').addResource('{id}').addMethod('GET', integration);
    const keyed = rest.root.addResource('keyed').addResource('{id}');
    keyed.addMethod('GET', new apigw.LambdaIntegration(fn, { cacheKeyParameters: ['method.request.path.id'] }), { requestParameters: { 'method.request.path.id': true } });
    keyed.addMethod('POST', integration);
  });
  api = LocalApi.fromAssembly(dir, { now: () => new Date(now), log: (l) => lines.push(l) });
  strict = LocalApi.fromAssembly(dir, { now: () => new Date(now), cacheInvalidation: 'FAIL_WITH_403' });
});
afterAll(async () => {
  delete process.env.CDK_VALIDATION;
  await api.close();
  await strict.close();
  removeDir(dir);
});

const calls = async (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ id?: string; calls: number; status: number; warning?: string }> => {
  const r = await api.request({ method, path, headers });
  return { ...JSON.parse(r.body), status: r.statusCode, warning: r.headers.Warning };
};

test('without the path parameter as a cache key, the second caller gets the first caller\'s answer', async () => {
  const first = await calls('/leaky/alice');
  const second = await calls('/leaky/bob');
  expect(first.id).toBe('alice');
  expect(second).toEqual(first); // bob sees alice's answer: the function was not called again
  expect(lines.filter((l) => l.startsWith('GET /v1/leaky/')).map((l) => / \(cache (hit|miss)\)$/.exec(l)?.[1])).toEqual(['miss', 'hit']);
});

test('with it as a key, each id has its own entry, kept for the TTL (60 s), then fetched again', async () => {
  const a = await calls('/keyed/a');
  const b = await calls('/keyed/b');
  expect([a.id, b.id, b.calls]).toEqual(['a', 'b', a.calls + 1]);
  expect(await calls('/keyed/a')).toEqual(a);
  now += 60_000;
  const later = await calls('/keyed/a');
  expect(later.calls).toBeGreaterThan(b.calls);
});

test('stage settings for all methods cache GET only; other verbs always reach the backend', async () => {
  const first = await calls('/keyed/a', {}, 'POST');
  expect((await calls('/keyed/a', {}, 'POST')).calls).toBe(first.calls + 1);
});

test('answers of every status are cached; bodies over 1 MB are not', async () => {
  const missing = await calls('/keyed/missing');
  expect([missing.status, (await calls('/keyed/missing')).calls]).toEqual([404, missing.calls]);
  const big1 = await api.request({ method: 'GET', path: '/keyed/big?big=1' });
  const big2 = await api.request({ method: 'GET', path: '/keyed/big?big=1' });
  expect(big1.rawBody.length).toBe(1048577);
  expect(lines.slice(-2).map((l) => / \(cache (hit|miss)\)/.exec(l)?.[1])).toEqual(['miss', 'miss']);
  void big2;
});

test('Cache-Control: max-age=0: a signed caller refreshes the entry; an unsigned one is served from the cache with a Warning, or 403 with FAIL_WITH_403', async () => {
  const cached = await calls('/keyed/z');
  const unsigned = await calls('/keyed/z', { 'Cache-Control': 'max-age=0' });
  expect([unsigned.calls, unsigned.warning]).toEqual([cached.calls, IGNORED_CACHE_CONTROL_WARNING]);
  const signed = await calls('/keyed/z', { 'Cache-Control': 'max-age=0', ...sigV4Headers('us-east-1', new Date(now)) });
  expect(signed.calls).toBeGreaterThan(cached.calls);
  expect((await calls('/keyed/z')).calls).toBe(signed.calls);
  const refused = await strict.request({ method: 'GET', path: '/keyed/z', headers: { 'Cache-Control': 'max-age=0' } });
  expect(refused.statusCode).toBe(403);
});

test('flushCache empties the stage cache', async () => {
  const before = await calls('/keyed/f');
  api.flushCache();
  expect((await calls('/keyed/f')).calls).toBeGreaterThan(before.calls);
});

test('methodCacheSettings: a method\'s own entry wins; TTL capped at 3600; 0 turns caching off; no cluster, no cache', () => {
  const method = { resourcePath: '/orders/{id}', HttpMethod: 'GET' } as never;
  const stage = (settings: Array<Record<string, unknown>>, cluster = true) => ({ StageName: 's', Variables: {}, MethodSettings: settings, CacheClusterEnabled: cluster, properties: {} });
  expect(methodCacheSettings(stage([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }]), method, 'GET')).toEqual({ ttlSeconds: 300 });
  expect(methodCacheSettings(stage([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }], false), method, 'GET')).toBeUndefined();
  expect(methodCacheSettings(stage([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true, CacheTtlInSeconds: 7200 }]), method, 'GET')).toEqual({ ttlSeconds: 3600 });
  expect(methodCacheSettings(stage([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true, CacheTtlInSeconds: 0 }]), method, 'GET')).toBeUndefined();
  expect(methodCacheSettings(stage([
    { ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true },
    { ResourcePath: '/~1orders~1{id}', HttpMethod: 'GET', CachingEnabled: false },
  ]), method, 'GET')).toBeUndefined();
  expect(methodCacheSettings(stage([{ ResourcePath: '/~1orders~1{id}', HttpMethod: 'POST', CachingEnabled: true, CacheTtlInSeconds: 10 }]), method, 'POST')).toEqual({ ttlSeconds: 10 });
});
