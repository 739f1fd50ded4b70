/**
 * A local stand-in for a Cognito user pool's token endpoint: its own RSA key pair, minting ID and
 * access tokens (RS256, with `kid`) that carry the claims, groups and scopes asked for. The claim
 * set follows Cognito's tokens
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html,
 * .../amazon-cognito-user-pools-using-the-access-token.html).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JwtClaims, signRs256 } from './jwt';

/** The file the key pair is kept in when a key folder is given. */
export const LOCAL_COGNITO_KEY_FILE = 'local-cognito-signing-key.pem';

export interface LocalCognitoIssuerOptions {
  /**
   * Keep the key pair in this folder (created if needed) so tokens minted by one process verify in
   * the next one (e.g. `serve` restarted by --watch).
   * @default - a new key pair per process
   */
  readonly keyDir?: string;
  /** Milliseconds since the epoch; injectable for tests. @default Date.now */
  readonly clock?: () => number;
}

export interface MintTokenOptions {
  /** The pool's id, e.g. `us-east-1_AbC123` (resolved from the assembly, or a local stand-in). */
  readonly userPoolId: string;
  /** @default - the region prefix of userPoolId (`us-east-1` of `us-east-1_AbC123`) */
  readonly region?: string;
  /** @default 'local-user' */
  readonly username?: string;
  /** @default - a random UUID */
  readonly sub?: string;
  /** The app client: `aud` of an ID token, `client_id` of an access token. @default 'localclient' */
  readonly clientId?: string;
  /** `cognito:groups`. @default - none */
  readonly groups?: readonly string[];
  /** Access token `scope` (space-separated in the token). @default ['aws.cognito.signin.user.admin'] */
  readonly scopes?: readonly string[];
  /** More claims (attributes such as `email`, `custom:tenant`); they override the defaults. */
  readonly claims?: JwtClaims;
  /** @default 3600 */
  readonly expiresInSeconds?: number;
}

/** The issuer URL Cognito puts in `iss`. */
export function cognitoIssuerUrl(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** `arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}` → region and pool id. */
export function userPoolFromArn(arn: string): { region: string; userPoolId: string } | undefined {
  const m = /^arn:[^:]+:cognito-idp:([^:]+):[^:]*:userpool\/(.+)$/.exec(arn);
  return m ? { region: m[1], userPoolId: m[2] } : undefined;
}

/**
 * A stand-in pool id for a user pool the template creates (its id is only known once deployed):
 * `<region>_<logical id, letters and digits only>`, so the core uses the same id in the authorizer's
 * ProviderARNs and when minting.
 */
export function localUserPoolId(region: string, logicalId: string): string {
  const name = logicalId.replace(/[^A-Za-z0-9]/g, '');
  if (name === '') throw new Error(`Cannot make a user pool id from logical id '${logicalId}'`);
  return `${region}_${name}`;
}

function regionOf(userPoolId: string): string {
  const i = userPoolId.indexOf('_');
  if (i <= 0) throw new Error(`Cannot tell the region of user pool id '${userPoolId}': pass 'region'`);
  return userPoolId.slice(0, i);
}

/** Looks up a signing key by `kid`; what the Cognito authorizer needs of an issuer. */
export interface SigningKeyResolver {
  publicKey(kid: string): KeyObject | undefined;
}

export class LocalCognitoIssuer implements SigningKeyResolver {
  /** A key pair generated now, or loaded from (or saved to) `keyDir`. */
  static create(options: LocalCognitoIssuerOptions = {}): LocalCognitoIssuer {
    let privateKey: KeyObject;
    const file = options.keyDir !== undefined ? join(options.keyDir, LOCAL_COGNITO_KEY_FILE) : undefined;
    if (file !== undefined && existsSync(file)) {
      privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    } else {
      privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      if (file !== undefined) {
        mkdirSync(options.keyDir!, { recursive: true });
        writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      }
    }
    return new LocalCognitoIssuer(privateKey, options.clock ?? Date.now);
  }

  /** The key id put in every token's header. */
  readonly kid: string;
  private readonly publicKeyObject: KeyObject;

  private constructor(private readonly privateKey: KeyObject, private readonly clock: () => number) {
    this.publicKeyObject = createPublicKey(privateKey);
    const der = this.publicKeyObject.export({ type: 'spki', format: 'der' });
    this.kid = `local-${createHash('sha256').update(der).digest('base64url').slice(0, 22)}`;
  }

  publicKey(kid: string): KeyObject | undefined {
    return kid === this.kid ? this.publicKeyObject : undefined;
  }

  /** The JWKS Cognito serves at `<issuer>/.well-known/jwks.json`, for clients that verify themselves. */
  jwks(): { keys: Array<Record<string, string>> } {
    const jwk = this.publicKeyObject.export({ format: 'jwk' }) as Record<string, string>;
    return { keys: [{ alg: 'RS256', e: jwk.e, kid: this.kid, kty: 'RSA', n: jwk.n, use: 'sig' }] };
  }

  mintIdToken(options: MintTokenOptions): string {
    const { now, base } = this.common(options);
    const username = options.username ?? 'local-user';
    const claims: JwtClaims = {
      ...base,
      'aud': options.clientId ?? 'localclient',
      'cognito:username': username,
      'token_use': 'id',
      'auth_time': now,
      'iat': now,
      'exp': now + (options.expiresInSeconds ?? 3600),
      ...options.claims,
    };
    return signRs256(claims, this.privateKey, this.kid);
  }

  mintAccessToken(options: MintTokenOptions): string {
    const { now, base } = this.common(options);
    const claims: JwtClaims = {
      ...base,
      client_id: options.clientId ?? 'localclient',
      token_use: 'access',
      scope: (options.scopes ?? ['aws.cognito.signin.user.admin']).join(' '),
      auth_time: now,
      iat: now,
      exp: now + (options.expiresInSeconds ?? 3600),
      username: options.username ?? 'local-user',
      ...options.claims,
    };
    return signRs256(claims, this.privateKey, this.kid);
  }

  private common(options: MintTokenOptions): { now: number; base: JwtClaims } {
    const now = Math.floor(this.clock() / 1000);
    const base: JwtClaims = {
      sub: options.sub ?? randomUUID(),
      iss: cognitoIssuerUrl(options.region ?? regionOf(options.userPoolId), options.userPoolId),
      jti: randomUUID(),
      origin_jti: randomUUID(),
      event_id: randomUUID(),
    };
    if (options.groups !== undefined && options.groups.length > 0) base['cognito:groups'] = [...options.groups];
    return { now, base };
  }
}
