import { arnPatternMatches, evaluatePolicy, methodArn, parseAuthorizerOutput, PolicyStatement } from '../../../lib/local/auth';
import { ARN_PARTS } from './helpers';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/users/42';

function statements(...list: Array<[PolicyStatement['effect'], string | string[], string]>): PolicyStatement[] {
  return list.map(([effect, resources, action]) => ({ effect, resources: ([] as string[]).concat(resources), actions: [action] }));
}

describe('method ARN', () => {
  test('stage, verb and path without the leading slash', () => {
    expect(methodArn(ARN_PARTS)).toBe(ARN);
  });

  test('root path ends with the verb and a slash', () => {
    expect(methodArn({ ...ARN_PARTS, httpMethod: 'post', path: '/' })).toBe('arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/');
  });
});

describe('ARN patterns', () => {
  test.each([
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/users/42', true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/*', true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/*', true],
    ['arn:aws:execute-api:*:*:*', true],
    ['*', true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/users/4?', true],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/users', false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/*', false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/dev/*', false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/get/users/42', false],
    ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/users/4', false],
  ])('%s → %s', (pattern, matches) => {
    expect(arnPatternMatches(pattern, ARN)).toBe(matches);
  });

  test('regex characters in a pattern are literal', () => {
    expect(arnPatternMatches('a.b(c)', 'a.b(c)')).toBe(true);
    expect(arnPatternMatches('a.b', 'axb')).toBe(false);
  });
});

describe('policy evaluation', () => {
  test('an Allow on a wildcard allows', () => {
    expect(evaluatePolicy(statements(['Allow', 'arn:aws:execute-api:*:*:abc123/prod/*', 'execute-api:Invoke']), ARN)).toBe('allow');
  });

  test('an explicit Deny wins over an Allow', () => {
    expect(evaluatePolicy(statements(
      ['Allow', 'arn:aws:execute-api:*:*:abc123/*', 'execute-api:Invoke'],
      ['Deny', 'arn:aws:execute-api:*:*:abc123/prod/GET/users/*', 'execute-api:Invoke'],
    ), ARN)).toBe('explicit-deny');
  });

  test('nothing matching is an implicit deny', () => {
    expect(evaluatePolicy(statements(['Allow', 'arn:aws:execute-api:*:*:abc123/prod/POST/*', 'execute-api:Invoke']), ARN)).toBe('implicit-deny');
  });

  test('actions: execute-api:*, * and any case match; another action does not', () => {
    expect(evaluatePolicy(statements(['Allow', '*', 'execute-api:*']), ARN)).toBe('allow');
    expect(evaluatePolicy(statements(['Allow', '*', '*']), ARN)).toBe('allow');
    expect(evaluatePolicy(statements(['Allow', '*', 'Execute-API:invoke']), ARN)).toBe('allow');
    expect(evaluatePolicy(statements(['Allow', '*', 'execute-api:ManageConnections']), ARN)).toBe('implicit-deny');
  });
});

describe('authorizer output', () => {
  test('a single Statement object, Action and Resource lists, numeric principalId', () => {
    const parsed = parseAuthorizerOutput({
      principalId: 7,
      policyDocument: { Statement: { Effect: 'Allow', Action: ['execute-api:Invoke'], Resource: ['a', 'b'] } },
    });
    expect(parsed).toEqual({ ok: true, output: { principalId: '7', context: {}, statements: [{ effect: 'Allow', actions: ['execute-api:Invoke'], resources: ['a', 'b'] }], usageIdentifierKey: undefined } });
  });

  test.each([
    ['not an object', 'Allow'],
    ['no principalId', { policyDocument: { Statement: [] } }],
    ['no statements', { principalId: 'p', policyDocument: { Statement: [] } }],
    ['bad effect', { principalId: 'p', policyDocument: { Statement: [{ Effect: 'allow', Action: 'x', Resource: 'y' }] } }],
    ['no resource', { principalId: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'x' }] } }],
    ['array context value', { principalId: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'x', Resource: 'y' }] }, context: { a: [1] } }],
    ['Condition', { principalId: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'x', Resource: 'y', Condition: {} }] } }],
  ])('refused: %s', (_name, payload) => {
    expect(parseAuthorizerOutput(payload).ok).toBe(false);
  });
});
