process.env.CDK_VALIDATION = 'false';
import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  ApiCors, ContentBasedRoute, FanOutBranch, FanOutRoute, Field, HttpRoute, LambdaCustomRoute, LambdaErrorResponse, LambdaProxyRoute,
  MockRoute, PrivateVpcLinkRoute, RouteAuthorization, ServiceAction, ServiceIntegrationRoute, UsagePlanTier,
} from '../lib';
import { describeValue } from '../lib/internal/prop-checks';
import { errorOf, newFunction, newStack } from './util';

/**
 * Plain JavaScript (and jsii languages' maps) reach the constructs without TypeScript's checks: every prop
 * below is passed mistyped through `as any`, and the error must name the construct, the prop, the type
 * expected and the value given.
 */

describe('the misuses of the issue', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const fn = newFunction(stack, 'Fn');
  const route = (id: string, extra: object) => errorOf(() => new LambdaProxyRoute(stack, id, { api, path: '/orders', method: 'GET', handler: fn, ...extra } as any));

  test('cache: {} without ttl names the route and the Duration to give (was a TypeError on isUnresolved)', () => {
    expect(route('NoTtl', { cache: {} }))
      .toBe('Route Stack/NoTtl: cache.ttl is required: give a Duration such as Duration.minutes(5) (got undefined)');
  });

  test('allowOrigins as a string names the list expected (was "origin \'h\'")', () => {
    expect(route('StringOrigin', { cors: { allowOrigins: 'https://x' } }))
      .toBe("Route Stack/StringOrigin: cors.allowOrigins must be a list of origins such as ['https://app.example.com'] (or ['*']) (got the string 'https://x')");
  });

  test('burstLimit as a string names the number expected (was "burstLimit is 20: give a positive whole number")', () => {
    expect(errorOf(() => new UsagePlanTier(stack, 'Tier', { api, throttle: { rateLimit: 10, burstLimit: '20' } } as any)))
      .toBe("UsagePlanTier Stack/Tier: throttle.burstLimit must be a whole number of requests such as 20 (got the string '20')");
  });

  test('a negative ttl (a number: a Duration cannot be negative) names the route', () => {
    expect(route('NegativeTtl', { cache: { ttl: -5 } }))
      .toBe('Route Stack/NegativeTtl: cache.ttl must be a Duration such as Duration.minutes(5) (got the number -5)');
  });

  test('a ttl of a fraction of a second names the route (aws-cdk-lib\'s toSeconds error names nothing)', () => {
    expect(route('MillisTtl', { cache: { ttl: Duration.millis(1500) } }))
      .toBe('Route Stack/MillisTtl: cache.ttl is 1500 ms, not a whole number of seconds: give Duration.seconds(n) with a whole n');
    expect(route('MillisMaxAge', { cors: { allowOrigins: ['https://a.example.com'], maxAge: Duration.millis(10) } }))
      .toMatch(/^Route Stack\/MillisMaxAge: CORS maxAge is 10 ms, not a whole number of seconds/);
  });
});

describe('every route\'s props (RouteLocation, RouteOptions)', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  let n = 0;
  const mock = (props: object) => errorOf(() => new MockRoute(stack, `R${n++}`, { api, path: '/m', method: 'GET', statusCode: 200, ...props } as any));

  test.each([
    ['api', { api: 'my-api' }, "api must be the RestApi the route belongs to (apigw.IRestApi) (got the string 'my-api')"],
    ['path', { path: 42 }, "path must be a string such as '/orders/{orderId}' (got the number 42)"],
    ['path missing', { path: undefined }, "path is required: give a string such as '/orders/{orderId}' (got undefined)"],
    ['method', { method: ['GET'] }, "method must be a string such as 'GET' (got a list of 1 item)"],
    ['authorization', { authorization: 'IAM' }, "authorization must be a RouteAuthorization such as RouteAuthorization.iam() (got the string 'IAM')"],
    ['apiKeyRequired', { apiKeyRequired: 'yes' }, "apiKeyRequired must be true or false (got the string 'yes')"],
    ['operationName', { operationName: 7 }, 'operationName must be a string (got the number 7)'],
    ['requestValidation', { requestValidation: true }, "requestValidation must be request validation options such as { requiredHeaders: ['Idempotency-Key'] } (got the boolean true)"],
    ['requiredHeaders', { requestValidation: { requiredHeaders: 'X-Id' } }, "requestValidation.requiredHeaders must be a list of strings (got the string 'X-Id')"],
    ['requiredQueryParameters item', { requestValidation: { requiredQueryParameters: ['a', 1] } }, 'requestValidation.requiredQueryParameters[1] must be a string (got the number 1)'],
    ['bodySchema', { method: 'POST', requestValidation: { bodySchema: '{"type": "object"}' } }, 'requestValidation.bodySchema must be a JSON Schema object (apigw.JsonSchema) (got the string \'{"type": "object"}\')'],
    ['bodyModelName', { requestValidation: { bodyModelName: 1 } }, 'requestValidation.bodyModelName must be a string (got the number 1)'],
    ['cache', { cache: 300 }, 'cache must be cache options such as { ttl: Duration.minutes(5) } (got the number 300)'],
    ['cache.ttl as seconds', { cache: { ttl: 300 } }, 'cache.ttl must be a Duration such as Duration.minutes(5) (got the number 300)'],
    ['cache.ttl as a factory', { cache: { ttl: Duration.minutes } }, 'cache.ttl must be a Duration such as Duration.minutes(5) (got the function minutes)'],
    ['cache.queryParameters', { cache: { ttl: Duration.minutes(1), queryParameters: 'page' } }, "cache.queryParameters must be a list of strings (got the string 'page')"],
    ['cache.headers', { cache: { ttl: Duration.minutes(1), headers: { Accept: true } } }, 'cache.headers must be a list of strings (got an object {Accept})'],
    ['cache.dataEncrypted', { cache: { ttl: Duration.minutes(1), dataEncrypted: 'false' } }, "cache.dataEncrypted must be true or false (got the string 'false')"],
    ['cache.clusterSize', { cache: { ttl: Duration.minutes(1), clusterSize: 0.5 } }, "cache.clusterSize must be a string such as '0.5' (got the number 0.5)"],
    ['cors', { cors: true }, "cors must be CORS options such as { allowOrigins: ['https://app.example.com'] } (got the boolean true)"],
    ['cors.allowHeaders', { cors: { allowOrigins: ['*'], allowHeaders: 'Content-Type' } }, "cors.allowHeaders must be a list of header names such as ['Content-Type'] (got the string 'Content-Type')"],
    ['cors.allowCredentials', { cors: { allowOrigins: ['https://a.example.com'], allowCredentials: 1 } }, 'cors.allowCredentials must be true or false (got the number 1)'],
    ['cors.exposeHeaders', { cors: { allowOrigins: ['*'], exposeHeaders: 'ETag' } }, "cors.exposeHeaders must be a list of header names such as ['ETag'] (got the string 'ETag')"],
    ['cors.maxAge', { cors: { allowOrigins: ['*'], maxAge: 600 } }, 'cors.maxAge must be a Duration such as Duration.minutes(10) (got the number 600)'],
    ['cors.statusCode', { cors: { allowOrigins: ['*'], statusCode: '204' } }, "cors.statusCode must be a number such as 204 (got the string '204')"],
  ])('%s', (_, props, message) => {
    expect(mock(props)).toBe(`Route Stack/R${n - 1}: ${message}`);
  });

  test('no props at all', () => {
    expect(errorOf(() => new MockRoute(stack, 'NoProps', undefined as any)))
      .toBe('Route Stack/NoProps: props must be an object with api, path, method (got undefined)');
  });
});

describe('each route\'s own props', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const fn = newFunction(stack, 'Fn');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
  const queue = new sqs.Queue(stack, 'Queue');
  let n = 0;
  // A route claims its path and method before its own props are checked: give each attempt its own path.
  let base = { api, path: '/x', method: 'POST' };
  const make = (build: (id: string) => unknown) => {
    const id = `R${n++}`;
    base = { api, path: `/x${n}`, method: 'POST' };
    return errorOf(() => build(id)).replace(`Route Stack/${id}: `, '');
  };

  test.each<[string, (id: string) => unknown, string]>([
    ['LambdaProxyRoute handler', (id) => new LambdaProxyRoute(stack, id, { ...base, handler: 'arn:aws:lambda:fn' } as any),
      "handler must be a Lambda function (lambda.IFunction) (got the string 'arn:aws:lambda:fn')"],
    ['LambdaProxyRoute timeout', (id) => new LambdaProxyRoute(stack, id, { ...base, handler: fn, timeout: 29 } as any),
      'timeout must be a Duration such as Duration.seconds(30) (got the number 29)'],
    ['LambdaCustomRoute responseTemplate', (id) => new LambdaCustomRoute(stack, id, { ...base, handler: fn, responseTemplate: { a: 1 } } as any),
      'responseTemplate must be a string (got an object {a})'],
    ['LambdaCustomRoute errorResponses', (id) => new LambdaCustomRoute(stack, id, { ...base, handler: fn, errorResponses: LambdaErrorResponse.tagged('X', 404) } as any),
      "errorResponses must be a list such as [LambdaErrorResponse.tagged('NotFound', 404)] (got a LambdaErrorResponse)"],
    ['HttpRoute url', (id) => new HttpRoute(stack, id, { ...base } as any),
      "url is required: give a string such as 'https://api.example.com/{proxy}' (got undefined)"],
    ['HttpRoute proxy', (id) => new HttpRoute(stack, id, { ...base, url: 'https://a.example.com', proxy: 'false' } as any),
      "proxy must be true or false (got the string 'false')"],
    ['HttpRoute staticHeaders', (id) => new HttpRoute(stack, id, { ...base, url: 'https://a.example.com', staticHeaders: { 'X-Version': 2 } } as any),
      'staticHeaders.X-Version must be a string (got the number 2)'],
    ['HttpRoute allowTimeoutOverLimit', (id) => new HttpRoute(stack, id, { ...base, url: 'https://a.example.com', allowTimeoutOverLimit: 'yes' } as any),
      "allowTimeoutOverLimit must be true or false (got the string 'yes')"],
    ['PrivateVpcLinkRoute port', (id) => new PrivateVpcLinkRoute(stack, id, { ...base, loadBalancer: nlb, port: '8080' } as any),
      "port must be a number such as 8080 (got the string '8080')"],
    ['PrivateVpcLinkRoute loadBalancer', (id) => new PrivateVpcLinkRoute(stack, id, { ...base, loadBalancer: 'my-nlb' } as any),
      "loadBalancer must be a load balancer (elbv2.ILoadBalancerV2) (got the string 'my-nlb')"],
    ['PrivateVpcLinkRoute uri', (id) => new PrivateVpcLinkRoute(stack, id, { ...base, vpcLinkIdFromStageVariable: 'link', uri: ['http://a'] } as any),
      'uri must be a string (got a list of 1 item)'],
    ['MockRoute body with headers', (id) => new MockRoute(stack, id, { ...base, headers: { 'X-A': ['1'] } } as any),
      'headers.X-A must be a string (got a list of 1 item)'],
    ['MockRoute scenarios', (id) => new MockRoute(stack, id, { ...base, scenarios: { value: 'x', statusCode: 404 } } as any),
      "scenarios must be a list of scenarios such as [{ value: 'notFound', statusCode: 404, body: {...} }] (got an object {value, statusCode})"],
    ['MockRoute scenario statusCode', (id) => new MockRoute(stack, id, { ...base, scenarios: [{ value: 'x', statusCode: '404' }] } as any),
      "scenarios[0].statusCode must be a number such as 200 (got the string '404')"],
    ['MockRoute scenarioSelector', (id) => new MockRoute(stack, id, { ...base, scenarios: [{ value: 'x', statusCode: 404 }], scenarioSelector: 'scenario' } as any),
      "scenarioSelector must be a MockSelector such as MockSelector.header('X-Mock-Scenario') (got the string 'scenario')"],
    ['ServiceIntegrationRoute action', (id) => new ServiceIntegrationRoute(stack, id, { ...base, action: { service: 'sqs' } } as any),
      'action must be a ServiceAction such as ServiceAction.sqsSendMessage(queue) (got an object {service})'],
    ['ServiceIntegrationRoute successStatusCode', (id) => new ServiceIntegrationRoute(stack, id, { ...base, action: ServiceAction.sqsSendMessage(queue), successStatusCode: '202' } as any),
      "successStatusCode must be a number such as 202 (got the string '202')"],
    ['ServiceIntegrationRoute additionalRequestTemplates', (id) => new ServiceIntegrationRoute(stack, id, {
      ...base, action: ServiceAction.sqsSendMessage(queue), additionalRequestTemplates: { 'text/plain': 1 },
    } as any), 'additionalRequestTemplates.text/plain must be a string (got the number 1)'],
    ['ServiceIntegrationRoute role', (id) => new ServiceIntegrationRoute(stack, id, { ...base, action: ServiceAction.sqsSendMessage(queue), role: 'arn:aws:iam::1:role/r' } as any),
      "role must be an IAM role (iam.IRole) (got the string 'arn:aws:iam::1:role/r')"],
    ['FanOutRoute branches', (id) => new FanOutRoute(stack, id, { ...base, branches: [FanOutBranch.lambdaInvoke(fn)] } as any),
      'branches must be a map of branch names to FanOutBranches such as { user: FanOutBranch.lambdaInvoke(fn) } (got a list of 1 item)'],
    ['FanOutRoute tracing', (id) => new FanOutRoute(stack, id, { ...base, branches: { a: FanOutBranch.lambdaInvoke(fn) }, tracing: 'on' } as any),
      "tracing must be true or false (got the string 'on')"],
    ['ContentBasedRoute selector', (id) => new ContentBasedRoute(stack, id, { ...base, selector: '$.type', cases: [], defaultTarget: FanOutBranch.lambdaInvoke(fn) } as any),
      "selector must be a Field such as Field.body('$.type') (got the string '$.type')"],
    ['ContentBasedRoute cases', (id) => new ContentBasedRoute(stack, id, {
      ...base, selector: Field.body('$.type'), cases: [{ value: 1, target: FanOutBranch.lambdaInvoke(fn) }], defaultTarget: FanOutBranch.lambdaInvoke(fn),
    } as any), "cases[0].value must be a string such as 'urgent' (got the number 1)"],
    ['ContentBasedRoute defaultTarget', (id) => new ContentBasedRoute(stack, id, { ...base, selector: Field.body('$.type'), cases: [] } as any),
      'defaultTarget is required: give a FanOutBranch such as FanOutBranch.lambdaInvoke(fn) (got undefined)'],
  ])('%s', (_, build, message) => {
    expect(make(build)).toBe(message);
  });
});

describe('API-wide constructs', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  api.root.addMethod('GET');

  test('ApiCors', () => {
    expect(errorOf(() => new ApiCors(stack, 'Cors', { api, allowOrigins: 'https://app.example.com' } as any)))
      .toBe("ApiCors Stack/Cors: allowOrigins must be a list of origins such as ['https://app.example.com'] (or ['*']) (got the string 'https://app.example.com')");
    expect(errorOf(() => new ApiCors(stack, 'Cors2', { allowOrigins: ['*'] } as any)))
      .toBe('ApiCors Stack/Cors2: api is required: give an apigateway RestApi (apigw.IRestApi) (got undefined)');
  });

  test('UsagePlanTier props, addApiKey and throttleRoute', () => {
    expect(errorOf(() => new UsagePlanTier(stack, 'T1', { api, throttle: { rateLimit: '10' } } as any)))
      .toBe("UsagePlanTier Stack/T1: throttle.rateLimit must be a number of requests per second such as 10 (got the string '10')");
    expect(errorOf(() => new UsagePlanTier(stack, 'T2', { api, quota: { limit: '1000', period: apigw.Period.DAY } } as any)))
      .toBe("UsagePlanTier Stack/T2: quota.limit must be a whole number of requests such as 1000 (got the string '1000')");
    expect(errorOf(() => new UsagePlanTier(stack, 'T3', { api, stages: api.deploymentStage } as any)))
      .toBe('UsagePlanTier Stack/T3: stages must be a list of apigw.Stage (got a Stage)');
    expect(errorOf(() => new UsagePlanTier(stack, 'T4', { api: 'abc123' } as any)))
      .toBe("UsagePlanTier Stack/T4: api must be an apigateway RestApi of this app (got the string 'abc123')");
    const tier = new UsagePlanTier(stack, 'Tier', { api });
    expect(errorOf(() => tier.addApiKey(42 as any))).toBe('UsagePlanTier Stack/Tier: the API key name must be a string (got the number 42)');
    expect(errorOf(() => tier.addApiKey('Customer-A', { enabled: 'no' } as any)))
      .toBe("UsagePlanTier Stack/Tier: options.enabled must be true or false (got the string 'no')");
    const route = new MockRoute(stack, 'M', { api, path: '/m', method: 'GET', statusCode: 200 });
    expect(errorOf(() => tier.throttleRoute(route, { burstLimit: '5' } as any)))
      .toBe("UsagePlanTier Stack/Tier: the throttle of Stack/M.burstLimit must be a whole number of requests such as 20 (got the string '5')");
  });
});

describe('static factories\' arguments', () => {
  const stack = newStack();
  const api = new apigw.RestApi(stack, 'Api');
  const fn = newFunction(stack, 'Fn');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const bus = new events.EventBus(stack, 'Bus');
  const bucket = new s3.Bucket(stack, 'Bucket');
  let n = 0;
  // Service actions and branches are checked when a route binds them, so the error names the route too.
  const action = (make: () => ServiceAction) => {
    const id = `A${n++}`;
    return errorOf(() => new ServiceIntegrationRoute(stack, id, { api, path: `/a${n}/{key}`, method: 'POST', action: make() }))
      .replace(`Route Stack/${id}: `, '');
  };
  const branch = (make: () => FanOutBranch) => {
    const id = `F${n++}`;
    return errorOf(() => new FanOutRoute(stack, id, { api, path: `/f${n}`, method: 'GET', branches: { b: make() } }))
      .replace(`Route Stack/${id}: `, '');
  };

  test.each<[string, () => string, string]>([
    ['sqsSendMessage', () => action(() => ServiceAction.sqsSendMessage(undefined as any)),
      'ServiceAction.sqsSendMessage: queue is required: give an SQS queue (sqs.IQueue) (got undefined)'],
    ['sqsSendMessage with a queue URL', () => action(() => ServiceAction.sqsSendMessage('https://sqs/q' as any)),
      "ServiceAction.sqsSendMessage: queue must be an SQS queue (sqs.IQueue) (got the string 'https://sqs/q')"],
    ['dynamoDbGetItem table', () => action(() => ServiceAction.dynamoDbGetItem('Users' as any, { key: {} })),
      "ServiceAction.dynamoDbGetItem: table must be a DynamoDB table (dynamodb.ITable) (got the string 'Users')"],
    ['dynamoDbQuery options', () => action(() => ServiceAction.dynamoDbQuery(table, undefined as any)),
      'ServiceAction.dynamoDbQuery: options is required: give options such as { keyCondition: KeyCondition.eq(...) } (got undefined)'],
    ['snsPublish topic', () => action(() => ServiceAction.snsPublish({ topicName: 'x' } as any)),
      'ServiceAction.snsPublish: topic must be an SNS topic (sns.ITopic) (got an object {topicName})'],
    ['eventBridgePutEvents detailType (was a TypeError)', () => action(() => ServiceAction.eventBridgePutEvents(bus, { source: 'com.example', detailType: 'OrderPlaced' } as any)),
      "ServiceAction.eventBridgePutEvents: options.detailType must be a Field such as Field.literal('OrderPlaced') (got the string 'OrderPlaced')"],
    ['s3GetObject key (was "a path Field, not undefined")', () => action(() => ServiceAction.s3GetObject(bucket, { key: 'key' } as any)),
      "ServiceAction.s3GetObject: options.key must be a Field such as Field.path('key') (got the string 'key')"],
    ['custom iamActions (was "has \'s\'")', () => action(() => ServiceAction.custom({
      service: 'sqs', action: 'SendMessage', requestTemplate: '{}', iamActions: 'sqs:SendMessage', iamResources: ['arn:aws:sqs:us-east-1:123456789012:q'],
    } as any)), "ServiceAction.custom: options.iamActions must be a list of strings (got the string 'sqs:SendMessage')"],
    ['FanOutBranch.lambdaInvoke', () => branch(() => FanOutBranch.lambdaInvoke('my-function' as any)),
      "branch 'b': FanOutBranch.lambdaInvoke: handler must be a Lambda function (lambda.IFunction) (got the string 'my-function')"],
    ['FanOutBranch.dynamoDbGetItem', () => branch(() => FanOutBranch.dynamoDbGetItem(table, undefined as any)),
      "branch 'b': FanOutBranch.dynamoDbGetItem: options is required: give options such as { key: {...} } (got undefined)"],
    ['FanOutBranch.awsSdk', () => branch(() => FanOutBranch.awsSdk({ service: 'ssm', action: 'getParameter', iamResources: 'arn:aws:ssm:x' } as any)),
      "branch 'b': FanOutBranch.awsSdk: options.iamResources must be a list of strings (got the string 'arn:aws:ssm:x')"],
    ['RouteAuthorization.lambdaToken', () => errorOf(() => RouteAuthorization.lambdaToken(undefined as any)),
      'RouteAuthorization.lambdaToken: handler is required: give a Lambda function (lambda.IFunction) (got undefined)'],
    ['RouteAuthorization.lambdaToken ttl', () => errorOf(() => RouteAuthorization.lambdaToken(fn, { resultsCacheTtl: 300 } as any)),
      'RouteAuthorization.lambdaToken: options.resultsCacheTtl must be a Duration such as Duration.seconds(30) (got the number 300)'],
    ['RouteAuthorization.cognito', () => errorOf(() => RouteAuthorization.cognito('pool-id' as any)),
      "RouteAuthorization.cognito: userPools must be a list of user pools such as [userPool] (got the string 'pool-id')"],
    ['RouteAuthorization.cognito scopes', () => errorOf(() => RouteAuthorization.cognito([new cognito.UserPool(stack, 'Pool')], { scopes: 'read' } as any)),
      "RouteAuthorization.cognito: options.scopes must be a list of strings (got the string 'read')"],
    ['RouteAuthorization.authorizer', () => errorOf(() => RouteAuthorization.authorizer(undefined as any)),
      'RouteAuthorization.authorizer: authorizer is required: give an authorizer (apigw.IAuthorizer) (got undefined)'],
    ['LambdaErrorResponse.tagged', () => errorOf(() => LambdaErrorResponse.tagged('NotFound', '404' as any)),
      "LambdaErrorResponse.tagged('NotFound'): statusCode must be a number such as 404 (got the string '404')"],
    ['LambdaErrorResponse.matching', () => errorOf(() => LambdaErrorResponse.matching('Timeout.*', undefined as any)),
      "LambdaErrorResponse.matching('Timeout.*'): statusCode is required: give a number such as 504 (got undefined)"],
  ])('%s', (_, attempt, message) => {
    expect(attempt()).toBe(message);
  });
});

test('describeValue says what a value is', () => {
  expect([undefined, null, 'a', 3, false, [], [1, 2], {}, { a: 1, b: 2 }, Duration.seconds(1), Stack.of, new Stack()].map(describeValue)).toEqual([
    'undefined', 'null', "the string 'a'", 'the number 3', 'the boolean false', 'a list of 0 items', 'a list of 2 items',
    'an empty object {}', 'an object {a, b}', 'a Duration', 'the function of', 'a Stack',
  ]);
  expect(describeValue('x'.repeat(100))).toBe(`the string '${'x'.repeat(57)}...'`);
});
