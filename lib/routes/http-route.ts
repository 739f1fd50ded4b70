import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { buildHttpIntegration, checkBackendUrl, HttpBackendOptions, urlReferences } from '../internal/http-integration-options';
import { StageVariables } from '../stage-variables';
import { RouteBase, RouteBaseProps } from './route-base';
import { checkProps } from '../internal/prop-checks';
import { HTTP_ROUTE_PROPS } from '../internal/route-prop-specs';

/** Props of an `HttpRoute`. */
export interface HttpRouteProps extends RouteBaseProps, HttpBackendOptions {
  /**
   * The backend URL (https:// or http://). It may use the route's path parameters as `{name}` (for a
   * greedy `{proxy+}` route write `{proxy}`) and stage variables as `${stageVariables.name}`, e.g.
   * `https://${stageVariables.usersHost}/users/{proxy}`.
   */
  readonly url: string;
}

/**
 * A route to an HTTP backend on the internet: HTTP_PROXY by default (request and answer passed
 * through), or HTTP custom with request/response templates, parameter mapping and backend errors
 * mapped to 404/400/502 JSON answers. Path parameters used in the URL are mapped automatically.
 *
 * API Gateway verifies the backend's TLS certificate against public CAs; CloudFormation offers no way
 * to turn that off for REST APIs (`tlsConfig`), so an https backend needs a publicly trusted certificate.
 */
export class HttpRoute extends RouteBase {
  /** The method this route created. */
  public readonly method: apigw.Method;

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id, props);
    checkProps(this._name, props, HTTP_ROUTE_PROPS);
    const urlParameters = checkBackendUrl(this._name, props.url, this._parsedPath.parameters);
    const built = buildHttpIntegration({
      route: this._name,
      routeMethod: this.httpMethod,
      path: this.path,
      pathParameters: this._parsedPath.parameters,
      cacheKeyParameters: this._cacheKeyParameters,
      cors: this._corsAnswerParts(),
      authorizationType: this._authorizationType(),
      authorizerIdentityHeaders: this._authorizerIdentityHeaders(),
    }, props, urlParameters);
    this.method = this._addMethod(new apigw.HttpIntegration(props.url, {
      proxy: built.type === apigw.IntegrationType.HTTP_PROXY,
      httpMethod: built.integrationHttpMethod,
      options: built.options,
    }), built.methodResponses, built.methodRequestParameters);
    StageVariables._checkReferences(this, this._name, this.api, urlReferences(props.url).stageVariables);
  }
}
