import { loadAssembly } from './assembly';
import { LocalBackends } from './backends';
import { apiKeysOf, LocalApiKey } from './method-request/api-keys';
import { AuthorizerProperties } from './auth/cfn-types';
import { LocalCognitoIssuer, MintTokenOptions, userPoolFromArn } from './auth/cognito-issuer';
import { IntegrationRunners } from './integration';
import { FunctionPool } from './lambda/function-pool';
import { defaultMethodRequestSteps } from './method-request';
import { ApiModel, AssemblyModel, StageModel } from './model';
import { defaultRunners, MethodRequestStep, RequestLogEntry, RequestPipeline } from './pipeline';
import { LocalRequest } from './request';
import { serviceCredentials } from './integration/aws-service';
import { routeTable } from './router';
import { LocalStepFunctions } from './stepfunctions/executions';
import { CacheInvalidationStrategy } from './stage-cache';
import { formatLogLine, LocalServer, StageHandler } from './server';

/** Which API (and stage) of an assembly to run. */
export interface LocalApiOptions {
  /** The stack (artifact id, e.g. `MyStack`) the API is in. @default any */
  readonly stack?: string;
  /**
   * The API: its construct path (`MyStack/Api`), logical id, name, or the path's last part.
   * @default the only API (an error lists them when there are several)
   */
  readonly api?: string;
  /** The stage `request()` uses and the server lists first. @default the API's first stage */
  readonly stage?: string;
  /** Receives one line per request, and the reasons of failures. @default no logging */
  readonly log?: (line: string) => void;
  /** Integration runners by type, over the defaults. */
  readonly runners?: IntegrationRunners;
  /**
   * Where VPC_LINK integrations go locally: VPC link id, load balancer ARN or DNS name → base URL
   * (`http://127.0.0.1:8080`). A VPC link without one answers 502 naming it. @default none
   */
  readonly vpcLinks?: Record<string, string>;
  /**
   * Where AWS service integrations go: service name (`sqs`, `dynamodb`, `states`, ...) → base URL of a
   * local implementation or a real endpoint. A service without one answers 502 naming this option.
   * @default none
   */
  readonly endpoints?: Record<string, string>;
  /** One endpoint for every service (LocalStack, say), after `endpoints`. @default none */
  readonly endpointUrl?: string;
  /**
   * Stage variables set over every stage's own (`backendUrl: 'http://127.0.0.1:8080'` points an HTTP
   * route at a local server without a new synth; a value with its own scheme replaces the Uri's). @default none
   */
  readonly stageVariables?: Record<string, string>;
  /** Method request checks (authorizers, keys, validators), run in order. @default defaultMethodRequestSteps */
  readonly methodRequestSteps?: MethodRequestStep[];
  /**
   * Where the local Cognito issuer keeps its signing key, so that tokens minted by another process
   * (`cdk-apigateway-patterns token`) or before a restart verify. The CLI uses `.apigw-local/`.
   * @default a key pair in memory, for this LocalApi only
   */
  readonly cognitoKeyDir?: string;
  /**
   * What a `Cache-Control: max-age=0` from a caller not allowed to invalidate the cache gets (an
   * unsigned request): API Gateway's UnauthorizedCacheControlHeaderStrategy, which CloudFormation
   * cannot set. @default SUCCEED_WITH_RESPONSE_HEADER (served from the cache, with a Warning header)
   */
  readonly cacheInvalidation?: CacheInvalidationStrategy;
  /** The clock of `$context`, usage-plan quotas, the stage cache and token expiry (tests move it). @default the system clock */
  readonly now?: () => Date;
}

/** Options of `LocalApi.start`: LocalApi's, and the local backends `serve --backends local` starts. */
export interface LocalApiStartOptions extends LocalApiOptions {
  /** `'local'`: start local DynamoDB, S3 and Kinesis with the template's resources, closed with the API. @default none */
  readonly backends?: 'local';
  /** Where the local backends keep their data: a folder, or `memory`. @default 'memory' */
  readonly data?: string;
}

/** A token for `LocalApi.mintToken`. */
export interface MintLocalTokenOptions extends Omit<MintTokenOptions, 'userPoolId' | 'region'> {
  /** One of the API's pools (`cognitoUserPools()`). @default the first */
  readonly userPoolId?: string;
  /** @default 'access' when scopes are asked for, else 'id' */
  readonly tokenUse?: 'id' | 'access';
}

/** A request to a `LocalApi`, without a socket. */
export interface LocalApiRequest {
  readonly method: string;
  /** The resource path, without the stage (`/orders/42`); a `?query` part is read too. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: string | Buffer;
  /** A stage other than the API's default one. */
  readonly stage?: string;
  /** @default 127.0.0.1 */
  readonly sourceIp?: string;
}

/** A `LocalApi` answer. */
export interface LocalApiResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  /** The body as UTF-8 text. */
  readonly body: string;
  readonly rawBody: Buffer;
}

function matchesApi(api: ApiModel, wanted: string): boolean {
  return [api.constructPath, api.logicalId, api.name, api.id, api.constructPath.split('/').pop()].includes(wanted);
}

/**
 * One REST API of a synthesized app, run locally: `request()` answers without a socket (for Jest),
 * `listen()` serves it over HTTP with paths as on AWS (`/<stage>/<resource path>`).
 */
export class LocalApi implements StageHandler {
  /** Load `dir` (a cloud assembly) and pick one API. */
  public static fromAssembly(dir: string, options: LocalApiOptions = {}): LocalApi {
    const apis = LocalApi.allFromAssembly(dir, options);
    if (apis.length === 1) return apis[0];
    const names = apis.map((a) => a.model.constructPath).join(', ');
    if (apis.length === 0) {
      throw new Error(`${dir}: no REST API${options.stack ? ` in stack ${options.stack}` : ''}${options.api ? ` named ${options.api}` : ''}`);
    }
    throw new Error(`${dir} has ${apis.length} REST APIs (${names}): pick one with the 'api' option`);
  }

  /**
   * `fromAssembly` with what `serve` adds: `backends: 'local'` starts the local backends first, points
   * the API's endpoints at them (over `endpoints` you give for other services) and closes them with the
   * API. `api.backends` reaches them (seed a table, read an object).
   */
  public static async start(dir: string, options: LocalApiStartOptions = {}): Promise<LocalApi> {
    if (options.data !== undefined && options.backends !== 'local') throw new Error("LocalApi.start: 'data' is where the local backends keep their data: give backends: 'local' too");
    const backends = options.backends === 'local' ? await LocalBackends.start(dir, { data: options.data }) : undefined;
    try {
      const api = LocalApi.fromAssembly(dir, { ...options, endpoints: { ...backends?.endpoints, ...options.endpoints } });
      api.ownBackends = backends;
      return api;
    } catch (e) {
      await backends?.close();
      throw e;
    }
  }

  /** Every API of `dir` that the options select (all of them without `stack`/`api`). */
  public static allFromAssembly(dir: string, options: LocalApiOptions = {}): LocalApi[] {
    const assembly = loadAssembly(dir);
    return assembly.apis
      .filter((a) => !options.stack || a.stackName === options.stack)
      .filter((a) => !options.api || matchesApi(a, options.api))
      .map((a) => new LocalApi(assembly, a, options));
  }

  /** What the assembly could not be modelled with (a SpecRestApi body ...). */
  public readonly warnings: string[];
  private readonly pipelines = new Map<string, RequestPipeline>();
  private readonly defaultStage: StageModel;
  private server?: LocalServer;
  /** The assembly's Lambda functions, started on first use; closed by `close()`. */
  public readonly functionPool: FunctionPool;
  /**
   * The assembly's state machines as the emulator runs them: `list()` shows every execution (status,
   * output, error), `idle()` waits for those StartExecution left running in the background.
   */
  public readonly stepFunctions: LocalStepFunctions;
  /** The emulator's clock (`options.now`, or the system clock). */
  public readonly now: () => Date;
  private issuer?: LocalCognitoIssuer;
  private ownBackends?: LocalBackends;
  /** Requests being answered now, so that a hand-over waits for them. */
  private inFlight = 0;
  private whenIdle?: () => void;

  private constructor(public readonly assembly: AssemblyModel, public readonly model: ApiModel, private readonly options: LocalApiOptions) {
    this.warnings = assembly.warnings;
    this.now = options.now ?? (() => new Date());
    if (model.stages.length === 0) throw new Error(`${model.constructPath} has no stage (deploy: false?): nothing to serve`);
    this.functionPool = new FunctionPool(assembly.functions, { onWarning: (w) => options.log?.(w) });
    const methodRequestSteps = options.methodRequestSteps ?? defaultMethodRequestSteps({
      assembly, api: model, functions: this.functionPool, log: (line) => options.log?.(line), now: this.now, cognitoKeys: { publicKey: (kid) => this.cognitoIssuer.publicKey(kid) },
    });
    this.stepFunctions = new LocalStepFunctions(assembly.stateMachines, {
      functions: this.functionPool, endpoints: options.endpoints, endpointUrl: options.endpointUrl, region: model.region, account: model.account,
      credentials: serviceCredentials(), now: this.now, log: (line) => options.log?.(line),
    });
    const runners = new Map(defaultRunners({
      vpcLinks: options.vpcLinks, endpoints: options.endpoints, endpointUrl: options.endpointUrl, now: this.now, stepFunctions: this.stepFunctions,
    }));
    for (const [type, runner] of options.runners ?? []) runners.set(type, runner);
    for (const stage of model.stages) {
      if (options.stage && stage.StageName !== options.stage) continue;
      const served = options.stageVariables ? { ...stage, Variables: { ...stage.Variables, ...options.stageVariables } } : stage;
      this.pipelines.set(stage.StageName, new RequestPipeline(model, served, {
        runners, methodRequestSteps, functions: assembly.functions, functionPool: this.functionPool, now: this.now, cacheInvalidation: options.cacheInvalidation,
      }));
    }
    const stage = model.stages.find((s) => s.StageName === (options.stage ?? model.stages[0].StageName));
    if (!stage) throw new Error(`${model.constructPath} has no stage ${options.stage} (stages: ${model.stages.map((s) => s.StageName).join(', ')})`);
    this.defaultStage = stage;
  }

  /** Stage names served, the default first. */
  public get stageNames(): string[] {
    return [this.defaultStage.StageName, ...[...this.pipelines.keys()].filter((s) => s !== this.defaultStage.StageName)];
  }

  /** `METHOD /path` of every route, sorted by path. */
  public routes(): string[] {
    return routeTable(this.model.root).map((m) => `${m.HttpMethod.padEnd(7)} ${m.resourcePath}  (${m.Integration?.Type ?? 'no integration'})`);
  }

  /**
   * The VPC links the API's routes use (their ConnectionId) with the local URL each goes to, or
   * undefined where none was given (those routes answer 502 naming the link).
   */
  public vpcLinks(): Array<{ connectionId: string; endpoint: string; target?: string }> {
    const seen = new Map<string, { connectionId: string; endpoint: string; target?: string }>();
    for (const m of routeTable(this.model.root)) {
      const i = m.Integration;
      if (!i || (i.ConnectionType ?? '').toUpperCase() !== 'VPC_LINK' || !i.ConnectionId || seen.has(i.ConnectionId)) continue;
      let host = '';
      try {
        host = new URL((i.Uri ?? '').replace(/\{[^}]*\}/g, 'x')).hostname;
      } catch {
        // A Uri the route will refuse at request time; the id alone names the link.
      }
      const links = this.options.vpcLinks ?? {};
      seen.set(i.ConnectionId, { connectionId: i.ConnectionId, endpoint: host, target: links[i.ConnectionId] ?? links[host] });
    }
    return [...seen.values()];
  }

  /**
   * The local Cognito issuer: COGNITO_USER_POOLS authorizers accept its tokens (see `mintToken`).
   * Made on first use (a key pair costs tens of milliseconds; `cognitoKeyDir` keeps it between runs).
   */
  public get cognitoIssuer(): LocalCognitoIssuer {
    this.issuer ??= LocalCognitoIssuer.create({ keyDir: this.options.cognitoKeyDir, clock: () => this.now().getTime() });
    return this.issuer;
  }

  /**
   * The API's keys with the values the emulator accepts in `x-api-key` (the template's, or a stable
   * local one for a generated key) and their usage plans on `stage`.
   */
  public apiKeys(stage = this.defaultStage.StageName): LocalApiKey[] {
    return apiKeysOf(this.model, stage);
  }

  /** The user pools the API's COGNITO_USER_POOLS authorizers accept (local ids: `<region>_<logical id>`). */
  public cognitoUserPools(): Array<{ userPoolId: string; region: string; authorizer: string }> {
    const out: Array<{ userPoolId: string; region: string; authorizer: string }> = [];
    for (const a of this.model.authorizers) {
      const props = a.properties as unknown as AuthorizerProperties;
      if (props.Type !== 'COGNITO_USER_POOLS') continue;
      for (const arn of props.ProviderARNs ?? []) {
        const pool = userPoolFromArn(arn);
        if (pool && !out.some((p) => p.userPoolId === pool.userPoolId)) out.push({ ...pool, authorizer: a.logicalId });
      }
    }
    return out;
  }

  /**
   * A token of the local Cognito issuer for one of the API's user pools (the first by default): an
   * access token with `scopes` (what methods with AuthorizationScopes want), or an ID token (methods
   * without scopes want one; the default when no scope is asked for).
   */
  public mintToken(options: MintLocalTokenOptions = {}): string {
    const pools = this.cognitoUserPools();
    const pool = options.userPoolId ? pools.find((p) => p.userPoolId === options.userPoolId) : pools[0];
    if (!pool) {
      throw new Error(options.userPoolId
        ? `${this.model.constructPath} has no Cognito authorizer for user pool ${options.userPoolId} (pools: ${pools.map((p) => p.userPoolId).join(', ') || 'none'})`
        : `${this.model.constructPath} has no Cognito user pools authorizer: nothing to mint a token for`);
    }
    const mint = { ...options, userPoolId: pool.userPoolId, region: pool.region };
    const tokenUse = options.tokenUse ?? ((options.scopes ?? []).length > 0 ? 'access' : 'id');
    return tokenUse === 'access' ? this.cognitoIssuer.mintAccessToken(mint) : this.cognitoIssuer.mintIdToken(mint);
  }

  /** Answer a request without a socket. */
  public async request(req: LocalApiRequest): Promise<LocalApiResponse> {
    const [pathPart, queryPart] = req.path.split(/\?(.*)/s);
    const query: Record<string, string> = {};
    if (queryPart !== undefined) for (const [k, v] of new URLSearchParams(queryPart)) query[k] = v;
    const stage = req.stage ?? this.defaultStage.StageName;
    if (!this.pipelines.has(stage)) throw new Error(`${this.model.constructPath} has no stage ${stage} served here`);
    const { response, log } = await this.handleStage(stage, {
      method: req.method,
      path: pathPart.startsWith('/') ? pathPart : `/${pathPart}`,
      headers: req.headers ?? {},
      query: { ...query, ...req.query },
      body: typeof req.body === 'string' ? Buffer.from(req.body) : req.body ?? Buffer.alloc(0),
      sourceIp: req.sourceIp ?? '127.0.0.1',
    });
    if (this.options.log) this.options.log(formatLogLine(log));
    return { statusCode: response.statusCode, headers: response.headers, body: response.body.toString('utf8'), rawBody: response.body };
  }

  /** @internal the server's entry: `stage` undefined when the path named no stage of the API. */
  public async handleStage(stage: string | undefined, request: LocalRequest): Promise<{ response: import('./response').LocalResponse; log: RequestLogEntry }> {
    const pipeline = stage === undefined ? undefined : this.pipelines.get(stage);
    this.inFlight += 1;
    try {
      return await (pipeline ? pipeline.handle(request) : this.pipelines.get(this.defaultStage.StageName)!.handle(request, true));
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.whenIdle?.();
    }
  }

  /** Serve over HTTP on `port` (0: a free port) and `host`; resolves with the URL of the default stage. */
  public async listen(port: number, host = '127.0.0.1'): Promise<{ port: number; url: string }> {
    if (this.server) throw new Error(`${this.model.constructPath} is already listening`);
    this.server = new LocalServer(this, this.options.log);
    const bound = await this.server.listen(port, host);
    return { port: bound, url: `http://${host}:${bound}/${this.defaultStage.StageName}/` };
  }

  /**
   * Hands this API's listening server over to `next` (the same API from a newer assembly, `--watch`):
   * the port stays, new requests go to `next`, and this one's functions are stopped once its requests
   * in flight are done.
   */
  public async handOver(next: LocalApi): Promise<void> {
    if (!this.server) throw new Error(`${this.model.constructPath} is not listening: nothing to hand over`);
    if (next.server) throw new Error(`${next.model.constructPath} is already listening`);
    next.server = this.server;
    this.server = undefined;
    next.server.setHandler(next);
    // Requests already here finish on this version (their functions included) before it stops.
    if (this.inFlight > 0) await new Promise<void>((resolve) => { this.whenIdle = resolve; });
    // Background executions (StartExecution) finish on this version too.
    await this.stepFunctions.idle();
    await this.functionPool.close();
  }

  /** Empty every stage's cache (the console's "Flush stage cache"). */
  public flushCache(): void {
    for (const pipeline of this.pipelines.values()) pipeline.cache.flush();
  }

  /** Stop the HTTP server and the functions' workers. */
  public async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
    this.stepFunctions.close();
    await this.stepFunctions.idle();
    await this.functionPool.close();
    await this.ownBackends?.close();
  }

  /** The local backends `LocalApi.start({ backends: 'local' })` started for this API, if any. */
  public get backends(): LocalBackends | undefined {
    return this.ownBackends;
  }
}
