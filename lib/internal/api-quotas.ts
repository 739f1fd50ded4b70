import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { IConstruct } from 'constructs';

/**
 * API Gateway's per-API quotas that CloudFormation only meets at deploy time, checked at synth over
 * everything on one REST API: what routes of this library made and what plain aws-cdk-lib code added to
 * the same RestApi (in its stack and in its route stacks). Numbers and names are those of the API Gateway
 * developer guide's "Quotas for configuring and running a REST API" table and "Important notes" section.
 */

/** "Resources per API": 300 by default, adjustable (Service Quotas code L-01C8A9E0). */
export const RESOURCES_PER_API = 300;
const RESOURCES_QUOTA_CODE = 'L-01C8A9E0';
/** "Authorizers per API (AWS Lambda and Amazon Cognito)": 10 by default, raised through the AWS Support Center. */
export const AUTHORIZERS_PER_API = 10;
/** "the maximum length of the method's ARN is 1600 bytes" when authorization is enabled on a method. */
export const METHOD_ARN_MAX_BYTES = 1600;

/**
 * The longest plausible parts of a method ARN when the stack leaves them to deploy time: the partition
 * `aws-us-gov` (10), a Region such as `us-isof-south-1` (15), a 12-digit account, a 10-character API id,
 * and a stage name of up to 128 characters when the API's stage names are not known.
 */
const LONGEST = { partition: 10, region: 15, account: 12, apiId: 10, stage: 128, method: 'OPTIONS'.length };

export const WARN_RESOURCES = 'cdk-apigateway-patterns:resourcesPerApi';
export const WARN_AUTHORIZERS = 'cdk-apigateway-patterns:authorizersPerApi';
export const WARN_METHOD_ARN = 'cdk-apigateway-patterns:methodArnLength';
export const WARN_VPC_LINK_PORT = 'cdk-apigateway-patterns:vpcLinkPortWithoutListener';

/** How one REST API looks from one stack: the API's own stack, or a route stack that imports it. */
export interface ApiView {
  readonly stack: Stack;
  readonly api: apigw.IRestApi;
}

/**
 * Warns about the quotas `views` of one API exceed. Meant to run once per API at synth (a validation), so
 * the construct tree is scanned once per API, not per route.
 */
export function warnApiQuotas(api: apigw.IRestApi, views: ApiView[]): void {
  const apis = new Set(views.map((v) => v.api));
  // A route stack inside the API's stack is in its tree already: scan each tree once.
  const stacks = new Set(views.map((v) => v.stack));
  const constructs: IConstruct[] = [];
  for (const stack of stacks) {
    if (stack.node.scopes.slice(0, -1).some((s) => stacks.has(s as Stack))) continue;
    constructs.push(...stack.node.findAll());
  }

  const paths = new Set<string>();
  const methods: apigw.Method[] = [];
  const stageNames = new Set<string | undefined>();
  let authorizers = 0;
  const apiIds = new Map(views.map((v) => [v.stack, JSON.stringify(v.stack.resolve(v.api.restApiId))]));
  for (const c of constructs) {
    if (c instanceof apigw.Resource && apis.has(c.api)) paths.add(c.path);
    else if (c instanceof apigw.Method && apis.has(c.api)) methods.push(c);
    else if (c instanceof apigw.Stage && apis.has(c.restApi)) {
      const name = (c.node.defaultChild as apigw.CfnStage).stageName;
      stageNames.add(name === undefined || Token.isUnresolved(name) ? undefined : name);
    }
    else if (c instanceof apigw.CfnAuthorizer) {
      const stack = Stack.of(c);
      if (apiIds.has(stack) && JSON.stringify(stack.resolve(c.restApiId)) === apiIds.get(stack)) authorizers++;
    }
  }

  const where = api.node.path;
  const routeStacks = views.length - 1;
  // The root resource `/` counts too: API Gateway lists it among the API's resources.
  const resources = paths.size + 1;
  if (resources > RESOURCES_PER_API) {
    Annotations.of(api).addWarningV2(WARN_RESOURCES,
      `${where} has ${resources} resources (paths, the root / included)${routeStacks > 0 ? ` across its stack and ${routeStacks} route stack(s)` : ''}, ` +
      `over API Gateway's "Resources per API" quota of ${RESOURCES_PER_API} (the default; adjustable): the deployment fails ` +
      'unless the quota has been raised for this account and Region. Request an increase in the Service Quotas console ' +
      `(Amazon API Gateway, "Resources/Routes per REST/WebSocket API", ${RESOURCES_QUOTA_CODE}) or with \`aws service-quotas ` +
      `request-service-quota-increase --service-code apigateway --quota-code ${RESOURCES_QUOTA_CODE} --desired-value ${resources}\`, ` +
      'or use fewer paths (a greedy {proxy+} route, or split the API); acknowledge this warning once the quota is raised');
  }
  if (authorizers > AUTHORIZERS_PER_API) {
    Annotations.of(api).addWarningV2(WARN_AUTHORIZERS,
      `${where} has ${authorizers} authorizers, over API Gateway's "Authorizers per API (AWS Lambda and Amazon Cognito)" quota ` +
      `of ${AUTHORIZERS_PER_API} (the default): the deployment fails unless the quota has been raised, which is done through ` +
      'the AWS Support Center (it is not in the Service Quotas console). Or share authorizers: routes with the same user ' +
      'pools, or the same function and identity source, already share one (RouteAuthorization.authorizer(existing) reuses yours)');
  }
  warnLongMethodArns(api, methods, stageNames);
}

/**
 * API Gateway refuses a request to an authorized method whose ARN
 * (`arn:aws:execute-api:region:account:apiId/stage/METHOD/path`) is over 1,600 bytes with 414. Path
 * parameter values only exist at run time, so this counts one byte for each: a warning means every
 * request fails, and the bytes left are what parameter values may take.
 */
function warnLongMethodArns(api: apigw.IRestApi, methods: apigw.Method[], stageNames: Set<string | undefined>): void {
  const stack = Stack.of(api);
  const known = (s: string) => (Token.isUnresolved(s) ? undefined : s.length);
  const stage = stageNames.size === 0 || stageNames.has(undefined) ? LONGEST.stage : Math.max(...[...stageNames].map((s) => s!.length));
  const prefix = 'arn::execute-api:::'.length + (known(stack.partition) ?? LONGEST.partition) + (known(stack.region) ?? LONGEST.region) +
    (known(stack.account) ?? LONGEST.account) + LONGEST.apiId + 1 + stage + 1;
  for (const method of methods) {
    const cfn = method.node.defaultChild as apigw.CfnMethod;
    const type = Stack.of(method).resolve(cfn.authorizationType);
    if (type === undefined || type === apigw.AuthorizationType.NONE) continue;
    const path = method.resource.path;
    const pathBytes = Buffer.byteLength(path.replace(/\{[^}]+\}/g, 'x'));
    const verb = method.httpMethod === 'ANY' ? LONGEST.method : method.httpMethod.length;
    const bytes = prefix + verb + pathBytes;
    if (bytes <= METHOD_ARN_MAX_BYTES) continue;
    Annotations.of(method).addWarningV2(WARN_METHOD_ARN,
      `${method.httpMethod} ${path} (${method.node.path}) is ${type}-authorized and its method ARN ` +
      `(arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/${method.httpMethod}${path}) takes at least ${bytes} bytes, ` +
      `over API Gateway's limit of ${METHOD_ARN_MAX_BYTES} bytes for methods with authorization: every request would answer ` +
      '414 Request URI too long. The estimate counts one byte per path parameter and, where the stack does not fix them, ' +
      `the longest plausible partition (${LONGEST.partition}), Region (${LONGEST.region}), account (${LONGEST.account}), API id ` +
      `(${LONGEST.apiId}) and stage name (${LONGEST.stage} when stage names are unknown): shorten the path (e.g. a {proxy+} route)`);
  }
}

/** The listener ports of a load balancer defined in the app (undefined for a token), found at synth. */
function listenerPorts(lb: elbv2.ILoadBalancerV2): Array<number | undefined> {
  const ports: Array<number | undefined> = [];
  for (const c of lb.node.root.node.findAll()) {
    if (!(c instanceof elbv2.CfnListener)) continue;
    const listener = c.node.scope as { loadBalancer?: unknown } | undefined;
    if (listener?.loadBalancer !== lb) continue;
    ports.push(c.port === undefined || Token.isUnresolved(c.port) ? undefined : c.port);
  }
  return ports;
}

/** The TCP port of an http(s) URI, or undefined when a token or stage variable decides it. @internal */
export function uriPort(uri: string): number | undefined {
  const m = /^(https?):\/\/([^/?#]*)/.exec(uri);
  if (!m) return undefined;
  const authority = m[2];
  if (authority.includes('${stageVariables.')) return undefined;
  const port = /:(\d{1,5})$/.exec(authority);
  if (port) return Number(port[1]);
  // A host without a port (a DNS name, or a token for one such as loadBalancerDnsName) takes the scheme's.
  return m[1] === 'https' ? 443 : 80;
}

/** The routes that call each load balancer, checked together: one scan for listeners per load balancer and synth. */
const CALLERS = new WeakMap<elbv2.ILoadBalancerV2, Array<{ scope: IConstruct; route: string; uri: string }>>();

/**
 * Warns at synth when `uri` calls a port on which the load balancer, defined in this app, has no listener:
 * the VPC link then cannot connect and every request fails. Load balancers imported by attributes are
 * skipped, since their listeners are not known.
 */
export function warnIfNoListenerServes(scope: IConstruct, route: string, lb: elbv2.ILoadBalancerV2 | undefined, uri: string): void {
  if (!(lb instanceof elbv2.BaseLoadBalancer)) return;
  let callers = CALLERS.get(lb);
  if (!callers) {
    CALLERS.set(lb, callers = []);
    const registered = callers;
    lb.node.addValidation({ validate: () => warnUnservedPorts(lb, registered) });
  }
  callers.push({ scope, route, uri });
}

function warnUnservedPorts(lb: elbv2.ILoadBalancerV2, callers: Array<{ scope: IConstruct; route: string; uri: string }>): string[] {
  const ports = listenerPorts(lb);
  if (ports.includes(undefined)) return [];
  for (const { scope, route, uri } of callers) {
    const port = uriPort(uri);
    if (port === undefined || ports.includes(port)) continue;
    Annotations.of(scope).addWarningV2(WARN_VPC_LINK_PORT,
      `${route}: calls port ${port} of ${lb.node.path}, which has ${ports.length === 0 ? 'no listener' : `listeners on port(s) ${ports.join(', ')} only`}: ` +
      'the VPC link cannot connect and requests fail; add a listener on that port (loadBalancer.addListener(...)) or call ' +
      'a port it serves (the route\'s port, or the port in uri)');
  }
  return [];
}
