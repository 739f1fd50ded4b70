process.env.CDK_VALIDATION = 'false';
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  ApiCors,
  ApiNestedStack,
  ApiNestedStacks,
  DynamoAttribute,
  Field,
  LambdaProxyRoute,
  MockRoute,
  RouteAuthorization,
  ServiceAction,
  ServiceIntegrationRoute,
} from '../lib';
import { errorOf, Json, newFunction } from './util';

type Resources = { [id: string]: { Type: string; Properties: Json; DependsOn?: string[] } };
const resourcesOf = (stack: Stack): Resources => Template.fromStack(stack).toJSON().Resources;
const ofType = (r: Resources, type: string) => Object.entries(r).filter(([, v]) => v.Type === type);

describe('routes in nested stacks', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const fn = newFunction(stack, 'Fn');
  const authFn = newFunction(stack, 'AuthFn');
  const api = new apigw.RestApi(stack, 'Api');
  new ApiCors(stack, 'Cors', { api, allowOrigins: ['https://app.example.com'] });
  new LambdaProxyRoute(stack, 'ListOrders', { api, path: '/orders', method: 'GET', handler: fn });
  const orders = new ApiNestedStack(stack, 'Orders', { api });
  new LambdaProxyRoute(orders, 'GetOrder', {
    api, path: '/orders/{orderId}', method: 'GET', handler: fn, authorization: RouteAuthorization.lambdaToken(authFn),
    cache: { ttl: Duration.seconds(60) },
  });
  new LambdaProxyRoute(orders, 'UpdateOrder', { api, path: '/orders/{orderId}', method: 'PUT', handler: fn, authorization: RouteAuthorization.lambdaToken(authFn) });
  const queue = new sqs.Queue(stack, 'Queue');
  const other = new ApiNestedStack(stack, 'Other', { api });
  new ServiceIntegrationRoute(other, 'Enqueue', { api, path: '/orders/{orderId}/events', method: 'POST', action: ServiceAction.sqsSendMessage(queue) });
  new MockRoute(other, 'Health', { api, path: '/health', method: 'GET', statusCode: 200, body: { ok: true } });

  const parent = resourcesOf(stack);
  const nestedOrders = resourcesOf(orders);
  const nestedOther = resourcesOf(other);
  const paths = (r: Resources) => ofType(r, 'AWS::ApiGateway::Resource').map(([, v]) => v.Properties.PathPart).sort();

  test('each route\'s method and OPTIONS live in its stack; the API, stage, authorizer, role and permissions in the API\'s', () => {
    expect(ofType(parent, 'AWS::ApiGateway::Method').map(([, v]) => v.Properties.HttpMethod).sort()).toEqual(['GET', 'OPTIONS']);
    expect(ofType(nestedOrders, 'AWS::ApiGateway::Method').map(([, v]) => v.Properties.HttpMethod).sort()).toEqual(['GET', 'OPTIONS', 'PUT']);
    expect(ofType(nestedOther, 'AWS::ApiGateway::Method').map(([, v]) => v.Properties.HttpMethod).sort()).toEqual(['GET', 'OPTIONS', 'OPTIONS', 'POST']);
    for (const type of ['AWS::ApiGateway::Authorizer', 'AWS::Lambda::Permission', 'AWS::IAM::Role', 'AWS::ApiGateway::Deployment', 'AWS::ApiGateway::Stage']) {
      expect([type, ofType(nestedOrders, type).length + ofType(nestedOther, type).length]).toEqual([type, 0]);
    }
    // One permission per function, whatever stack its routes are in (fn, and authFn for its authorizer).
    expect(ofType(parent, 'AWS::Lambda::Permission')).toHaveLength(2);
  });

  test('each path segment is created once, in the first stack that needs it, and referenced from the others', () => {
    expect(paths(parent)).toEqual(['orders']);
    expect(paths(nestedOrders)).toEqual(['{orderId}']);
    expect(paths(nestedOther)).toEqual(['events', 'health']);
    const events = ofType(nestedOther, 'AWS::ApiGateway::Resource').find(([, v]) => v.Properties.PathPart === 'events')![1];
    // {orderId} lives in the Orders stack: the Other stack gets its id as a parameter.
    expect(events.Properties.ParentId).toEqual({ Ref: expect.stringMatching(/^referenceto/) });
  });

  test('methods in nested stacks reference the authorizer and the API by parameter', () => {
    const get = ofType(nestedOrders, 'AWS::ApiGateway::Method').find(([, v]) => v.Properties.HttpMethod === 'GET')![1];
    expect(get.Properties.AuthorizationType).toBe('CUSTOM');
    expect(get.Properties.AuthorizerId).toEqual({ Ref: expect.stringMatching(/^referenceto/) });
    expect(get.Properties.RestApiId).toEqual({ Ref: expect.stringMatching(/^referenceto/) });
  });

  test('the one deployment depends on every nested stack', () => {
    const [, deployment] = ofType(parent, 'AWS::ApiGateway::Deployment')[0];
    const nestedIds = ofType(parent, 'AWS::CloudFormation::Stack').map(([id]) => id);
    expect(nestedIds).toHaveLength(2);
    expect(deployment.DependsOn).toEqual(expect.arrayContaining(nestedIds));
  });

  test('the cache setting of a nested route is on the API\'s stage', () => {
    const [, stage] = ofType(parent, 'AWS::ApiGateway::Stage')[0];
    expect(stage.Properties.MethodSettings).toEqual(expect.arrayContaining([
      expect.objectContaining({ ResourcePath: '/~1orders~1{orderId}', HttpMethod: 'GET', CachingEnabled: true }),
    ]));
  });
});

describe('the deployment changes when a nested method changes', () => {
  const deploymentId = (timeout: number) => {
    const stack = new Stack(new App(), 'Stack');
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'Root', { api, path: '/', method: 'GET', statusCode: 200, body: {} });
    const nested = new ApiNestedStack(stack, 'Nested', { api });
    new LambdaProxyRoute(nested, 'R', { api, path: '/r', method: 'GET', handler: newFunction(stack, 'Fn'), timeout: Duration.seconds(timeout) });
    return ofType(resourcesOf(stack), 'AWS::ApiGateway::Deployment')[0][0];
  };
  test('a different nested integration gives a different deployment id; the same gives the same', () => {
    expect(deploymentId(5)).toBe(deploymentId(5));
    expect(deploymentId(5)).not.toBe(deploymentId(6));
  });
});

test('a route in the nested stack of another API fails naming both', () => {
  const stack = new Stack(new App(), 'Stack');
  const api = new apigw.RestApi(stack, 'Api');
  const otherApi = new apigw.RestApi(stack, 'OtherApi');
  const nested = new ApiNestedStack(stack, 'Nested', { api });
  expect(errorOf(() => new MockRoute(nested, 'R', { api: otherApi, path: '/r', method: 'GET', statusCode: 200, body: {} })))
    .toMatch(/Stack\/Nested\/R: the route is in ApiNestedStack Stack\/Nested, which holds routes of Stack\/Api, not Stack\/OtherApi/);
});

test('ApiNestedStacks refuses a bad routesPerStack', () => {
  const stack = new Stack(new App(), 'Stack');
  const api = new apigw.RestApi(stack, 'Api');
  expect(errorOf(() => new ApiNestedStacks(stack, 'S', { api, routesPerStack: 0 }))).toMatch(/routesPerStack 0 must be a whole number from 1 to 400$/);
});

test('a stack at 80 % of 500 resources gets a warning that points to ApiNestedStack', () => {
  const stack = new Stack(new App(), 'Stack');
  const api = new apigw.RestApi(stack, 'Api');
  for (let i = 0; i < 135; i++) new MockRoute(stack, `M${i}`, { api, path: `/m${i}/x`, method: 'GET', statusCode: 200, body: {} });
  Annotations.fromStack(stack).hasWarning('/Stack', Match.stringLikeRegexp('^Stack holds 4\\d\\d resources, \\d+ % of CloudFormation\'s 500 per stack: create more routes of Stack/Api in an ApiNestedStack'));
});

describe('1000 routes spread over nested stacks', () => {
  const app = new App();
  const stack = new Stack(app, 'Big');
  const api = new apigw.RestApi(stack, 'Api');
  new ApiCors(stack, 'Cors', { api, allowOrigins: ['https://app.example.com'] });
  const fns = [0, 1, 2, 3, 4].map((i) => newFunction(stack, `Fn${i}`));
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const queue = new sqs.Queue(stack, 'Queue');
  const spread = new ApiNestedStacks(stack, 'Routes', { api, routesPerStack: 90 });
  let lambdaRoutes = 0;
  for (let i = 0; i < 1000; i++) {
    const scope = spread.scopeForNextRoute();
    const path = `/r${i}/items/{id}`;
    switch (i % 5) {
      case 0:
      case 1:
        new LambdaProxyRoute(scope, `R${i}`, { api, path, method: 'GET', handler: fns[lambdaRoutes++ % 5], cache: i % 2 === 0 ? { ttl: Duration.seconds(60) } : undefined });
        break;
      case 2:
        new ServiceIntegrationRoute(scope, `R${i}`, { api, path, method: 'POST', action: ServiceAction.sqsSendMessage(queue) });
        break;
      case 3:
        new ServiceIntegrationRoute(scope, `R${i}`, {
          api, path, method: 'GET', action: ServiceAction.dynamoDbGetItem(table, { key: { id: DynamoAttribute.stringValue(Field.path('id')) } }),
        });
        break;
      default:
        new MockRoute(scope, `R${i}`, { api, path, method: 'GET', statusCode: 200, body: { ok: true } });
    }
  }
  const assembly = app.synth();
  const templates = [assembly.getStackByName('Big').template, ...nestedTemplates(assembly.directory)];

  test('the synth succeeds: 12 nested stacks, every template under 500 resources and 1 MB', () => {
    expect(spread.stacks).toHaveLength(12);
    expect(templates).toHaveLength(13);
    for (const t of templates) {
      expect(Object.keys(t.Resources).length).toBeLessThan(500);
      expect(JSON.stringify(t).length).toBeLessThan(1_000_000);
    }
    const methods = templates.flatMap((t) => Object.values(t.Resources as Resources).filter((r) => r.Type === 'AWS::ApiGateway::Method'));
    expect(methods.filter((m) => m.Properties.HttpMethod !== 'OPTIONS')).toHaveLength(1000);
    expect(methods.filter((m) => m.Properties.HttpMethod === 'OPTIONS')).toHaveLength(1000);
  });

  test('the API\'s stack keeps one permission per function and one integration role', () => {
    const parent = assembly.getStackByName('Big').template.Resources as Resources;
    expect(ofType(parent, 'AWS::Lambda::Permission')).toHaveLength(5);
    expect(ofType(parent, 'AWS::IAM::Role').filter(([id]) => id.includes('IntegrationRole'))).toHaveLength(1);
    expect(ofType(parent, 'AWS::ApiGateway::Deployment')).toHaveLength(1);
    expect(ofType(parent, 'AWS::ApiGateway::Deployment')[0][1].DependsOn!.filter((d) => d.includes('NestedStackResource'))).toHaveLength(12);
  });

  test('the synth warns that 3001 resources need a raised "Resources per API" quota (300 by default) to deploy', () => {
    const warnings = assembly.getStackByName('Big').messages.filter((m) => m.level === 'warning' && /Resources per API/.test(String(m.entry.data)));
    expect(warnings.map((m) => [m.id, String(m.entry.data).match(/^Big\/Api has (\d+) resources .* across its stack and (\d+) route stack/)?.slice(1)]))
      .toEqual([['/Big/Api', ['3001', '12']]]);
  });

  test('no nested stack is NestedStack-less: every route is in one of them', () => {
    expect(spread.stacks.every((s) => s instanceof NestedStack)).toBe(true);
  });
});

/** The templates of the nested stacks in the assembly directory. */
function nestedTemplates(dir: string): Json[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.nested.template.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}
