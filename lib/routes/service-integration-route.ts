import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { checkIntegrationTimeout } from '../internal/timeouts';
import { ServiceAction } from '../service-action';
import { RouteBase, RouteBaseProps } from './route-base';

/** Props of a `ServiceIntegrationRoute`. */
export interface ServiceIntegrationRouteProps extends RouteBaseProps {
  /** The AWS service call, e.g. `ServiceAction.sqsSendMessage(queue)`. */
  readonly action: ServiceAction;
  /**
   * Your own request templates for content types the action has no template for (e.g. `text/plain`).
   * Requests with any other content type are refused with 415, never passed through untransformed.
   * You own the escaping in these templates.
   * @default - only the action's templates (application/json)
   */
  readonly additionalRequestTemplates?: { [contentType: string]: string };
  /**
   * How long API Gateway waits for the service: 50 ms to 29 s.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
  /**
   * The role API Gateway assumes to call the service. You must grant it what the action needs.
   * @default - one role per API shared by all its service routes, granted exactly each action on each resource
   */
  readonly role?: iam.IRole;
}

/**
 * A route that calls an AWS service directly (integration type AWS), with an escaped request template,
 * service errors mapped to 4xx/5xx JSON answers, declared method responses, CORS headers on every
 * answer when the route has CORS, and least-privilege IAM on one role per API.
 */
export class ServiceIntegrationRoute extends RouteBase {
  /** The method this route created. */
  public readonly method: apigw.Method;
  /** The role API Gateway assumes for this route. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: ServiceIntegrationRouteProps) {
    super(scope, id, props);
    if (!props.action) throw new Error(`${this._name}: action is required, e.g. ServiceAction.sqsSendMessage(queue)`);
    checkIntegrationTimeout(this._name, props.timeout);
    const binding = props.action._bind({
      route: this._name,
      scope: this,
      httpMethod: this.httpMethod,
      pathParameters: this._parsedPath.parameters,
      api: this.api,
    });

    const requestTemplates = { ...binding.requestTemplates };
    for (const [contentType, template] of Object.entries(props.additionalRequestTemplates ?? {})) {
      if (contentType in requestTemplates) {
        throw new Error(`${this._name}: additionalRequestTemplates redefines ${contentType}, which the action already ` +
          'maps: templates are for other content types only');
      }
      if (!/^[\w.+-]+\/[\w.+-]+$/.test(contentType)) throw new Error(`${this._name}: '${contentType}' is not a media type such as text/plain`);
      requestTemplates[contentType] = template;
    }

    this.role = props.role ?? this._context.integrationRole;
    if (!props.role) {
      for (const grant of binding.grants) this._context.grantToIntegrations(grant.actions, grant.resources);
    }

    const cors = this._corsIntegrationResponse();
    const corsDeclared = this._corsMethodResponseParameters();
    if (cors.templatePrefix && binding.responses.some((r) => r.passthroughBody)) {
      throw new Error(`${this._name}: the action passes the service's answer through untouched, so no template can pick ` +
        'Access-Control-Allow-Origin per request from several allowed origins: allow a single origin (or *) for this route');
    }
    const integrationResponses: apigw.IntegrationResponse[] = binding.responses.map((r) => ({
      statusCode: String(r.statusCode),
      selectionPattern: r.selectionPattern,
      contentHandling: r.contentHandling,
      responseParameters: nonEmpty({ ...prefixed(r.headers), ...cors.responseParameters }),
      // A response without a template passes the service's body through; when the CORS reflection
      // needs a template, the template must print that body itself.
      responseTemplates: r.template !== undefined || cors.templatePrefix
        ? { 'application/json': cors.templatePrefix + (r.template ?? '$input.body') }
        : undefined,
    }));
    const statusCodes = [...new Set([...binding.responses.map((r) => r.statusCode), ...(binding.overrideStatusCodes ?? [])])];
    const methodResponses: apigw.MethodResponse[] = statusCodes.map((code) => {
      const declared: { [k: string]: boolean } = { ...corsDeclared };
      for (const r of binding.responses.filter((x) => x.statusCode === code)) {
        for (const h of Object.keys(r.headers ?? {})) declared[`method.response.header.${h}`] = true;
      }
      return { statusCode: String(code), responseParameters: nonEmpty(declared) };
    });

    this.method = this._addMethod(new apigw.AwsIntegration({
      service: binding.service,
      action: binding.action,
      path: binding.path,
      subdomain: binding.subdomain,
      integrationHttpMethod: binding.integrationHttpMethod ?? 'POST',
      options: {
        credentialsRole: this.role,
        requestParameters: binding.requestParameters,
        requestTemplates: nonEmpty(requestTemplates),
        passthroughBehavior: binding.passthroughBehavior ?? apigw.PassthroughBehavior.NEVER,
        contentHandling: binding.contentHandling,
        integrationResponses,
        cacheKeyParameters: this._cacheKeyParameters,
        timeout: props.timeout,
      },
    }), methodResponses, binding.methodRequestParameters);
  }
}

function prefixed(headers?: { [h: string]: string }): { [k: string]: string } {
  const out: { [k: string]: string } = {};
  for (const [h, v] of Object.entries(headers ?? {})) out[`method.response.header.${h}`] = v;
  return out;
}

function nonEmpty<T>(map: { [k: string]: T }): { [k: string]: T } | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}
