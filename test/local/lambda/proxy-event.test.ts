import { buildProxyEvent, clfTime, isBinaryMediaType } from '../../../lib/local/lambda';
import { LocalRequest } from '../../../lib/local/request';

/**
 * AWS's documented example (set-up-lambda-proxy-integrations.html, "Input format of a Lambda function
 * for proxy integration"): `POST /testStage/hello/world?name=me` on `ANY /{proxy+}` with a stage
 * variable stageVariableName=stageVariableValue, body `{\r\n\t"a": 1\r\n}`. The expected values below
 * are that page's event, minus the CloudFront headers only the deployed edge adds.
 */
const documentedHeaders = {
  'Accept': '*/*',
  'Accept-Encoding': 'gzip, deflate',
  'cache-control': 'no-cache',
  'Content-Type': 'application/json',
  'headerName': 'headerValue',
  'Host': 'gy415nuibc.execute-api.us-east-1.amazonaws.com',
  'Postman-Token': '9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f',
  'User-Agent': 'PostmanRuntime/2.4.5',
  'X-Forwarded-For': '54.240.196.186, 54.182.214.83',
  'X-Forwarded-Port': '443',
  'X-Forwarded-Proto': 'https',
};

function request(overrides: Partial<LocalRequest> = {}): LocalRequest {
  return {
    method: 'POST',
    path: '/hello/world',
    headers: documentedHeaders,
    query: { name: 'me' },
    body: Buffer.from('{\r\n\t"a": 1\r\n}'),
    sourceIp: '192.168.196.186',
    ...overrides,
  };
}

test('the documented example event', () => {
  const event = buildProxyEvent({
    request: request({ query: { name: 'me', multivalueName: 'me' } }),
    multiValueQuery: { name: ['me'], multivalueName: ['you', 'me'] },
    resourcePath: '/{proxy+}',
    resourceId: 'roq9wj',
    pathParameters: { proxy: 'hello/world' },
    stage: 'testStage',
    stageVariables: { stageVariableName: 'stageVariableValue' },
    apiId: 'gy415nuibc',
    accountId: '12345678912',
    requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
    requestTimeEpoch: 1519166937665,
  });
  expect(Object.keys(event)).toEqual([
    'resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters',
    'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'requestContext', 'body', 'isBase64Encoded',
  ]);
  expect(event).toMatchObject({
    resource: '/{proxy+}',
    path: '/hello/world',
    httpMethod: 'POST',
    headers: documentedHeaders,
    multiValueHeaders: Object.fromEntries(Object.entries(documentedHeaders).map(([k, v]) => [k, [v]])),
    queryStringParameters: { name: 'me', multivalueName: 'me' },
    multiValueQueryStringParameters: { name: ['me'], multivalueName: ['you', 'me'] },
    pathParameters: { proxy: 'hello/world' },
    stageVariables: { stageVariableName: 'stageVariableValue' },
    requestContext: {
      accountId: '12345678912',
      resourceId: 'roq9wj',
      stage: 'testStage',
      requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        apiKey: null,
        sourceIp: '192.168.196.186',
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: 'PostmanRuntime/2.4.5',
        user: null,
      },
      resourcePath: '/{proxy+}',
      httpMethod: 'POST',
      apiId: 'gy415nuibc',
      // The keys of the page's second (AWS_IAM) example that the first leaves out.
      requestTime: '20/Feb/2018:22:48:57 +0000',
      requestTimeEpoch: 1519166937665,
      path: '/testStage/hello/world',
      protocol: 'HTTP/1.1',
      domainName: 'gy415nuibc.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'gy415nuibc',
    },
    body: '{\r\n\t"a": 1\r\n}',
    isBase64Encoded: false,
  });
  expect(event.requestContext.extendedRequestId).toMatch(/^[A-Za-z0-9+/]+=*$/);
  expect(event.requestContext).not.toHaveProperty('authorizer');
});

test('nulls where the request has nothing: no query, path parameters, stage variables or body', () => {
  const event = buildProxyEvent({
    request: request({ method: 'GET', path: '/', headers: {}, query: {}, body: Buffer.alloc(0) }),
    resourcePath: '/', resourceId: 'root', stage: 'prod', apiId: 'abc123', stageVariables: {},
  });
  expect(event).toMatchObject({
    headers: null,
    multiValueHeaders: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
  });
  expect(event.requestContext.domainName).toBe('abc123.execute-api.us-east-1.amazonaws.com');
  expect(event.requestContext.path).toBe('/prod/');
  expect(event.requestContext.identity.userAgent).toBeNull();
});

test('authorizer context and identity values from the method request', () => {
  const event = buildProxyEvent({
    request: request(), resourcePath: '/orders', resourceId: 'r1', stage: 'prod', apiId: 'abc123',
    authorizer: { principalId: 'user-1', integrationLatency: 0, tier: 'gold' },
    identity: { apiKey: 'local-key', apiKeyId: 'key-id' },
  });
  expect(event.requestContext.authorizer).toEqual({ principalId: 'user-1', integrationLatency: 0, tier: 'gold' });
  expect(event.requestContext.identity).toMatchObject({ apiKey: 'local-key', apiKeyId: 'key-id', sourceIp: '192.168.196.186' });
  const cognito = buildProxyEvent({
    request: request(), resourcePath: '/me', resourceId: 'r2', stage: 'prod', apiId: 'abc123',
    authorizer: { claims: { 'sub': 'u-1', 'cognito:username': 'alice' } },
  });
  expect(cognito.requestContext.authorizer).toEqual({ claims: { 'sub': 'u-1', 'cognito:username': 'alice' } });
});

test('binary bodies: base64 with isBase64Encoded when the Content-Type is a binary media type', () => {
  const bytes = Buffer.from([0, 1, 2, 250, 255]);
  const binary = buildProxyEvent({
    request: request({ headers: { 'content-type': 'image/png' }, body: bytes }),
    resourcePath: '/img', resourceId: 'r', stage: 's', apiId: 'a', binaryMediaTypes: ['image/*'],
  });
  expect(binary.isBase64Encoded).toBe(true);
  expect(Buffer.from(binary.body as string, 'base64')).toEqual(bytes);
  const text = buildProxyEvent({
    request: request({ headers: { 'content-type': 'application/json' }, body: Buffer.from('{"é":1}') }),
    resourcePath: '/img', resourceId: 'r', stage: 's', apiId: 'a', binaryMediaTypes: ['image/png'],
  });
  expect(text).toMatchObject({ body: '{"é":1}', isBase64Encoded: false });
});

test('binary media type matching', () => {
  expect(isBinaryMediaType('image/png', ['image/png'])).toBe(true);
  expect(isBinaryMediaType('Image/PNG; q=1', ['image/png'])).toBe(true);
  expect(isBinaryMediaType('application/octet-stream', ['*/*'])).toBe(true);
  expect(isBinaryMediaType('image/jpeg', ['image/*'])).toBe(true);
  expect(isBinaryMediaType('text/plain', ['image/*', 'application/pdf'])).toBe(false);
  expect(isBinaryMediaType('application/json', [])).toBe(false);
});

test('$context.requestTime in CLF', () => {
  expect(clfTime(Date.UTC(2026, 0, 5, 3, 4, 5))).toBe('05/Jan/2026:03:04:05 +0000');
});
