import { authorizeIam, parseSigV4Header } from '../../../lib/local/auth';
import { req } from './helpers';

const NOW = Date.UTC(2026, 11, 3, 9, 0, 0);
const SIG = 'a'.repeat(64);
const AUTH = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIG}`;

function signed(authorization: string | undefined, amzDate: string | null = '20261203T090000Z') {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.Authorization = authorization;
  if (amzDate !== null) headers['X-Amz-Date'] = amzDate;
  return authorizeIam(req({ headers }), { now: NOW, region: 'us-east-1' });
}

describe('AWS_IAM (SigV4 shape only, the signature is not verified)', () => {
  test('a well-formed signature is accepted and fills $context.identity', () => {
    expect(signed(AUTH)).toEqual({
      kind: 'allow', contextAuthorizer: {},
      identity: { accessKey: 'AKIDEXAMPLE', caller: 'AKIDEXAMPLE', user: 'AKIDEXAMPLE' },
    });
  });

  test('a Date header stands in for X-Amz-Date', () => {
    const result = authorizeIam(req({ headers: { authorization: AUTH, date: 'Thu, 03 Dec 2026 09:01:00 GMT' } }), { now: NOW });
    expect(result.kind).toBe('allow');
  });

  test('no Authorization header → 403 MISSING_AUTHENTICATION_TOKEN', () => {
    expect(signed(undefined)).toMatchObject({
      kind: 'deny', gatewayResponseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: 403, message: 'Missing Authentication Token',
    });
  });

  test('a bearer token instead of a signature → 403 INCOMPLETE_SIGNATURE listing what is missing', () => {
    expect(signed('eyJraWQ.abc.def', null)).toMatchObject({
      kind: 'deny', gatewayResponseType: 'INCOMPLETE_SIGNATURE', statusCode: 403,
      message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
        + "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a "
        + "'X-Amz-Date' or a 'Date' header. Authorization=eyJraWQ.abc.def",
    });
  });

  test('no date header → 403 INCOMPLETE_SIGNATURE', () => {
    expect(signed(AUTH, null)).toMatchObject({ kind: 'deny', gatewayResponseType: 'INCOMPLETE_SIGNATURE' });
  });

  test('a credential without 5 parts → 403 INCOMPLETE_SIGNATURE', () => {
    expect(signed(AUTH.replace('/us-east-1/execute-api', '/execute-api'))).toMatchObject({
      kind: 'deny', gatewayResponseType: 'INCOMPLETE_SIGNATURE', statusCode: 403,
    });
  });

  test('a credential scoped to another service or region → 403 INVALID_SIGNATURE', () => {
    expect(signed(AUTH.replace('execute-api', 's3'))).toMatchObject({ kind: 'deny', gatewayResponseType: 'INVALID_SIGNATURE', statusCode: 403 });
    expect(signed(AUTH.replace('us-east-1', 'eu-west-1'))).toMatchObject({ kind: 'deny', gatewayResponseType: 'INVALID_SIGNATURE' });
  });

  test('a date more than 5 minutes old or ahead → 403 INVALID_SIGNATURE "Signature expired"/"not yet current"', () => {
    expect(signed(AUTH, '20261203T085500Z').kind).toBe('allow');
    expect(signed(AUTH, '20261203T085459Z')).toMatchObject({
      kind: 'deny', gatewayResponseType: 'INVALID_SIGNATURE',
      message: 'Signature expired: 20261203T085459Z is now earlier than 20261203T085500Z (20261203T090000Z - 5 min.)',
    });
    expect(signed(AUTH, '20261203T090501Z')).toMatchObject({ kind: 'deny', message: expect.stringMatching(/^Signature not yet current/) });
  });

  test('scope date must match the request date', () => {
    expect(signed(AUTH.replace('20261203', '20261202'))).toMatchObject({ kind: 'deny', gatewayResponseType: 'INVALID_SIGNATURE' });
  });

  test('a signature that is not 64 hex characters → 403', () => {
    expect(signed(AUTH.replace(SIG, 'xyz'))).toMatchObject({ kind: 'deny', statusCode: 403 });
  });

  test('parseSigV4Header splits a well-formed header', () => {
    expect(parseSigV4Header(AUTH)).toEqual({
      algorithm: 'AWS4-HMAC-SHA256', accessKeyId: 'AKIDEXAMPLE', date: '20261203', region: 'us-east-1',
      service: 'execute-api', signedHeaders: ['host', 'x-amz-date'], signature: SIG,
    });
    expect(parseSigV4Header('Bearer x')).toBeUndefined();
  });
});
