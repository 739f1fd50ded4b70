/**
 * A COGNITO_USER_POOLS authorizer, checking a token the way API Gateway's does:
 * - the token is read from the identity source header (default `Authorization`);
 * - signature (RS256, key by `kid`), issuer among the authorizer's `ProviderARNs` pools, expiry;
 * - method without `AuthorizationScopes`: an ID token is required (access tokens carry no `aud` and
 *   are refused); with scopes: an access token whose `scope` holds at least one of them
 *   (https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized: "If you didn't
 *   configure any scopes on the API Gateway method, then make sure that you use a valid ID token. If
 *   you configure additional scopes ..., then make sure that you use a valid access token.");
 * - `IdentityValidationExpression`, when set, must match the token's `aud` (API_CreateAuthorizer).
 * Every failure answers 401 UNAUTHORIZED `{"message":"Unauthorized"}` (the same knowledge-center
 * article treats wrong token type and scopes as 401s).
 *
 * Only tokens of a local issuer verify: the emulator cannot fetch a real pool's keys offline, and a
 * real pool's tokens are refused with 401 (reason in the log), never let through unchecked.
 */
import { KeyObject } from 'node:crypto';
import { LocalRequest } from '../request';
import { AuthorizerProperties, MethodAuthorizationProperties } from './cfn-types';
import { claimsAsStrings } from './claims';
import { cognitoIssuerUrl, userPoolFromArn } from './cognito-issuer';
import { headerValue, parseIdentitySource } from './identity-source';
import { javaMatches } from '../../vtl/java-regex';
import { decodeJwt, verifyRs256 } from './jwt';
import { AuthResult, authorizerConfigurationError, unauthorized } from './result';

export interface CognitoAuthorizeInput {
  readonly authorizer: AuthorizerProperties;
  readonly method: MethodAuthorizationProperties;
  readonly request: LocalRequest;
  /** Finds the public key for a token's `kid` (a `LocalCognitoIssuer`). */
  readonly keys: { publicKey(kid: string): KeyObject | undefined };
  /** Milliseconds since the epoch. @default Date.now() */
  readonly now?: number;
}

/**
 * The token in the header. API Gateway's docs only say the token goes in the header; sending it as
 * `Bearer <token>` also works there (AWS's own Cognito workshop has the authorizer test dialog sent
 * "Bearer " + token: https://dcj71ciaiav4i.cloudfront.net/0A4DEB20-C89E-11ED-A834-5D52D9748576/chapter4/content2.html;
 * amazon-archives/amazon-cognito-identity-js#165 confirms it with AWS Support), so a leading
 * `Bearer ` is taken off and the bare token accepted as well. Chosen, not documented.
 */
function tokenFrom(value: string): string {
  return /^Bearer\s+/i.test(value) ? value.replace(/^Bearer\s+/i, '') : value;
}

export function authorizeCognito(input: CognitoAuthorizeInput): AuthResult {
  const { authorizer, method, request } = input;
  let headerName = 'Authorization';
  try {
    const sources = parseIdentitySource(authorizer.IdentitySource);
    if (sources.length > 0) {
      if (sources.length !== 1 || sources[0].kind !== 'header') {
        return authorizerConfigurationError(`Cognito authorizer identity source must be one header, got '${authorizer.IdentitySource}'`);
      }
      headerName = sources[0].name;
    }
  } catch (e) {
    return authorizerConfigurationError((e as Error).message);
  }

  const raw = headerValue(request.headers, headerName);
  if (raw === undefined || raw.trim() === '') return unauthorized(`no ${headerName} header`);
  const jwt = decodeJwt(tokenFrom(raw.trim()));
  if (!jwt) return unauthorized(`the ${headerName} header is not a JWT`);

  const key = jwt.header.kid === undefined ? undefined : input.keys.publicKey(jwt.header.kid);
  if (!key) return unauthorized(`token key id '${jwt.header.kid}' is not the local issuer's (only locally minted tokens verify)`);
  if (!verifyRs256(jwt, key)) return unauthorized('token signature does not verify');

  const claims = jwt.claims;
  const issuers = (authorizer.ProviderARNs ?? []).map((arn) => {
    const pool = userPoolFromArn(arn);
    return pool ? cognitoIssuerUrl(pool.region, pool.userPoolId) : undefined;
  });
  if (!issuers.includes(claims.iss as string)) {
    return unauthorized(`token issuer '${String(claims.iss)}' is not one of the authorizer's user pools`);
  }

  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return unauthorized('token expired');

  const scopes = method.AuthorizationScopes ?? [];
  if (scopes.length > 0) {
    if (claims.token_use !== 'access') return unauthorized('the method has authorization scopes: an access token is required');
    const held = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.some((s) => held.includes(s))) {
      return unauthorized(`access token holds none of the method's scopes (${scopes.join(', ')})`);
    }
  } else if (claims.token_use !== 'id') {
    return unauthorized('the method has no authorization scopes: an ID token is required');
  }

  if (authorizer.IdentityValidationExpression) {
    // For access tokens (no `aud`), client_id stands in. Chosen: AWS documents only `aud`.
    const aud = String(claims.aud ?? claims.client_id ?? '');
    let matches: boolean;
    try {
      matches = javaMatches(aud, authorizer.IdentityValidationExpression);
    } catch (e) {
      return authorizerConfigurationError(`IdentityValidationExpression: ${(e as Error).message}`);
    }
    if (!matches) return unauthorized(`token aud '${aud}' does not match IdentityValidationExpression`);
  }

  return { kind: 'allow', contextAuthorizer: { claims: claimsAsStrings(claims) } };
}
