/**
 * The CloudFormation shapes this folder reads, with intrinsics already resolved to strings.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-authorizer.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-method.html
 */

/** `AWS::ApiGateway::Authorizer` Properties. */
export interface AuthorizerProperties {
  readonly Type: 'TOKEN' | 'REQUEST' | 'COGNITO_USER_POOLS' | string;
  readonly Name?: string;
  /** Comma-separated mapping expressions, e.g. `method.request.header.Authorization`. */
  readonly IdentitySource?: string;
  /** TOKEN: a regex the token must match; COGNITO_USER_POOLS: a regex for the token's `aud`. */
  readonly IdentityValidationExpression?: string;
  /** @default 300; 0 turns caching off */
  readonly AuthorizerResultTtlInSeconds?: number | string;
  /** COGNITO_USER_POOLS: the user pool ARNs. */
  readonly ProviderARNs?: readonly string[];
  /** TOKEN/REQUEST: `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations`. */
  readonly AuthorizerUri?: string;
  readonly AuthorizerCredentials?: string;
}

/** The authorization part of `AWS::ApiGateway::Method` Properties. */
export interface MethodAuthorizationProperties {
  /** NONE | AWS_IAM | CUSTOM | COGNITO_USER_POOLS. @default NONE */
  readonly AuthorizationType?: string;
  readonly AuthorizationScopes?: readonly string[];
  readonly AuthorizerId?: string;
}

/** The result TTL in seconds: 300 when unset (API Gateway's default), 0 = no caching. */
export function resultTtlSeconds(props: AuthorizerProperties): number {
  const raw = props.AuthorizerResultTtlInSeconds;
  if (raw === undefined || raw === '') return 300;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 3600) {
    throw new Error(`AuthorizerResultTtlInSeconds must be a whole number between 0 and 3600, got '${raw}'`);
  }
  return n;
}

/** The function ARN inside a Lambda authorizer's `AuthorizerUri`, for the Lambda runner. */
export function functionArnFromAuthorizerUri(uri: string): string | undefined {
  const m = /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri);
  return m ? m[1] : undefined;
}
