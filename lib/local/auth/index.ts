/**
 * Method-request authorization for the local emulator: Cognito (with a local token issuer), Lambda
 * TOKEN/REQUEST authorizers, AWS_IAM. Node-only; not part of the jsii API.
 */
export * from './result';
export * from './cfn-types';
export { authorizeMethod } from './authorize-method';
export type { AuthorizeMethodInput } from './authorize-method';
export { LocalCognitoIssuer, cognitoIssuerUrl, localUserPoolId, userPoolFromArn, LOCAL_COGNITO_KEY_FILE } from './cognito-issuer';
export type { LocalCognitoIssuerOptions, MintTokenOptions, SigningKeyResolver } from './cognito-issuer';
export { authorizeCognito } from './cognito-authorizer';
export type { CognitoAuthorizeInput } from './cognito-authorizer';
export { claimsAsStrings, javaDateString } from './claims';
export { LambdaAuthorizer } from './lambda-authorizer';
export type { AuthorizerInvoke, LambdaAuthorizerOptions } from './lambda-authorizer';
export { requestAuthorizerEvent, tokenAuthorizerEvent } from './lambda-authorizer-event';
export type { AuthorizerRequestContext, LambdaAuthorizerEvent, RequestAuthorizerEvent, TokenAuthorizerEvent } from './lambda-authorizer-event';
export { evaluatePolicy, parseAuthorizerOutput } from './policy';
export type { AuthorizerOutput, PolicyStatement } from './policy';
export { methodArn, arnPatternMatches } from './method-arn';
export type { MethodArnParts } from './method-arn';
export { authorizeIam, parseSigV4Header, SIGV4_MAX_SKEW_MS } from './iam-authorizer';
export type { IamAuthorizeOptions, ParsedSigV4 } from './iam-authorizer';
export { parseIdentitySource, readIdentitySources, headerValue } from './identity-source';
export type { IdentitySourceExpression, IdentitySourceInputs } from './identity-source';
