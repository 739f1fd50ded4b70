process.env.CDK_VALIDATION = 'false';

import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaProxyRoute } from '../lib';
import { errorOf, Json, logicalIdOf, methodAt, methodsByPath, newFunction, newStack, resourcesOfType } from './util';

/** The `Fn::GetAtt [fn, Arn]` of a function in `stack`. */
function arnOf(stack: Stack, fn: lambda.IFunction): Json {
  return { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] };
}

function apiId(stack: Stack, api: apigw.RestApi): string {
  return stack.getLogicalId(api.node.defaultChild as apigw.CfnRestApi);
}

/** The SourceArn of the one permission for `fn`, checked to be scoped to `api` and never a bare '*'. */
function expectPermissionScopedTo(template: Template, stack: Stack, fn: lambda.IFunction, api: apigw.RestApi): void {
  const sourceArn = new Capture();
  template.hasResourceProperties('AWS::Lambda::Permission', {
    FunctionName: arnOf(stack, fn),
    SourceArn: sourceArn,
    Principal: 'apigateway.amazonaws.com',
    Action: 'lambda:InvokeFunction',
  });
  const arn = sourceArn.asObject();
  expect(Object.keys(arn)).toEqual(['Fn::Join']);
  const [sep, parts] = arn['Fn::Join'];
  expect(sep).toBe('');
  expect(parts).toEqual([
    'arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':',
    { Ref: apiId(stack, api) }, '/*/*/*',
  ]);
  expect(parts).not.toContain('*');
}

describe('routes on one API', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const orders = newFunction(stack, 'OrdersFn');
  const users = newFunction(stack, 'UsersFn');
  // 12 routes of one function over several methods and depths, 2 of another.
  const ordersRoutes: Array<[string, string]> = [
    ['/', 'GET'],
    ['/orders', 'GET'],
    ['/orders', 'POST'],
    ['/orders/{orderId}', 'GET'],
    ['/orders/{orderId}', 'PUT'],
    ['/orders/{orderId}', 'DELETE'],
    ['/orders/{orderId}/items', 'get'],
    ['/orders/{orderId}/items/{itemId}', 'PATCH'],
    ['/orders/{orderId}/items/{itemId}/notes', 'HEAD'],
    ['/a/b/c/d/e', 'GET'],
    ['/files/{proxy+}', 'ANY'],
    ['/files', 'ANY'],
  ];
  ordersRoutes.forEach(([path, method], i) => new LambdaProxyRoute(stack, `Orders${i}`, { api, path, method, handler: orders }));
  new LambdaProxyRoute(stack, 'GetUser', { api, path: '/users/{userId}', method: 'GET', handler: users });
  new LambdaProxyRoute(stack, 'GetUserAddress', {
    api, path: '/users/{userId}/addresses/{addressId}', method: 'GET', handler: users, timeout: Duration.seconds(5),
  });
  const template = Template.fromStack(stack);

  test('every route is a method on its resource at any depth, the root included', () => {
    expect(methodsByPath(template)).toEqual({
      '/': ['GET'],
      '/orders': ['GET', 'POST'],
      '/orders/{orderId}': ['DELETE', 'GET', 'PUT'],
      '/orders/{orderId}/items': ['GET'],
      '/orders/{orderId}/items/{itemId}': ['PATCH'],
      '/orders/{orderId}/items/{itemId}/notes': ['HEAD'],
      '/a/b/c/d/e': ['GET'],
      '/files/{proxy+}': ['ANY'],
      '/files': ['ANY'],
      '/users/{userId}': ['GET'],
      '/users/{userId}/addresses/{addressId}': ['GET'],
    });
    template.resourceCountIs('AWS::ApiGateway::Method', 14);
  });

  test('the root route is on the RestApi root resource', () => {
    expect(methodAt(template, '/', 'GET').ResourceId).toEqual({ 'Fn::GetAtt': [apiId(stack, api), 'RootResourceId'] });
  });

  test('the integration is AWS_PROXY, POST to the function ARN', () => {
    for (const [path, method] of ordersRoutes) {
      const integration = methodAt(template, path, method.toUpperCase()).Integration;
      expect(integration).toEqual({
        Type: 'AWS_PROXY',
        IntegrationHttpMethod: 'POST',
        Uri: {
          'Fn::Join': ['', [
            'arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/',
            arnOf(stack, orders), '/invocations',
          ]],
        },
      });
    }
    expect(methodAt(template, '/users/{userId}', 'GET').Integration.Uri['Fn::Join'][1]).toContainEqual(arnOf(stack, users));
  });

  test('path parameters are declared as required method request parameters', () => {
    expect(methodAt(template, '/orders/{orderId}/items/{itemId}', 'PATCH').RequestParameters).toEqual({
      'method.request.path.orderId': true,
      'method.request.path.itemId': true,
    });
    expect(methodAt(template, '/users/{userId}/addresses/{addressId}', 'GET').RequestParameters).toEqual({
      'method.request.path.userId': true,
      'method.request.path.addressId': true,
    });
    expect(methodAt(template, '/orders', 'GET').RequestParameters).toBeUndefined();
    expect(methodAt(template, '/', 'GET').RequestParameters).toBeUndefined();
  });

  test('a greedy {proxy+} is a resource of its own with the proxy parameter', () => {
    const method = methodAt(template, '/files/{proxy+}', 'ANY');
    expect(method.RequestParameters).toEqual({ 'method.request.path.proxy': true });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
  });

  test('the timeout option sets TimeoutInMillis; without it the integration has none (29 s default)', () => {
    expect(methodAt(template, '/users/{userId}/addresses/{addressId}', 'GET').Integration.TimeoutInMillis).toBe(5000);
    expect(methodAt(template, '/users/{userId}', 'GET').Integration.TimeoutInMillis).toBeUndefined();
  });

  test('exactly one Lambda permission per function, however many routes and methods use it', () => {
    template.resourceCountIs('AWS::Lambda::Permission', 2);
    const perFunction = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, p]) => JSON.stringify(p.FunctionName));
    expect(perFunction.sort()).toEqual([JSON.stringify(arnOf(stack, orders)), JSON.stringify(arnOf(stack, users))].sort());
  });

  test("each permission lets apigateway.amazonaws.com invoke, scoped to this API's id with /*/*/*", () => {
    expectPermissionScopedTo(template, stack, orders, api);
    expectPermissionScopedTo(template, stack, users, api);
    for (const [, p] of resourcesOfType(template, 'AWS::Lambda::Permission')) {
      expect(p.SourceArn).not.toBe('*');
      expect(p.SourceArn).toBeDefined();
    }
  });

  test('route properties expose the normalized method and path, the resource and the method', () => {
    const route = new LambdaProxyRoute(newStack(), 'R', {
      api: new apigw.RestApi(newStack(), 'Api2'), path: '/x/{id}', method: 'delete', handler: orders,
    });
    expect(route.httpMethod).toBe('DELETE');
    expect(route.path).toBe('/x/{id}');
    expect(route.resource.path).toBe('/x/{id}');
    expect(route.method.httpMethod).toBe('DELETE');
  });
});

describe('Lambda permissions across APIs', () => {
  test('the same function on two APIs gets one permission per API, each scoped to its API', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api1 = new apigw.RestApi(stack, 'Api1');
    const api2 = new apigw.RestApi(stack, 'Api2');
    for (const [i, api] of [api1, api2].entries()) {
      new LambdaProxyRoute(stack, `Get${i}`, { api, path: '/orders', method: 'GET', handler: fn });
      new LambdaProxyRoute(stack, `Post${i}`, { api, path: '/orders', method: 'POST', handler: fn });
      new LambdaProxyRoute(stack, `Any${i}`, { api, path: '/orders/{proxy+}', method: 'ANY', handler: fn });
    }
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 2);
    const refs = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, p]) => p.SourceArn['Fn::Join'][1][7]);
    expect(refs).toEqual(expect.arrayContaining([{ Ref: apiId(stack, api1) }, { Ref: apiId(stack, api2) }]));
    expect(refs[0]).not.toEqual(refs[1]);
  });

  test('the same path and method on two different APIs is fine', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api1 = new apigw.RestApi(stack, 'Api1');
    const api2 = new apigw.RestApi(stack, 'Api2');
    new LambdaProxyRoute(stack, 'A', { api: api1, path: '/orders/{id}', method: 'GET', handler: fn });
    new LambdaProxyRoute(stack, 'B', { api: api2, path: '/orders/{id}', method: 'GET', handler: fn });
    // The second API may even use a different parameter name at the same level.
    new LambdaProxyRoute(stack, 'C', { api: api2, path: '/orders/{id}/lines', method: 'GET', handler: fn });
    const template = Template.fromStack(stack);
    expect(methodsByPath(template, apiId(stack, api1))).toEqual({ '/orders/{id}': ['GET'] });
    expect(methodsByPath(template, apiId(stack, api2))).toEqual({ '/orders/{id}': ['GET'], '/orders/{id}/lines': ['GET'] });
  });

  test('an imported function in the same stack environment gets one permission too', () => {
    const stack = newStack();
    const fn = lambda.Function.fromFunctionAttributes(stack, 'Imported', {
      functionArn: stack.formatArn({ service: 'lambda', resource: 'function', resourceName: 'orders', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      sameEnvironment: true,
    });
    const api = new apigw.RestApi(stack, 'Api');
    new LambdaProxyRoute(stack, 'A', { api, path: '/a', method: 'GET', handler: fn });
    new LambdaProxyRoute(stack, 'B', { api, path: '/b', method: 'GET', handler: fn });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: apiId(stack, api) }, '/*/*/*'])] },
    });
  });
});

describe('a RestApi that already has defaultMethodOptions', () => {
  test('routes are added to it and inherit its defaults', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api = new apigw.RestApi(stack, 'Api', {
      defaultMethodOptions: { authorizationType: apigw.AuthorizationType.IAM, apiKeyRequired: true },
    });
    api.root.addResource('legacy').addMethod('GET');
    new LambdaProxyRoute(stack, 'GetOrder', { api, path: '/orders/{orderId}', method: 'GET', handler: fn });
    new LambdaProxyRoute(stack, 'GetLegacyItem', { api, path: '/legacy/{id}', method: 'GET', handler: fn });
    const template = Template.fromStack(stack);
    for (const path of ['/orders/{orderId}', '/legacy/{id}']) {
      const method = methodAt(template, path, 'GET');
      expect(method.AuthorizationType).toBe('AWS_IAM');
      expect(method.ApiKeyRequired).toBe(true);
      expect(method.Integration.Type).toBe('AWS_PROXY');
    }
    // The existing /legacy resource is reused, not duplicated.
    expect(resourcesOfType(template, 'AWS::ApiGateway::Resource').filter(([, p]) => p.PathPart === 'legacy')).toHaveLength(1);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
  });
});

describe('deployment', () => {
  function deploymentId(paths: string[]): string {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api = new apigw.RestApi(stack, 'Api');
    paths.forEach((path, i) => new LambdaProxyRoute(stack, `R${i}`, { api, path, method: 'GET', handler: fn }));
    return logicalIdOf(Template.fromStack(stack), 'AWS::ApiGateway::Deployment');
  }

  test('the deployment logical id changes when a route is added, and is stable otherwise', () => {
    const one = deploymentId(['/orders']);
    const two = deploymentId(['/orders', '/orders/{id}']);
    expect(one).not.toBe(two);
    expect(deploymentId(['/orders'])).toBe(one);
  });

  test('the deployment depends on every route method', () => {
    const stack = newStack();
    const fn = newFunction(stack, 'Fn');
    const api = new apigw.RestApi(stack, 'Api');
    new LambdaProxyRoute(stack, 'A', { api, path: '/a/{id}', method: 'GET', handler: fn });
    new LambdaProxyRoute(stack, 'B', { api, path: '/b', method: 'POST', handler: fn });
    const template = Template.fromStack(stack);
    const methodIds = Object.keys(template.findResources('AWS::ApiGateway::Method'));
    const deployment = Object.values(template.findResources('AWS::ApiGateway::Deployment'))[0] as Json;
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(methodIds));
  });
});

describe('misuse', () => {
  function setup() {
    const stack = newStack();
    return { stack, api: new apigw.RestApi(stack, 'Api'), fn: newFunction(stack, 'Fn') };
  }

  test('the same path and method twice throws, naming both routes and the fix', () => {
    const { stack, api, fn } = setup();
    new LambdaProxyRoute(stack, 'GetOrder', { api, path: '/orders/{orderId}', method: 'GET', handler: fn });
    expect(() => new LambdaProxyRoute(stack, 'GetOrderAgain', { api, path: '/orders/{orderId}', method: 'get', handler: fn })).toThrow(
      /^Route Stack\/GetOrderAgain: GET \/orders\/\{orderId\} is already defined by Route Stack\/GetOrder on this API: each path and method can have one route; change the path or method, or remove one route/,
    );
  });

  test('ANY beside explicit methods (without CORS) is allowed: API Gateway picks the explicit one', () => {
    const { stack, api, fn } = setup();
    new LambdaProxyRoute(stack, 'Get', { api, path: '/orders', method: 'GET', handler: fn });
    new LambdaProxyRoute(stack, 'Any', { api, path: '/orders', method: 'ANY', handler: fn });
    expect(methodsByPath(Template.fromStack(stack))).toEqual({ '/orders': ['ANY', 'GET'] });
  });

  test('two different parameter names at one level throw, naming the other route and the name to use', () => {
    const { stack, api, fn } = setup();
    new LambdaProxyRoute(stack, 'GetUser', { api, path: '/users/{id}', method: 'GET', handler: fn });
    expect(() => new LambdaProxyRoute(stack, 'GetUserOrders', { api, path: '/users/{userId}/x', method: 'GET', handler: fn })).toThrow(
      /^Route Stack\/GetUserOrders: path \/users\/\{userId\}\/x uses \{userId\} under '\/users', where Route Stack\/GetUser already uses \{id\}: API Gateway allows one path parameter per level, so use \{id\} here too/,
    );
    // A greedy parameter is a different name at the same level too.
    expect(() => new LambdaProxyRoute(stack, 'Proxy', { api, path: '/users/{proxy+}', method: 'ANY', handler: fn })).toThrow(
      /^Route Stack\/Proxy: .*uses \{proxy\+\} under '\/users'.*use \{id\} here too/,
    );
    // The same name at the same level is fine.
    new LambdaProxyRoute(stack, 'GetUserOrders2', { api, path: '/users/{id}/orders', method: 'GET', handler: fn });
  });

  test.each([
    ['orders', /path 'orders' must start with '\/': write '\/orders'/],
    ['/orders//items', /path '\/orders\/\/items' has an empty segment \(\/\/\): remove the extra slash/],
    ['/orders/{orderId', /has a malformed path parameter '\{orderId': a parameter is a whole segment like \{id\}/],
    ['/files/{proxy+}/x', /greedy \{name\+\} parameter must be the last segment/],
    ['/orders/', /must not end with '\/': write '\/orders'/],
  ])('the path %p throws naming the route', (path, message) => {
    const { stack, api, fn } = setup();
    const error = errorOf(() => new LambdaProxyRoute(stack, 'GetOrder', { api, path, method: 'GET', handler: fn }));
    expect(error).toMatch(/^Route Stack\/GetOrder: /);
    expect(error).toMatch(message);
  });

  test('an unknown method throws naming the route', () => {
    const { stack, api, fn } = setup();
    expect(() => new LambdaProxyRoute(stack, 'GetOrder', { api, path: '/orders', method: 'FETCH', handler: fn })).toThrow(
      /^Route Stack\/GetOrder: method 'FETCH' is not an HTTP method API Gateway knows: use one of ANY, GET/,
    );
  });

  test.each([
    [Duration.millis(49), /integration timeout 49 ms/],
    [Duration.millis(29001), /integration timeout 29001 ms/],
    [Duration.seconds(30), /integration timeout 30000 ms/],
  ])('a timeout of %s throws', (timeout, message) => {
    const { stack, api, fn } = setup();
    const error = errorOf(() => new LambdaProxyRoute(stack, 'GetOrder', { api, path: '/orders', method: 'GET', handler: fn, timeout }));
    expect(error).toMatch(/^Route Stack\/GetOrder: integration timeout \d+ ms is outside API Gateway's 50 ms to 29 s: use a timeout in that range/);
    expect(error).toMatch(message);
  });

  test('timeouts of exactly 50 ms and 29 s are accepted', () => {
    const { stack, api, fn } = setup();
    new LambdaProxyRoute(stack, 'Min', { api, path: '/min', method: 'GET', handler: fn, timeout: Duration.millis(50) });
    new LambdaProxyRoute(stack, 'Max', { api, path: '/max', method: 'GET', handler: fn, timeout: Duration.seconds(29) });
    const template = Template.fromStack(stack);
    expect(methodAt(template, '/min', 'GET').Integration.TimeoutInMillis).toBe(50);
    expect(methodAt(template, '/max', 'GET').Integration.TimeoutInMillis).toBe(29000);
  });

  test('a missing handler or api throws naming the route', () => {
    const { stack, api } = setup();
    expect(() => new LambdaProxyRoute(stack, 'NoHandler', { api, path: '/a', method: 'GET', handler: undefined as any })).toThrow(
      /^Route Stack\/NoHandler: handler is required: give a Lambda function \(lambda\.IFunction\) \(got undefined\)$/,
    );
    expect(() => new LambdaProxyRoute(stack, 'NoApi', { api: undefined as any, path: '/a', method: 'GET', handler: newFunction(stack, 'F') })).toThrow(
      /^Route Stack\/NoApi: api is required: give the RestApi the route belongs to \(apigw\.IRestApi\) \(got undefined\)$/,
    );
  });
});
