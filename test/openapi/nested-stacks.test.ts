process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ApiDocument, ApiNestedStack, LambdaProxyRoute, MockRoute, RouteAuthorization } from '../../lib';
import { newFunction } from '../util';

// Routes in ApiNestedStacks are in the document like the others: their resources, methods and what they
// reference across the nested stack's boundary (the API, its root, a parent path segment, an authorizer, a
// function of the parent) come out named as in the API's stack.

const app = new App();
const stack = new Stack(app, 'Stack');
const api = new apigw.RestApi(stack, 'Api', { deployOptions: { stageName: 'prod' } });
const parentFn = newFunction(stack, 'ParentFn');
const signedIn = RouteAuthorization.cognito([new cognito.UserPool(stack, 'Pool')]);
new MockRoute(stack, 'Health', { api, path: '/health', method: 'GET', body: { status: 'ok' } });
new LambdaProxyRoute(stack, 'ListOrders', { api, path: '/orders', method: 'GET', handler: parentFn, authorization: signedIn });
const nested = new ApiNestedStack(stack, 'More', { api });
const nestedFn = newFunction(nested, 'NestedFn');
new LambdaProxyRoute(nested, 'GetOrder', {
  api, path: '/orders/{orderId}', method: 'GET', handler: parentFn, authorization: signedIn, description: 'One order',
});
new LambdaProxyRoute(nested, 'Report', { api, path: '/reports', method: 'POST', handler: nestedFn });
new MockRoute(nested, 'Ping', { api, path: '/reports/ping', method: 'GET', body: { pong: true } });
const document = new ApiDocument(stack, 'Doc', { api, includeIntegrations: true });
const doc = document.document();
const parentId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as any);

test('every path and method, the nested stack\'s included, and no warning', () => {
  expect(Object.keys(doc.paths).sort()).toEqual(['/health', '/orders', '/orders/{orderId}', '/reports', '/reports/ping']);
  expect(Object.keys(doc.paths['/orders/{orderId}'])).toEqual(['get']);
  expect(doc.paths['/orders/{orderId}'].get.description).toBe('One order');
  expect(doc.paths['/orders/{orderId}'].get.parameters).toEqual([expect.objectContaining({ name: 'orderId', in: 'path', required: true })]);
  app.synth();
  expect(Annotations.fromStack(stack).findWarning('/Stack/Doc', Match.anyValue())).toEqual([]);
});

test('the nested routes really are in the nested stack (what this test is about)', () => {
  const nestedTemplate = Template.fromStack(nested);
  const paths = Object.values(nestedTemplate.findResources('AWS::ApiGateway::Resource')).map((r: any) => r.Properties.PathPart).sort();
  expect(paths).toEqual(['ping', 'reports', '{orderId}']);
  nestedTemplate.resourceCountIs('AWS::ApiGateway::Method', 3); // GET /orders/{orderId}, POST /reports, GET /reports/ping
});

test('references across the boundary name the parent\'s resources: the authorizer, the parent\'s function', () => {
  const get = doc.paths['/orders/{orderId}'].get;
  const list = doc.paths['/orders'].get;
  expect(get.security).toEqual(list.security);
  expect(get['x-amazon-apigateway-integration'].uri).toBe(list['x-amazon-apigateway-integration'].uri);
  expect(get['x-amazon-apigateway-integration'].uri).toContain(`\${${parentId(parentFn)}.Arn}`);
});

test('a function created in the nested stack keeps the nested stack\'s logical id', () => {
  const uri: string = doc.paths['/reports'].post['x-amazon-apigateway-integration'].uri;
  expect(uri).toContain(`\${${nested.getLogicalId(nestedFn.node.defaultChild as any)}.Arn}`);
  expect(uri).not.toContain('Token[');
  expect(doc.paths['/reports/ping'].get['x-amazon-apigateway-integration'].type).toBe('mock');
});
