import { GatewayResponseModel, IntegrationModel, IntegrationResponseModel, MethodModel, ResourceModel } from './model';

/**
 * The routes of a SpecRestApi's inline OpenAPI (or Swagger 2) `Body`, read as API Gateway imports
 * them: each path and operation becomes a resource and method; `x-amazon-apigateway-integration`
 * its integration (`responses` keyed by selection pattern, `default` for the default response);
 * `x-amazon-apigateway-any-method` is ANY; `x-amazon-apigateway-gateway-responses`,
 * `x-amazon-apigateway-binary-media-types` and `x-amazon-apigateway-api-key-source` the API's settings
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html).
 * Not read yet: security schemes (authorizers) and request validators of the body.
 */
export interface OpenApiRoutes {
  readonly gatewayResponses: GatewayResponseModel[];
  readonly binaryMediaTypes: string[];
  readonly apiKeySourceType?: string;
}

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

type Json = Record<string, unknown>;

function record(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function integrationOf(x: Json): IntegrationModel | undefined {
  const i = record(x['x-amazon-apigateway-integration']);
  if (Object.keys(i).length === 0) return undefined;
  const responses: IntegrationResponseModel[] = Object.entries(record(i.responses)).map(([pattern, r]) => {
    const resp = record(r);
    return {
      StatusCode: String(resp.statusCode ?? '200'),
      SelectionPattern: pattern === 'default' ? undefined : pattern,
      ResponseParameters: resp.responseParameters as Record<string, string> | undefined,
      ResponseTemplates: resp.responseTemplates as Record<string, string> | undefined,
      ContentHandling: resp.contentHandling as string | undefined,
    };
  });
  return {
    Type: String(i.type ?? 'MOCK').toUpperCase(),
    IntegrationHttpMethod: i.httpMethod as string | undefined,
    Uri: i.uri as string | undefined,
    ConnectionType: i.connectionType as string | undefined,
    ConnectionId: i.connectionId as string | undefined,
    Credentials: i.credentials as string | undefined,
    RequestParameters: i.requestParameters as Record<string, string> | undefined,
    RequestTemplates: i.requestTemplates as Record<string, string> | undefined,
    PassthroughBehavior: i.passthroughBehavior === undefined ? undefined : String(i.passthroughBehavior).toUpperCase(),
    ContentHandling: i.contentHandling as string | undefined,
    TimeoutInMillis: i.timeoutInMillis === undefined ? undefined : Number(i.timeoutInMillis),
    CacheKeyParameters: i.cacheKeyParameters as string[] | undefined,
    IntegrationResponses: responses,
  };
}

/** `parameters` of an operation as a method's `RequestParameters` (`method.request.<in>.<name>`: required). */
function requestParameters(params: unknown): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of Array.isArray(params) ? params : []) {
    const where = { path: 'path', query: 'querystring', header: 'header' }[String(record(p).in)];
    // A greedy path parameter may be named for its template (`proxy+`, which keeps validators happy); its method parameter is `proxy`.
    const name = where === 'path' ? String(record(p).name).replace(/\+$/, '') : String(record(p).name);
    if (where) out[`method.request.${where}.${name}`] = record(p).required === true;
  }
  return out;
}

/**
 * Adds the body's routes under `root` (resource ids `<prefix>:<path>`) and returns the API-level
 * settings it declares.
 */
export function addOpenApiRoutes(body: Json, root: ResourceModel, resources: Map<string, ResourceModel>, logicalId: string): OpenApiRoutes {
  for (const [path, item] of Object.entries(record(body.paths))) {
    let node = root;
    for (const part of path.split('/').filter((p) => p)) {
      let child = node.children.find((c) => c.pathPart === part);
      if (!child) {
        const childPath = node.path === '/' ? `/${part}` : `${node.path}/${part}`;
        child = { id: `${root.id}:${childPath}`, path: childPath, pathPart: part, children: [], methods: {} };
        node.children.push(child);
        resources.set(child.id, child);
      }
      node = child;
    }
    const shared = record(item);
    for (const op of OPERATIONS) {
      const operation = record(shared[op]);
      if (!(op in shared)) continue;
      const httpMethod = op === 'x-amazon-apigateway-any-method' ? 'ANY' : op.toUpperCase();
      // `default` documents an answer with no declared status (API Gateway declares method responses by status only).
      const responses = Object.entries(record(operation.responses)).filter(([code]) => /^\d{3}$/.test(code)).map(([code, r]) => ({
        StatusCode: code,
        ResponseParameters: Object.fromEntries(Object.keys(record(record(r).headers)).map((h) => [`method.response.header.${h}`, false])),
      }));
      const method: MethodModel = {
        logicalId: `${logicalId} ${httpMethod} ${path}`,
        resourcePath: node.path,
        resourceId: node.id,
        HttpMethod: httpMethod,
        AuthorizationType: 'NONE',
        ApiKeyRequired: Array.isArray(operation.security) && operation.security.some((s) => 'api_key' in record(s)),
        OperationName: operation.operationId as string | undefined,
        RequestParameters: { ...requestParameters(shared.parameters), ...requestParameters(operation.parameters) },
        RequestModels: {},
        MethodResponses: responses,
        Integration: integrationOf(operation),
      };
      node.methods[httpMethod] = method;
    }
  }
  const gatewayResponses = Object.entries(record(body['x-amazon-apigateway-gateway-responses'])).map(([type, r]) => ({
    ResponseType: type,
    StatusCode: record(r).statusCode === undefined ? undefined : String(record(r).statusCode),
    ResponseParameters: record(r).responseParameters as Record<string, string> | undefined,
    ResponseTemplates: record(r).responseTemplates as Record<string, string> | undefined,
  }));
  const binary = body['x-amazon-apigateway-binary-media-types'];
  return {
    gatewayResponses,
    binaryMediaTypes: Array.isArray(binary) ? binary.map(String) : [],
    apiKeySourceType: body['x-amazon-apigateway-api-key-source'] as string | undefined,
  };
}
