import {
  AuthorizerProperties, AuthorizerRequestContext, LambdaAuthorizer, LambdaAuthorizerEvent, RequestAuthorizerEvent,
} from '../../../lib/local/auth';
import { ARN_PARTS, req } from './helpers';

const TOKEN_AUTH: AuthorizerProperties = {
  Type: 'TOKEN',
  IdentitySource: 'method.request.header.Authorization',
  AuthorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations',
};
const CTX: AuthorizerRequestContext = { arn: ARN_PARTS, resourcePath: '/users/{id}', pathParameters: { id: '42' }, stageVariables: { env: 'test' } };
const GET_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/users/42';

function ctxFor(httpMethod: string, path: string): AuthorizerRequestContext {
  return { ...CTX, arn: { ...ARN_PARTS, httpMethod, path } };
}

/** A handler written as a real authorizer is: reads the event, answers a policy or throws. */
function tokenHandler(calls: LambdaAuthorizerEvent[]) {
  return async (event: LambdaAuthorizerEvent): Promise<unknown> => {
    calls.push(event);
    if (event.type !== 'TOKEN') throw new Error('expected a TOKEN event');
    const token = event.authorizationToken;
    if (token === 'unauthorized') throw new Error('Unauthorized');
    if (token === 'boom') throw new Error('database down');
    if (token === 'malformed') return { principalId: 'x' };
    if (token === 'nested') return { principalId: 'x', policyDocument: allow(event.methodArn), context: { obj: { a: 1 } } };
    if (token === 'error-payload') return { errorMessage: 'Unauthorized', errorType: 'Error' };
    const effect = token.startsWith('deny') ? 'Deny' : 'Allow';
    const resource = token.endsWith('-wildcard') ? 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*' : event.methodArn;
    return {
      principalId: `user-${token}`,
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
      context: { tenant: 't1', count: 3, admin: true },
      usageIdentifierKey: 'key-123',
    };
  };
}

function allow(resource: string) {
  return { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] };
}

function withToken(token: string | undefined, method = 'GET', path = '/users/42') {
  return req({ method, path, headers: token === undefined ? {} : { authorization: token } });
}

describe('TOKEN authorizer', () => {
  test('sends {type, authorizationToken, methodArn} and lets an allowed request through with principal and context', async () => {
    const calls: LambdaAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer(TOKEN_AUTH, tokenHandler(calls), { clock: () => 0 });
    const result = await auth.authorize(withToken('alice'), CTX);
    expect(calls).toEqual([{ type: 'TOKEN', authorizationToken: 'alice', methodArn: GET_ARN }]);
    expect(result).toEqual({
      kind: 'allow',
      contextAuthorizer: { principalId: 'user-alice', tenant: 't1', count: '3', admin: 'true', integrationLatency: 0 },
      principalId: 'user-alice',
      usageIdentifierKey: 'key-123',
      cached: false,
    });
  });

  test('missing token → 401 without calling the function', async () => {
    const calls: LambdaAuthorizerEvent[] = [];
    const result = await new LambdaAuthorizer(TOKEN_AUTH, tokenHandler(calls)).authorize(withToken(undefined), CTX);
    expect(result).toMatchObject({ kind: 'deny', gatewayResponseType: 'UNAUTHORIZED', statusCode: 401, message: 'Unauthorized' });
    expect(calls).toHaveLength(0);
  });

  test('empty token → 401 without calling the function', async () => {
    const calls: LambdaAuthorizerEvent[] = [];
    const result = await new LambdaAuthorizer(TOKEN_AUTH, tokenHandler(calls)).authorize(withToken(''), CTX);
    expect(result).toMatchObject({ kind: 'deny', statusCode: 401 });
    expect(calls).toHaveLength(0);
  });

  test('IdentityValidationExpression mismatch → 401 without calling; a match calls', async () => {
    const calls: LambdaAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer({ ...TOKEN_AUTH, IdentityValidationExpression: '^Bearer [-0-9a-zA-Z\\._]+$' }, tokenHandler(calls));
    expect(await auth.authorize(withToken('alice'), CTX)).toMatchObject({ kind: 'deny', statusCode: 401 });
    expect(calls).toHaveLength(0);
    expect((await auth.authorize(withToken('Bearer abc.def'), CTX)).kind).toBe('allow');
    expect(calls).toHaveLength(1);
  });

  test('the function throwing "Unauthorized" → 401', async () => {
    const result = await new LambdaAuthorizer(TOKEN_AUTH, tokenHandler([])).authorize(withToken('unauthorized'), CTX);
    expect(result).toMatchObject({ kind: 'deny', gatewayResponseType: 'UNAUTHORIZED', statusCode: 401 });
  });

  test('Lambda error payload {errorMessage: "Unauthorized"} → 401 as well', async () => {
    const result = await new LambdaAuthorizer(TOKEN_AUTH, tokenHandler([])).authorize(withToken('error-payload'), CTX);
    expect(result).toMatchObject({ kind: 'deny', statusCode: 401 });
  });

  test('any other error → 500 AUTHORIZER_CONFIGURATION_ERROR with a null message', async () => {
    const result = await new LambdaAuthorizer(TOKEN_AUTH, tokenHandler([])).authorize(withToken('boom'), CTX);
    expect(result).toMatchObject({ kind: 'deny', gatewayResponseType: 'AUTHORIZER_CONFIGURATION_ERROR', statusCode: 500, message: null });
    expect(result.kind === 'deny' && result.reason).toContain('database down');
  });

  test('an answer without policyDocument → 500', async () => {
    expect(await new LambdaAuthorizer(TOKEN_AUTH, tokenHandler([])).authorize(withToken('malformed'), CTX))
      .toMatchObject({ kind: 'deny', gatewayResponseType: 'AUTHORIZER_CONFIGURATION_ERROR', statusCode: 500 });
  });

  test('an object as a context value → 500', async () => {
    expect(await new LambdaAuthorizer(TOKEN_AUTH, tokenHandler([])).authorize(withToken('nested'), CTX))
      .toMatchObject({ kind: 'deny', statusCode: 500 });
  });

  test('an explicit Deny → 403 ACCESS_DENIED with AWS\'s explicit-deny message', async () => {
    expect(await new LambdaAuthorizer(TOKEN_AUTH, tokenHandler([])).authorize(withToken('deny-me'), CTX)).toMatchObject({
      kind: 'deny', gatewayResponseType: 'ACCESS_DENIED', statusCode: 403,
      message: 'User is not authorized to access this resource with an explicit deny',
    });
  });

  test('a TOKEN authorizer must read one header', () => {
    expect(() => new LambdaAuthorizer({ ...TOKEN_AUTH, IdentitySource: 'method.request.querystring.t' }, tokenHandler([]))).toThrow(/one header/);
  });
});

describe('result cache', () => {
  test('cached for the TTL by token, then called again', async () => {
    let now = 1_000_000;
    const calls: LambdaAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer({ ...TOKEN_AUTH, AuthorizerResultTtlInSeconds: 60 }, tokenHandler(calls), { clock: () => now });
    expect(await auth.authorize(withToken('alice-wildcard'), CTX)).toMatchObject({ kind: 'allow', cached: false });
    now += 59_999;
    expect(await auth.authorize(withToken('alice-wildcard'), CTX)).toMatchObject({ kind: 'allow', cached: true });
    expect(calls).toHaveLength(1);
    expect(await auth.authorize(withToken('bob-wildcard'), CTX)).toMatchObject({ kind: 'allow', principalId: 'user-bob-wildcard' });
    expect(calls).toHaveLength(2);
    now += 1;
    expect(await auth.authorize(withToken('alice-wildcard'), CTX)).toMatchObject({ kind: 'allow', cached: false });
    expect(calls).toHaveLength(3);
  });

  test('default TTL is 300 seconds', async () => {
    let now = 0;
    const calls: LambdaAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer(TOKEN_AUTH, tokenHandler(calls), { clock: () => now });
    await auth.authorize(withToken('alice'), CTX);
    now = 299_999;
    await auth.authorize(withToken('alice'), CTX);
    expect(calls).toHaveLength(1);
    now = 300_000;
    await auth.authorize(withToken('alice'), CTX);
    expect(calls).toHaveLength(2);
  });

  test('TTL 0: the function is called every time', async () => {
    const calls: LambdaAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer({ ...TOKEN_AUTH, AuthorizerResultTtlInSeconds: 0 }, tokenHandler(calls), { clock: () => 0 });
    await auth.authorize(withToken('alice'), CTX);
    await auth.authorize(withToken('alice'), CTX);
    expect(calls).toHaveLength(2);
  });

  test('a cached policy naming only the first method denies another method (re-evaluated, as on AWS)', async () => {
    const calls: LambdaAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer(TOKEN_AUTH, tokenHandler(calls), { clock: () => 0 });
    expect((await auth.authorize(withToken('alice'), CTX)).kind).toBe('allow');
    const other = await auth.authorize(withToken('alice', 'DELETE', '/users/42'), ctxFor('DELETE', '/users/42'));
    expect(other).toMatchObject({ kind: 'deny', gatewayResponseType: 'ACCESS_DENIED', statusCode: 403, message: 'User is not authorized to access this resource' });
    expect(calls).toHaveLength(1);
  });

  test('a cached wildcard policy allows other methods of the stage without calling again', async () => {
    const calls: LambdaAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer(TOKEN_AUTH, tokenHandler(calls), { clock: () => 0 });
    await auth.authorize(withToken('alice-wildcard'), CTX);
    expect(await auth.authorize(withToken('alice-wildcard', 'POST', '/orders'), ctxFor('POST', '/orders'))).toMatchObject({ kind: 'allow', cached: true });
    expect(calls).toHaveLength(1);
  });

  test('errors are not cached', async () => {
    const calls: LambdaAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer(TOKEN_AUTH, tokenHandler(calls), { clock: () => 0 });
    await auth.authorize(withToken('boom'), CTX);
    await auth.authorize(withToken('boom'), CTX);
    expect(calls).toHaveLength(2);
  });
});

describe('REQUEST authorizer', () => {
  const REQUEST_AUTH: AuthorizerProperties = {
    Type: 'REQUEST',
    IdentitySource: 'method.request.header.X-User, method.request.querystring.tenant, stageVariables.env',
    AuthorizerResultTtlInSeconds: 300,
  };

  function requestHandler(calls: RequestAuthorizerEvent[]) {
    return async (event: LambdaAuthorizerEvent): Promise<unknown> => {
      if (event.type !== 'REQUEST') throw new Error('expected a REQUEST event');
      calls.push(event);
      const user = event.headers['X-User'];
      if (event.queryStringParameters.tenant !== 't1' || event.stageVariables.env !== 'test') throw new Error('Unauthorized');
      return { principalId: user, policyDocument: allow(event.methodArn), context: { user } };
    };
  }

  const request = req({ headers: { 'X-User': 'alice', 'User-Agent': 'jest' }, query: { tenant: 't1' } });

  test('sends headers, multiValueHeaders, query, path parameters, stage variables and requestContext', async () => {
    const calls: RequestAuthorizerEvent[] = [];
    const result = await new LambdaAuthorizer(REQUEST_AUTH, requestHandler(calls)).authorize(request, CTX);
    expect(result).toMatchObject({ kind: 'allow', principalId: 'alice', contextAuthorizer: { user: 'alice', principalId: 'alice' } });
    const event = calls[0];
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: GET_ARN,
      resource: '/users/{id}',
      path: '/users/42',
      httpMethod: 'GET',
      headers: { 'X-User': 'alice', 'User-Agent': 'jest' },
      multiValueHeaders: { 'X-User': ['alice'], 'User-Agent': ['jest'] },
      queryStringParameters: { tenant: 't1' },
      multiValueQueryStringParameters: { tenant: ['t1'] },
      pathParameters: { id: '42' },
      stageVariables: { env: 'test' },
      requestContext: {
        resourcePath: '/users/{id}', httpMethod: 'GET', path: '/prod/users/42', accountId: '123456789012',
        stage: 'prod', apiId: 'abc123', identity: { sourceIp: '127.0.0.1', userAgent: 'jest' },
      },
    });
  });

  test('the core\'s requestContext is passed as given', async () => {
    const calls: RequestAuthorizerEvent[] = [];
    await new LambdaAuthorizer(REQUEST_AUTH, requestHandler(calls)).authorize(request, { ...CTX, requestContext: { requestId: 'r-1' } });
    expect(calls[0].requestContext).toEqual({ requestId: 'r-1' });
  });

  test('any identity source missing → 401 without calling', async () => {
    const calls: RequestAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer(REQUEST_AUTH, requestHandler(calls));
    expect(await auth.authorize(req({ headers: { 'X-User': 'alice' } }), CTX)).toMatchObject({ kind: 'deny', statusCode: 401 });
    expect(await auth.authorize(request, { ...CTX, stageVariables: {} })).toMatchObject({ kind: 'deny', statusCode: 401 });
    expect(calls).toHaveLength(0);
  });

  test('cached by all identity source values together', async () => {
    const calls: RequestAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer(REQUEST_AUTH, requestHandler(calls), { clock: () => 0 });
    await auth.authorize(request, CTX);
    await auth.authorize(req({ headers: { 'x-user': 'alice' }, query: { tenant: 't1' } }), CTX);
    expect(calls).toHaveLength(1);
    await auth.authorize(req({ headers: { 'X-User': 'bob' }, query: { tenant: 't1' } }), CTX);
    expect(calls).toHaveLength(2);
  });

  test('without identity sources: called every time, never cached', async () => {
    const calls: RequestAuthorizerEvent[] = [];
    const auth = new LambdaAuthorizer({ Type: 'REQUEST' }, requestHandler(calls), { clock: () => 0 });
    await auth.authorize(request, CTX);
    await auth.authorize(request, CTX);
    expect(calls).toHaveLength(2);
  });
});
