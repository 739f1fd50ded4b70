import { selectRequestTemplate } from '../../lib/local/integration-request';
import { selectIntegrationResponse, selectResponseTemplate } from '../../lib/local/integration-response';
import { apiModel, call, mock } from './fixtures';

describe('integration request', () => {
  test('template by Content-Type and passthrough behaviour, as AWS\'s table documents', () => {
    const withJson = (b: string) => ({ Type: 'MOCK', PassthroughBehavior: b, RequestTemplates: { 'application/json': 'T' } });
    const none = (b: string) => ({ Type: 'MOCK', PassthroughBehavior: b });
    for (const b of ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER']) {
      expect(selectRequestTemplate(withJson(b), undefined)).toEqual({ template: 'T' });
      expect(selectRequestTemplate(withJson(b), 'application/json; charset=utf-8')).toEqual({ template: 'T' });
    }
    expect(selectRequestTemplate(withJson('WHEN_NO_MATCH'), 'application/xml')).toEqual({});
    expect(selectRequestTemplate(withJson('WHEN_NO_TEMPLATES'), 'application/xml')).toBe('unsupported');
    expect(selectRequestTemplate(withJson('NEVER'), 'application/xml')).toBe('unsupported');
    expect(selectRequestTemplate(none('WHEN_NO_MATCH'), 'application/xml')).toEqual({});
    expect(selectRequestTemplate(none('WHEN_NO_TEMPLATES'), 'application/xml')).toEqual({});
    expect(selectRequestTemplate(none('NEVER'), 'application/xml')).toBe('unsupported');
    expect(selectRequestTemplate({ Type: 'MOCK', RequestTemplates: { 'application/json': 'T' } }, 'text/plain')).toEqual({});
  });

  test('an unmapped Content-Type with NEVER answers 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const api = apiModel([{ path: '/x', httpMethod: 'POST', integration: mock([{ StatusCode: '200' }], '{"statusCode": 200}', { PassthroughBehavior: 'NEVER' }) }]);
    const r = await call(api, { method: 'POST', path: '/x', headers: { 'Content-Type': 'text/plain' }, body: Buffer.from('hi') });
    expect(r).toMatchObject({ statusCode: 415, body: '{"message":"Unsupported Media Type"}' });
  });

  test('the mock\'s status comes from the request template, which reads the request', async () => {
    const template = '#if($input.params(\'fail\') == \'yes\'){"statusCode": 500}#else{"statusCode": $input.json(\'$.code\')}#end';
    const api = apiModel([{
      path: '/x', httpMethod: 'POST',
      integration: mock([{ StatusCode: '200' }, { StatusCode: '500', SelectionPattern: '5\\d{2}' }, { StatusCode: '404', SelectionPattern: '404' }], template),
    }]);
    expect((await call(api, { method: 'POST', path: '/x', body: Buffer.from('{"code": 404}') })).statusCode).toBe(404);
    expect((await call(api, { method: 'POST', path: '/x', query: { fail: 'yes' } })).statusCode).toBe(500);
    expect((await call(api, { method: 'POST', path: '/x', body: Buffer.from('{"code": 201}') })).statusCode).toBe(200);
  });

  test('a mock request that names no statusCode answers 200; one that is not JSON answers 500 with the reason logged', async () => {
    const api = apiModel([
      { path: '/none', httpMethod: 'GET', integration: mock([{ StatusCode: '200' }], '{}') },
      { path: '/text', httpMethod: 'GET', integration: mock([{ StatusCode: '200' }], 'not json') },
    ]);
    expect((await call(api, { method: 'GET', path: '/none' })).statusCode).toBe(200);
    const r = await call(api, { method: 'GET', path: '/text' });
    expect(r).toMatchObject({ statusCode: 500, body: '{"message":"Internal server error"}' });
    expect(r.log.problems[0]).toMatch(/the integration request is not JSON/);
  });

  test('a body that starts like JSON but is not, read by $input.json, answers 400', async () => {
    const api = apiModel([{ path: '/x', httpMethod: 'POST', integration: mock([{ StatusCode: '200' }], '{"statusCode": 200, "v": $input.json(\'$.a\')}') }]);
    const r = await call(api, { method: 'POST', path: '/x', body: Buffer.from('{"a": ') });
    expect(r).toMatchObject({ statusCode: 400, body: '{"message":"Could not process payload"}' });
  });
});

describe('integration response', () => {
  test('selection: the first matching SelectionPattern (a whole-string Java regex), else the default', () => {
    const integration = mock([{ StatusCode: '200' }, { StatusCode: '400', SelectionPattern: '4\\d{2}' }, { StatusCode: '502', SelectionPattern: '5.*' }]);
    const pick = (statusCode: number) => selectIntegrationResponse(integration, { statusCode, headers: {}, body: Buffer.alloc(0) })?.StatusCode;
    expect([pick(404), pick(503), pick(200), pick(302), pick(4000)]).toEqual(['400', '502', '200', '200', '200']);
    const lambdaError = { statusCode: 200, headers: {}, body: Buffer.alloc(0), errorMessage: '[NotFound] no such item' };
    expect(selectIntegrationResponse(mock([{ StatusCode: '200' }, { StatusCode: '404', SelectionPattern: '\\[NotFound\\].*' }]), lambdaError)?.StatusCode).toBe('404');
  });

  test('no matching response and no default: 500, with the reason in the log', async () => {
    const api = apiModel([{ path: '/x', httpMethod: 'GET', integration: mock([{ StatusCode: '400', SelectionPattern: '400' }]) }]);
    const r = await call(api, { method: 'GET', path: '/x' });
    expect(r).toMatchObject({ statusCode: 500, body: '{"message":"Internal server error"}' });
    expect(r.log.problems).toEqual(['no integration response matches status 200 and there is no default response']);
  });

  test('response template chosen by Accept, else application/json, else the first', () => {
    const t = { 'application/xml': 'X', 'application/json': 'J' };
    expect(selectResponseTemplate(t, 'application/xml')).toEqual({ contentType: 'application/xml', template: 'X' });
    expect(selectResponseTemplate(t, 'text/html, application/xml;q=0.9')).toEqual({ contentType: 'application/xml', template: 'X' });
    expect(selectResponseTemplate(t, undefined)).toEqual({ contentType: 'application/json', template: 'J' });
    expect(selectResponseTemplate(t, '*/*')).toEqual({ contentType: 'application/json', template: 'J' });
    expect(selectResponseTemplate({ 'text/plain': 'P' }, 'application/json')).toEqual({ contentType: 'text/plain', template: 'P' });
    expect(selectResponseTemplate({}, 'application/json')).toBeUndefined();
  });

  test('response parameters: static, method.request.*, stage variables, context; $context.responseOverride status and headers', async () => {
    const api = apiModel([{
      path: '/items/{id}', httpMethod: 'GET',
      integration: mock([{
        StatusCode: '200',
        ResponseParameters: {
          'method.response.header.X-Static': "'fixed'",
          'method.response.header.X-Id': 'method.request.path.id',
          'method.response.header.X-Q': 'method.request.querystring.q',
          'method.response.header.X-H': 'method.request.header.x-in',
          'method.response.header.X-Stage': 'stageVariables.color',
          'method.response.header.X-Req': 'context.httpMethod',
          'method.response.header.X-Absent': 'method.request.querystring.absent',
        },
        ResponseTemplates: {
          'application/json': '#set($context.responseOverride.status = 202)#set($context.responseOverride.header.X-Over = "o")'
            + '{"id": "$input.params(\'id\')", "time": "$context.requestTime", "path": "$context.path", "resource": "$context.resourcePath"}',
        },
      }]),
    }], [], { Variables: { color: 'blue' } });
    const r = await call(api, { method: 'GET', path: '/items/a%2Fb', query: { q: '1' }, headers: { 'X-In': 'h' } });
    expect(r.statusCode).toBe(202);
    expect(r.headers).toEqual({
      'Content-Type': 'application/json', 'X-Static': 'fixed', 'X-Id': 'a/b', 'X-Q': '1', 'X-H': 'h', 'X-Stage': 'blue', 'X-Req': 'GET', 'X-Over': 'o',
    });
    expect(JSON.parse(r.body)).toEqual({ id: 'a/b', time: '02/Jan/2026:03:04:05 +0000', path: '/dev/items/a%2Fb', resource: '/items/{id}' });
    expect(r.log).toMatchObject({ route: 'GET /items/{id}', integration: 'MOCK', statusCode: 202, problems: [] });
  });

  test('$context.requestOverride reaches the integration request\'s mapped values', async () => {
    let seen: unknown;
    const api = apiModel([{ path: '/x', httpMethod: 'GET', integration: { Type: 'HTTP', RequestTemplates: { 'application/json': '#set($context.requestOverride.header.X-Extra = "e"){}' }, RequestParameters: { 'integration.request.header.X-From': 'method.request.header.X-In' }, IntegrationResponses: [{ StatusCode: '200' }] } }]);
    const { RequestPipeline } = await import('../../lib/local/pipeline');
    const pipeline = new RequestPipeline(api, api.stages[0], { runners: new Map([['HTTP', { run: async (input) => { seen = input.mapped; return { statusCode: 200, headers: {}, body: Buffer.from('b') }; } }]]) });
    const { response } = await pipeline.handle({ method: 'GET', path: '/x', headers: { 'X-In': 'i' }, query: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' });
    expect(response.statusCode).toBe(200);
    expect(seen).toEqual({ header: { 'X-From': 'i', 'X-Extra': 'e' }, querystring: {}, path: {} });
  });

  test('integration.response.header and integration.response.body from a runner\'s answer', async () => {
    const api = apiModel([{
      path: '/x', httpMethod: 'GET',
      integration: { Type: 'HTTP', IntegrationResponses: [{ StatusCode: '200', ResponseParameters: { 'method.response.header.X-Up': 'integration.response.header.x-upstream', 'method.response.header.X-Body': 'integration.response.body', 'method.response.header.X-Field': 'integration.response.body.name' } }] },
    }]);
    const { RequestPipeline } = await import('../../lib/local/pipeline');
    const pipeline = new RequestPipeline(api, api.stages[0], { runners: new Map([['HTTP', { run: async () => ({ statusCode: 200, headers: { 'X-Upstream': 'u', 'Content-Type': 'application/json' }, body: Buffer.from('{"name":"n"}') }) }]]) });
    const { response } = await pipeline.handle({ method: 'GET', path: '/x', headers: {}, query: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' });
    expect(response.headers).toEqual({ 'Content-Type': 'application/json', 'X-Up': 'u', 'X-Body': '{"name":"n"}', 'X-Field': 'n' });
    expect(response.body.toString()).toBe('{"name":"n"}');
  });
});

describe('what the emulator does not run yet, and limits', () => {
  test('what the emulator cannot run answers 502 naming it, never a made-up success: AWS service integrations, a proxy to something not Lambda, a function not in the assembly', async () => {
    const api = apiModel([
      { path: '/proxy', httpMethod: 'GET', integration: { Type: 'AWS_PROXY', Uri: 'arn:aws:apigateway:us-east-1:lambda:path/x' } },
      { path: '/missing', httpMethod: 'GET', integration: { Type: 'AWS_PROXY', Uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:gone/invocations' } },
      { path: '/aws', httpMethod: 'GET', integration: { Type: 'AWS', Uri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/orders', IntegrationResponses: [{ StatusCode: '200' }] } },
      { path: '/ddb', httpMethod: 'POST', integration: { Type: 'AWS', Uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem', IntegrationResponses: [{ StatusCode: '200' }] } },
    ]);
    expect(await call(api, { method: 'GET', path: '/proxy' })).toMatchObject({ statusCode: 502, body: '{"message":"GET /proxy: AWS_PROXY integration Uri arn:aws:apigateway:us-east-1:lambda:path/x is not a Lambda function invocation"}' });
    expect(await call(api, { method: 'GET', path: '/missing' })).toMatchObject({ statusCode: 502, body: expect.stringContaining('cannot run this function: Lambda function arn:aws:lambda:us-east-1:000000000000:function:gone is not in the cloud assembly') });
    expect(await call(api, { method: 'GET', path: '/aws' })).toMatchObject({ statusCode: 502, body: '{"message":"GET /aws: no endpoint for sqs (path 000000000000/orders): give one with --endpoint sqs=URL or --endpoint-url URL (LocalApi options endpoints / endpointUrl)"}' });
    expect(await call(api, { method: 'POST', path: '/ddb' })).toMatchObject({ statusCode: 502, body: expect.stringContaining('no endpoint for dynamodb (action PutItem)') });
  });

  test('a body over 10 MB answers 413', async () => {
    const api = apiModel([{ path: '/x', httpMethod: 'POST', integration: mock([{ StatusCode: '200' }]) }]);
    const r = await call(api, { method: 'POST', path: '/x', body: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(r).toMatchObject({ statusCode: 413, body: '{"message":"Request Too Long"}' });
  });
});

test('an integration slower than its TimeoutInMillis answers 504 INTEGRATION_TIMEOUT and is told to stop', async () => {
  let aborted = false;
  const api = apiModel([{ path: '/slow', httpMethod: 'GET', integration: { Type: 'HTTP_PROXY', TimeoutInMillis: 50 } }]);
  const { RequestPipeline } = await import('../../lib/local/pipeline');
  const slow = {
    run: (input: { signal: AbortSignal }) => new Promise<never>((_, reject) => {
      input.signal.addEventListener('abort', () => {
        aborted = true;
        reject(new Error('aborted'));
      });
    }),
  };
  const pipeline = new RequestPipeline(api, api.stages[0], { runners: new Map([['HTTP_PROXY', slow]]) });
  const { response, log } = await pipeline.handle({ method: 'GET', path: '/slow', headers: {}, query: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' });
  expect([response.statusCode, response.body.toString()]).toEqual([504, '{"message":"Endpoint request timed out"}']);
  expect(log.problems).toEqual(['the integration did not answer within 50 ms']);
  expect(aborted).toBe(true);
});

describe('integration response selection for a Lambda custom integration (by errorMessage only)', () => {
  const responses = (pattern: string) => ({
    Type: 'AWS', IntegrationResponses: [{ StatusCode: '200' }, { StatusCode: '500', SelectionPattern: pattern }],
  });
  test('a success is matched as an empty message: a non-empty catch-all lets it through to the default; `.*` catches it, as on AWS', () => {
    const ok = { statusCode: 200, headers: {}, body: Buffer.from('{}'), lambda: true };
    expect(selectIntegrationResponse(responses('[\\s\\S]+'), ok)?.StatusCode).toBe('200');
    expect(selectIntegrationResponse(responses('.*'), ok)?.StatusCode).toBe('500');
    expect(selectIntegrationResponse(responses('[\\s\\S]+'), { ...ok, errorMessage: 'boom' })?.StatusCode).toBe('500');
    // Other integrations select by status code.
    expect(selectIntegrationResponse(responses('2\\d\\d'), { statusCode: 200, headers: {}, body: Buffer.alloc(0) })?.StatusCode).toBe('500');
  });
});
