import { Duration, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiContext } from '../api-context';

export interface SharedPermissionLambdaIntegrationOptions {
  readonly proxy: boolean;
  readonly timeout?: Duration;
  readonly cacheKeyParameters?: string[];
  readonly integrationOptions?: apigw.IntegrationOptions;
}

/**
 * A Lambda integration whose invoke permission is granted once per (function, API) through the API's
 * context, instead of aws-cdk-lib's LambdaIntegration default of two permissions per method (which
 * fills the function's 20 KB resource policy after a few dozen routes). The URI and the deployment token
 * that redeploys the stage when the handler changes are those LambdaIntegration emits.
 */
export class SharedPermissionLambdaIntegration extends apigw.AwsIntegration {
  constructor(private readonly handler: lambda.IFunction, options: SharedPermissionLambdaIntegrationOptions) {
    super({
      proxy: options.proxy,
      service: 'lambda',
      path: `2015-03-31/functions/${handler.functionArn}/invocations`,
      options: {
        ...options.integrationOptions,
        timeout: options.timeout,
        cacheKeyParameters: options.cacheKeyParameters,
      },
    });
  }

  public bind(method: apigw.Method): apigw.IntegrationConfig {
    const config = super.bind(method);
    ApiContext.of(method.api).grantInvoke(this.handler);
    const functionName = this.handler instanceof lambda.Function
      ? (this.handler.node.defaultChild as lambda.CfnFunction).functionName
      : this.handler.functionName;
    const deploymentToken = functionName && !Token.isUnresolved(functionName) ? JSON.stringify({ functionName }) : undefined;
    return { ...config, deploymentToken };
  }
}
