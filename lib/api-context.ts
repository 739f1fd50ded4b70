import * as crypto from 'crypto';
import { Annotations, CfnElement, CfnResource, Lazy, Names, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { warnApiQuotas } from './internal/api-quotas';
import { AuthorizerRegistry } from './internal/authorization-types';
import { ResolvedCors, sameCors } from './internal/resolved-cors';
import { ANY_EXPANDED, methodSettingsResourcePath } from './internal/route-path';
import {
  asMethodResponseParameters,
  corsPreflightHeaders,
  declaredMethodResponseParameters,
  gatewayResponseCorsHeaders,
  originReflectionTemplate,
} from './templates/cors-templates';

const CONTEXT_ID = 'ApigatewayPatterns';
const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
/**
 * Resources per integration-role statement. aws-cdk-lib moves whole statements into overflow managed
 * policies (10,000 / 6,000 estimated characters, 150 per token ARN) but never splits one, so a single
 * statement listing every queue of a large API could fit nowhere. 12 token ARNs estimate ~1,900
 * characters: 5 statements stay inline, 3 fit in each managed policy, and `minimizePolicies` (which
 * merges only up to 2,000) leaves them as they are.
 */
const RESOURCES_PER_STATEMENT = 12;
/** 80 % of CloudFormation's 500 resources per stack. */
const STACK_RESOURCE_WARNING = 400;

/** The real RestApi of each API import an ApiNestedStack made. */
const IMPORTED_APIS = new WeakMap<apigw.IRestApi, apigw.IRestApi>();

/** What ApiContext needs of an ApiNestedStack (the class imports ApiContext). */
export interface NestedRouteStack extends Stack {
  readonly importedApi: apigw.IRestApi;
}

/** A hash of the API resources and methods of a nested stack, as they will be deployed. */
function nestedApiHash(nested: Stack): string {
  const hash = crypto.createHash('sha256');
  for (const c of nested.node.findAll()) {
    if (c instanceof CfnElement && Stack.of(c) === nested && (c instanceof apigw.CfnMethod || c instanceof apigw.CfnResource)) {
      hash.update(c.node.path);
      hash.update(JSON.stringify(nested.resolve((c as unknown as { _toCloudFormation(): object })._toCloudFormation())));
    }
  }
  return hash.digest('hex');
}

/** What a route asks to be cached in the stage's method settings. */
export interface CachedMethod {
  readonly route: string;
  readonly path: string;
  readonly method: string;
  readonly ttlSeconds: number;
  readonly dataEncrypted: boolean;
  readonly clusterSize?: string;
}

interface CorsResource {
  readonly route: string;
  readonly cors: ResolvedCors;
  readonly methods: Set<string>;
}

/**
 * The state that must exist once per RestApi however many routes use it: the route table (duplicate
 * and conflict checks), one Lambda permission per function, one authorizer per identity, one request
 * validator per kind, one OPTIONS method per CORS resource, one pair of CORS gateway responses, and the
 * cache settings of the stage. It lives under the API's construct node, so every route on the same
 * RestApi finds the same instance. Lookups are map-based: adding a route never scans the construct tree.
 * @internal
 */
export class ApiContext extends Construct implements AuthorizerRegistry {
  /** The context of `api`, created on first use. */
  public static of(api: apigw.IRestApi): ApiContext {
    // The API as an ApiNestedStack imports it shares the real API's context.
    api = IMPORTED_APIS.get(api) ?? api;
    const existing = api.node.tryFindChild(CONTEXT_ID);
    if (existing instanceof ApiContext) return existing;
    if (existing) throw new Error(`${api.node.path} already has a child named '${CONTEXT_ID}': rename it`);
    return new ApiContext(api, CONTEXT_ID);
  }

  /** API-wide CORS settings from `ApiCors`, applied to routes that do not set their own. */
  public apiCors?: ResolvedCors;

  private readonly routes = new Map<string, string>();
  private readonly parameterSiblings = new Map<string, { name: string; route: string }>();
  private readonly permissions = new Map<lambda.IFunction, lambda.CfnPermission | undefined>();
  private readonly authorizers = new Map<string, apigw.IAuthorizer>();
  private readonly validators = new Map<string, apigw.IRequestValidator>();
  private readonly corsResources = new Map<string, CorsResource>();
  private readonly cached: CachedMethod[] = [];
  private readonly grantStatements = new Map<string, { statements: iam.PolicyStatement[]; resources: Set<string> }>();
  private role?: iam.Role;
  private corsGatewayResponses = false;
  private cacheInstalled = false;
  private stageClusterSize?: string;

  private readonly methods: Array<{ route: string; method: apigw.Method }> = [];
  private readonly nestedStacks: NestedRouteStack[] = [];
  /** Where each path's resource lives (the API's stack: `undefined`), and the resource itself. */
  private readonly resourceOwners = new Map<string, { home?: NestedRouteStack; resource: apigw.IResource }>();
  /** The resource of each path as each stack sees it (created there or imported). */
  private readonly resourcesByHome = new Map<NestedRouteStack | undefined, Map<string, apigw.IResource>>();
  private readonly usagePlanStages = new Set<apigw.Stage>();

  private constructor(private readonly api: apigw.IRestApi, id: string) {
    super(api, id);
    this.node.addValidation({ validate: () => this.validateApiKeys() });
    this.node.addValidation({ validate: () => this.warnNearStackLimits() });
    this.node.addValidation({ validate: () => {
      warnApiQuotas(this.api, [{ stack: Stack.of(this.api), api: this.api }, ...this.nestedStacks.map((n) => ({ stack: n, api: n.importedApi }))]);
      return [];
    } });
  }

  /**
   * Registers a nested stack of this API's routes: the deployment waits for it, and its logical id
   * changes whenever a method or resource in it changes (aws-cdk-lib only hashes methods of the API's
   * own stack).
   */
  public registerNestedStack(nested: NestedRouteStack): void {
    this.nestedStacks.push(nested);
    IMPORTED_APIS.set(nested.importedApi, this.api);
    const deployment = this.api.latestDeployment;
    if (!deployment) return;
    deployment.node.addDependency(nested);
    deployment.addToLogicalId({
      nestedStack: nested.node.path,
      resources: Lazy.string({ produce: () => nestedApiHash(nested) }),
    });
  }

  /**
   * The resource of `path` for a route in `home` (a nested stack, or the API's stack when undefined):
   * each path segment is created once, in the first stack that needs it, and imported by reference into
   * the others, since API Gateway allows one resource per path.
   */
  public resourceFor(path: string, home: NestedRouteStack | undefined): apigw.IResource {
    let known = this.resourcesByHome.get(home);
    if (!known) this.resourcesByHome.set(home, known = new Map());
    const cached = known.get(path);
    if (cached) return cached;
    let resource: apigw.IResource;
    if (path === '/') {
      resource = home ? home.importedApi.root : this.api.root;
    } else {
      const owner = this.resourceOwners.get(path);
      if (owner && owner.home === home) {
        resource = owner.resource;
      } else if (owner) {
        resource = apigw.Resource.fromResourceAttributes(home ?? this, `Resource${crypto.createHash('sha256').update(path).digest('hex').slice(0, 16)}`, {
          resourceId: owner.resource.resourceId,
          restApi: home ? home.importedApi : this.api,
          path,
        });
      } else {
        const slash = path.lastIndexOf('/');
        const parent = this.resourceFor(slash === 0 ? '/' : path.slice(0, slash), home);
        const part = path.slice(slash + 1);
        // In the API's stack a resource the user made with resourceForPath is taken as it is.
        resource = parent.getResource(part) ?? parent.addResource(part);
        this.resourceOwners.set(path, { home, resource });
      }
    }
    known.set(path, resource);
    return resource;
  }

  /** Records a route's method, for the API key checks at synth. */
  public registerMethod(route: string, method: apigw.Method): void {
    this.methods.push({ route, method });
    if (Stack.of(method) !== Stack.of(this.api)) {
      // A method in a nested stack is on the API as seen from there (an import), which aws-cdk-lib does not
      // link to the RestApi: attach it, so the RestApi knows it has methods and its deployments wait for it.
      (this.api as unknown as { _attachMethod?(m: apigw.Method): void })._attachMethod?.(method);
    }
  }

  /** Records stages a `UsagePlanTier` covers. */
  public registerUsagePlanStages(stages: apigw.Stage[]): void {
    for (const stage of stages) this.usagePlanStages.add(stage);
  }

  /**
   * Warns when the API's stack or one of its route stacks holds 80 % of CloudFormation's 500 resources
   * (aws-cdk-lib fails the synth past 500): one scan per stack at synth, not per route.
   */
  private warnNearStackLimits(): string[] {
    const stacks: Stack[] = [Stack.of(this.api), ...this.nestedStacks];
    for (const stack of stacks) {
      const count = stack.node.findAll().filter((c) => c instanceof CfnResource && Stack.of(c) === stack).length;
      if (count >= STACK_RESOURCE_WARNING) {
        Annotations.of(stack).addWarningV2('cdk-apigateway-patterns:stackNearResourceLimit',
          `${stack.node.path} holds ${count} resources, ${Math.round(count / 5)} % of CloudFormation's 500 per stack: ` +
          `create more routes of ${this.api.node.path} in an ApiNestedStack (or ApiNestedStacks.scopeForNextRoute())`);
      }
    }
    return [];
  }

  /**
   * Routes that require an API key: with the AUTHORIZER key source, each needs a Lambda authorizer (which
   * returns the key), else every call is refused; and a warning names each stage no usage plan covers,
   * since no key works there. Runs once at synth, so the stage and plan scans are not per route.
   */
  private validateApiKeys(): string[] {
    const keyed = this.methods.filter(({ method }) => (method.node.defaultChild as apigw.CfnMethod).apiKeyRequired === true);
    if (keyed.length === 0) return [];
    const errors: string[] = [];
    const cfnApi = this.api.node.defaultChild;
    if (cfnApi instanceof apigw.CfnRestApi && cfnApi.apiKeySourceType === apigw.ApiKeySourceType.AUTHORIZER) {
      for (const { route, method } of keyed) {
        if ((method.node.defaultChild as apigw.CfnMethod).authorizationType !== apigw.AuthorizationType.CUSTOM) {
          errors.push(`${route}: requires an API key, and the API's key source is AUTHORIZER, so its key must come from a ` +
            'Lambda authorizer (usageIdentifierKey): give the route RouteAuthorization.lambdaToken or lambdaRequest, or ' +
            'use the HEADER key source');
        }
      }
    }
    const stack = Stack.of(this.api);
    const stages = new Set<apigw.Stage>();
    const plans: apigw.CfnUsagePlan[] = [];
    for (const c of stack.node.findAll()) {
      if (c instanceof apigw.Stage && c.restApi === this.api) stages.add(c);
      if (c instanceof apigw.CfnUsagePlan) plans.push(c);
    }
    // Plans made without a tier count too: compare their resolved stages with each stage's API id and name.
    const covered = new Set<string>();
    for (const plan of plans) {
      for (const s of (stack.resolve(plan.apiStages) ?? []) as Array<{ apiId?: unknown; stage?: unknown }>) {
        covered.add(JSON.stringify([s.apiId, s.stage]));
      }
    }
    const uncovered = [...stages].filter((stage) => !this.usagePlanStages.has(stage) &&
      !covered.has(JSON.stringify([stack.resolve(this.api.restApiId), stack.resolve(stage.stageName)])));
    for (const stage of uncovered) {
      const names = keyed.slice(0, 3).map((k) => k.route.replace(/^Route /, '')).join(', ') + (keyed.length > 3 ? `, ... (${keyed.length} routes)` : '');
      Annotations.of(this.api).addWarningV2('cdk-apigateway-patterns:apiKeyWithoutUsagePlan',
        `${names} ${keyed.length === 1 ? 'requires' : 'require'} an API key, but no usage plan covers stage ${stage.node.path} of ${this.api.node.path}, so no ` +
        'key works there: add the stage to a UsagePlanTier (stages: [...])');
    }
    return errors;
  }

  /** The number of routes added to this API so far. */
  public get routeCount(): number {
    return this.routes.size;
  }

  /**
   * Records `method` on `path` for `route`, rejecting a second route with the same path and method and a
   * second, differently named path parameter at the same level (API Gateway refuses both at deploy time).
   */
  public registerRoute(route: string, path: string, method: string): void {
    const key = `${method} ${path}`;
    const owner = this.routes.get(key);
    if (owner) {
      throw new Error(`${route}: ${method} ${path} is already defined by ${owner} on this API: ` +
        'each path and method can have one route; change the path or method, or remove one route');
    }
    const parts = path === '/' ? [] : path.slice(1).split('/');
    parts.forEach((part, i) => {
      if (!part.startsWith('{')) return;
      const parent = '/' + parts.slice(0, i).join('/');
      const sibling = this.parameterSiblings.get(parent);
      if (sibling && sibling.name !== part) {
        throw new Error(`${route}: path ${path} uses ${part} under '${parent}', where ${sibling.route} already uses ` +
          `${sibling.name}: API Gateway allows one path parameter per level, so use ${sibling.name} here too`);
      }
      if (!sibling) this.parameterSiblings.set(parent, { name: part, route });
    });
    this.routes.set(key, route);
  }

  /**
   * Lets API Gateway invoke `handler` from any method and stage of this API, once per function, with a
   * SourceArn scoped to this API (`arn:...:execute-api:region:account:apiId/*` + `/*` + `/*`).
   */
  public grantInvoke(handler: lambda.IFunction): void {
    if (this.permissions.has(handler)) return;
    const id = `Invoke${Names.nodeUniqueId(handler.node)}`;
    handler.addPermission(id, {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: this.api.arnForExecuteApi('*', '/*', '*'),
      scope: this,
    });
    this.permissions.set(handler, this.node.tryFindChild(id) as lambda.CfnPermission | undefined);
  }

  /**
   * The role API Gateway assumes for this API's AWS service integrations, created once. Its policy
   * grows one exact action on one exact resource at a time through `grantToIntegrations`.
   */
  public get integrationRole(): iam.Role {
    if (!this.role) {
      this.role = new iam.Role(this, 'IntegrationRole', {
        assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        description: `API Gateway service integrations of ${this.api.node.path}`,
      });
    }
    return this.role;
  }

  /**
   * Allows the integration role `actions` on `resources`. Grants with the same action set share
   * statements listing each exact resource once, so 200 routes on one queue add one ARN, not 200
   * statements. Each statement holds at most RESOURCES_PER_STATEMENT resources, so that aws-cdk-lib can
   * spread a large API's grants over overflow managed policies within IAM's size limits.
   */
  public grantToIntegrations(actions: string[], resources: string[]): void {
    if (actions.length === 0 || resources.length === 0) return;
    for (const action of actions) {
      if (action.includes('*')) throw new Error(`internal error: wildcard action ${action} requested for the integration role`);
    }
    const sorted = [...actions].sort();
    const key = sorted.join(',');
    let entry = this.grantStatements.get(key);
    if (!entry) {
      entry = { statements: [], resources: new Set() };
      this.grantStatements.set(key, entry);
    }
    for (const resource of resources) {
      if (resource === '*') throw new Error(`internal error: resource * requested for ${key} on the integration role`);
      if (entry.resources.has(resource)) continue;
      entry.resources.add(resource);
      let statement = entry.statements[entry.statements.length - 1];
      if (!statement || statement.resources.length >= RESOURCES_PER_STATEMENT) {
        statement = new iam.PolicyStatement({ actions: sorted });
        entry.statements.push(statement);
        this.integrationRole.addToPrincipalPolicy(statement);
      }
      statement.addResources(resource);
    }
  }

  /** The authorizer registered under `key`, created once. */
  public authorizer(key: string, create: (scope: Construct, id: string) => apigw.IAuthorizer): apigw.IAuthorizer {
    let authorizer = this.authorizers.get(key);
    if (!authorizer) {
      authorizer = create(this, `Authorizer${this.authorizers.size + 1}`);
      this.authorizers.set(key, authorizer);
    }
    return authorizer;
  }

  /** The request validator of one kind for this API: parameters only, or body and parameters. */
  public requestValidator(validateBody: boolean): apigw.IRequestValidator {
    const id = validateBody ? 'BodyAndParametersValidator' : 'ParametersValidator';
    let validator = this.validators.get(id);
    if (!validator) {
      validator = new apigw.RequestValidator(this, id, {
        restApi: this.api,
        validateRequestBody: validateBody,
        validateRequestParameters: true,
      });
      this.validators.set(id, validator);
    }
    return validator;
  }

  /**
   * Adds `method` of `route` to the CORS resource at `path`: the first CORS route of a resource creates
   * its OPTIONS mock, later ones only add their method to Access-Control-Allow-Methods.
   */
  public addCorsRoute(route: string, resource: apigw.IResource, path: string, method: string, cors: ResolvedCors): void {
    let entry = this.corsResources.get(path);
    if (entry) {
      if (!sameCors(entry.cors, cors)) {
        throw new Error(`${route}: its CORS settings differ from those of ${entry.route} on the same resource ${path}: ` +
          'one preflight answers for the whole resource, so give both routes the same cors options');
      }
      if (method === 'ANY' || entry.methods.has('ANY')) {
        const other = method === 'ANY' ? [...entry.methods].join(', ') : 'ANY';
        throw new Error(`${route}: ${method} beside ${other} on the CORS resource ${path}: the preflight could not say ` +
          'which methods are allowed; use explicit methods (GET, POST, ...) or ANY alone');
      }
      entry.methods.add(method);
      return;
    }
    if (method === 'OPTIONS') {
      throw new Error(`${route}: an OPTIONS route with CORS on ${path}: CORS creates the OPTIONS preflight itself; ` +
        'remove this route or its cors option');
    }
    // Claim OPTIONS first: an OPTIONS route of this library on the resource is then named in the error.
    this.registerRoute(`the CORS preflight of ${route}`, path, 'OPTIONS');
    if (resource.defaultCorsPreflightOptions) {
      throw new Error(`${route}: the resource ${path} already gets a preflight from aws-cdk-lib's defaultCorsPreflightOptions: ` +
        'remove defaultCorsPreflightOptions from the RestApi (or resource) and use ApiCors or the route cors option instead');
    }
    if (resource.node.tryFindChild('OPTIONS')) {
      throw new Error(`${route}: the resource ${path} already has an OPTIONS method created outside this library: ` +
        'remove it and let the cors option create the preflight');
    }
    entry = { route, cors, methods: new Set([method]) };
    this.corsResources.set(path, entry);
    this.addPreflight(route, resource, entry);
    this.ensureCorsGatewayResponses();
  }

  /** Records a cached method; the first one switches on the stage's cache cluster and method settings. */
  public addCachedMethod(cached: CachedMethod): void {
    const other = this.cached.find((c) => c.clusterSize && cached.clusterSize && c.clusterSize !== cached.clusterSize);
    if (other) {
      throw new Error(`${cached.route}: cache clusterSize ${cached.clusterSize} differs from ${other.clusterSize} set by ` +
        `${other.route}: a stage has one cache cluster, so name one size (or leave it out on all but one route)`);
    }
    if (cached.clusterSize && !CACHE_CLUSTER_SIZES.includes(cached.clusterSize)) {
      throw new Error(`${cached.route}: cache clusterSize '${cached.clusterSize}' is not a size API Gateway offers: use one of ${CACHE_CLUSTER_SIZES.join(', ')}`);
    }
    const stage = this.cfnStage(cached.route);
    if (stage.cacheClusterEnabled === false) {
      throw new Error(`${cached.route}: asks for caching, but the stage ${stage.stageName ?? stage.node.path} has ` +
        'cacheClusterEnabled: false; enable the cache cluster or remove the cache option');
    }
    // The size the stage had before any route touched it (later routes see the size a route set).
    const configured = this.cacheInstalled ? this.stageClusterSize : stage.cacheClusterSize;
    if (cached.clusterSize && configured && configured !== cached.clusterSize) {
      throw new Error(`${cached.route}: cache clusterSize ${cached.clusterSize} differs from the stage's configured ` +
        `cacheClusterSize ${configured}: remove clusterSize from the route or change the stage`);
    }
    this.cached.push(cached);
    if (cached.clusterSize) stage.cacheClusterSize = cached.clusterSize;
    if (this.cacheInstalled) return;
    this.cacheInstalled = true;
    this.stageClusterSize = configured;
    stage.cacheClusterEnabled = true;
    if (!stage.cacheClusterSize) stage.cacheClusterSize = '0.5';
    const original = stage.methodSettings;
    stage.methodSettings = Lazy.any({ produce: () => this.renderMethodSettings(original) });
  }

  private cfnStage(route: string): apigw.CfnStage {
    let stage: apigw.Stage | undefined;
    try {
      stage = this.api.deploymentStage;
    } catch {
      stage = undefined;
    }
    const cfn = stage?.node.defaultChild;
    if (!(cfn instanceof apigw.CfnStage)) {
      throw new Error(`${route}: asks for caching, but its API has no deployment stage defined in this app: ` +
        'create the RestApi with deploy: true (the default) or set api.deploymentStage to a Stage');
    }
    return cfn;
  }

  private renderMethodSettings(original: unknown): unknown {
    const resolved = original ? Stack.of(this).resolve(original) : [];
    const settings: any[] = Array.isArray(resolved) ? [...resolved] : [];
    for (const c of this.cached) {
      const resourcePath = methodSettingsResourcePath(c.path);
      const ours = {
        resourcePath,
        httpMethod: c.method,
        cachingEnabled: true,
        cacheTtlInSeconds: c.ttlSeconds,
        cacheDataEncrypted: c.dataEncrypted,
      };
      // Merge into a user's own setting for the same method rather than emitting a duplicate.
      const i = settings.findIndex((s) => (s.resourcePath ?? s.ResourcePath) === resourcePath && (s.httpMethod ?? s.HttpMethod) === c.method);
      if (i >= 0) settings[i] = { ...settings[i], ...ours };
      else settings.push(ours);
    }
    return settings;
  }

  private addPreflight(route: string, resource: apigw.IResource, entry: CorsResource): void {
    const allowMethods = Lazy.string({
      produce: () => {
        const methods = entry.methods.has('ANY') ? ANY_EXPANDED : [...entry.methods].sort();
        return [...methods, 'OPTIONS'].join(',');
      },
    });
    const headers = corsPreflightHeaders(route, entry.cors, [allowMethods]);
    const reflection = originReflectionTemplate(entry.cors);
    const statusCode = String(entry.cors.statusCode);
    resource.addMethod('OPTIONS', new apigw.MockIntegration({
      requestTemplates: { 'application/json': `{"statusCode": ${statusCode}}` },
      passthroughBehavior: apigw.PassthroughBehavior.WHEN_NO_MATCH,
      integrationResponses: [{
        statusCode,
        responseParameters: asMethodResponseParameters(headers),
        responseTemplates: reflection ? { 'application/json': reflection } : undefined,
      }],
    }), {
      // A preflight never carries credentials or keys: it must stay open whatever the API's defaults say.
      authorizationType: apigw.AuthorizationType.NONE,
      apiKeyRequired: false,
      // Parameters the API requires by default would make every preflight fail validation.
      requestParameters: resource.defaultMethodOptions?.requestParameters ? {} : undefined,
      methodResponses: [{ statusCode, responseParameters: declaredMethodResponseParameters(headers) }],
    });
  }

  /** Adds CORS headers to the API's DEFAULT_4XX and DEFAULT_5XX gateway responses, once. */
  public ensureCorsGatewayResponses(): void {
    if (this.corsGatewayResponses) return;
    this.corsGatewayResponses = true;
    const all = () => [...new Set([...(this.apiCors ? [this.apiCors] : []), ...[...this.corsResources.values()].map((e) => e.cors)])];
    let noted = false;
    const render = () => {
      const { headers, note } = gatewayResponseCorsHeaders(all());
      if (note && !noted) {
        noted = true;
        Annotations.of(this).addWarningV2('cdk-apigateway-patterns:corsGatewayResponses', note);
      }
      const params: { [k: string]: string } = {};
      for (const [k, v] of Object.entries(headers)) params[`gatewayresponse.header.${k}`] = v;
      return params;
    };
    for (const type of [apigw.ResponseType.DEFAULT_4XX, apigw.ResponseType.DEFAULT_5XX]) {
      const response = new apigw.GatewayResponse(this, `Cors${type.responseType}`, { restApi: this.api, type });
      (response.node.defaultChild as apigw.CfnGatewayResponse).responseParameters = Lazy.any({ produce: render });
    }
    // Gateway responses only change on a new deployment: fingerprint their lazily computed headers.
    this.api.latestDeployment?.addToLogicalId({ corsGatewayResponses: Lazy.any({ produce: render }) });
  }
}

/** A readable name for a route in error messages: its construct path. */
export function routeName(route: IConstruct): string {
  return `Route ${route.node.path}`;
}
