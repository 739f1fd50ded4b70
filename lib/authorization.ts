import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AuthorizerRegistry, BoundAuthorization } from './internal/authorization-types';
import { AUTHORIZER, checkArgs, DURATION, LAMBDA_FUNCTION, listOf, required, STRING, STRING_LIST, struct, USER_POOL, wholeSeconds } from './internal/prop-checks';

/** Options for `RouteAuthorization.cognito`. */
export interface CognitoAuthorizationOptions {
  /**
   * OAuth scopes the access token must hold (any one of them). With scopes, clients must send an
   * access token; without, an ID token.
   * @default - no scopes: any valid ID token of the pools is accepted
   */
  readonly scopes?: string[];
  /**
   * Where the token is read from.
   * @default apigw.IdentitySource.header('Authorization')
   */
  readonly identitySource?: string;
  /**
   * How long API Gateway caches the authorizer's answer.
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/** Options for `RouteAuthorization.lambdaToken`. */
export interface LambdaTokenAuthorizationOptions {
  /**
   * The header the token is read from.
   * @default apigw.IdentitySource.header('Authorization')
   */
  readonly identitySource?: string;
  /**
   * A regex the token must match before the authorizer function is called.
   * @default - every token is passed to the function
   */
  readonly validationRegex?: string;
  /**
   * How long API Gateway caches the policy the function returns, per token. Duration.seconds(0) turns
   * caching off. Between 0 and 1 hour.
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/** Options for `RouteAuthorization.lambdaRequest`. */
export interface LambdaRequestAuthorizationOptions {
  /**
   * The request values the function sees and the cache is keyed by, e.g.
   * `apigw.IdentitySource.header('Authorization')`, `apigw.IdentitySource.queryString('token')`.
   */
  readonly identitySources: string[];
  /**
   * How long API Gateway caches the policy the function returns, per identity. Between 0 and 1 hour.
   * @default Duration.minutes(5)
   */
  readonly resultsCacheTtl?: Duration;
}

/** Options for `RouteAuthorization.authorizer`. */
export interface CustomAuthorizerOptions {
  /**
   * OAuth scopes; only valid with a Cognito user pools authorizer.
   * @default - no scopes
   */
  readonly scopes?: string[];
}

enum AuthorizationKind {
  NONE = 'NONE',
  IAM = 'IAM',
  COGNITO = 'COGNITO',
  LAMBDA_TOKEN = 'LAMBDA_TOKEN',
  LAMBDA_REQUEST = 'LAMBDA_REQUEST',
  CUSTOM = 'CUSTOM',
}

/**
 * Who may call a route. One authorizer is created per API for each user pool set or authorizer
 * function, however many routes use it. CORS preflight (OPTIONS) methods are never authorized.
 */
export class RouteAuthorization {
  /** Anyone may call the route (overrides an authorizer in the RestApi's `defaultMethodOptions`). */
  public static none(): RouteAuthorization {
    return new RouteAuthorization(AuthorizationKind.NONE, {});
  }

  /** Callers sign requests with SigV4 and need `execute-api:Invoke` on the route's ARN. */
  public static iam(): RouteAuthorization {
    return new RouteAuthorization(AuthorizationKind.IAM, {});
  }

  /** Callers present a token of one of these Cognito user pools, optionally with OAuth scopes. */
  public static cognito(userPools: cognito.IUserPool[], options: CognitoAuthorizationOptions = {}): RouteAuthorization {
    checkArgs('RouteAuthorization.cognito', ['userPools', userPools, required(listOf('a list of user pools such as [userPool]', USER_POOL))],
      ['options', options, struct('Cognito options', { scopes: STRING_LIST, identitySource: STRING, resultsCacheTtl: DURATION })]);
    if (!userPools || userPools.length === 0) {
      throw new Error('RouteAuthorization.cognito: pass at least one user pool');
    }
    return new RouteAuthorization(AuthorizationKind.COGNITO, { userPools, cognito: options, scopes: options.scopes });
  }

  /** A Lambda TOKEN authorizer: the function receives the bearer token and returns a policy and context. */
  public static lambdaToken(handler: lambda.IFunction, options: LambdaTokenAuthorizationOptions = {}): RouteAuthorization {
    checkArgs('RouteAuthorization.lambdaToken', ['handler', handler, required(LAMBDA_FUNCTION)],
      ['options', options, struct('token authorizer options', { identitySource: STRING, validationRegex: STRING, resultsCacheTtl: DURATION })]);
    return new RouteAuthorization(AuthorizationKind.LAMBDA_TOKEN, { handler, token: options });
  }

  /** A Lambda REQUEST authorizer: the function receives the identity sources and returns a policy and context. */
  public static lambdaRequest(handler: lambda.IFunction, options: LambdaRequestAuthorizationOptions): RouteAuthorization {
    checkArgs('RouteAuthorization.lambdaRequest', ['handler', handler, required(LAMBDA_FUNCTION)],
      ['options', options, required(struct("options such as { identitySources: [apigw.IdentitySource.header('Authorization')] }", {
        identitySources: required(listOf("a list of identity sources such as [apigw.IdentitySource.header('Authorization')]", STRING)),
        resultsCacheTtl: DURATION,
      }))]);
    return new RouteAuthorization(AuthorizationKind.LAMBDA_REQUEST, { handler, request: options });
  }

  /** An authorizer you created yourself (it must belong to the same RestApi as the route). */
  public static authorizer(authorizer: apigw.IAuthorizer, options: CustomAuthorizerOptions = {}): RouteAuthorization {
    checkArgs('RouteAuthorization.authorizer', ['authorizer', authorizer, required(AUTHORIZER)], ['options', options, struct('options', { scopes: STRING_LIST })]);
    return new RouteAuthorization(AuthorizationKind.CUSTOM, { authorizer, scopes: options.scopes });
  }

  private constructor(private readonly kind: AuthorizationKind, private readonly config: AuthorizationConfig) {}

  /**
   * Resolves this choice against one API, creating or reusing its authorizer.
   * @internal
   */
  public _bind(route: string, registry: AuthorizerRegistry): BoundAuthorization {
    const c = this.config;
    switch (this.kind) {
      case AuthorizationKind.NONE:
        // aws-cdk-lib does not inherit a default authorizer when the type is NONE and no authorizer is given.
        return { authorizationType: apigw.AuthorizationType.NONE };
      case AuthorizationKind.IAM:
        // An empty authorizer id stops aws-cdk-lib from inheriting one from defaultMethodOptions.
        return { authorizationType: apigw.AuthorizationType.IAM, authorizer: NO_AUTHORIZER_IAM };
      case AuthorizationKind.COGNITO: {
        const pools = c.userPools!;
        checkCacheTtl(route, c.cognito?.resultsCacheTtl);
        const key = 'Cognito:' + pools.map((p) => p.node.path).sort().join(',') + ':' + (c.cognito?.identitySource ?? '');
        const authorizer = registry.authorizer(key, (scope, id) => new apigw.CognitoUserPoolsAuthorizer(scope, id, {
          cognitoUserPools: pools,
          identitySource: c.cognito?.identitySource,
          resultsCacheTtl: c.cognito?.resultsCacheTtl,
        }));
        return { authorizationType: apigw.AuthorizationType.COGNITO, authorizer, authorizationScopes: nonEmpty(c.scopes) };
      }
      case AuthorizationKind.LAMBDA_TOKEN: {
        const o = c.token!;
        checkCacheTtl(route, o.resultsCacheTtl);
        const key = `Token:${c.handler!.node.path}:${o.identitySource ?? ''}:${o.validationRegex ?? ''}`;
        const authorizer = registry.authorizer(key, (scope, id) => new apigw.TokenAuthorizer(scope, id, {
          handler: c.handler!,
          identitySource: o.identitySource,
          validationRegex: o.validationRegex,
          resultsCacheTtl: o.resultsCacheTtl,
        }));
        return { authorizationType: apigw.AuthorizationType.CUSTOM, authorizer };
      }
      case AuthorizationKind.LAMBDA_REQUEST: {
        const o = c.request!;
        if (!o.identitySources || o.identitySources.length === 0) {
          throw new Error(`${route}: a Lambda REQUEST authorizer needs at least one identity source, ` +
            "e.g. apigw.IdentitySource.header('Authorization')");
        }
        checkCacheTtl(route, o.resultsCacheTtl);
        const key = `Request:${c.handler!.node.path}:${[...o.identitySources].sort().join(',')}`;
        const authorizer = registry.authorizer(key, (scope, id) => new apigw.RequestAuthorizer(scope, id, {
          handler: c.handler!,
          identitySources: o.identitySources,
          resultsCacheTtl: o.resultsCacheTtl,
        }));
        return { authorizationType: apigw.AuthorizationType.CUSTOM, authorizer };
      }
      case AuthorizationKind.CUSTOM: {
        const authorizer = c.authorizer!;
        const type = authorizer.authorizationType ?? apigw.AuthorizationType.CUSTOM;
        if (nonEmpty(c.scopes) && type !== apigw.AuthorizationType.COGNITO) {
          throw new Error(`${route}: authorization scopes need a Cognito user pools authorizer, but this authorizer is ${type}: ` +
            'remove the scopes or use RouteAuthorization.cognito(userPools, { scopes })');
        }
        return { authorizationType: type, authorizer, authorizationScopes: nonEmpty(c.scopes) };
      }
    }
  }

  /** True when the route is open to anyone (used to warn about open write routes). @internal */
  public get _isNone(): boolean {
    return this.kind === AuthorizationKind.NONE;
  }
}

interface AuthorizationConfig {
  readonly userPools?: cognito.IUserPool[];
  readonly cognito?: CognitoAuthorizationOptions;
  readonly handler?: lambda.IFunction;
  readonly token?: LambdaTokenAuthorizationOptions;
  readonly request?: LambdaRequestAuthorizationOptions;
  readonly authorizer?: apigw.IAuthorizer;
  readonly scopes?: string[];
}

/** aws-cdk-lib reads `authorizerId: ''` as "no authorizer", overriding defaultMethodOptions (its fix for #8615). */
const NO_AUTHORIZER_IAM: apigw.IAuthorizer = { authorizerId: '', authorizationType: apigw.AuthorizationType.IAM };

function nonEmpty(list?: string[]): string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function checkCacheTtl(route: string, ttl?: Duration) {
  if (ttl && !ttl.isUnresolved() && wholeSeconds(route, 'the authorizer resultsCacheTtl', ttl) > 3600) {
    throw new Error(`${route}: the authorizer results cache TTL is ${ttl.toSeconds()} s; API Gateway allows at most 3600 s: ` +
      'use a resultsCacheTtl of 1 hour or less');
  }
}
