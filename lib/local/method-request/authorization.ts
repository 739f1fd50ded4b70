/**
 * The authorization check of the method request: the method's AuthorizationType run through
 * ../auth (Lambda TOKEN/REQUEST authorizers in-process, Cognito tokens of the local issuer, AWS_IAM
 * signatures by shape), answered with the gateway response AWS uses, or let through with what
 * reaches `$context.authorizer` and `$context.identity`.
 */
import { authorizeMethod } from '../auth/authorize-method';
import { AuthorizerProperties, functionArnFromAuthorizerUri } from '../auth/cfn-types';
import { LambdaAuthorizer } from '../auth/lambda-authorizer';
import { AuthorizerRequestContext } from '../auth/lambda-authorizer-event';
import { flattenContext, RequestScope } from '../context';
import { substituteStageVariables } from '../integration/http-request';
import { ApiPart } from '../model';
import { MethodRequestStep } from '../pipeline';
import { GatewayError } from '../response';
import { MethodRequestSetup } from './index';

export class AuthorizationStep implements MethodRequestStep {
  /** One per Lambda authorizer, so that its result cache outlives a request (as on AWS, per stage). */
  private readonly lambdaAuthorizers = new Map<string, LambdaAuthorizer>();

  constructor(private readonly setup: MethodRequestSetup) {}

  public async run(scope: RequestScope): Promise<Record<string, unknown> | void> {
    const method = scope.method!;
    const type = method.AuthorizationType ?? 'NONE';
    if (type === 'NONE') return;
    const authorizer = method.AuthorizerId ? this.setup.api.authorizers.find((a) => a.id === method.AuthorizerId) : undefined;
    if ((type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') && !authorizer) {
      throw new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', null, `${method.logicalId}: AuthorizerId ${method.AuthorizerId ?? '(none)'} names no authorizer of this API`, 500);
    }
    const props = authorizer?.properties as unknown as AuthorizerProperties | undefined;
    const identity = (scope.context.identity ?? {}) as Record<string, unknown>;
    const context: AuthorizerRequestContext = {
      arn: {
        region: scope.api.region,
        accountId: scope.api.account,
        apiId: scope.api.id,
        stage: scope.stage.StageName,
        httpMethod: scope.request.method,
        path: scope.request.path,
      },
      resourcePath: method.resourcePath,
      resourceId: method.resourceId,
      pathParameters: scope.pathParameters,
      stageVariables: scope.stage.Variables,
      contextVariables: flattenContext(scope.context),
    };
    const result = await authorizeMethod({
      request: scope.request,
      method,
      authorizer: props,
      lambdaAuthorizer: type === 'CUSTOM' && authorizer ? this.lambdaAuthorizer(authorizer, scope) : undefined,
      cognitoKeys: this.setup.cognitoKeys,
      context,
      now: this.setup.now().getTime(),
    });
    if (result.kind === 'deny') throw new GatewayError(result.gatewayResponseType, result.message, result.reason, result.statusCode);
    return {
      authorizer: result.contextAuthorizer,
      identity: { ...identity, ...result.identity },
      ...(result.usageIdentifierKey !== undefined ? { usageIdentifierKey: result.usageIdentifierKey } : {}),
    };
  }

  private lambdaAuthorizer(authorizer: ApiPart, scope: RequestScope): LambdaAuthorizer {
    const key = `${scope.stage.StageName} ${authorizer.id}`;
    let found = this.lambdaAuthorizers.get(key);
    if (!found) {
      const props = authorizer.properties as unknown as AuthorizerProperties;
      const arn = functionArnFromAuthorizerUri(substituteStageVariables(String(props.AuthorizerUri ?? ''), scope.stage.Variables));
      found = new LambdaAuthorizer(props, async (event) => {
        if (!arn) throw new Error(`authorizer ${authorizer.logicalId}: AuthorizerUri ${props.AuthorizerUri} is not a Lambda function invocation`);
        const result = await this.setup.functions.get(arn).invoke(event);
        return JSON.parse(result.payload);
      }, { clock: () => this.setup.now().getTime() });
      this.lambdaAuthorizers.set(key, found);
    }
    return found;
  }
}
