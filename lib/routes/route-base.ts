import { Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { ApiContext, routeName } from '../api-context';
import { ApiNestedStack } from '../api-nested-stack';
import { BoundAuthorization } from '../internal/authorization-types';
import { ResolvedCors, resolveCors } from '../internal/resolved-cors';
import { parseRouteMethod, parseRoutePath, ParsedRoutePath } from '../internal/route-path';
import { CorsAnswerParts } from '../internal/service-responses';
import { RouteLocation, RouteOptions } from '../route-options';
import {
  asMethodResponseParameters,
  corsResponseHeaders,
  declaredMethodResponseParameters,
  originReflectionTemplate,
} from '../templates/cors-templates';
import { HEADER_NAME, PARAM_NAME } from '../internal/names';
import { checkProps, wholeSeconds } from '../internal/prop-checks';
import { ROUTE_PROPS } from '../internal/route-prop-specs';

/** Props of every route: where it lives and the options all routes share. */
export interface RouteBaseProps extends RouteOptions, RouteLocation {}

/**
 * What every route does the same way: validate its path and method, claim them on the API, find or
 * create the resource, and turn the shared options (authorization, API key, validation, caching, CORS)
 * into method options. Subclasses only supply the integration and method responses via `addMethod`.
 */
export abstract class RouteBase extends Construct {
  /** The resource the route's method is on. */
  public readonly resource: apigw.IResource;
  /** The REST API the route belongs to. */
  public readonly api: apigw.IRestApi;
  /** The route's HTTP method, upper case. */
  public readonly httpMethod: string;
  /** The route's normalized path. */
  public readonly path: string;
  /** The method the route created. */
  public abstract readonly method: apigw.Method;

  /** @internal */ protected readonly _name: string;
  /** @internal */ protected readonly _context: ApiContext;
  /** @internal */ protected readonly _parsedPath: ParsedRoutePath;
  /** @internal */ protected readonly _cors?: ResolvedCors;
  private readonly options: RouteBaseProps;
  private bound?: { readonly auth?: BoundAuthorization };

  protected constructor(scope: Construct, id: string, props: RouteBaseProps) {
    super(scope, id);
    this._name = routeName(this);
    checkProps(this._name, props, ROUTE_PROPS);
    this.options = props;
    this.api = props.api;
    this._parsedPath = parseRoutePath(this._name, props.path);
    this.path = this._parsedPath.path;
    this.httpMethod = parseRouteMethod(this._name, props.method);
    this._context = ApiContext.of(props.api);

    const corsOptions = props.cors;
    this._cors = corsOptions ? resolveCors(this._name, corsOptions) : this._context.apiCors;
    this.validateOptions();

    this._context.registerRoute(this._name, this.path, this.httpMethod);
    this.resource = this._context.resourceFor(this.path, ApiNestedStack._of(this, props.api));
    if (this._cors) this._context.addCorsRoute(this._name, this.resource, this.path, this.httpMethod, this._cors);
  }

  /**
   * What the route says about itself in the API's OpenAPI document (`ApiDocument`): its kind (the
   * construct class), description and parameter descriptions. @internal
   */
  public _documentation(): { kind: string; description?: string; parameterDescriptions?: Readonly<Record<string, string>> } {
    return { kind: this.constructor.name, description: this.options.description, parameterDescriptions: this.options.parameterDescriptions };
  }

  /** The integration `cacheKeyParameters` for this route: every path parameter and the named keys. @internal */
  protected get _cacheKeyParameters(): string[] | undefined {
    const cache = this.options.cache;
    if (!cache) return undefined;
    return [
      ...this._parsedPath.parameters.map((p) => `method.request.path.${p}`),
      ...(cache.queryParameters ?? []).map((q) => `method.request.querystring.${q}`),
      ...this.cacheKeyHeaders().map((h) => `method.request.header.${h}`),
    ];
  }

  /**
   * Headers that key the cache. With several CORS origins the answer's Access-Control-Allow-Origin
   * depends on the caller's Origin, and API Gateway's cache ignores `Vary`, so Origin must key it too.
   */
  private cacheKeyHeaders(): string[] {
    const headers = [...(this.options.cache?.headers ?? [])];
    const reflects = this._cors !== undefined && this._cors.allowOrigins.length > 1;
    if (reflects && !headers.some((h) => h.toLowerCase() === 'origin')) headers.push('Origin');
    return headers;
  }

  /**
   * The CORS parts of a non-proxy route's answers: the headers every integration response sets, the VTL
   * to prefix its response templates with (reflects an allowed Origin), and the headers every method
   * response declares. Empty without CORS. @internal
   */
  protected _corsAnswerParts(): CorsAnswerParts {
    if (!this._cors) return { responseParameters: {}, templatePrefix: '', declared: {} };
    const headers = corsResponseHeaders(this._name, this._cors);
    return {
      responseParameters: asMethodResponseParameters(headers),
      templatePrefix: originReflectionTemplate(this._cors),
      declared: declaredMethodResponseParameters(headers),
    };
  }


  /** The route's authorization bound to its API once (binding creates the API's authorizer on first use). */
  private boundAuthorization(): BoundAuthorization | undefined {
    this.bound ??= { auth: this.options.authorization?._bind(this._name, this._context) };
    return this.bound.auth;
  }

  /** The authorizer and authorization type the route's method gets, resolved as aws-cdk-lib's Method does. */
  private effectiveAuthorization(): { type: apigw.AuthorizationType; authorizer?: apigw.IAuthorizer } {
    const auth = this.boundAuthorization();
    const defaults = this.resource.defaultMethodOptions ?? {};
    const authorizer = auth?.authorizationType === apigw.AuthorizationType.NONE && auth.authorizer === undefined
      ? undefined
      : auth?.authorizer ?? defaults.authorizer;
    const type = authorizer?.authorizationType ?? auth?.authorizationType ?? defaults.authorizationType ?? apigw.AuthorizationType.NONE;
    return { type, authorizer };
  }

  /**
   * The authorization type the route's method gets: its own `authorization`, else the resource's
   * `defaultMethodOptions` (checked against the method in `_addMethod`). @internal
   */
  protected _authorizationType(): apigw.AuthorizationType {
    return this.effectiveAuthorization().type;
  }

  /**
   * The request headers the route's authorizer reads the caller's token from (its identity sources), when
   * the authorizer is a construct of this app; empty for IAM, no authorizer, or an imported one. @internal
   */
  protected _authorizerIdentityHeaders(): string[] {
    const { authorizer } = this.effectiveAuthorization();
    const cfn = authorizer instanceof Construct ? authorizer.node.defaultChild : undefined;
    const source = cfn instanceof apigw.CfnAuthorizer ? cfn.identitySource : undefined;
    if (typeof source !== 'string' || Token.isUnresolved(source)) return [];
    return source.split(',').map((s) => s.trim()).filter((s) => s.startsWith('method.request.header.'))
      .map((s) => s.slice('method.request.header.'.length));
  }

  /** Adds the route's method with the shared options applied. @internal */
  protected _addMethod(
    integration: apigw.Integration,
    methodResponses?: apigw.MethodResponse[],
    extraRequestParameters: { [param: string]: boolean } = {},
  ): apigw.Method {
    const props = this.options;
    const auth = this.boundAuthorization();
    const validation = props.requestValidation;
    const requestParameters: { [param: string]: boolean } = { ...extraRequestParameters };
    for (const p of this._parsedPath.parameters) requestParameters[`method.request.path.${p}`] = true;
    for (const q of props.cache?.queryParameters ?? []) requestParameters[`method.request.querystring.${q}`] = false;
    if (props.cache) for (const h of this.cacheKeyHeaders()) requestParameters[`method.request.header.${h}`] = false;
    for (const q of validation?.requiredQueryParameters ?? []) requestParameters[`method.request.querystring.${q}`] = true;
    for (const h of validation?.requiredHeaders ?? []) requestParameters[`method.request.header.${h}`] = true;

    const needsParamsCheck = (validation?.requiredQueryParameters?.length ?? 0) + (validation?.requiredHeaders?.length ?? 0) > 0;
    const validateBody = validation?.bodySchema !== undefined;
    let requestModels: { [contentType: string]: apigw.IModel } | undefined;
    if (validateBody) {
      const model = new apigw.Model(this, 'BodyModel', {
        restApi: this.api,
        contentType: 'application/json',
        modelName: validation!.bodyModelName,
        schema: validation!.bodySchema!,
      });
      requestModels = { 'application/json': model };
    }
    const requestValidator = validateBody || needsParamsCheck ? this._context.requestValidator(validateBody) : undefined;

    const method = this.resource.addMethod(this.httpMethod, integration, {
      authorizationType: auth?.authorizationType,
      authorizer: auth?.authorizer,
      authorizationScopes: auth?.authorizationScopes,
      apiKeyRequired: props.apiKeyRequired,
      operationName: props.operationName,
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      requestValidator,
      requestModels,
      methodResponses,
    });

    this._context.registerMethod(this._name, method);
    // Routes that shape their integration by authorization type (HttpRoute's Authorization header) read
    // it before the method exists; make sure aws-cdk-lib resolved the same type.
    const cfnMethod = method.node.defaultChild as apigw.CfnMethod;
    if (cfnMethod.authorizationType !== this._authorizationType()) {
      throw new Error(`${this._name}: internal error: the method's authorization type ${cfnMethod.authorizationType} differs from ${this._authorizationType()}`);
    }

    if (props.cache) {
      // Every route kind must hand its integration the cache keys; a missing one would mix up answers.
      const rendered = (method.node.defaultChild as apigw.CfnMethod).integration as apigw.CfnMethod.IntegrationProperty;
      if (JSON.stringify(rendered?.cacheKeyParameters ?? []) !== JSON.stringify(this._cacheKeyParameters)) {
        throw new Error(`${this._name}: internal error: ${this.constructor.name} did not pass the cache keys to its integration`);
      }
      this._context.addCachedMethod({
        route: this._name,
        path: this.path,
        method: this.httpMethod,
        ttlSeconds: props.cache.ttl.toSeconds(),
        dataEncrypted: props.cache.dataEncrypted ?? true,
        clusterSize: props.cache.clusterSize,
      });
    }
    return method;
  }

  private validateOptions(): void {
    const { cache, requestValidation, authorization } = this.options;
    const fail = (why: string): never => {
      throw new Error(`${this._name}: ${why}`);
    };
    for (const key of Object.keys(this.options.parameterDescriptions ?? {})) {
      const m = /^(path|query|header):(.+)$/.exec(key);
      if (!m) fail(`parameterDescriptions key '${key}' must be 'path:<name>', 'query:<name>' or 'header:<name>'`);
      if (m![1] === 'path' && !this._parsedPath.parameters.includes(m![2])) {
        fail(`parameterDescriptions names path parameter '${m![2]}', which ${this.path} does not have (it has ${this._parsedPath.parameters.join(', ') || 'none'})`);
      }
    }
    if (cache) {
      if (cache.ttl.isUnresolved()) fail('cache ttl must be a concrete duration, not a token');
      const ttl = wholeSeconds(this._name, 'cache.ttl', cache.ttl);
      if (ttl < 1 || ttl > 3600) fail(`cache ttl is ${ttl} s; API Gateway caches for 1 to 3600 s: use a ttl in that range`);
      if (this.httpMethod === 'ANY') fail('caching an ANY route would cache writes too: cache an explicit GET (or HEAD) route');
      for (const q of cache.queryParameters ?? []) if (!PARAM_NAME.test(q)) fail(`cache query parameter '${q}' is not a valid name`);
      for (const h of cache.headers ?? []) if (!HEADER_NAME.test(h)) fail(`cache header '${h}' is not a valid header name`);
    }
    for (const q of requestValidation?.requiredQueryParameters ?? []) {
      if (!PARAM_NAME.test(q)) fail(`required query parameter '${q}' is not a valid name`);
    }
    for (const h of requestValidation?.requiredHeaders ?? []) {
      if (!HEADER_NAME.test(h)) fail(`required header '${h}' is not a valid header name`);
    }
    if (requestValidation?.bodyModelName !== undefined && !/^[A-Za-z0-9]+$/.test(requestValidation.bodyModelName)) {
      fail(`bodyModelName '${requestValidation.bodyModelName}' must contain only letters and digits`);
    }
    if (requestValidation?.bodySchema && ['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(this.httpMethod)) {
      fail(`a ${this.httpMethod} request has no body to validate: remove bodySchema or use POST, PUT or PATCH`);
    }
    if (this.httpMethod === 'OPTIONS' && (this.options.apiKeyRequired || (authorization && !authorization._isNone))) {
      fail('an OPTIONS route must not require an API key or authorization: browsers send CORS preflights without ' +
        'credentials or keys; remove apiKeyRequired/authorization, or use the cors option for preflights');
    }
  }
}
