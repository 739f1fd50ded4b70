/**
 * One entry point for the method-request stage: picks the check for the method's
 * `AuthorizationType` (NONE, AWS_IAM, COGNITO_USER_POOLS, CUSTOM).
 */
import { LocalRequest } from '../request';
import { AuthorizerProperties, MethodAuthorizationProperties } from './cfn-types';
import { authorizeCognito } from './cognito-authorizer';
import { SigningKeyResolver } from './cognito-issuer';
import { authorizeIam } from './iam-authorizer';
import { LambdaAuthorizer } from './lambda-authorizer';
import { AuthorizerRequestContext } from './lambda-authorizer-event';
import { AuthResult, authorizerConfigurationError } from './result';

export interface AuthorizeMethodInput {
  readonly request: LocalRequest;
  /** The `AWS::ApiGateway::Method` Properties (AuthorizationType, AuthorizationScopes, AuthorizerId). */
  readonly method: MethodAuthorizationProperties;
  /** The `AWS::ApiGateway::Authorizer` Properties the method's AuthorizerId names. */
  readonly authorizer?: AuthorizerProperties;
  /**
   * The long-lived LambdaAuthorizer for that authorizer (one per authorizer, so its result cache
   * outlives the request). Required for CUSTOM.
   */
  readonly lambdaAuthorizer?: LambdaAuthorizer;
  /** The local Cognito issuer's keys. Required for COGNITO_USER_POOLS. */
  readonly cognitoKeys?: SigningKeyResolver;
  /** Where the request landed (method ARN parts, resource, path parameters, stage variables). */
  readonly context: AuthorizerRequestContext;
  /** Milliseconds since the epoch. @default Date.now() */
  readonly now?: number;
}

export async function authorizeMethod(input: AuthorizeMethodInput): Promise<AuthResult> {
  const type = input.method.AuthorizationType ?? 'NONE';
  switch (type) {
    case 'NONE':
      return { kind: 'allow', contextAuthorizer: {} };
    case 'AWS_IAM':
      return authorizeIam(input.request, { now: input.now, region: input.context.arn.region });
    case 'COGNITO_USER_POOLS':
      if (!input.authorizer || !input.cognitoKeys) {
        return authorizerConfigurationError(`method has COGNITO_USER_POOLS but no authorizer ${input.method.AuthorizerId ?? ''} or issuer keys were given`);
      }
      return authorizeCognito({ authorizer: input.authorizer, method: input.method, request: input.request, keys: input.cognitoKeys, now: input.now });
    case 'CUSTOM':
      if (!input.lambdaAuthorizer) {
        return authorizerConfigurationError(`method has CUSTOM authorization but no Lambda authorizer ${input.method.AuthorizerId ?? ''} was given`);
      }
      return input.lambdaAuthorizer.authorize(input.request, input.context);
    default:
      return authorizerConfigurationError(`AuthorizationType '${type}' is not emulated`);
  }
}
