import { Token } from 'aws-cdk-lib';
import { ServiceBinding, ServiceRouteInfo } from '../internal/service-binding';
import { checkStaticValue, staticHeaderValue } from '../templates/vtl';
import { serviceErrorResponses } from './responses';

/** Options of `ServiceAction.custom`: any AWS service call, with a request template you write. */
export interface CustomServiceActionOptions {
  /** The service's name in integration URIs, e.g. `firehose`, `states`, `dynamodb`. */
  readonly service: string;
  /**
   * The API action, for `arn:aws:apigateway:{region}:{service}:action/{action}` targets, e.g. `PutRecord`.
   * Set exactly one of `action` and `path`.
   * @default - none; `path` is used
   */
  readonly action?: string;
  /**
   * The path, for `arn:aws:apigateway:{region}:{service}:path/{path}` targets, e.g. `123456789012/my-queue`.
   * Set exactly one of `action` and `path`.
   * @default - none; `action` is used
   */
  readonly path?: string;
  /**
   * The HTTP method of the call to the service.
   * @default 'POST'
   */
  readonly integrationHttpMethod?: string;
  /**
   * The request template (VTL) for `application/json` requests. You own it: escape every request value
   * for the place it lands in (e.g. `$util.escapeJavaScript(...).replaceAll("\\'","'")` in a JSON string).
   */
  readonly requestTemplate: string;
  /**
   * Integration request parameters: `integration.request.header|querystring|path.NAME` → a static value in
   * single quotes (`"'application/x-amz-json-1.1'"`) or a method request expression (`method.request.header.X`).
   * @default - none
   */
  readonly requestParameters?: { [param: string]: string };
  /**
   * The response template (VTL) of the 200 answer; you own its escaping.
   * @default - the service's answer passes through unchanged
   */
  readonly responseTemplate?: string;
  /** The IAM actions the call needs, exactly (no `*`), e.g. `['firehose:PutRecord']`. */
  readonly iamActions: string[];
  /** The resource ARNs the actions are allowed on, exactly (not `*`), e.g. `[stream.deliveryStreamArn]`. */
  readonly iamResources: string[];
  /**
   * The Content-Type header sent to the service, e.g. `application/x-amz-json-1.1`.
   * @default - none set
   */
  readonly contentType?: string;
}

const SERVICE = /^[a-z][a-z0-9-]{0,62}$/;
const ACTION = /^[A-Za-z][A-Za-z0-9]{0,127}$/;
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];
const REQUEST_PARAMETER = /^integration\.request\.(header|querystring|path)\.[A-Za-z0-9!#$%&*+.^_`|~-]+$/;

/**
 * Any AWS service call: the target, request template and IAM grant come from the user, checked for the
 * mistakes that only show after a deploy (a missing target, a wildcard action or resource).
 */
export function bindCustomServiceAction(route: ServiceRouteInfo, options: CustomServiceActionOptions): ServiceBinding {
  const name = route.route;
  const fail = (why: string): never => {
    throw new Error(`${name}: ServiceAction.custom: ${why}`);
  };
  if (!options) fail('options are required');
  const { service, action, path } = options;
  if (typeof service !== 'string' || !SERVICE.test(service)) {
    fail(`service '${service}' is not an AWS service name as integration URIs write it (lower case, e.g. 'firehose')`);
  }
  if ((action === undefined) === (path === undefined)) {
    fail("set exactly one of action (e.g. 'PutRecord') and path (e.g. '123456789012/my-queue')");
  }
  if (action !== undefined && !ACTION.test(action)) fail(`action '${action}' is not an API action name such as 'PutRecord'`);
  if (path !== undefined && !Token.isUnresolved(path) && (path.length === 0 || /\s/.test(path))) {
    fail(`path '${path}' must be non-empty and without spaces`);
  }
  const httpMethod = (options.integrationHttpMethod ?? 'POST').toUpperCase();
  if (!HTTP_METHODS.includes(httpMethod)) fail(`integrationHttpMethod '${options.integrationHttpMethod}' must be one of ${HTTP_METHODS.join(', ')}`);
  if (typeof options.requestTemplate !== 'string') fail('requestTemplate is required: the VTL that builds the service request');
  if (options.responseTemplate !== undefined && typeof options.responseTemplate !== 'string') fail('responseTemplate must be a string');

  const actions = options.iamActions ?? [];
  if (actions.length === 0) fail("iamActions is empty: list the exact actions the call needs, e.g. ['firehose:PutRecord']");
  for (const a of actions) {
    if (typeof a !== 'string' || a.includes('*')) fail(`iamActions has '${a}': wildcard actions are not allowed, name each action exactly`);
    if (!IAM_ACTION.test(a)) fail(`iamActions has '${a}', which is not an IAM action such as 'firehose:PutRecord'`);
  }
  const resources = options.iamResources ?? [];
  if (resources.length === 0) fail('iamResources is empty: list the exact ARNs the actions apply to');
  for (const r of resources) {
    if (typeof r !== 'string' || r.trim() === '' || r.trim() === '*') {
      fail(`iamResources has '${r}': name the exact resource ARNs, never '*'`);
    }
  }

  const requestParameters: { [param: string]: string } = {};
  for (const [param, value] of Object.entries(options.requestParameters ?? {})) {
    if (!REQUEST_PARAMETER.test(param)) {
      fail(`request parameter '${param}' must be named integration.request.header|querystring|path.NAME`);
    }
    if (typeof value !== 'string' || value.length === 0) fail(`request parameter ${param} needs a value`);
    // A static value ('...') is sent as it is: no line break or control character may split the header.
    if (value.startsWith("'")) checkStaticValue(name, `ServiceAction.custom: request parameter ${param} value`, value);
    requestParameters[param] = value;
  }
  if (options.contentType !== undefined) {
    const param = 'integration.request.header.Content-Type';
    if (Object.keys(requestParameters).some((p) => p.toLowerCase() === param.toLowerCase())) {
      fail(`contentType and requestParameters both set ${param}: keep one`);
    }
    if (!/^[\w.+-]+\/[\w.+-]+(;\s*[\w.-]+=[\w.-]+)*$/.test(options.contentType)) {
      fail(`contentType '${options.contentType}' is not a media type such as application/x-amz-json-1.1`);
    }
    requestParameters[param] = staticHeaderValue(name, 'Content-Type', options.contentType);
  }

  return {
    service,
    action,
    path,
    integrationHttpMethod: httpMethod,
    requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
    requestTemplates: { 'application/json': options.requestTemplate },
    responses: [{ statusCode: 200, template: options.responseTemplate }, ...serviceErrorResponses()],
    grants: [{ actions: [...actions], resources: [...resources] }],
    userTemplates: [
      { option: 'ServiceAction.custom requestTemplate', template: options.requestTemplate, successResponse: false },
      ...(options.responseTemplate !== undefined
        ? [{ option: 'ServiceAction.custom responseTemplate', template: options.responseTemplate, successResponse: true }]
        : []),
    ],
  };
}
