process.env.CDK_VALIDATION = 'false';

import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { LambdaProxyRoute, MockRoute, RequestValidation } from '../lib';
import { errorOf, Json, methodAt, newFunction, newStack, resourcesOfType } from './util';

const orderSchema: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  type: apigw.JsonSchemaType.OBJECT,
  required: ['item'],
  properties: { item: { type: apigw.JsonSchemaType.STRING }, quantity: { type: apigw.JsonSchemaType.INTEGER, minimum: 1 } },
};

describe('request validation on one API', () => {
  const stack = newStack();
  const fn = newFunction(stack, 'Fn');
  const api = new apigw.RestApi(stack, 'Api');
  const api2 = new apigw.RestApi(stack, 'Api2');
  new LambdaProxyRoute(stack, 'ListOrders', {
    api, path: '/orders', method: 'GET', handler: fn,
    requestValidation: { requiredQueryParameters: ['page', 'size'], requiredHeaders: ['X-Tenant'] },
  });
  new LambdaProxyRoute(stack, 'GetOrder', { api, path: '/orders/{id}', method: 'GET', handler: fn, requestValidation: { requiredHeaders: ['X-Tenant'] } });
  new MockRoute(stack, 'DeleteOrder', { api, path: '/orders/{id}', method: 'DELETE', requestValidation: { requiredQueryParameters: ['reason'] } });
  new LambdaProxyRoute(stack, 'CreateOrder', {
    api, path: '/orders', method: 'POST', handler: fn, requestValidation: { bodySchema: orderSchema, requiredHeaders: ['Idempotency-Key'] },
  });
  new LambdaProxyRoute(stack, 'ReplaceOrder', { api, path: '/orders/{id}', method: 'PUT', handler: fn, requestValidation: { bodySchema: orderSchema, bodyModelName: 'OrderInput' } });
  new MockRoute(stack, 'PatchOrder', { api, path: '/orders/{id}', method: 'PATCH', requestValidation: { bodySchema: orderSchema } });
  new LambdaProxyRoute(stack, 'Unvalidated', { api, path: '/free', method: 'POST', handler: fn });
  new LambdaProxyRoute(stack, 'OtherApi', { api: api2, path: '/orders', method: 'GET', handler: fn, requestValidation: { requiredQueryParameters: ['q'] } });
  new LambdaProxyRoute(stack, 'OtherApiPost', { api: api2, path: '/orders', method: 'POST', handler: fn, requestValidation: { bodySchema: orderSchema } });
  const template = Template.fromStack(stack);
  const apiRef = (a: apigw.RestApi) => ({ Ref: stack.getLogicalId(a.node.defaultChild as apigw.CfnRestApi) });
  const validators = (a: apigw.RestApi) => resourcesOfType(template, 'AWS::ApiGateway::RequestValidator')
    .filter(([, p]) => JSON.stringify(p.RestApiId) === JSON.stringify(apiRef(a)));
  const m = (path: string, method: string) => methodAt(template, path, method, apiRef(api).Ref);
  const parametersValidator = () => validators(api).find(([, p]) => !p.ValidateRequestBody)!;
  const bodyValidator = () => validators(api).find(([, p]) => p.ValidateRequestBody)!;

  test('one parameters-only validator and one body-and-parameters validator per API, shared by its routes', () => {
    expect(validators(api).map(([, p]) => [p.ValidateRequestBody, p.ValidateRequestParameters]).sort()).toEqual([[false, true], [true, true]]);
    expect(validators(api2)).toHaveLength(2);
    template.resourceCountIs('AWS::ApiGateway::RequestValidator', 4);
  });

  test('required query parameters and headers are required method request parameters, checked by the parameters validator', () => {
    const list = m('/orders', 'GET');
    expect(list.RequestParameters).toEqual({
      'method.request.querystring.page': true,
      'method.request.querystring.size': true,
      'method.request.header.X-Tenant': true,
    });
    expect(list.RequestValidatorId).toEqual({ Ref: parametersValidator()[0] });
    const get = m('/orders/{id}', 'GET');
    expect(get.RequestParameters).toEqual({ 'method.request.path.id': true, 'method.request.header.X-Tenant': true });
    expect(get.RequestValidatorId).toEqual({ Ref: parametersValidator()[0] });
    const del = m('/orders/{id}', 'DELETE');
    expect(del.RequestParameters).toEqual({ 'method.request.path.id': true, 'method.request.querystring.reason': true });
    expect(del.RequestValidatorId).toEqual({ Ref: parametersValidator()[0] });
  });

  test('a body schema becomes a JSON model checked by the body-and-parameters validator', () => {
    const create = m('/orders', 'POST');
    expect(create.RequestValidatorId).toEqual({ Ref: bodyValidator()[0] });
    expect(create.RequestParameters).toEqual({ 'method.request.header.Idempotency-Key': true });
    expect(Object.keys(create.RequestModels)).toEqual(['application/json']);
    const replace = m('/orders/{id}', 'PUT');
    const patch = m('/orders/{id}', 'PATCH');
    for (const method of [replace, patch]) expect(method.RequestValidatorId).toEqual({ Ref: bodyValidator()[0] });
    const models = resourcesOfType(template, 'AWS::ApiGateway::Model');
    // One model per route with a body schema.
    expect(models).toHaveLength(4);
    for (const [, model] of models) {
      expect(model.ContentType).toBe('application/json');
      expect(model.Schema).toEqual({
        $schema: 'http://json-schema.org/draft-04/schema#',
        type: 'object',
        required: ['item'],
        properties: { item: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
      });
    }
    expect(models.filter(([, p]) => p.Name === 'OrderInput')).toHaveLength(1);
    const replaceModel = models.find(([, p]) => p.Name === 'OrderInput')![0];
    expect(replace.RequestModels).toEqual({ 'application/json': { Ref: replaceModel } });
  });

  test('a route without validation has no validator, model or required parameters', () => {
    const free: Json = m('/free', 'POST');
    expect(free.RequestValidatorId).toBeUndefined();
    expect(free.RequestModels).toBeUndefined();
    expect(free.RequestParameters).toBeUndefined();
  });

  test('several body routes on one API share one body-and-parameters validator; each has its model', () => {
    const stack2 = newStack();
    const api3 = new apigw.RestApi(stack2, 'Api');
    for (const [i, method] of ['POST', 'PUT', 'PATCH'].entries()) {
      new MockRoute(stack2, `R${i}`, { api: api3, path: '/orders', method, requestValidation: { bodySchema: orderSchema } });
    }
    const t = Template.fromStack(stack2);
    t.resourceCountIs('AWS::ApiGateway::RequestValidator', 1);
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    t.resourceCountIs('AWS::ApiGateway::Model', 3);
  });

  test('an API with only parameter checks has no body validator', () => {
    const stack2 = newStack();
    const api3 = new apigw.RestApi(stack2, 'Api');
    for (let i = 0; i < 4; i++) {
      new MockRoute(stack2, `R${i}`, { api: api3, path: `/r${i}`, method: 'GET', requestValidation: { requiredHeaders: ['X-Tenant'] } });
    }
    const t = Template.fromStack(stack2);
    t.resourceCountIs('AWS::ApiGateway::RequestValidator', 1);
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: false, ValidateRequestParameters: true });
    t.resourceCountIs('AWS::ApiGateway::Model', 0);
  });
});

describe('request validation misuse', () => {
  function route(requestValidation: RequestValidation, method = 'POST'): string {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    return errorOf(() => new MockRoute(stack, 'CreateOrder', { api, path: '/orders', method, requestValidation }));
  }

  test.each(['GET', 'HEAD', 'DELETE'])('a body schema on %s', (method) => {
    expect(route({ bodySchema: orderSchema }, method)).toMatch(
      new RegExp(`^Route Stack/CreateOrder: a ${method} request has no body to validate: remove bodySchema or use POST, PUT or PATCH`),
    );
  });

  test.each(['X Tenant', 'X:Tenant', '', 'Tenant\n'])('the header name %p', (header) => {
    expect(route({ requiredHeaders: [header] })).toMatch(/^Route Stack\/CreateOrder: required header '.*' is not a valid header name/s);
  });

  test.each(['a b', 'a&b', 'a=b', ''])('the query parameter name %p', (name) => {
    expect(route({ requiredQueryParameters: [name] })).toMatch(/^Route Stack\/CreateOrder: required query parameter '.*' is not a valid name/);
  });

  test.each(['Order-Input', 'Order Input', 'order_input', ''])('the model name %p', (bodyModelName) => {
    expect(route({ bodySchema: orderSchema, bodyModelName })).toMatch(
      /^Route Stack\/CreateOrder: bodyModelName '.*' must contain only letters and digits/,
    );
  });
});
