import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpIntegrationInput, HttpIntegrationResult, runHttpIntegration } from '../../../lib/local/integration/http';

/**
 * HTTP and HTTP_PROXY integrations over real sockets: echo servers on 127.0.0.1, started and stopped here.
 * The echo answers what it received (method, URL, raw headers, body in base64); `/slow` never answers;
 * `/bytes` returns the request body as it came; `/gateway-headers` answers headers API Gateway remaps or drops.
 */

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface Server {
  server: http.Server;
  base: string;
}

async function startServer(name: string): Promise<Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.startsWith('/slow')) return; // never answers; the test's timeout closes it
      if (req.url?.startsWith('/cut')) {
        // Promises 100 bytes, sends 5, then drops the connection.
        res.writeHead(200, { 'Content-Length': '100' });
        res.write('hello', () => res.destroy());
        return;
      }
      if (req.url?.startsWith('/hang-up')) {
        req.socket.destroy();
        return;
      }
      if (req.url?.startsWith('/bytes')) {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(body);
        return;
      }
      if (req.url?.startsWith('/gateway-headers')) {
        res.setHeader('Server', 'echo/1');
        res.setHeader('WWW-Authenticate', 'Basic realm="x"');
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.setHeader('Via', '1.1 somewhere');
        res.setHeader('X-Backend', name);
        res.writeHead(401, { 'Content-Type': 'text/plain' });
        res.end('no');
        return;
      }
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
      const echo: Echo = { method: req.method!, url: req.url!, headers, body: body.toString('base64') };
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Backend': name });
      res.end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stopServer(s: Server): Promise<void> {
  s.server.closeAllConnections();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

let prod: Server;
let dev: Server;
beforeAll(async () => {
  [prod, dev] = await Promise.all([startServer('prod'), startServer('dev')]);
});
afterAll(async () => {
  await Promise.all([stopServer(prod), stopServer(dev)]);
});

function request(integration: HttpIntegrationInput['integration'], extra: Partial<HttpIntegrationInput> = {}): HttpIntegrationInput {
  return {
    integration,
    method: 'GET',
    pathParameters: {},
    query: {},
    headers: {},
    body: Buffer.alloc(0),
    stageVariables: {},
    context: { requestId: 'req-1' },
    ...extra,
  };
}

function response(result: HttpIntegrationResult) {
  if (result.kind !== 'response') throw new Error(`expected a response, got ${JSON.stringify(result)}`);
  return result;
}

function echoOf(result: HttpIntegrationResult): Echo {
  return JSON.parse(response(result).body.toString('utf8')) as Echo;
}

/** The base URL without its scheme: what a `backendUrl` stage variable holds (host:port). */
function hostOf(s: Server): string {
  return s.base.replace('http://', '');
}

describe('HTTP_PROXY', () => {
  test('scenario 8: the backendUrl stage variable picks the backend; {proxy} is greedy; the query passes through', async () => {
    const integration = {
      Type: 'HTTP_PROXY', IntegrationHttpMethod: 'ANY', Uri: 'http://${stageVariables.backendUrl}/users/{proxy}',
      RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    };
    const common = { pathParameters: { proxy: '42/orders/a b' }, query: { sort: 'desc' }, method: 'POST', body: Buffer.from('{"x":1}'), headers: { 'Content-Type': 'application/json' } };
    const fromProd = await runHttpIntegration(request(integration, { ...common, stageVariables: { backendUrl: hostOf(prod) } }));
    const fromDev = await runHttpIntegration(request(integration, { ...common, stageVariables: { backendUrl: hostOf(dev) } }));
    expect(response(fromProd).headers['X-Backend']).toEqual(['prod']);
    expect(response(fromDev).headers['X-Backend']).toEqual(['dev']);
    const echo = echoOf(fromDev);
    expect(echo).toMatchObject({ method: 'POST', url: '/users/42/orders/a%20b?sort=desc', body: Buffer.from('{"x":1}').toString('base64') });
    expect(echo.headers['content-type']).toBe('application/json');
    expect(echo.headers.host).toBe(hostOf(dev));
    expect(response(fromDev).statusCode).toBe(201);
  });

  test('the example stack\'s https://${stageVariables.backendUrl} reaches a local plain-HTTP server when the variable carries http://', async () => {
    const result = await runHttpIntegration(request({
      Type: 'HTTP_PROXY', IntegrationHttpMethod: 'ANY', Uri: 'https://${stageVariables.backendUrl}/users',
    }, { stageVariables: { backendUrl: prod.base } }));
    expect(echoOf(result).url).toBe('/users');
  });

  test('the backend\'s status, body and headers come back, remapped and dropped per API Gateway\'s table', async () => {
    const result = response(await runHttpIntegration(request({ Type: 'HTTP_PROXY', Uri: `${prod.base}/gateway-headers` })));
    expect(result.statusCode).toBe(401);
    expect(result.body.toString()).toBe('no');
    expect(result.headers).toMatchObject({
      'X-Amzn-Remapped-Server': ['echo/1'],
      'X-Amzn-Remapped-WWW-Authenticate': ['Basic realm="x"'],
      'Set-Cookie': ['a=1', 'b=2'],
      'Content-Type': ['text/plain'],
    });
    expect(Object.keys(result.headers)).toEqual(expect.arrayContaining(['X-Amzn-Remapped-Date', 'X-Amzn-Remapped-Connection']));
    for (const gone of ['Server', 'WWW-Authenticate', 'Via', 'Date', 'Connection', 'Transfer-Encoding']) expect(result.headers[gone]).toBeUndefined();
  });

  test('client headers pass through; a static mapping overrides Authorization; a claim becomes X-Caller-Sub', async () => {
    const result = await runHttpIntegration(request({
      Type: 'HTTP_PROXY', Uri: `${prod.base}/me`,
      RequestParameters: {
        'integration.request.header.Authorization': '\'none\'',
        'integration.request.header.X-Caller-Sub': 'context.authorizer.claims.sub',
      },
    }, {
      headers: { authorization: 'Bearer secret', 'x-caller-sub': 'forged', 'X-Trace': 't-1', Via: '1.1 client-proxy', Expect: '100-continue' },
      context: { 'authorizer.claims.sub': 'user-9' },
    }));
    const echo = echoOf(result);
    expect(echo.headers.authorization).toBe('none');
    expect(echo.headers['x-caller-sub']).toBe('user-9');
    expect(echo.headers['x-trace']).toBe('t-1');
    expect(echo.headers.via).toBeUndefined();
    expect(echo.headers.expect).toBeUndefined();
  });

  test('a binary body makes the round trip byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) % 256));
    const result = response(await runHttpIntegration(request({ Type: 'HTTP_PROXY', IntegrationHttpMethod: 'PUT', Uri: `${prod.base}/bytes` }, {
      method: 'PUT', body: bytes, headers: { 'Content-Type': 'image/png' },
    })));
    expect(result.headers['Content-Type']).toEqual(['application/octet-stream']);
    expect(result.body.equals(bytes)).toBe(true);
  });
});

describe('HTTP custom', () => {
  test('only mapped parameters are sent: query strings, headers (static, method request, stage variable) and the rendered body', async () => {
    const result = await runHttpIntegration(request({
      Type: 'HTTP', IntegrationHttpMethod: 'POST', Uri: 'http://${stageVariables.backendUrl}/v2/search/{kind}',
      RequestParameters: {
        'integration.request.path.kind': 'method.request.path.kind',
        'integration.request.querystring.term': 'method.request.querystring.q',
        'integration.request.querystring.tags': 'method.request.multivaluequerystring.tag',
        'integration.request.header.X-Api-Version': '\'2\'',
        'integration.request.header.X-Tenant': 'method.request.header.x-tenant',
        'integration.request.header.X-Stage-Var': 'stageVariables.flavour',
        'integration.request.header.X-Request-Id': 'context.requestId',
      },
    }, {
      method: 'GET',
      pathParameters: { kind: 'shoes' },
      query: { q: 'red boots', other: 'dropped' },
      multiValueQuery: { q: ['red boots'], tag: ['a', 'b'], other: ['dropped'] },
      headers: { 'X-Tenant': 'acme', 'X-Not-Mapped': 'dropped', 'Content-Type': 'application/json' },
      stageVariables: { backendUrl: hostOf(prod), flavour: 'vanilla' },
      body: Buffer.from('{"client":"body"}'),
      renderedBody: '{"rendered":true}',
      renderedContentType: 'application/json',
    }));
    const echo = echoOf(result);
    expect(echo.method).toBe('POST');
    expect(echo.url).toBe('/v2/search/shoes?term=red%20boots&tags=a&tags=b');
    expect(Buffer.from(echo.body, 'base64').toString()).toBe('{"rendered":true}');
    expect(echo.headers).toMatchObject({ 'x-api-version': '2', 'x-tenant': 'acme', 'x-stage-var': 'vanilla', 'x-request-id': 'req-1', 'content-type': 'application/json' });
    expect(echo.headers['x-not-mapped']).toBeUndefined();
    expect(response(result).statusCode).toBe(201);
  });
});

describe('failures', () => {
  test('no answer within TimeoutInMillis → a timeout result, quickly', async () => {
    const started = Date.now();
    const result = await runHttpIntegration(request({ Type: 'HTTP_PROXY', Uri: `${prod.base}/slow`, TimeoutInMillis: 150 }));
    expect(result).toEqual({ kind: 'timeout', timeoutMs: 150, message: expect.stringContaining('timeout') });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('connection refused → INTEGRATION_FAILURE with the reason', async () => {
    const closed = await startServer('closed');
    await stopServer(closed);
    const result = await runHttpIntegration(request({ Type: 'HTTP', Uri: `${closed.base}/x` }));
    expect(result).toEqual({ kind: 'error', gatewayResponseType: 'INTEGRATION_FAILURE', message: expect.stringContaining('ECONNREFUSED') });
  });

  test('a backend that drops the connection mid-answer, or before answering → INTEGRATION_FAILURE', async () => {
    for (const path of ['/cut', '/hang-up']) {
      const result = await runHttpIntegration(request({ Type: 'HTTP_PROXY', Uri: `${prod.base}${path}` }));
      expect(result).toMatchObject({ kind: 'error', gatewayResponseType: 'INTEGRATION_FAILURE', message: expect.stringContaining('Network error') });
    }
  });

  test('a pooled connection the backend closed while idle is not a failure: the request goes again on a fresh one', async () => {
    // Answers the first request of each connection, then drops the connection on the next one, as a backend
    // whose keep-alive timeout just expired does.
    let connections = 0;
    const served = new WeakMap<object, number>();
    const server = http.createServer((req, res) => {
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      if (count > 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`answer on connection ${connections}`);
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    try {
      const first = response(await runHttpIntegration(request({ Type: 'HTTP_PROXY', Uri: uri })));
      const second = response(await runHttpIntegration(request({ Type: 'HTTP_PROXY', Uri: uri })));
      expect([first.body.toString(), second.body.toString()]).toEqual(['answer on connection 1', 'answer on connection 2']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('an endpoint address that does not parse → API_CONFIGURATION_ERROR, no socket opened', async () => {
    const result = await runHttpIntegration(request({ Type: 'HTTP_PROXY', Uri: 'http://${stageVariables.missing}/x' }));
    expect(result).toMatchObject({ kind: 'error', gatewayResponseType: 'API_CONFIGURATION_ERROR' });
  });
});

describe('VPC_LINK', () => {
  test('the link id from a stage variable maps to a local server; the backend sees the load balancer as Host', async () => {
    const result = await runHttpIntegration(request({
      Type: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', ConnectionId: '${stageVariables.vpcLinkId}', IntegrationHttpMethod: 'ANY',
      Uri: 'http://internal-nlb.elb.us-east-1.amazonaws.com/inventory/{proxy}',
      RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    }, {
      pathParameters: { proxy: 'items/7' }, query: { full: '1' },
      stageVariables: { vpcLinkId: 'vl-abc' }, vpcLinkTargets: { 'vl-abc': dev.base },
    }));
    expect(response(result).headers['X-Backend']).toEqual(['dev']);
    const echo = echoOf(result);
    expect(echo.url).toBe('/inventory/items/7?full=1');
    expect(echo.headers.host).toBe('internal-nlb.elb.us-east-1.amazonaws.com');
  });

  test('an unmapped link answers an error naming it', async () => {
    const result = await runHttpIntegration(request({ Type: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', ConnectionId: 'vl-zzz', Uri: 'http://nlb.internal/x' }));
    expect(result).toMatchObject({ kind: 'error', message: expect.stringContaining('vl-zzz') });
  });
});
