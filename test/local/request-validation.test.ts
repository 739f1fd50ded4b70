import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';

/**
 * Validators of a plain aws-cdk-lib RestApi: which checks each validator runs, models that $ref other
 * models, `$context.error.validationErrorString` in a gateway response, and content types without a model.
 */
let dir: string;
let api: LocalApi;
beforeAll(() => {
  process.env.CDK_VALIDATION = 'false';
  dir = synthesize('validation', (app) => {
    const stack = new Stack(app, 'Validation');
    const rest = new apigw.RestApi(stack, 'Api');
    rest.addGatewayResponse('BadBody', {
      type: apigw.ResponseType.BAD_REQUEST_BODY,
      templates: { 'application/json': '{"message": $context.error.messageString, "details": "$util.escapeJavaScript($context.error.validationErrorString)"}' },
    });
    const address = rest.addModel('Address', {
      modelName: 'Address', contentType: 'application/json',
      schema: { type: apigw.JsonSchemaType.OBJECT, required: ['city'], properties: { city: { type: apigw.JsonSchemaType.STRING, minLength: 2 } } },
    });
    const person = rest.addModel('Person', {
      modelName: 'Person', contentType: 'application/json',
      schema: {
        type: apigw.JsonSchemaType.OBJECT, required: ['name', 'address'],
        properties: {
          name: { type: apigw.JsonSchemaType.STRING },
          kind: { type: apigw.JsonSchemaType.STRING, enum: ['a', 'b'] },
          address: { ref: `https://apigateway.amazonaws.com/restapis/${rest.restApiId}/models/${address.modelId}` },
        },
      },
    });
    const mock = new apigw.MockIntegration({
      requestTemplates: { 'application/json': '{"statusCode": 200}', 'text/plain': '{"statusCode": 200}' },
      integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }],
    });
    const both = rest.addRequestValidator('Both', { validateRequestBody: true, validateRequestParameters: true });
    const paramsOnly = rest.addRequestValidator('ParamsOnly', { validateRequestParameters: true });
    const people = rest.root.addResource('people');
    people.addMethod('POST', mock, {
      requestValidator: both, requestModels: { 'application/json': person },
      requestParameters: { 'method.request.header.X-Tenant': true, 'method.request.querystring.dryRun': true, 'method.request.querystring.optional': false },
      methodResponses: [{ statusCode: '200' }],
    });
    people.addMethod('PUT', mock, {
      requestValidator: paramsOnly, requestModels: { 'application/json': person },
      requestParameters: { 'method.request.querystring.dryRun': true },
      methodResponses: [{ statusCode: '200' }],
    });
  });
  api = LocalApi.fromAssembly(dir);
});
afterAll(async () => {
  delete process.env.CDK_VALIDATION;
  await api.close();
  removeDir(dir);
});

const good = { name: 'Ann', address: { city: 'Oslo' } };
const send = (method: string, body: unknown, headers: Record<string, string> = { 'X-Tenant': 't1' }, query = '?dryRun=1') =>
  api.request({ method, path: `/people${query}`, headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

test('required parameters: every missing one named in the message, headers and query strings; an empty value is missing; optional ones are not required', async () => {
  const r = await send('POST', good, {}, '');
  expect([r.statusCode, JSON.parse(r.body).message]).toEqual([400, 'Missing required request parameters: [X-Tenant, dryRun]']);
  expect((await send('POST', good, { 'X-Tenant': '' })).statusCode).toBe(400);
  expect((await send('POST', good)).statusCode).toBe(200);
});

test('the body against a model that $refs another model; the validator\'s messages reach $context.error.validationErrorString', async () => {
  const r = await send('POST', { name: 'Ann', kind: 'c', address: { city: 'X' } });
  expect(r.statusCode).toBe(400);
  const body = JSON.parse(r.body);
  expect(body.message).toBe('Invalid request body');
  expect(body.details).toBe('[instance value ("c") not found in enum (possible values: ["a","b"]), string "X" is too short (length: 1, required minimum: 2)]');
  const missing = JSON.parse((await send('POST', { address: {} })).body).details;
  expect(missing).toBe('[object has missing required properties (["name"]), object has missing required properties (["city"])]');
});

test('a validator that checks parameters only lets any body through; a content type without a model is not validated', async () => {
  expect((await send('PUT', { nothing: true }, {})).statusCode).toBe(200);
  const text = await api.request({ method: 'POST', path: '/people?dryRun=1', headers: { 'Content-Type': 'text/plain', 'X-Tenant': 't' }, body: 'not json at all' });
  expect(text.statusCode).toBe(200);
});
