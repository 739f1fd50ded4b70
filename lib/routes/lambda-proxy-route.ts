import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SharedPermissionLambdaIntegration } from '../internal/shared-permission-lambda-integration';
import { checkIntegrationTimeout } from '../internal/timeouts';
import { RouteBase, RouteBaseProps } from './route-base';
import { checkProps } from '../internal/prop-checks';
import { LAMBDA_PROXY_ROUTE_PROPS } from '../internal/route-prop-specs';

/** Props of a `LambdaProxyRoute`. */
export interface LambdaProxyRouteProps extends RouteBaseProps {
  /** The function that receives the whole request (API Gateway proxy event) and returns the response. */
  readonly handler: lambda.IFunction;
  /**
   * How long API Gateway waits for the function: 50 ms to 29 s.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
}

/**
 * A route to a Lambda function through the proxy integration (AWS_PROXY). The function gets the whole
 * request and answers status, headers and body itself (including CORS headers on its answers when the
 * route has CORS: API Gateway does not add them to proxy responses).
 *
 * The function is granted invoke permission once per API, however many routes use it, with a SourceArn
 * scoped to the API.
 */
export class LambdaProxyRoute extends RouteBase {
  /** The method this route created. */
  public readonly method: apigw.Method;

  constructor(scope: Construct, id: string, props: LambdaProxyRouteProps) {
    super(scope, id, props);
    checkProps(this._name, props, LAMBDA_PROXY_ROUTE_PROPS);
    checkIntegrationTimeout(this._name, props.timeout);
    this.method = this._addMethod(new SharedPermissionLambdaIntegration(props.handler, {
      proxy: true,
      timeout: props.timeout,
      cacheKeyParameters: this._cacheKeyParameters,
    }));
  }
}
