import { GATEWAY_RESPONSE_DEFAULTS } from '../../lib/local/gateway-responses';
import { apiModel, call, mock } from './fixtures';

const ok = { path: '/ok', httpMethod: 'GET', integration: mock([{ StatusCode: '200' }]) };
const broken = { path: '/broken', httpMethod: 'GET', integration: mock([{ StatusCode: '200', ResponseTemplates: { 'application/json': '$util.parseJson("{")' } }]) };

test('without customisation: AWS\'s built-in answer, {"message": ...} with the type\'s default status', async () => {
  const r = await call(apiModel([ok]), { method: 'GET', path: '/nope' });
  expect(r).toMatchObject({ statusCode: 403, body: '{"message":"Missing Authentication Token"}', headers: { 'Content-Type': 'application/json' } });
  expect(r.log).toMatchObject({ route: '-', integration: '-', statusCode: 403, problems: ['no route for GET /nope'] });
});

test('the statuses of AWS\'s gateway response types table', () => {
  expect(Object.fromEntries(Object.entries(GATEWAY_RESPONSE_DEFAULTS).map(([k, v]) => [k, v.status]))).toEqual({
    ACCESS_DENIED: 403, API_CONFIGURATION_ERROR: 500, AUTHORIZER_CONFIGURATION_ERROR: 500, AUTHORIZER_FAILURE: 500,
    BAD_REQUEST_PARAMETERS: 400, BAD_REQUEST_BODY: 400, EXPIRED_TOKEN: 403, INTEGRATION_FAILURE: 504, INTEGRATION_TIMEOUT: 504,
    INVALID_API_KEY: 403, INVALID_SIGNATURE: 403, MISSING_AUTHENTICATION_TOKEN: 403, QUOTA_EXCEEDED: 429, REQUEST_TOO_LARGE: 413,
    RESOURCE_NOT_FOUND: 404, THROTTLED: 429, UNAUTHORIZED: 401, UNSUPPORTED_MEDIA_TYPE: 415, WAF_FILTERED: 403,
  });
});

test('DEFAULT_4XX and DEFAULT_5XX headers reach the types of their class only', async () => {
  const api = apiModel([ok, broken], [
    { ResponseType: 'DEFAULT_4XX', ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
    { ResponseType: 'DEFAULT_5XX', ResponseParameters: { 'gatewayresponse.header.X-Five': "'yes'" } },
  ]);
  const miss = await call(api, { method: 'GET', path: '/nope' });
  expect(miss.headers).toEqual({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
  const failed = await call(api, { method: 'GET', path: '/broken' });
  expect(failed).toMatchObject({ statusCode: 500, body: '{"message":"Internal server error"}', headers: { 'Content-Type': 'application/json', 'X-Five': 'yes' } });
});

test('a customised type: its status, headers (static, from the request) and template with $context.error', async () => {
  const api = apiModel([ok], [{
    ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
    StatusCode: '404',
    ResponseParameters: { 'gatewayresponse.header.X-Static': "'v'", 'gatewayresponse.header.X-Origin': 'method.request.header.origin' },
    ResponseTemplates: { 'application/json': '{"error": "$context.error.message", "quoted": $context.error.messageString, "type": "$context.error.responseType", "stage": "$context.stage"}' },
  }]);
  const r = await call(api, { method: 'GET', path: '/nope', headers: { Origin: 'http://a.example' } });
  expect(r.statusCode).toBe(404);
  expect(r.headers).toEqual({ 'Content-Type': 'application/json', 'X-Static': 'v', 'X-Origin': 'http://a.example' });
  expect(JSON.parse(r.body)).toEqual({ error: 'Missing Authentication Token', quoted: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', stage: 'dev' });
});

test('a StatusCode on DEFAULT_4XX changes the status of every 4XX type that is not customised', async () => {
  const r = await call(apiModel([ok], [{ ResponseType: 'DEFAULT_4XX', StatusCode: '418' }]), { method: 'GET', path: '/nope' });
  expect(r.statusCode).toBe(418);
});

test('a gateway response template that fails to render: the default body, and the reason in the log only', async () => {
  const api = apiModel([ok], [{ ResponseType: 'DEFAULT_4XX', ResponseTemplates: { 'application/json': '$util.parseJson("{")' } }]);
  const r = await call(api, { method: 'GET', path: '/nope' });
  expect(r).toMatchObject({ statusCode: 403, body: '{"message":"Missing Authentication Token"}' });
  expect(r.log.problems.join('\n')).toMatch(/gateway response MISSING_AUTHENTICATION_TOKEN: its template failed to render/);
});
