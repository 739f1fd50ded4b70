import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LocalApi } from '../../lib/local/local-api';
import { removeDir, synthesize } from './assemblies';
import { httpRequest } from './http-client';

/** A proxy handler that echoes what it got, or fails as asked (?mode=throw|hang|malformed). */
const FUNCTION_CODE = `exports.handler = async (event) => {
  const mode = (event.queryStringParameters || {}).mode;
  if (mode === 'throw') throw new Error('boom');
  if (mode === 'hang') await new Promise((r) => setTimeout(r, 5000));
  if (mode === 'malformed') return { statusCode: 200, body: { not: 'a string' } };
  return { statusCode: 201, headers: { 'Content-Type': 'application/json', 'X-Fn': 'yes' },
    body: JSON.stringify({ path: event.path, resource: event.resource, stage: event.requestContext.stage, q: event.queryStringParameters, body: event.body, greeting: event.stageVariables.greeting }) };
};`;

/** A plain aws-cdk-lib RestApi (MockIntegration, LambdaIntegration, defaultCorsPreflightOptions) served over 127.0.0.1. */
let dir: string;
let api: LocalApi;
let base: string;
const logLines: string[] = [];
const ORIGINS = ['https://a.example', 'https://b.example'];

beforeAll(async () => {
  dir = synthesize('plain-e2e', (app) => {
    const stack = new Stack(app, 'PlainE2E');
    const rest = new apigw.RestApi(stack, 'Api', {
      deployOptions: { stageName: 'v1', variables: { greeting: 'hello' } },
      defaultCorsPreflightOptions: { allowOrigins: ORIGINS, allowMethods: ['GET', 'POST'] },
    });
    rest.addGatewayResponse('Default5xx', {
      type: apigw.ResponseType.DEFAULT_5XX,
      responseHeaders: { 'Access-Control-Allow-Origin': "'https://a.example'" },
    });
    rest.addGatewayResponse('Default4xx', {
      type: apigw.ResponseType.DEFAULT_4XX,
      responseHeaders: { 'Access-Control-Allow-Origin': "'https://a.example'" },
    });
    const items = rest.root.addResource('items');
    items.addMethod('GET', new apigw.MockIntegration({
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      integrationResponses: [{
        statusCode: '200',
        responseTemplates: { 'application/json': '{"greeting": "$stageVariables.greeting", "q": "$input.params(\'q\')"}' },
        responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'https://a.example'" },
      }],
    }), { methodResponses: [{ statusCode: '200', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': true } }] });
    items.addResource('broken').addMethod('GET', new apigw.MockIntegration({
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '#set($x = $util.parseJson("{"))' } }],
    }), { methodResponses: [{ statusCode: '200' }] });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', timeout: Duration.seconds(1),
      code: lambda.Code.fromInline(FUNCTION_CODE),
    });
    rest.root.addResource('fn').addMethod('GET', new apigw.LambdaIntegration(fn));
  });
  api = LocalApi.fromAssembly(dir, { stack: 'PlainE2E', log: (line) => logLines.push(line) });
  base = (await api.listen(0)).url.replace(/\/$/, '');
});
afterAll(async () => {
  await api.close();
  removeDir(dir);
});

test('a MockIntegration with a response template reading stage variables and the query string', async () => {
  const r = await httpRequest(`${base}/items?q=a%20b`);
  expect(r.statusCode).toBe(200);
  expect(JSON.parse(r.body)).toEqual({ greeting: 'hello', q: 'a b' });
  expect(r.headers['access-control-allow-origin']).toBe('https://a.example');
});

test.each(ORIGINS)('defaultCorsPreflightOptions: the preflight from %s gets its origin back (aws-cdk-lib\'s template picks it)', async (origin) => {
  const r = await httpRequest(`${base}/items`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
  expect(r.statusCode).toBe(204);
  expect(r.headers['access-control-allow-origin']).toBe(origin);
  expect(r.headers['access-control-allow-methods']).toBe('GET,POST');
  expect(r.headers.vary).toBe('Origin');
});

test('a preflight from another origin gets the first allowed origin (aws-cdk-lib\'s template)', async () => {
  const r = await httpRequest(`${base}/items`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
  expect(r.statusCode).toBe(204);
  expect(r.headers['access-control-allow-origin']).toBe(ORIGINS[0]);
});

test('a template that fails to render: 500 with the DEFAULT_5XX headers, the reason in the log only, and the server keeps serving', async () => {
  logLines.length = 0;
  const r = await httpRequest(`${base}/items/broken`);
  expect(r).toMatchObject({ statusCode: 500, body: '{"message":"Internal server error"}' });
  expect(r.headers['access-control-allow-origin']).toBe('https://a.example');
  expect(r.body).not.toMatch(/render|template|foo/);
  expect(logLines.join('\n')).toMatch(/GET \/v1\/items\/broken -> GET \/items\/broken \[MOCK\] 500[\s\S]*the response template \(application\/json, status 200\) failed to render/);
  expect((await httpRequest(`${base}/items`)).statusCode).toBe(200);
});

test('an unknown route: 403 with the DEFAULT_4XX headers', async () => {
  const r = await httpRequest(`${base}/nothing/here`, { method: 'POST', body: '{}' });
  expect(r).toMatchObject({ statusCode: 403, body: '{"message":"Missing Authentication Token"}' });
  expect(r.headers['access-control-allow-origin']).toBe('https://a.example');
});

test('a LambdaIntegration runs the function in-process: the proxy event as AWS builds it, its answer passed through', async () => {
  const r = await httpRequest(`${base}/fn?x=1`, { method: 'GET' });
  expect([r.statusCode, r.headers['x-fn']]).toEqual([201, 'yes']);
  expect(JSON.parse(r.body)).toEqual({ path: '/fn', resource: '/fn', stage: 'v1', q: { x: '1' }, body: null, greeting: 'hello' });
});

test.each([
  ['throw', /customer function error.*boom/],
  ['hang', /customer function error.*Task timed out after 1\.00 seconds/],
  ['malformed', /Malformed Lambda proxy response: body must be a string/],
])('a handler that fails (%s) answers 502 Internal server error with DEFAULT_5XX\'s CORS header, the reason in the log, and the server keeps serving', async (mode, reason) => {
  const r = await httpRequest(`${base}/fn?mode=${mode}`);
  expect([r.statusCode, r.body]).toEqual([502, '{"message":"Internal server error"}']);
  expect(r.headers['access-control-allow-origin']).toBe('https://a.example');
  expect(logLines.join('\n')).toMatch(reason);
  expect((await httpRequest(`${base}/fn`)).statusCode).toBe(201);
});

test('a malformed JSON body to a mock with a template that reads it, and a body over 10 MB: answered, and the server keeps serving', async () => {
  const big = await httpRequest(`${base}/items`, { method: 'GET', headers: { 'Content-Type': 'application/json' }, body: Buffer.alloc(10 * 1024 * 1024 + 10, 0x61) });
  expect(big).toMatchObject({ statusCode: 413, body: '{"message":"Request Too Long"}' });
  const malformed = await httpRequest(`${base}/items`, { method: 'GET', headers: { 'Content-Type': 'application/json' }, body: '{"a":' });
  expect(malformed.statusCode).toBe(200); // the template does not read the body
  expect((await httpRequest(`${base}/items`)).statusCode).toBe(200);
});
