import { requestContext, RequestScope } from './context';
import { gatewayResponse } from './gateway-responses';
import { IntegrationRunners, PROXY_TYPES } from './integration';
import { ServiceEndpoints } from './aws/service-request';
import { AwsIntegrationRunner } from './integration/aws';
import { HttpIntegrationRunner } from './integration/http-runner';
import { LambdaProxyRunner } from './integration/lambda-proxy';
import { MockIntegrationRunner } from './integration/mock';
import { FunctionPool } from './lambda/function-pool';
import { integrationRequest } from './integration-request';
import { integrationResponse } from './integration-response';
import { ApiModel, FunctionModel, MethodModel, StageModel } from './model';
import { LocalRequest } from './request';
import { GatewayError, LocalResponse } from './response';
import { isMatch, route } from './router';
import { LocalStepFunctions } from './stepfunctions/executions';
import { CacheInvalidationStrategy, StageCache } from './stage-cache';
import { IntegrationOutput } from './integration';

/**
 * A method request check (API key and usage plan, authorizer, validator): runs after routing and
 * before the integration; throws a `GatewayError` to answer with a gateway response, or returns
 * `$context` values to add (e.g. `{ authorizer: {...} }`).
 */
export interface MethodRequestStep {
  run(scope: RequestScope): Promise<Record<string, unknown> | void>;
}

/** One line of the request log. */
export interface RequestLogEntry {
  readonly method: string;
  /** The path as sent, with the stage. */
  readonly path: string;
  /** The matched resource path and method, e.g. `GET /orders/{id}`, or `-` when nothing matched. */
  readonly route: string;
  /** The integration type, or `-`. */
  readonly integration: string;
  readonly statusCode: number;
  readonly latencyMillis: number;
  /** Why the request failed, when it did (never sent to the client). */
  readonly problems: string[];
  /** Whether the stage cache answered (`hit`) or was filled (`miss`); absent for methods not cached. */
  readonly cache?: 'hit' | 'miss';
}

/** Payloads over 10 MB are refused (API Gateway's REST API payload quota). */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** The default integration timeout (API Gateway's 29 s), unless `TimeoutInMillis` says otherwise. */
export const DEFAULT_TIMEOUT_MILLIS = 29_000;

/** What the default runners need from outside the assembly. */
export interface RunnerOptions extends ServiceEndpoints {
  /** Where VPC links go locally: VPC link id, load balancer ARN or DNS name → base URL. @default none */
  readonly vpcLinks?: Record<string, string>;
  /** The clock requests to AWS services are signed with. @default the system clock */
  readonly now?: () => Date;
  /** Runs the assembly's state machines for Step Functions integrations. @default none: they go to the states endpoint */
  readonly stepFunctions?: LocalStepFunctions;
}

/**
 * The runners the emulator ships: MOCK, Lambda proxy, AWS (Lambda custom; service integrations sent to
 * the endpoint given for the service, else 502 naming the option), HTTP and HTTP_PROXY (INTERNET and VPC_LINK).
 */
export function defaultRunners(options: RunnerOptions = {}): Map<string, import('./integration').IntegrationRunner> {
  const http = new HttpIntegrationRunner(options.vpcLinks);
  return new Map<string, import('./integration').IntegrationRunner>([
    ['MOCK', new MockIntegrationRunner()],
    ['AWS_PROXY', new LambdaProxyRunner()],
    ['AWS', new AwsIntegrationRunner({ endpoints: options.endpoints, endpointUrl: options.endpointUrl }, options.now, options.stepFunctions)],
    ['HTTP', http],
    ['HTTP_PROXY', http],
  ]);
}

/**
 * Waits for an integration at most `millis`; then aborts it and answers INTEGRATION_TIMEOUT (504,
 * "Endpoint request timed out", as API Gateway does past its integration timeout).
 */
async function withTimeout<T>(work: Promise<T>, millis: number, abort: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Settle first: a runner that rejects when aborted must not win the race.
      reject(new GatewayError('INTEGRATION_TIMEOUT', 'Endpoint request timed out', `the integration did not answer within ${millis} ms`));
      abort.abort();
    }, millis);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The signal of integrations that are never aborted (MOCK). */
const NEVER_ABORTED = new AbortController().signal;

/** Options of a `RequestPipeline`. */
export interface PipelineOptions {
  readonly runners?: IntegrationRunners;
  readonly methodRequestSteps?: MethodRequestStep[];
  readonly functions?: ReadonlyMap<string, FunctionModel>;
  /** The running functions of the assembly (Lambda integrations call them). */
  readonly functionPool?: FunctionPool;
  readonly now?: () => Date;
  /** What an unauthorized `Cache-Control: max-age=0` gets. @default SUCCEED_WITH_RESPONSE_HEADER (API Gateway's default) */
  readonly cacheInvalidation?: CacheInvalidationStrategy;
}

/** The request flow of one API stage: router → method request → integration → responses. */
export class RequestPipeline {
  private readonly runners: IntegrationRunners;
  private readonly functionPool: FunctionPool;
  /** The stage's cache (used only when the stage has a cache cluster). */
  public readonly cache: StageCache<IntegrationOutput>;

  constructor(public readonly api: ApiModel, public readonly stage: StageModel, private readonly options: PipelineOptions = {}) {
    this.runners = options.runners ?? defaultRunners();
    this.functionPool = options.functionPool ?? new FunctionPool(options.functions ?? new Map());
    this.cache = new StageCache(options.now ?? (() => new Date()), options.cacheInvalidation);
  }

  /**
   * Answer one request (its path without the stage); never throws. `unknownStage`: the path named
   * no stage of the API, so nothing matches.
   */
  public async handle(request: LocalRequest, unknownStage = false): Promise<{ response: LocalResponse; log: RequestLogEntry }> {
    const started = process.hrtime.bigint();
    const problems: string[] = [];
    const matched = unknownStage ? { miss: 'path' as const } : route(this.api.root, request.method, request.path);
    const method: MethodModel | undefined = isMatch(matched) ? matched.method : undefined;
    const context = requestContext(this.api, this.stage, request, method, (this.options.now ?? (() => new Date()))());
    let scope: RequestScope = { api: this.api, stage: this.stage, request, method, pathParameters: isMatch(matched) ? matched.pathParameters : {}, context };
    let response: LocalResponse;
    let cache: 'hit' | 'miss' | undefined;
    try {
      if (request.body.length > MAX_PAYLOAD_BYTES) throw new GatewayError('REQUEST_TOO_LARGE', 'Request Too Long', `body of ${request.body.length} bytes`);
      if (!method) {
        throw new GatewayError('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token',
          unknownStage ? `${request.path}: no stage ${request.path.split('/')[1] ?? ''}` : `no route for ${request.method} ${request.path}`);
      }
      for (const step of this.options.methodRequestSteps ?? []) {
        const added = await step.run(scope);
        if (added) scope = { ...scope, context: { ...scope.context, ...added } };
      }
      ({ response, cache } = await this.integrate(method, scope, (m) => problems.push(m)));
    } catch (e) {
      const error = e instanceof GatewayError ? e
        : new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', `emulator error: ${(e as Error).stack ?? e}`);
      if (error.reason) problems.push(error.reason);
      response = gatewayResponse(error, scope, (m) => problems.push(m));
    }
    const latencyMillis = Number(process.hrtime.bigint() - started) / 1e6;
    return {
      response,
      log: {
        method: request.method.toUpperCase(),
        path: unknownStage ? request.path : `/${this.stage.StageName}${request.path}`,
        route: method ? `${method.HttpMethod} ${method.resourcePath}` : '-',
        integration: method?.Integration?.Type ?? '-',
        statusCode: response.statusCode,
        latencyMillis,
        problems,
        ...(cache ? { cache } : {}),
      },
    };
  }

  private async integrate(method: MethodModel, scope: RequestScope, log: (m: string) => void): Promise<{ response: LocalResponse; cache?: 'hit' | 'miss' }> {
    const integration = method.Integration;
    if (!integration) {
      throw new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', `${method.logicalId} has no integration`);
    }
    const runner = this.runners.get(integration.Type);
    if (!runner) {
      const message = `the emulator does not run ${integration.Type} integrations`;
      throw new GatewayError('INTEGRATION_FAILURE', message, message, 502);
    }
    const proxy = PROXY_TYPES.has(integration.Type);
    const prepared = proxy
      ? { body: scope.request.body, templated: false, mapped: integrationRequest({ ...integration, RequestTemplates: {}, PassthroughBehavior: 'WHEN_NO_MATCH' }, scope).mapped }
      : integrationRequest(integration, scope);
    const timeoutMillis = Number(integration.TimeoutInMillis ?? DEFAULT_TIMEOUT_MILLIS);
    const mock = integration.Type === 'MOCK';
    const abort = mock ? undefined : new AbortController();
    const input = {
      api: this.api,
      stage: this.stage,
      method,
      integration,
      request: scope.request,
      pathParameters: scope.pathParameters,
      stageVariables: this.stage.Variables,
      context: scope.context,
      body: prepared.body,
      templated: prepared.templated,
      mapped: prepared.mapped,
      functions: this.options.functions ?? new Map(),
      functionPool: this.functionPool,
      timeoutMillis,
      signal: abort?.signal ?? NEVER_ABORTED,
      log,
    };
    // A MOCK has no backend to wait for: no timer (it is also the hot path of the benchmark).
    const run = (): Promise<IntegrationOutput> => (abort ? withTimeout(runner.run(input), timeoutMillis, abort) : runner.run(input));
    // The cache keeps the endpoint's answer; the integration response is made from it each time.
    const { value: output, cache, warning } = await this.cache.serve(scope, integration, run);
    const response = proxy ? { statusCode: output.statusCode, headers: output.headers, body: output.body } : integrationResponse(integration, output, scope);
    return { response: warning ? { ...response, headers: { ...response.headers, Warning: warning } } : response, cache };
  }
}
