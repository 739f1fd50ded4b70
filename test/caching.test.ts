process.env.CDK_VALIDATION = 'false';

import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { LambdaProxyRoute, MockRoute, RouteCache } from '../lib';
import { errorOf, Json, methodAt, newFunction, newStack, onlyResource } from './util';

function stageOf(template: Template): Json {
  return onlyResource(template, 'AWS::ApiGateway::Stage')[1];
}

describe('cached routes on one API', () => {
  const stack = newStack();
  const fn = newFunction(stack, 'Fn');
  const api = new apigw.RestApi(stack, 'Api');
  new LambdaProxyRoute(stack, 'GetUser', { api, path: '/users/{id}', method: 'GET', handler: fn, cache: { ttl: Duration.minutes(5) } });
  new LambdaProxyRoute(stack, 'GetOrderLine', {
    api, path: '/users/{id}/orders/{orderId}/lines', method: 'GET', handler: fn,
    cache: { ttl: Duration.seconds(1), queryParameters: ['page', 'size'], headers: ['Accept-Language'], dataEncrypted: false },
  });
  new MockRoute(stack, 'Root', { api, path: '/', method: 'GET', body: { ok: true }, cache: { ttl: Duration.hours(1) } });
  new MockRoute(stack, 'Head', { api, path: '/users/{id}', method: 'HEAD', cache: { ttl: Duration.seconds(30) } });
  new LambdaProxyRoute(stack, 'PutUser', { api, path: '/users/{id}', method: 'PUT', handler: fn });
  const template = Template.fromStack(stack);
  const stage = stageOf(template);

  test('the stage gets a 0.5 GB cache cluster', () => {
    expect(stage.CacheClusterEnabled).toBe(true);
    expect(stage.CacheClusterSize).toBe('0.5');
  });

  test('one method setting per cached route, with the path written with ~1 for slashes', () => {
    expect(stage.MethodSettings).toEqual([
      { ResourcePath: '/~1users~1{id}', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 300, CacheDataEncrypted: true },
      {
        ResourcePath: '/~1users~1{id}~1orders~1{orderId}~1lines', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 1,
        CacheDataEncrypted: false,
      },
      { ResourcePath: '/', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 3600, CacheDataEncrypted: true },
      { ResourcePath: '/~1users~1{id}', HttpMethod: 'HEAD', CachingEnabled: true, CacheTtlInSeconds: 30, CacheDataEncrypted: true },
    ]);
  });

  test('every path parameter is a method request parameter and a cache key', () => {
    const method = methodAt(template, '/users/{id}', 'GET');
    expect(method.RequestParameters).toEqual({ 'method.request.path.id': true });
    expect(method.Integration.CacheKeyParameters).toEqual(['method.request.path.id']);
    const head = methodAt(template, '/users/{id}', 'HEAD');
    expect(head.RequestParameters).toEqual({ 'method.request.path.id': true });
    expect(head.Integration.CacheKeyParameters).toEqual(['method.request.path.id']);
  });

  test('named query parameters and headers are declared (optional) and key the cache, after the path parameters', () => {
    const method = methodAt(template, '/users/{id}/orders/{orderId}/lines', 'GET');
    expect(method.RequestParameters).toEqual({
      'method.request.path.id': true,
      'method.request.path.orderId': true,
      'method.request.querystring.page': false,
      'method.request.querystring.size': false,
      'method.request.header.Accept-Language': false,
    });
    expect(method.Integration.CacheKeyParameters).toEqual([
      'method.request.path.id',
      'method.request.path.orderId',
      'method.request.querystring.page',
      'method.request.querystring.size',
      'method.request.header.Accept-Language',
    ]);
  });

  test('a cached route without path parameters has no cache keys', () => {
    const root = methodAt(template, '/', 'GET');
    expect(root.Integration.CacheKeyParameters).toEqual([]);
    expect(root.RequestParameters).toBeUndefined();
  });

  test('an uncached route has no cache keys', () => {
    expect(methodAt(template, '/users/{id}', 'PUT').Integration.CacheKeyParameters).toBeUndefined();
  });
});

describe('a cached route with several CORS origins', () => {
  test('Origin keys the cache too (API Gateway ignores Vary), once', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const cors = { allowOrigins: ['https://a.example.com', 'https://b.example.com'] };
    new MockRoute(stack, 'A', { api, path: '/a/{id}', method: 'GET', cors, cache: { ttl: Duration.minutes(1) } });
    new MockRoute(stack, 'B', { api, path: '/b', method: 'GET', cors, cache: { ttl: Duration.minutes(1), headers: ['origin'] } });
    new MockRoute(stack, 'C', { api, path: '/c', method: 'GET', cors: { allowOrigins: ['https://a.example.com'] }, cache: { ttl: Duration.minutes(1) } });
    const template = Template.fromStack(stack);
    const a = methodAt(template, '/a/{id}', 'GET');
    expect(a.Integration.CacheKeyParameters).toEqual(['method.request.path.id', 'method.request.header.Origin']);
    expect(a.RequestParameters).toEqual({ 'method.request.path.id': true, 'method.request.header.Origin': false });
    expect(methodAt(template, '/b', 'GET').Integration.CacheKeyParameters).toEqual(['method.request.header.origin']);
    expect(methodAt(template, '/c', 'GET').Integration.CacheKeyParameters).toEqual([]);
  });
});

describe("the stage's own settings", () => {
  test("a user's methodOptions for the same method are merged, not duplicated; other settings are kept", () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api = new apigw.RestApi(stack, 'Api', {
      deployOptions: {
        methodOptions: {
          '/users/{id}/GET': { throttlingRateLimit: 10, throttlingBurstLimit: 20, cacheTtl: Duration.seconds(10) },
          '/orders/POST': { throttlingRateLimit: 5 },
        },
        metricsEnabled: true,
      },
    });
    new LambdaProxyRoute(stack, 'GetUser', { api, path: '/users/{id}', method: 'GET', handler: fn, cache: { ttl: Duration.minutes(2) } });
    const settings: Json[] = stageOf(Template.fromStack(stack)).MethodSettings;
    expect(settings).toHaveLength(3);
    expect(settings).toContainEqual({ ResourcePath: '/*', HttpMethod: '*', MetricsEnabled: true, DataTraceEnabled: false });
    expect(settings).toContainEqual({ ResourcePath: '/~1orders', HttpMethod: 'POST', ThrottlingRateLimit: 5, DataTraceEnabled: false });
    expect(settings).toContainEqual({
      ResourcePath: '/~1users~1{id}', HttpMethod: 'GET', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20, DataTraceEnabled: false,
      CachingEnabled: true, CacheTtlInSeconds: 120, CacheDataEncrypted: true,
    });
  });

  test('clusterSize sets the size of the cluster; routes that leave it out agree with it', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api = new apigw.RestApi(stack, 'Api');
    new LambdaProxyRoute(stack, 'A', { api, path: '/a', method: 'GET', handler: fn, cache: { ttl: Duration.minutes(1) } });
    new LambdaProxyRoute(stack, 'B', { api, path: '/b', method: 'GET', handler: fn, cache: { ttl: Duration.minutes(1), clusterSize: '6.1' } });
    new LambdaProxyRoute(stack, 'C', { api, path: '/c', method: 'GET', handler: fn, cache: { ttl: Duration.minutes(1), clusterSize: '6.1' } });
    const stage = stageOf(Template.fromStack(stack));
    expect(stage.CacheClusterEnabled).toBe(true);
    expect(stage.CacheClusterSize).toBe('6.1');
    expect(stage.MethodSettings).toHaveLength(3);
  });

  test("a stage's own cache cluster size is kept when routes name none or the same", () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api = new apigw.RestApi(stack, 'Api', { deployOptions: { cacheClusterEnabled: true, cacheClusterSize: '1.6' } });
    new LambdaProxyRoute(stack, 'A', { api, path: '/a', method: 'GET', handler: fn, cache: { ttl: Duration.minutes(1) } });
    new LambdaProxyRoute(stack, 'B', { api, path: '/b', method: 'GET', handler: fn, cache: { ttl: Duration.minutes(1), clusterSize: '1.6' } });
    expect(stageOf(Template.fromStack(stack)).CacheClusterSize).toBe('1.6');
  });

  test('an API without cached routes has no cache cluster', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'A', { api, path: '/a', method: 'GET' });
    const stage = stageOf(Template.fromStack(stack));
    expect(stage.CacheClusterEnabled).toBeUndefined();
    expect(stage.MethodSettings).toBeUndefined();
  });
});

describe('caching misuse', () => {
  function route(cache: RouteCache, props: { method?: string; api?: apigw.RestApi; id?: string } = {}): string {
    const stack = props.api ? (props.api.node.scope as any) : newStack();
    const api = props.api ?? new apigw.RestApi(stack, 'Api');
    return errorOf(() => new MockRoute(stack, props.id ?? 'GetOrder', { api, path: '/orders/{id}', method: props.method ?? 'GET', cache }));
  }

  test('a ttl over 3600 s', () => {
    expect(route({ ttl: Duration.seconds(3601) })).toMatch(
      /^Route Stack\/GetOrder: cache ttl is 3601 s; API Gateway caches for 1 to 3600 s: use a ttl in that range/,
    );
    expect(route({ ttl: Duration.hours(2) })).toMatch(/cache ttl is 7200 s/);
  });

  test('a ttl of 0 s', () => {
    expect(route({ ttl: Duration.seconds(0) })).toMatch(/^Route Stack\/GetOrder: cache ttl is 0 s; API Gateway caches for 1 to 3600 s: use a ttl in that range/);
  });

  test('a cached ANY route', () => {
    expect(route({ ttl: Duration.minutes(1) }, { method: 'ANY' })).toMatch(
      /^Route Stack\/GetOrder: caching an ANY route would cache writes too: cache an explicit GET \(or HEAD\) route/,
    );
  });

  test('invalid query parameter or header names', () => {
    expect(route({ ttl: Duration.minutes(1), queryParameters: ['a b'] })).toMatch(/^Route Stack\/GetOrder: cache query parameter 'a b' is not a valid name/);
    expect(route({ ttl: Duration.minutes(1), headers: ['X:Y'] })).toMatch(/^Route Stack\/GetOrder: cache header 'X:Y' is not a valid header name/);
  });

  test('an unknown cluster size', () => {
    expect(route({ ttl: Duration.minutes(1), clusterSize: '1' })).toMatch(
      /^Route Stack\/GetOrder: cache clusterSize '1' is not a size API Gateway offers: use one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237/,
    );
  });

  test('two routes with different cluster sizes', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'First', { api, path: '/a', method: 'GET', cache: { ttl: Duration.minutes(1), clusterSize: '0.5' } });
    new MockRoute(stack, 'Other', { api, path: '/b', method: 'GET', cache: { ttl: Duration.minutes(1) } });
    expect(route({ ttl: Duration.minutes(1), clusterSize: '1.6' }, { api, id: 'Second' })).toMatch(
      /^Route Stack\/Second: cache clusterSize 1.6 differs from 0.5 set by Route Stack\/First: a stage has one cache cluster, so name one size/,
    );
  });

  test("a route's cluster size against the stage's own cacheClusterSize, on the first or a later cached route", () => {
    const staged = () => {
      const stack = newStack();
      return new apigw.RestApi(stack, 'Api', { deployOptions: { cacheClusterEnabled: true, cacheClusterSize: '1.6' } });
    };
    const message = /^Route Stack\/GetOrder: cache clusterSize 0.5 differs from the stage's configured cacheClusterSize 1.6: remove clusterSize from the route or change the stage/;
    expect(route({ ttl: Duration.minutes(1), clusterSize: '0.5' }, { api: staged() })).toMatch(message);
    const api = staged();
    new MockRoute(api.node.scope!, 'First', { api, path: '/a', method: 'GET', cache: { ttl: Duration.minutes(1) } });
    expect(route({ ttl: Duration.minutes(1), clusterSize: '0.5' }, { api })).toMatch(message);
  });

  test('a stage with cacheClusterEnabled: false', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { deployOptions: { cacheClusterEnabled: false, stageName: 'dev' } });
    expect(route({ ttl: Duration.minutes(1) }, { api })).toMatch(
      /^Route Stack\/GetOrder: asks for caching, but the stage dev has cacheClusterEnabled: false; enable the cache cluster or remove the cache option/,
    );
  });

  test('an API with deploy: false', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { deploy: false });
    expect(route({ ttl: Duration.minutes(1) }, { api })).toMatch(
      /^Route Stack\/GetOrder: asks for caching, but its API has no deployment stage defined in this app: create the RestApi with deploy: true \(the default\) or set api.deploymentStage to a Stage/,
    );
  });

  test('an API with deploy: false and its own Stage assigned to deploymentStage is fine', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api', { deploy: false });
    api.deploymentStage = new apigw.Stage(stack, 'Stage', { deployment: new apigw.Deployment(stack, 'Deployment', { api }), stageName: 'live' });
    new MockRoute(stack, 'GetOrder', { api, path: '/orders/{id}', method: 'GET', cache: { ttl: Duration.minutes(1) } });
    const stage = stageOf(Template.fromStack(stack));
    expect(stage.StageName).toBe('live');
    expect(stage.CacheClusterEnabled).toBe(true);
    expect(stage.MethodSettings).toEqual([
      { ResourcePath: '/~1orders~1{id}', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 60, CacheDataEncrypted: true },
    ]);
  });
});
