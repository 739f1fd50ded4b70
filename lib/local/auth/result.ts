/**
 * What an authorizer stage answers: let the request through (with what reaches `$context.authorizer`
 * and `$context.identity`) or stop it with a gateway response.
 *
 * Gateway response types and default status codes:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */

/** The gateway response types an authorizer stage can end a request with. */
export type AuthGatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'INCOMPLETE_SIGNATURE'
  | 'INVALID_SIGNATURE';

/** The request may go on. */
export interface AuthAllow {
  readonly kind: 'allow';
  /**
   * What `$context.authorizer` holds (and the proxy event's `requestContext.authorizer`): for a Lambda
   * authorizer `principalId` and the context keys (all strings); for Cognito `{ claims: {...} }`;
   * empty for AWS_IAM and NONE.
   */
  readonly contextAuthorizer: Record<string, unknown>;
  /** The principal a Lambda authorizer returned (`$context.authorizer.principalId`). */
  readonly principalId?: string;
  /** The API key a Lambda authorizer returned, for usage plans with apiKeySource AUTHORIZER. */
  readonly usageIdentifierKey?: string;
  /** `$context.identity` fields this stage knows (AWS_IAM: accessKey, caller, user, userArn, accountId). */
  readonly identity?: Readonly<Record<string, string>>;
  /** A Lambda authorizer's answer came from the result cache (for the request log). */
  readonly cached?: boolean;
}

/** The request stops here with a gateway response. */
export interface AuthDeny {
  readonly kind: 'deny';
  readonly gatewayResponseType: AuthGatewayResponseType;
  /** The type's default status code (the API's gateway responses may override it). */
  readonly statusCode: number;
  /**
   * `$context.error.message`. `null` for AUTHORIZER_CONFIGURATION_ERROR, where API Gateway answers
   * `{"message": null}`.
   */
  readonly message: string | null;
  /** Why, for the emulator's log only (never sent to the client). */
  readonly reason: string;
}

export type AuthResult = AuthAllow | AuthDeny;

/** 401 `{"message":"Unauthorized"}`: no or bad credentials (identity source missing, bad token). */
export function unauthorized(reason: string): AuthDeny {
  return { kind: 'deny', gatewayResponseType: 'UNAUTHORIZED', statusCode: 401, message: 'Unauthorized', reason };
}

/**
 * 403: the Lambda authorizer's policy does not allow the method. The two messages are API Gateway's
 * (https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer).
 */
export function accessDenied(explicit: boolean, reason: string): AuthDeny {
  return {
    kind: 'deny',
    gatewayResponseType: 'ACCESS_DENIED',
    statusCode: 403,
    message: explicit
      ? 'User is not authorized to access this resource with an explicit deny'
      : 'User is not authorized to access this resource',
    reason,
  };
}

/** 500 `{"message": null}`: the authorizer failed or answered something API Gateway cannot use. */
export function authorizerConfigurationError(reason: string): AuthDeny {
  return { kind: 'deny', gatewayResponseType: 'AUTHORIZER_CONFIGURATION_ERROR', statusCode: 500, message: null, reason };
}

/** 403 `{"message":"Missing Authentication Token"}`: an AWS_IAM method called without a signature. */
export function missingAuthenticationToken(reason: string): AuthDeny {
  return {
    kind: 'deny', gatewayResponseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: 403,
    message: 'Missing Authentication Token', reason,
  };
}

/** 403: a SigV4 Authorization header that lacks parts AWS requires. */
export function incompleteSignature(message: string): AuthDeny {
  return { kind: 'deny', gatewayResponseType: 'INCOMPLETE_SIGNATURE', statusCode: 403, message, reason: message };
}

/** 403: a SigV4 signature AWS would refuse (here: its date out of the allowed skew). */
export function invalidSignature(message: string): AuthDeny {
  return { kind: 'deny', gatewayResponseType: 'INVALID_SIGNATURE', statusCode: 403, message, reason: message };
}
