import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { nonEmpty, serviceAnswers } from '../internal/service-responses';
import { checkIntegrationTimeout } from '../internal/timeouts';
import { checkUserTemplate, checkWrappedUserTemplate } from '../internal/user-template-check';
import { ServiceAction } from '../service-action';
import { RouteBase, RouteBaseProps } from './route-base';
import { checkProps } from '../internal/prop-checks';
import { SERVICE_INTEGRATION_ROUTE_PROPS } from '../internal/route-prop-specs';

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
  /**
   * The status code of a successful answer, e.g. 202 Accepted for a message handed to SNS or EventBridge
   * whose subscribers do the work later. The body stays the action's.
   * @default - the action's: 200, or 201 for an item created by `dynamoDbPutItem`
   */
  readonly successStatusCode?: number;
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
    checkProps(this._name, props, SERVICE_INTEGRATION_ROUTE_PROPS);
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
    const owner = { route: this._name, httpMethod: this.httpMethod, path: this.path };
    for (const [contentType, template] of Object.entries(props.additionalRequestTemplates ?? {})) {
      checkUserTemplate(owner, `the request template for ${contentType} (additionalRequestTemplates['${contentType}'])`, template);
    }

    this.role = props.role ?? this._context.integrationRole;
    if (!props.role) {
      for (const grant of binding.grants) this._context.grantToIntegrations(grant.actions, grant.resources);
    }

    const responses = withSuccessStatus(this._name, binding.responses, props.successStatusCode);
    const cors = this._corsAnswerParts();
    if (cors.templatePrefix && binding.responses.some((r) => r.passthroughBody)) {
      throw new Error(`${this._name}: the action passes the service's answer through untouched, so no template can pick ` +
        'Access-Control-Allow-Origin per request from several allowed origins: allow a single origin (or *) for this route');
    }
    const successStatus = responses.find((r) => r.selectionPattern === undefined)?.statusCode;
    for (const user of binding.userTemplates ?? []) {
      const place = user.successResponse
        ? `the response template of the ${successStatus} answer (${user.option}, default response, application/json)`
        : `the request template (${user.option}, application/json)`;
      checkUserTemplate(owner, place, user.template);
      if (user.successResponse) checkWrappedUserTemplate(owner, place, cors.templatePrefix + user.template);
    }
    const { integrationResponses, methodResponses } = serviceAnswers(responses, binding.overrideStatusCodes ?? [], cors);

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

/** The action's responses with its default (success) response answering `status` instead. */
function withSuccessStatus<T extends { statusCode: number; selectionPattern?: string }>(route: string, responses: T[], status?: number): T[] {
  if (status === undefined) return responses;
  if (!Number.isInteger(status) || status < 200 || status > 299) {
    throw new Error(`${route}: successStatusCode ${status} is not a success status: use 200 to 299, e.g. 202 for accepted work`);
  }
  const success = responses.find((r) => r.selectionPattern === undefined);
  if (!success) throw new Error(`${route}: internal error: the action has no default response`);
  if (responses.some((r) => r !== success && r.statusCode === status)) {
    throw new Error(`${route}: successStatusCode ${status} is already an answer of the action: choose another 2xx status`);
  }
  return responses.map((r) => (r === success ? { ...r, statusCode: status } : r));
}
