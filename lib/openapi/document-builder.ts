/**
 * The OpenAPI 3.0.3 document of one REST API, from its resolved resources (./api-snapshot.ts): every
 * path and method, its path, query and header parameters (required when declared so and a validator
 * checks parameters), its request body from the method's models (required when a validator checks
 * bodies), its responses from the method responses, security schemes per operation (API keys, Cognito
 * and Lambda authorizers, IAM SigV4), operationId from operationName, a server per stage. With
 * `includeIntegrations`, API Gateway's own extensions so that the document can be imported by API
 * Gateway (`x-amazon-apigateway-integration` and the rest). A pure function: no construct, no file.
 */
import { ApiSnapshot, ResolvedResource } from './api-snapshot';
import { placeholderString, withPlaceholders } from './placeholders';
import { componentName, toOpenApiSchema } from './schema-conversion';

export interface DocumentOptions {
  readonly includeIntegrations: boolean;
  /** info.title. @default the API's name */
  readonly title?: string;
  /** info.version. @default '1.0' */
  readonly version?: string;
  /** Per `METHOD /path`: the route kind and description the routes of this library record. */
  readonly routeNotes?: ReadonlyMap<string, RouteNote>;
}

/** What a route of this library adds to its operation. */
export interface RouteNote {
  readonly kind: string;
  readonly description?: string;
  /** Parameter descriptions by `in:name` (`query:limit`, `header:X-Session-Id`, `path:orderId`). */
  readonly parameterDescriptions?: Readonly<Record<string, string>>;
}

/** API Gateway's built-in models, which methods name without defining them. */
const BUILT_IN_MODELS: Record<string, Record<string, unknown>> = {
  Empty: { title: 'Empty Schema', type: 'object' },
  Error: { title: 'Error Schema', type: 'object', properties: { message: { type: 'string' } } },
};

function ref(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && typeof (value as { Ref?: unknown }).Ref === 'string' ? (value as { Ref: string }).Ref : undefined;
}

/** Resource logical id → full path. */
function resourcePaths(snapshot: ApiSnapshot): Map<string, string> {
  const byId = new Map(snapshot.resources.map((r) => [r.logicalId, r]));
  const paths = new Map<string, string>();
  const pathOf = (id: string, seen: Set<string>): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const r = byId.get(id);
    if (!r || seen.has(id)) return '/';
    seen.add(id);
    const parent = ref(r.properties.ParentId);
    const base = parent ? pathOf(parent, seen) : '/';
    const p = `${base === '/' ? '' : base}/${placeholderString(r.properties.PathPart)}`;
    paths.set(id, p);
    return p;
  };
  for (const r of snapshot.resources) pathOf(r.logicalId, new Set());
  return paths;
}

export function buildOpenApiDocument(snapshot: ApiSnapshot, options: DocumentOptions): Record<string, unknown> {
  const api = snapshot.api.properties;
  const paths = resourcePaths(snapshot);
  const schemas: Record<string, unknown> = {};
  const modelNames = new Map<string, string>();
  for (const m of snapshot.models) {
    const name = componentName(placeholderString(m.properties.Name ?? m.logicalId));
    modelNames.set(m.logicalId, name);
    schemas[name] = toOpenApiSchema(withPlaceholders(m.properties.Schema ?? {}), name, (n, s) => { schemas[n] = s; });
  }
  const modelRef = (value: unknown): string => {
    const id = ref(value);
    const name = id ? modelNames.get(id) ?? componentName(id) : componentName(placeholderString(value));
    if (!(name in schemas) && BUILT_IN_MODELS[name]) schemas[name] = BUILT_IN_MODELS[name];
    return `#/components/schemas/${name}`;
  };

  const validators = new Map(snapshot.validators.map((v) => [v.logicalId, v]));
  const validatorName = (v: ResolvedResource): string => placeholderString(v.properties.Name ?? v.logicalId);
  const securitySchemes: Record<string, unknown> = {};
  const authorizerNames = new Map<string, string>();
  for (const a of snapshot.authorizers) {
    const name = componentName(placeholderString(a.properties.Name ?? a.logicalId));
    authorizerNames.set(a.logicalId, name);
    securitySchemes[name] = authorizerScheme(a, options.includeIntegrations);
  }

  const document: Record<string, unknown> = {
    openapi: '3.0.3',
    info: {
      title: options.title ?? placeholderString(api.Name ?? snapshot.api.logicalId),
      version: options.version ?? '1.0',
      ...(api.Description !== undefined ? { description: placeholderString(api.Description) } : {}),
    },
    servers: (snapshot.stages.length > 0 ? snapshot.stages : [{ logicalId: '', properties: { StageName: 'prod' } }]).map((s) => ({
      url: 'https://{restApiId}.execute-api.{region}.amazonaws.com/{basePath}',
      variables: {
        restApiId: { default: `\${${snapshot.api.logicalId}}` },
        region: { default: '${AWS::Region}' },
        basePath: { default: placeholderString(s.properties.StageName) },
      },
    })),
    paths: {} as Record<string, Record<string, unknown>>,
    components: { schemas, securitySchemes },
  };
  const docPaths = document.paths as Record<string, Record<string, unknown>>;
  const sorted = [...snapshot.methods].sort((a, b) => {
    const pa = methodPath(a, paths);
    const pb = methodPath(b, paths);
    return pa === pb ? String(a.properties.HttpMethod).localeCompare(String(b.properties.HttpMethod)) : pa.localeCompare(pb);
  });
  const operationIds = new Set<string>();
  for (const m of sorted) {
    const p = m.properties;
    const path = methodPath(m, paths);
    const verb = String(p.HttpMethod).toUpperCase();
    const note = options.routeNotes?.get(`${verb} ${path}`);
    const validator = ref(p.RequestValidatorId) ? validators.get(ref(p.RequestValidatorId)!) : undefined;
    const checksParameters = validator?.properties.ValidateRequestParameters === true;
    const checksBody = validator?.properties.ValidateRequestBody === true;
    const operation: Record<string, unknown> = {};
    if (typeof p.OperationName === 'string' && !operationIds.has(p.OperationName)) {
      operation.operationId = p.OperationName;
      operationIds.add(p.OperationName);
    }
    if (note?.description) operation.description = note.description;
    if (note) operation['x-cdk-apigateway-patterns-route'] = note.kind;
    const parameters = methodParameters(path, (p.RequestParameters ?? {}) as Record<string, unknown>, checksParameters, note);
    if (parameters.length > 0) operation.parameters = parameters;
    const models = Object.entries((p.RequestModels ?? {}) as Record<string, unknown>);
    if (models.length > 0) {
      operation.requestBody = {
        required: checksBody,
        content: Object.fromEntries(models.map(([type, model]) => [type, { schema: { $ref: modelRef(model) } }])),
      };
    }
    operation.responses = methodResponses(p.MethodResponses, modelRef);
    const security = operationSecurity(p, authorizerNames, securitySchemes);
    if (security) operation.security = security;
    if (options.includeIntegrations) {
      if (p.Integration) operation['x-amazon-apigateway-integration'] = integrationExtension(p.Integration);
      if (validator) operation['x-amazon-apigateway-request-validator'] = validatorName(validator);
    }
    const verbs = verb === 'ANY' ? ['x-amazon-apigateway-any-method'] : [verb.toLowerCase()];
    docPaths[path] = { ...docPaths[path], [verbs[0]]: operation };
  }
  if (options.includeIntegrations) Object.assign(document, apiExtensions(snapshot, validatorName));
  if (Object.keys(securitySchemes).length === 0) delete (document.components as Record<string, unknown>).securitySchemes;
  return document;
}

function methodPath(m: ResolvedResource, paths: Map<string, string>): string {
  const id = ref(m.properties.ResourceId);
  return (id && paths.get(id)) || '/';
}

function methodParameters(path: string, requestParameters: Record<string, unknown>, checksParameters: boolean, note: RouteNote | undefined): unknown[] {
  const out: Array<Record<string, unknown>> = [];
  const seen = new Set<string>();
  const describe = (where: string, name: string): Record<string, unknown> => {
    const d = note?.parameterDescriptions?.[`${where}:${name}`];
    return d ? { description: d } : {};
  };
  for (const m of path.matchAll(/\{([^}+]+)(\+?)\}/g)) {
    // A greedy parameter keeps API Gateway's `{proxy+}` in the path; its name matches that template.
    out.push({ name: `${m[1]}${m[2]}`, in: 'path', required: true, schema: { type: 'string' }, ...describe('path', m[1]) });
    seen.add(`path:${m[1]}`);
  }
  for (const [key, required] of Object.entries(requestParameters)) {
    const m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(key);
    if (!m) continue;
    const where = m[1] === 'querystring' || m[1] === 'multivaluequerystring' ? 'query' : m[1] === 'path' ? 'path' : 'header';
    if (seen.has(`${where}:${m[2]}`)) continue;
    seen.add(`${where}:${m[2]}`);
    const multi = m[1].startsWith('multivalue');
    out.push({
      name: m[2], in: where,
      required: where === 'path' ? true : required === true && checksParameters,
      schema: multi ? { type: 'array', items: { type: 'string' } } : { type: 'string' },
      ...(multi ? { style: where === 'query' ? 'form' : 'simple', explode: where === 'query' } : {}),
      ...describe(where, m[2]),
    });
  }
  return out;
}

function methodResponses(responses: unknown, modelRef: (model: unknown) => string): Record<string, unknown> {
  const list = Array.isArray(responses) ? responses as Array<Record<string, any>> : [];
  if (list.length === 0) return { default: { description: 'The integration\'s answer (the method declares no response)' } };
  return Object.fromEntries(list.map((r) => {
    const headers = Object.keys((r.ResponseParameters ?? {}) as Record<string, unknown>)
      .map((k) => /^method\.response\.header\.(.+)$/.exec(k)?.[1])
      .filter((h): h is string => h !== undefined);
    const models = Object.entries((r.ResponseModels ?? {}) as Record<string, unknown>);
    return [String(r.StatusCode), {
      description: `${r.StatusCode} response`,
      ...(headers.length > 0 ? { headers: Object.fromEntries(headers.map((h) => [h, { schema: { type: 'string' } }])) } : {}),
      ...(models.length > 0 ? { content: Object.fromEntries(models.map(([type, model]) => [type, { schema: { $ref: modelRef(model) } }])) } : {}),
    }];
  }));
}

function operationSecurity(p: Record<string, any>, authorizers: Map<string, string>, schemes: Record<string, unknown>): unknown[] | undefined {
  const requirement: Record<string, string[]> = {};
  const type = String(p.AuthorizationType ?? 'NONE');
  if (type === 'AWS_IAM') {
    schemes.sigv4 = { 'type': 'apiKey', 'name': 'Authorization', 'in': 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
    requirement.sigv4 = [];
  } else if (type === 'COGNITO_USER_POOLS' || type === 'CUSTOM') {
    const id = ref(p.AuthorizerId);
    const name = id ? authorizers.get(id) : undefined;
    if (name) requirement[name] = type === 'COGNITO_USER_POOLS' ? ((p.AuthorizationScopes ?? []) as string[]) : [];
  }
  if (p.ApiKeyRequired === true) {
    schemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
    requirement.api_key = [];
  }
  return Object.keys(requirement).length > 0 ? [requirement] : undefined;
}

function authorizerScheme(a: ResolvedResource, withExtensions: boolean): Record<string, unknown> {
  const p = a.properties;
  const identity = placeholderString(p.IdentitySource ?? 'method.request.header.Authorization');
  const header = /^method\.request\.header\.([^,\s]+)$/.exec(identity)?.[1];
  const scheme: Record<string, unknown> = { type: 'apiKey', name: header ?? 'Authorization', in: 'header' };
  const type = String(p.Type).toUpperCase();
  scheme['x-amazon-apigateway-authtype'] = type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom';
  if (!withExtensions) return scheme;
  const authorizer: Record<string, unknown> = { type: type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : type.toLowerCase() };
  if (p.ProviderARNs) authorizer.providerARNs = withPlaceholders(p.ProviderARNs);
  if (p.AuthorizerUri) authorizer.authorizerUri = placeholderString(p.AuthorizerUri);
  if (p.AuthorizerCredentials) authorizer.authorizerCredentials = placeholderString(p.AuthorizerCredentials);
  if (p.IdentitySource !== undefined) authorizer.identitySource = identity;
  if (p.IdentityValidationExpression !== undefined) authorizer.identityValidationExpression = placeholderString(p.IdentityValidationExpression);
  if (p.AuthorizerResultTtlInSeconds !== undefined) authorizer.authorizerResultTtlInSeconds = p.AuthorizerResultTtlInSeconds;
  scheme['x-amazon-apigateway-authorizer'] = authorizer;
  return scheme;
}

function integrationExtension(integration: Record<string, any>): Record<string, unknown> {
  const i = withPlaceholders(integration) as Record<string, any>;
  const out: Record<string, unknown> = { type: String(i.Type).toLowerCase() };
  const copy: Array<[string, string]> = [
    ['IntegrationHttpMethod', 'httpMethod'], ['Uri', 'uri'], ['Credentials', 'credentials'], ['ConnectionType', 'connectionType'],
    ['ConnectionId', 'connectionId'], ['RequestParameters', 'requestParameters'], ['RequestTemplates', 'requestTemplates'],
    ['ContentHandling', 'contentHandling'], ['TimeoutInMillis', 'timeoutInMillis'], ['CacheKeyParameters', 'cacheKeyParameters'],
    ['CacheNamespace', 'cacheNamespace'],
  ];
  for (const [from, to] of copy) if (i[from] !== undefined) out[to] = i[from];
  if (i.PassthroughBehavior !== undefined) out.passthroughBehavior = String(i.PassthroughBehavior).toLowerCase();
  const responses = (i.IntegrationResponses ?? []) as Array<Record<string, any>>;
  if (responses.length > 0) {
    out.responses = Object.fromEntries(responses.map((r) => [r.SelectionPattern ?? 'default', {
      statusCode: String(r.StatusCode),
      ...(r.ResponseParameters ? { responseParameters: r.ResponseParameters } : {}),
      ...(r.ResponseTemplates ? { responseTemplates: r.ResponseTemplates } : {}),
      ...(r.ContentHandling ? { contentHandling: r.ContentHandling } : {}),
    }]));
  }
  return out;
}

function apiExtensions(snapshot: ApiSnapshot, validatorName: (v: ResolvedResource) => string): Record<string, unknown> {
  const api = withPlaceholders(snapshot.api.properties) as Record<string, any>;
  const out: Record<string, unknown> = {};
  if (snapshot.validators.length > 0) {
    out['x-amazon-apigateway-request-validators'] = Object.fromEntries(snapshot.validators.map((v) => [validatorName(v), {
      validateRequestBody: v.properties.ValidateRequestBody === true,
      validateRequestParameters: v.properties.ValidateRequestParameters === true,
    }]));
  }
  if (api.ApiKeySourceType) out['x-amazon-apigateway-api-key-source'] = api.ApiKeySourceType;
  if (Array.isArray(api.BinaryMediaTypes) && api.BinaryMediaTypes.length > 0) {
    // CloudFormation takes `~1` for `/` in binary media types; the extension takes the media type.
    out['x-amazon-apigateway-binary-media-types'] = api.BinaryMediaTypes.map((t: string) => t.replace(/~1/g, '/'));
  }
  if (snapshot.gatewayResponses.length > 0) {
    out['x-amazon-apigateway-gateway-responses'] = Object.fromEntries(snapshot.gatewayResponses.map((g) => {
      const p = withPlaceholders(g.properties) as Record<string, any>;
      return [p.ResponseType, {
        ...(p.StatusCode ? { statusCode: String(p.StatusCode) } : {}),
        ...(p.ResponseParameters ? { responseParameters: p.ResponseParameters } : {}),
        ...(p.ResponseTemplates ? { responseTemplates: p.ResponseTemplates } : {}),
      }];
    }));
  }
  if (api.MinimumCompressionSize !== undefined) out['x-amazon-apigateway-minimum-compression-size'] = api.MinimumCompressionSize;
  return out;
}
