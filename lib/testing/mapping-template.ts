import { renderMappingTemplate } from '../vtl/render';

/**
 * The request (or, for a response template, the integration response) a mapping template is
 * rendered against.
 */
export interface MappingTemplateRequest {
  /**
   * Raw request body; for a response template, the integration response body.
   *
   * @default '' (API Gateway gives an empty body to the template as `{}`)
   */
  readonly body?: string;

  /**
   * Path parameters, for `$input.params()` and `$input.params('name')`.
   *
   * @default {}
   */
  readonly pathParameters?: { [name: string]: string };

  /**
   * Query string parameters.
   *
   * @default {}
   */
  readonly queryParameters?: { [name: string]: string };

  /**
   * Request headers (names as the client sent them).
   *
   * @default {}
   */
  readonly headers?: { [name: string]: string };

  /**
   * Stage variables, for `$stageVariables`.
   *
   * @default {}
   */
  readonly stageVariables?: { [name: string]: string };

  /**
   * `$context` values, deep-merged over realistic defaults listed in the order AWS's
   * `$context.keySet()` gives: requestId, requestTime (CLF, `09/Apr/2015:12:34:56 +0000`),
   * requestTimeEpoch (milliseconds), httpMethod, resourcePath, path, stage (`prod`), accountId, apiId,
   * domainName, protocol, identity (sourceIp; userAgent is the request's User-Agent header),
   * requestOverride and responseOverride (these nested maps print as `""`, as on AWS), and
   * isCanaryRequest (`false`, not listed by keySet). There is no `authorizer` unless you give one, e.g.
   * `{ authorizer: { claims: { sub: 'abc' } } }`; numbers and booleans under `authorizer` become
   * strings, as a Lambda authorizer's context does.
   *
   * @default - the realistic fixed values above
   */
  readonly context?: { [key: string]: any };
}

/** `$context.requestOverride` values a request template set. */
export interface MappingTemplateRequestOverrides {
  /** `$context.requestOverride.header.*` */
  readonly header: { [name: string]: string };
  /** `$context.requestOverride.path.*` */
  readonly path: { [name: string]: string };
  /** `$context.requestOverride.querystring.*` */
  readonly querystring: { [name: string]: string };
}

/** How strictly a template is checked while it is rendered. */
export interface MappingTemplateOptions {
  /**
   * Fail the render when a template calls a method that Java would not find (an unknown name, or
   * arguments that fit no overload of it), naming the method and its place in the template.
   * API Gateway renders such a call as nothing, which hides typos such as `$s.lenght()`; set
   * `strict: false` to get exactly that.
   *
   * @default true
   */
  readonly strict?: boolean;
}

/** A rendered template and the overrides it set. */
export interface MappingTemplateResult {
  /** The rendered text, untrimmed. */
  readonly output: string;

  /**
   * `$context.responseOverride.status`, when set to an integer (or a string of digits) between
   * 100 and 599.
   *
   * @default - no status override
   */
  readonly statusOverride?: number;

  /** `$context.responseOverride.header.*` values. */
  readonly headerOverrides: { [name: string]: string };

  /** `$context.requestOverride.*` values. */
  readonly requestOverrides: MappingTemplateRequestOverrides;
}

/**
 * Renders API Gateway (REST API) mapping templates offline, as API Gateway's Velocity 1.7 engine
 * does: `$input`, `$util`, `$context` and `$stageVariables`, Java method semantics, null references
 * printed as nothing, `null == ""`, and Velocity's whitespace rules.
 *
 * Meant for unit tests: render the templates your constructs emit against hostile input and check
 * that the result is what the integration expects (for example, valid JSON). A syntax error throws
 * an Error naming the line and column; so does a Java exception that would fail the request on AWS
 * (an index out of bounds, an invalid regex, `$util.parseJson` of non-JSON).
 */
export class MappingTemplate {
  /** Render a template and return the text. */
  public static render(template: string, request?: MappingTemplateRequest, options?: MappingTemplateOptions): string {
    return MappingTemplate.renderWithOverrides(template, request, options).output;
  }

  /** Render a template and also report the `$context.responseOverride` / `requestOverride` values it set. */
  public static renderWithOverrides(template: string, request?: MappingTemplateRequest, options?: MappingTemplateOptions): MappingTemplateResult {
    return renderMappingTemplate(template, request ?? {}, options?.strict ?? true);
  }

  /** Render a template and parse the output as JSON; throws an Error quoting the output if it is not valid JSON. */
  public static renderJson(template: string, request?: MappingTemplateRequest, options?: MappingTemplateOptions): any {
    const output = MappingTemplate.render(template, request, options);
    try {
      return JSON.parse(output);
    } catch (e) {
      throw new Error(`Rendered mapping template is not valid JSON (${(e as Error).message}):\n${output}`);
    }
  }

  private constructor() {}
}
