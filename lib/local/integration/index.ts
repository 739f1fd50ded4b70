import { ApiModel, FunctionModel, IntegrationModel, MethodModel, StageModel } from '../model';
import { FunctionPool } from '../lambda/function-pool';
import { LocalRequest } from '../request';

/**
 * The integrations the emulator runs, keyed by `Integration.Type`. A runner gets the request as the
 * integration request stage left it and answers what the backend answered; the pipeline does the
 * rest (integration response selection, templates, method response) for non-proxy types, and
 * passes a proxy type's answer on as it is.
 */

/** What a runner gets. */
export interface IntegrationInput {
  readonly api: ApiModel;
  readonly stage: StageModel;
  readonly method: MethodModel;
  readonly integration: IntegrationModel;
  /** The caller's request (path without the stage). */
  readonly request: LocalRequest;
  /** Path parameters, URL-decoded. */
  readonly pathParameters: Record<string, string>;
  readonly stageVariables: Record<string, string>;
  /** `$context` of the request (requestId, identity, authorizer ...). */
  readonly context: Record<string, unknown>;
  /**
   * The integration request body: the rendered request template, or the method request body when it
   * passed through (always the raw body for proxy types).
   */
  readonly body: Buffer;
  /** Whether `body` is a rendered template (false: passed through). */
  readonly templated: boolean;
  /**
   * `integration.request.{header,querystring,path}.*` values from the integration's
   * `RequestParameters`, with `$context.requestOverride` values applied over them.
   */
  readonly mapped: { readonly header: Record<string, string>; readonly querystring: Record<string, string>; readonly path: Record<string, string> };
  /** Lambda functions of the assembly, by name and local ARN. */
  readonly functions: ReadonlyMap<string, FunctionModel>;
  /** The running functions (started on first use, shared with authorizers). */
  readonly functionPool: FunctionPool;
  /** Milliseconds the integration may take (29 s or `TimeoutInMillis`). */
  readonly timeoutMillis: number;
  /**
   * Aborted when the pipeline stops waiting (the timeout passed: it has already answered 504
   * INTEGRATION_TIMEOUT); a runner stops its work then (terminates a worker, aborts a request).
   */
  readonly signal: AbortSignal;
  /** Log a line about this request (the reason of a failure; never sent to the client). */
  readonly log: (message: string) => void;
}

/** What the backend answered. */
export interface IntegrationOutput {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /**
   * For a Lambda custom integration that failed: the `errorMessage`, which selects the integration
   * response (the status code selects it for other types).
   */
  readonly errorMessage?: string;
  /**
   * The answer of a Lambda invocation (custom integration): responses are selected by `errorMessage`
   * only, so a success is matched as an empty message (a `.*` pattern catches it, as on AWS) and
   * otherwise takes the default response.
   */
  readonly lambda?: boolean;
}

/**
 * Runs one integration type. Throw a `GatewayError` (../response) for a failure API Gateway answers
 * itself: INTEGRATION_FAILURE (502 with the default message "Internal server error"),
 * INTEGRATION_TIMEOUT (504).
 */
export interface IntegrationRunner {
  run(input: IntegrationInput): Promise<IntegrationOutput>;
}

/** Integration types whose backend answer goes to the client as it is (no integration response). */
export const PROXY_TYPES: ReadonlySet<string> = new Set(['AWS_PROXY', 'HTTP_PROXY']);

/** Runners by `Integration.Type` (MOCK, AWS, AWS_PROXY, HTTP, HTTP_PROXY). */
export type IntegrationRunners = ReadonlyMap<string, IntegrationRunner>;
