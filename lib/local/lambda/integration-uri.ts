/**
 * Which function an integration invokes. Lambda integrations (AWS_PROXY, and AWS custom with the
 * Lambda invocation path) have the URI
 * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations`
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html, `uri`); a Lambda
 * authorizer's `AuthorizerUri` has the same form.
 */

export interface LambdaIntegrationTarget {
  /** The function ARN as written in the URI (it may hold `${stageVariables.x}` references). */
  readonly functionArn: string;
  /** The function's name: the ARN's `function:` part, or the whole reference when it is a bare name. */
  readonly functionName: string;
  /** A version or alias after the name (`function:name:live`). */
  readonly qualifier?: string;
}

const INVOCATION_URI = /^arn:aws[a-z-]*:apigateway:[^:]*:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

/** The function a Lambda integration URI invokes, or undefined when the URI is not one. */
export function lambdaTargetOfUri(uri: string): LambdaIntegrationTarget | undefined {
  const functionArn = INVOCATION_URI.exec(uri)?.[1];
  if (!functionArn) return undefined;
  const arn = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$/.exec(functionArn);
  if (arn) return { functionArn, functionName: arn[1], ...(arn[2] ? { qualifier: arn[2] } : {}) };
  return { functionArn, functionName: functionArn };
}
