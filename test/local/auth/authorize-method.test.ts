import {
  authorizeMethod, AuthorizerProperties, functionArnFromAuthorizerUri, LambdaAuthorizer, LocalCognitoIssuer,
  parseIdentitySource, resultTtlSeconds,
} from '../../../lib/local/auth';
import { ARN_PARTS, req } from './helpers';

const POOL = 'eu-west-1_Pool';
const CONTEXT = { arn: ARN_PARTS, resourcePath: '/users/{id}' };

describe('authorizeMethod picks the check by AuthorizationType', () => {
  let issuer: LocalCognitoIssuer;
  beforeAll(() => {
    issuer = LocalCognitoIssuer.create();
  });

  test('NONE (and no type) lets the request through with an empty $context.authorizer', async () => {
    expect(await authorizeMethod({ request: req(), method: {}, context: CONTEXT })).toEqual({ kind: 'allow', contextAuthorizer: {} });
    expect(await authorizeMethod({ request: req(), method: { AuthorizationType: 'NONE' }, context: CONTEXT })).toMatchObject({ kind: 'allow' });
  });

  test('COGNITO_USER_POOLS verifies with the issuer keys', async () => {
    const authorizer: AuthorizerProperties = { Type: 'COGNITO_USER_POOLS', ProviderARNs: [`arn:aws:cognito-idp:eu-west-1:111111111111:userpool/${POOL}`] };
    const method = { AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: 'A' };
    const token = issuer.mintIdToken({ userPoolId: POOL, username: 'bob' });
    const allowed = await authorizeMethod({ request: req({ headers: { Authorization: token } }), method, authorizer, cognitoKeys: issuer, context: CONTEXT });
    expect(allowed).toMatchObject({ kind: 'allow', contextAuthorizer: { claims: { 'cognito:username': 'bob' } } });
    const denied = await authorizeMethod({ request: req(), method, authorizer, cognitoKeys: issuer, context: CONTEXT });
    expect(denied).toMatchObject({ kind: 'deny', statusCode: 401 });
  });

  test('CUSTOM runs the Lambda authorizer', async () => {
    const lambdaAuthorizer = new LambdaAuthorizer({ Type: 'TOKEN', IdentitySource: 'method.request.header.Authorization' }, async (event) => ({
      principalId: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: event.methodArn }] },
    }));
    const result = await authorizeMethod({ request: req({ headers: { Authorization: 't' } }), method: { AuthorizationType: 'CUSTOM', AuthorizerId: 'L' }, lambdaAuthorizer, context: CONTEXT });
    expect(result).toMatchObject({ kind: 'allow', principalId: 'p' });
  });

  test('AWS_IAM without a signature → 403 Missing Authentication Token', async () => {
    expect(await authorizeMethod({ request: req(), method: { AuthorizationType: 'AWS_IAM' }, context: CONTEXT }))
      .toMatchObject({ kind: 'deny', gatewayResponseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: 403 });
  });

  test('a method whose authorizer was not wired answers 500 naming what is missing, never a success', async () => {
    expect(await authorizeMethod({ request: req(), method: { AuthorizationType: 'CUSTOM', AuthorizerId: 'L' }, context: CONTEXT }))
      .toMatchObject({ kind: 'deny', statusCode: 500, reason: expect.stringContaining('no Lambda authorizer L') });
    expect(await authorizeMethod({ request: req(), method: { AuthorizationType: 'SOMETHING' }, context: CONTEXT }))
      .toMatchObject({ kind: 'deny', statusCode: 500 });
  });
});

describe('CloudFormation helpers', () => {
  test('identity source expressions', () => {
    expect(parseIdentitySource('method.request.header.Auth, method.request.querystring.q,stageVariables.s, context.requestId')).toEqual([
      { kind: 'header', name: 'Auth', expression: 'method.request.header.Auth' },
      { kind: 'querystring', name: 'q', expression: 'method.request.querystring.q' },
      { kind: 'stageVariable', name: 's', expression: 'stageVariables.s' },
      { kind: 'context', name: 'requestId', expression: 'context.requestId' },
    ]);
    expect(() => parseIdentitySource('method.request.path.id')).toThrow(/Unsupported identity source/);
  });

  test('result TTL: 300 by default, 0 allowed, numbers as strings accepted', () => {
    expect(resultTtlSeconds({ Type: 'TOKEN' })).toBe(300);
    expect(resultTtlSeconds({ Type: 'TOKEN', AuthorizerResultTtlInSeconds: 0 })).toBe(0);
    expect(resultTtlSeconds({ Type: 'TOKEN', AuthorizerResultTtlInSeconds: '60' })).toBe(60);
    expect(() => resultTtlSeconds({ Type: 'TOKEN', AuthorizerResultTtlInSeconds: 3601 })).toThrow();
  });

  test('function ARN from AuthorizerUri', () => {
    expect(functionArnFromAuthorizerUri('arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations'))
      .toBe('arn:aws:lambda:us-east-1:123456789012:function:auth');
  });
});
