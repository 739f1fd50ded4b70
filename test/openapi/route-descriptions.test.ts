process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { ApiDocument, MockRoute } from '../../lib';

/** A route's description, parameter descriptions and kind reach its operation in the document. */
function setup(): { stack: Stack; api: apigw.RestApi } {
  const stack = new Stack(new App(), 'Stack');
  return { stack, api: new apigw.RestApi(stack, 'Api') };
}

test('description, parameter descriptions and the route kind are in the operation; a plain aws-cdk-lib method has none', () => {
  const { stack, api } = setup();
  new MockRoute(stack, 'GetOrder', {
    api, path: '/orders/{orderId}', method: 'GET',
    description: 'One order of the caller',
    parameterDescriptions: { 'path:orderId': 'The order\'s id', 'query:expand': 'Related records to include' },
    requestValidation: { requiredQueryParameters: ['expand'] },
    body: { orderId: 'o-1' },
  });
  api.root.addResource('plain').addMethod('GET', new apigw.MockIntegration({ requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  const doc = new ApiDocument(stack, 'Doc', { api }).document();
  const get = doc.paths['/orders/{orderId}'].get;
  expect(get.description).toBe('One order of the caller');
  expect(get['x-cdk-apigateway-patterns-route']).toBe('MockRoute');
  expect(get.parameters).toEqual([
    { name: 'orderId', in: 'path', required: true, schema: { type: 'string' }, description: 'The order\'s id' },
    { name: 'expand', in: 'query', required: true, schema: { type: 'string' }, description: 'Related records to include' },
  ]);
  expect(doc.paths['/plain'].get).not.toHaveProperty('description');
  expect(doc.paths['/plain'].get).not.toHaveProperty('x-cdk-apigateway-patterns-route');
});

test.each([
  [{ 'body:x': 'no' }, "parameterDescriptions key 'body:x' must be 'path:<name>', 'query:<name>' or 'header:<name>'"],
  [{ 'path:nope': 'no' }, "parameterDescriptions names path parameter 'nope', which /orders/{orderId} does not have (it has orderId)"],
])('misuse fails at synth naming the route: %j', (parameterDescriptions, message) => {
  const { stack, api } = setup();
  expect(() => new MockRoute(stack, 'GetOrder', { api, path: '/orders/{orderId}', method: 'GET', parameterDescriptions, body: {} }))
    .toThrow(`Route Stack/GetOrder: ${message}`);
});

test('two documents cannot write the same file; a file name must be a plain .json name', () => {
  const { stack, api } = setup();
  new MockRoute(stack, 'Health', { api, path: '/health', method: 'GET', body: {} });
  new ApiDocument(stack, 'One', { api });
  expect(() => new ApiDocument(stack, 'Two', { api })).toThrow('Stack/Two: Stack/One already writes Stack.Api.openapi.json to the cloud assembly; give this document another fileName');
  expect(() => new ApiDocument(stack, 'Three', { api, fileName: '../x.json' })).toThrow(/fileName \.\.\/x\.json must be a plain file name ending with \.json/);
});
