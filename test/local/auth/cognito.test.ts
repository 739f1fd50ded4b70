import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  authorizeCognito, AuthorizerProperties, claimsAsStrings, javaDateString, LocalCognitoIssuer, localUserPoolId,
  MethodAuthorizationProperties,
} from '../../../lib/local/auth';
import { decodeJwt } from '../../../lib/local/auth/jwt';
import { req } from './helpers';

const POOL = 'us-east-1_LocalPool1';
const OTHER_POOL = 'us-east-1_OtherPool';
const NOW = Date.UTC(2026, 5, 15, 4, 56, 21);
const AUTHORIZER: AuthorizerProperties = {
  Type: 'COGNITO_USER_POOLS',
  IdentitySource: 'method.request.header.Authorization',
  ProviderARNs: [`arn:aws:cognito-idp:us-east-1:123456789012:userpool/${POOL}`],
};
const NO_SCOPES: MethodAuthorizationProperties = { AuthorizationType: 'COGNITO_USER_POOLS', AuthorizerId: 'Auth1' };
const WITH_SCOPES: MethodAuthorizationProperties = { ...NO_SCOPES, AuthorizationScopes: ['orders/read', 'orders/admin'] };

let issuer: LocalCognitoIssuer;
beforeAll(() => {
  issuer = LocalCognitoIssuer.create({ clock: () => NOW });
});

function check(token: string | undefined, method = NO_SCOPES, authorizer = AUTHORIZER, now = NOW, header = 'Authorization') {
  const headers: Record<string, string> = token === undefined ? {} : { [header]: token };
  return authorizeCognito({ authorizer, method, request: req({ headers }), keys: issuer, now });
}

describe('local Cognito issuer', () => {
  test('mints an RS256 ID token with kid, issuer, groups and the claims asked for', () => {
    const token = issuer.mintIdToken({ userPoolId: POOL, username: 'alice', groups: ['admin', 'ops'], claims: { 'email': 'a@example.com', 'custom:tenant': 't1' } });
    const jwt = decodeJwt(token)!;
    expect(jwt.header).toEqual({ kid: issuer.kid, alg: 'RS256' });
    expect(jwt.claims).toMatchObject({
      'iss': `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`,
      'token_use': 'id',
      'cognito:username': 'alice',
      'cognito:groups': ['admin', 'ops'],
      'email': 'a@example.com',
      'custom:tenant': 't1',
      'aud': 'localclient',
      'iat': NOW / 1000,
      'exp': NOW / 1000 + 3600,
    });
  });

  test('mints an access token with space-separated scopes and client_id', () => {
    const jwt = decodeJwt(issuer.mintAccessToken({ userPoolId: POOL, scopes: ['orders/read', 'openid'], clientId: 'app1' }))!;
    expect(jwt.claims).toMatchObject({ token_use: 'access', scope: 'orders/read openid', client_id: 'app1' });
    expect(jwt.claims.aud).toBeUndefined();
  });

  test('a key folder keeps the key pair across issuers (tokens survive a restart)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-key-'));
    try {
      const first = LocalCognitoIssuer.create({ keyDir: join(dir, 'keys'), clock: () => NOW });
      const token = first.mintIdToken({ userPoolId: POOL });
      const second = LocalCognitoIssuer.create({ keyDir: join(dir, 'keys'), clock: () => NOW });
      expect(second.kid).toBe(first.kid);
      const result = authorizeCognito({ authorizer: AUTHORIZER, method: NO_SCOPES, request: req({ headers: { Authorization: token } }), keys: second, now: NOW });
      expect(result.kind).toBe('allow');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stand-in pool id from a logical id, usable for minting and in ProviderARNs', () => {
    const pool = localUserPoolId('eu-west-1', 'UserPool6BA7E5F2');
    expect(pool).toBe('eu-west-1_UserPool6BA7E5F2');
    const token = issuer.mintIdToken({ userPoolId: pool });
    expect(decodeJwt(token)!.claims.iss).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_UserPool6BA7E5F2');
    const authorizer = { ...AUTHORIZER, ProviderARNs: [`arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${pool}`] };
    expect(check(token, NO_SCOPES, authorizer).kind).toBe('allow');
  });

  test('publishes a JWKS with its kid', () => {
    const jwks = issuer.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: issuer.kid, kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
  });
});

describe('Cognito authorizer', () => {
  test('round trip: a minted ID token is allowed and its claims reach $context.authorizer.claims as strings', () => {
    const token = issuer.mintIdToken({ userPoolId: POOL, username: 'alice', sub: 'sub-1', groups: ['admin'], claims: { email_verified: true } });
    const result = check(token);
    expect(result).toMatchObject({ kind: 'allow' });
    if (result.kind !== 'allow') throw new Error('unreachable');
    const claims = result.contextAuthorizer.claims as Record<string, string>;
    expect(claims).toMatchObject({
      'sub': 'sub-1',
      'cognito:username': 'alice',
      'cognito:groups': 'admin',
      'email_verified': 'true',
      'token_use': 'id',
      'auth_time': String(NOW / 1000),
      'exp': 'Mon Jun 15 05:56:21 UTC 2026',
      'iat': 'Mon Jun 15 04:56:21 UTC 2026',
    });
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
  });

  test('"Bearer <token>" is accepted as well as the bare token', () => {
    expect(check(`Bearer ${issuer.mintIdToken({ userPoolId: POOL })}`).kind).toBe('allow');
  });

  test('the token is read from the identity source header', () => {
    const authorizer = { ...AUTHORIZER, IdentitySource: 'method.request.header.X-Id-Token' };
    const token = issuer.mintIdToken({ userPoolId: POOL });
    expect(check(token, NO_SCOPES, authorizer, NOW, 'x-id-token').kind).toBe('allow');
    expect(check(token, NO_SCOPES, authorizer, NOW, 'Authorization')).toMatchObject({ kind: 'deny', statusCode: 401 });
  });

  test('missing header → 401 UNAUTHORIZED "Unauthorized"', () => {
    expect(check(undefined)).toMatchObject({ kind: 'deny', gatewayResponseType: 'UNAUTHORIZED', statusCode: 401, message: 'Unauthorized' });
  });

  test('not a JWT → 401', () => {
    expect(check('not-a-token')).toMatchObject({ kind: 'deny', statusCode: 401 });
  });

  test('expired token → 401', () => {
    const token = issuer.mintIdToken({ userPoolId: POOL, expiresInSeconds: 60 });
    expect(check(token, NO_SCOPES, AUTHORIZER, NOW + 59_000).kind).toBe('allow');
    expect(check(token, NO_SCOPES, AUTHORIZER, NOW + 60_000)).toMatchObject({ kind: 'deny', statusCode: 401, reason: 'token expired' });
  });

  test('token of a pool the authorizer does not name → 401', () => {
    const token = issuer.mintIdToken({ userPoolId: OTHER_POOL });
    expect(check(token)).toMatchObject({ kind: 'deny', statusCode: 401 });
    const both = { ...AUTHORIZER, ProviderARNs: [...AUTHORIZER.ProviderARNs!, `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${OTHER_POOL}`] };
    expect(check(token, NO_SCOPES, both).kind).toBe('allow');
  });

  test('a token signed by another key (another issuer) → 401', () => {
    const stranger = LocalCognitoIssuer.create({ clock: () => NOW });
    expect(check(stranger.mintIdToken({ userPoolId: POOL }))).toMatchObject({ kind: 'deny', statusCode: 401 });
  });

  test('a tampered payload fails the signature → 401', () => {
    const [h, , s] = issuer.mintIdToken({ userPoolId: POOL }).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`, token_use: 'id', exp: NOW / 1000 + 100 })).toString('base64url');
    expect(check(`${h}.${forged}.${s}`)).toMatchObject({ kind: 'deny', statusCode: 401, reason: 'token signature does not verify' });
  });

  test('no scopes on the method: an access token is refused, an ID token is required', () => {
    expect(check(issuer.mintAccessToken({ userPoolId: POOL }))).toMatchObject({ kind: 'deny', statusCode: 401 });
  });

  test('scopes on the method: an access token with one of them is allowed', () => {
    const result = check(issuer.mintAccessToken({ userPoolId: POOL, scopes: ['openid', 'orders/admin'] }), WITH_SCOPES);
    expect(result).toMatchObject({ kind: 'allow', contextAuthorizer: { claims: { scope: 'openid orders/admin', token_use: 'access' } } });
  });

  test('scopes on the method: an access token with none of them → 401', () => {
    expect(check(issuer.mintAccessToken({ userPoolId: POOL, scopes: ['orders/write'] }), WITH_SCOPES)).toMatchObject({ kind: 'deny', statusCode: 401 });
  });

  test('scopes on the method: an ID token → 401', () => {
    expect(check(issuer.mintIdToken({ userPoolId: POOL }), WITH_SCOPES)).toMatchObject({ kind: 'deny', statusCode: 401 });
  });

  test('IdentityValidationExpression is matched against aud', () => {
    const authorizer = { ...AUTHORIZER, IdentityValidationExpression: 'app-[0-9]+' };
    expect(check(issuer.mintIdToken({ userPoolId: POOL, clientId: 'app-7' }), NO_SCOPES, authorizer).kind).toBe('allow');
    expect(check(issuer.mintIdToken({ userPoolId: POOL, clientId: 'web' }), NO_SCOPES, authorizer)).toMatchObject({ kind: 'deny', statusCode: 401 });
  });
});

describe('claims as API Gateway passes them', () => {
  test('java.util.Date format in UTC', () => {
    expect(javaDateString(Date.UTC(2025, 3, 4, 2, 3, 4) / 1000)).toBe('Fri Apr 04 02:03:04 UTC 2025');
  });

  test('numbers, booleans, arrays and objects become strings', () => {
    expect(claimsAsStrings({
      'auth_time': 1700000000, 'email_verified': false, 'cognito:groups': ['a', 'b'],
      'identities': [{ userId: 'u', primary: 'true' }], 'nothing': null,
    })).toEqual({
      'auth_time': '1700000000', 'email_verified': 'false', 'cognito:groups': 'a,b',
      'identities': '{"userId":"u","primary":"true"}',
    });
  });
});
