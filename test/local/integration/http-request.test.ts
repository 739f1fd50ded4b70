import { gatewayResponseHeaders } from '../../../lib/local/integration/http-headers';
import { evaluateMappingExpression, MappingSources, mapRequestParameters } from '../../../lib/local/integration/http-parameters';
import { buildHttpRequest, encodePathValue, HttpRequestInput, substituteStageVariables } from '../../../lib/local/integration/http-request';

/** Pure request building: no sockets. The echo-server tests (http.test.ts) cover the same rules end to end. */

const SOURCES: MappingSources = {
  pathParameters: { id: '42', proxy: 'a/b c' },
  query: { q: 'shoes', page: '2' },
  multiValueQuery: { tag: ['red', 'blue'] },
  headers: { 'X-Tenant': 'acme', Accept: 'application/json' },
  multiValueHeaders: { 'X-Tenant': ['acme'], Accept: ['application/json'], 'X-Multi': ['one', 'two'] },
  body: Buffer.from(JSON.stringify({ order: { id: 7, items: [{ sku: 'A1' }] } })),
  stageVariables: { backendUrl: 'api.example.com', version: 'v2' },
  context: { requestId: 'req-1', 'authorizer.claims.sub': 'user-9' },
};

function input(integration: HttpRequestInput['integration'], extra: Partial<HttpRequestInput> = {}): HttpRequestInput {
  return { ...SOURCES, integration, method: 'GET', ...extra };
}

function built(i: HttpRequestInput) {
  const result = buildHttpRequest(i);
  if ('failure' in result) throw new Error(result.failure.message);
  return result.request;
}

function header(headers: Record<string, string[]>, name: string): string[] | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

describe('mapping expressions', () => {
  test.each([
    ['method.request.path.id', ['42']],
    ['method.request.querystring.q', ['shoes']],
    ['method.request.multivaluequerystring.tag', ['red', 'blue']],
    ['method.request.multivaluequerystring.q', ['shoes']],
    ['method.request.header.x-tenant', ['acme']],
    ['method.request.header.X-Multi', ['two']],
    ['method.request.multivalueheader.x-multi', ['one', 'two']],
    ['method.request.body.order.id', ['7']],
    ['method.request.body.$.order.items[0].sku', ['A1']],
    ['method.request.body.order', ['{"id":7,"items":[{"sku":"A1"}]}']],
    ['stageVariables.version', ['v2']],
    ['context.requestId', ['req-1']],
    ['context.authorizer.claims.sub', ['user-9']],
    ['\'none\'', ['none']],
    ['\'\'', ['']],
    ['method.request.path.missing', undefined],
    ['method.request.header.absent', undefined],
    ['stageVariables.absent', undefined],
  ])('%s', (expression, expected) => {
    expect(evaluateMappingExpression(expression, SOURCES)).toEqual(expected);
  });

  test('an expression API Gateway does not accept is an error naming it', () => {
    expect(() => evaluateMappingExpression('method.response.header.x', SOURCES)).toThrow(/method\.response\.header\.x/);
    expect(() => mapRequestParameters({ 'integration.response.header.x': '\'a\'' }, SOURCES)).toThrow(/integration\.request/);
  });

  test('JSONPath beyond simple paths says the emulator does not evaluate it', () => {
    expect(() => evaluateMappingExpression('method.request.body.order.items[*].sku', SOURCES)).toThrow(/simple JSONPath/);
  });

  test('a source absent from the request maps to nothing', () => {
    expect(mapRequestParameters({ 'integration.request.header.X-A': 'method.request.header.absent' }, SOURCES).headers).toEqual({});
  });
});

describe('stage variables and path parameters in the URI', () => {
  test('substitution; an undefined stage variable becomes empty', () => {
    expect(substituteStageVariables('https://${stageVariables.backendUrl}/${stageVariables.nope}x', SOURCES.stageVariables))
      .toBe('https://api.example.com/x');
  });

  test('scenario 8: the stage variable picks the host, {id} comes from integration.request.path.id', () => {
    const req = built(input({
      Type: 'HTTP_PROXY', IntegrationHttpMethod: 'GET', Uri: 'https://${stageVariables.backendUrl}/users/{id}',
      RequestParameters: { 'integration.request.path.id': 'method.request.path.id' },
    }));
    expect(req.url).toBe('https://api.example.com/users/42?q=shoes&page=2&tag=red&tag=blue');
    expect(header(req.headers, 'host')).toEqual(['api.example.com']);
  });

  test('greedy {proxy} keeps its slashes and is percent-encoded', () => {
    const req = built(input({
      Type: 'HTTP_PROXY', IntegrationHttpMethod: 'ANY', Uri: 'http://backend.local/base/{proxy}',
      RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    }, { query: {}, multiValueQuery: {} }));
    expect(req.url).toBe('http://backend.local/base/a/b%20c');
  });

  test('path values: % and non-ASCII are encoded, sub-delimiters are not', () => {
    expect(encodePathValue('100% é/x;y=1')).toBe('100%25%20%C3%A9/x;y=1');
  });

  test('a placeholder without a path mapping is a configuration error', () => {
    const result = buildHttpRequest(input({ Type: 'HTTP', Uri: 'http://h/{id}' }));
    expect(result).toEqual({ failure: expect.objectContaining({ gatewayResponseType: 'API_CONFIGURATION_ERROR', message: expect.stringContaining('{id}') }) });
  });

  test('an endpoint address that does not parse is API_CONFIGURATION_ERROR (as AWS answers an invalid endpoint)', () => {
    for (const Uri of ['http://${stageVariables.absent}', 'http://${stageVariables.absent}/x', 'ftp://h/x']) {
      const result = buildHttpRequest(input({ Type: 'HTTP_PROXY', Uri }));
      expect(result).toEqual({ failure: expect.objectContaining({ gatewayResponseType: 'API_CONFIGURATION_ERROR', message: expect.stringMatching(/invalid endpoint address/) }) });
    }
  });

  test('a stage variable carrying its own scheme keeps it (local convenience)', () => {
    const req = built(input({ Type: 'HTTP', Uri: 'https://${stageVariables.backendUrl}/v2/search' },
      { stageVariables: { backendUrl: 'http://127.0.0.1:8080' } }));
    expect(req.url).toBe('http://127.0.0.1:8080/v2/search');
  });

  test('other integration types are refused', () => {
    expect(buildHttpRequest(input({ Type: 'AWS_PROXY', Uri: 'arn:aws:apigateway:...' }))).toEqual({ failure: expect.objectContaining({ gatewayResponseType: 'API_CONFIGURATION_ERROR' }) });
  });
});

describe('query strings', () => {
  test('HTTP_PROXY: the Uri\'s query, the client\'s, then mapped ones replacing same-named client parameters', () => {
    const req = built(input({
      Type: 'HTTP_PROXY', Uri: 'http://h/s?fixed=1',
      RequestParameters: { 'integration.request.querystring.page': '\'9\'', 'integration.request.querystring.who': 'context.authorizer.claims.sub' },
    }));
    expect(req.url).toBe('http://h/s?fixed=1&q=shoes&tag=red&tag=blue&page=9&who=user-9');
  });

  test('HTTP custom: only mapped query strings; a multi-valued source sends each value', () => {
    const req = built(input({
      Type: 'HTTP', Uri: 'http://h/v2/search',
      RequestParameters: { 'integration.request.querystring.term': 'method.request.querystring.q', 'integration.request.querystring.t': 'method.request.multivaluequerystring.tag' },
    }));
    expect(req.url).toBe('http://h/v2/search?term=shoes&t=red&t=blue');
  });

  test('values are percent-encoded', () => {
    const req = built(input({ Type: 'HTTP', Uri: 'http://h/', RequestParameters: { 'integration.request.querystring.a b': '\'x&y=z é\'' } }));
    expect(req.url).toBe('http://h/?a%20b=x%26y%3Dz%20%C3%A9');
  });
});

describe('headers', () => {
  const clientHeaders = {
    'User-Agent': 'curl/8', Authorization: 'Bearer abc', Via: '1.1 proxy', Expect: '100-continue', TE: 'trailers',
    'Max-Forwards': '3', 'Content-MD5': 'x', Host: 'client.example.com', Connection: 'keep-alive', 'Content-Encoding': 'gzip',
    'X-Caller-Sub': 'forged', 'Content-Type': 'application/json',
  };

  test('HTTP_PROXY passes the client\'s headers minus those API Gateway drops; Host is the endpoint\'s', () => {
    const req = built(input({ Type: 'HTTP_PROXY', Uri: 'http://backend.local:8080/x' }, { headers: clientHeaders, multiValueHeaders: undefined }));
    expect(Object.keys(req.headers).sort()).toEqual(['Authorization', 'Content-Type', 'Host', 'User-Agent', 'X-Caller-Sub']);
    expect(header(req.headers, 'host')).toEqual(['backend.local:8080']);
  });

  test('mapped headers replace the client\'s of the same name, any case (static Authorization \'none\', X-Caller-Sub from a claim)', () => {
    const req = built(input({
      Type: 'HTTP_PROXY', Uri: 'http://h/x',
      RequestParameters: { 'integration.request.header.authorization': '\'none\'', 'integration.request.header.X-Caller-Sub': 'context.authorizer.claims.sub' },
    }, { headers: clientHeaders, multiValueHeaders: undefined }));
    expect(header(req.headers, 'authorization')).toEqual(['none']);
    expect(header(req.headers, 'x-caller-sub')).toEqual(['user-9']);
    expect(Object.keys(req.headers).filter((k) => k.toLowerCase() === 'authorization')).toHaveLength(1);
  });

  test('a SigV4 Authorization, or any Authorization under AWS_IAM, is not forwarded', () => {
    const sigv4 = { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=ab' };
    expect(header(built(input({ Type: 'HTTP_PROXY', Uri: 'http://h/' }, { headers: sigv4, multiValueHeaders: undefined })).headers, 'authorization')).toBeUndefined();
    expect(header(built(input({ Type: 'HTTP_PROXY', Uri: 'http://h/' }, { headers: { Authorization: 'Bearer t' }, multiValueHeaders: undefined, authorizationType: 'AWS_IAM' })).headers, 'authorization')).toBeUndefined();
  });

  test('HTTP custom sends only mapped headers, plus the body\'s Content-Type', () => {
    const req = built(input({
      Type: 'HTTP', IntegrationHttpMethod: 'POST', Uri: 'http://h/x',
      RequestParameters: { 'integration.request.header.X-Tenant': 'method.request.header.x-tenant' },
    }, { headers: { ...clientHeaders, 'x-tenant': 'acme' }, multiValueHeaders: undefined, renderedBody: '{"a":1}', renderedContentType: 'application/json' }));
    expect(req.headers).toEqual({ 'X-Tenant': ['acme'], 'Content-Type': ['application/json'], Host: ['h'] });
    expect(req.method).toBe('POST');
    expect(req.body.toString()).toBe('{"a":1}');
  });

  test('response headers: HTTP_PROXY remaps and drops per the table; HTTP custom drops Accept and keeps Via', () => {
    const backend = {
      'Content-Type': ['text/plain'], Server: ['nginx'], Date: ['Mon'], 'WWW-Authenticate': ['Basic'], Connection: ['keep-alive'],
      'Transfer-Encoding': ['chunked'], Via: ['1.1 x'], Accept: ['*/*'], 'Set-Cookie': ['a=1', 'b=2'], 'User-Agent': ['u'],
    };
    expect(gatewayResponseHeaders('HTTP_PROXY', backend)).toEqual({
      'Content-Type': ['text/plain'], 'X-Amzn-Remapped-Server': ['nginx'], 'X-Amzn-Remapped-Date': ['Mon'],
      'X-Amzn-Remapped-WWW-Authenticate': ['Basic'], 'X-Amzn-Remapped-Connection': ['keep-alive'], Accept: ['*/*'],
      'Set-Cookie': ['a=1', 'b=2'], 'X-Amzn-Remapped-User-Agent': ['u'],
    });
    expect(gatewayResponseHeaders('HTTP_PROXY', { 'X-A': ['1'] })).toEqual({ 'X-A': ['1'], 'Content-Type': ['application/json'] });
    const custom = gatewayResponseHeaders('HTTP', backend);
    expect(custom.Via).toEqual(['1.1 x']);
    expect(custom.Accept).toBeUndefined();
  });
});

describe('timeouts and methods', () => {
  test('TimeoutInMillis, else 29 s', () => {
    expect(built(input({ Type: 'HTTP', Uri: 'http://h/' })).timeoutMs).toBe(29_000);
    expect(built(input({ Type: 'HTTP', Uri: 'http://h/', TimeoutInMillis: 3000 })).timeoutMs).toBe(3000);
  });

  test('IntegrationHttpMethod ANY sends the client\'s method', () => {
    expect(built(input({ Type: 'HTTP_PROXY', IntegrationHttpMethod: 'ANY', Uri: 'http://h/' }, { method: 'delete' })).method).toBe('DELETE');
  });
});

describe('VPC links', () => {
  const integration = {
    Type: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', ConnectionId: '${stageVariables.vpcLinkId}',
    Uri: 'http://internal-nlb-123.elb.us-east-1.amazonaws.com/inventory/{proxy}',
    RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
  };

  test('the link id (here from a stage variable) picks the local target; the Host stays the load balancer\'s', () => {
    const req = built(input(integration, {
      stageVariables: { vpcLinkId: 'abc123' }, query: {}, multiValueQuery: {},
      vpcLinkTargets: { abc123: 'http://127.0.0.1:9000/prefix/' },
    }));
    expect(req.url).toBe('http://127.0.0.1:9000/prefix/inventory/a/b%20c');
    expect(header(req.headers, 'host')).toEqual(['internal-nlb-123.elb.us-east-1.amazonaws.com']);
  });

  test('the load balancer DNS name or ARN works as a key too', () => {
    expect(built(input(integration, { query: {}, multiValueQuery: {}, vpcLinkTargets: { 'internal-nlb-123.elb.us-east-1.amazonaws.com': 'http://127.0.0.1:9001' } })).url)
      .toBe('http://127.0.0.1:9001/inventory/a/b%20c');
    const v2 = { ...integration, ConnectionId: 'vpclink-v2', IntegrationTarget: 'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/nlb/1' };
    expect(built(input(v2, { query: {}, multiValueQuery: {}, vpcLinkTargets: { [v2.IntegrationTarget]: 'http://127.0.0.1:9002' } })).url)
      .toBe('http://127.0.0.1:9002/inventory/a/b%20c');
  });

  test('no target: an error that says how to give one', () => {
    const result = buildHttpRequest(input(integration, { stageVariables: { vpcLinkId: 'abc123' } }));
    expect(result).toEqual({ failure: expect.objectContaining({ message: expect.stringContaining('--vpc-link abc123=') }) });
  });
});
