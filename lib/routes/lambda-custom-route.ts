import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SharedPermissionLambdaIntegration } from '../internal/shared-permission-lambda-integration';
import { checkIntegrationTimeout } from '../internal/timeouts';
import { checkUserTemplate, checkWrappedUserTemplate } from '../internal/user-template-check';
import { RequestTemplate } from '../request-template';
import { regexSamples } from '../internal/regex-samples';
import { javaMatches, translateJavaRegex } from '../vtl/java-regex';
import {
  catchAllPattern,
  ErrorBodySpec,
  errorResponseTemplate,
  internalErrorBody,
  successResponseTemplate,
  taggedPattern,
} from '../templates/lambda-templates';
import { RouteBase, RouteBaseProps } from './route-base';
import { checkArgs, checkProps, kind, NUMBER, required } from '../internal/prop-checks';
import { LAMBDA_CUSTOM_ROUTE_PROPS } from '../internal/route-prop-specs';

/** Options of a `LambdaErrorResponse`. */
export interface LambdaErrorResponseOptions {
  /**
   * A fixed message for the JSON error body, instead of the one the function wrote.
   * @default - `tagged`: the error message after the tag; `matching`: a fixed text for the status code
   */
  readonly message?: string;
}

const TAG = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * How Lambda errors (a function that throws) become answers: the error's message is matched, as a whole,
 * against a Java regex, and a match answers a status code with a JSON body
 * `{"message": "...", "requestId": "..."}`.
 *
 * The convention this library recommends: throw errors whose message starts with a bracketed tag, e.g.
 * `throw new Error('[NotFound] order 42 does not exist')`, and map each tag with
 * `LambdaErrorResponse.tagged('NotFound', 404)`; the client then gets
 * `{"message": "order 42 does not exist", ...}`. Any other error answers a fixed 500.
 */
export class LambdaErrorResponse {
  /**
   * Errors whose message starts with `[tag]` answer `statusCode`, with the text after the tag (escaped)
   * as the message unless `options.message` fixes one. The message may span several lines.
   */
  public static tagged(tag: string, statusCode: number, options: LambdaErrorResponseOptions = {}): LambdaErrorResponse {
    if (typeof tag !== 'string' || !TAG.test(tag)) {
      throw new Error(`LambdaErrorResponse.tagged('${tag}'): a tag is a letter followed by up to 63 letters, digits and _ . -, e.g. 'NotFound'`);
    }
    checkArgs(`LambdaErrorResponse.tagged('${tag}')`, ['statusCode', statusCode, required(kind('a number such as 404', NUMBER.test))]);
    return new LambdaErrorResponse(taggedPattern(tag), statusCode, options.message, tag);
  }

  /**
   * Errors whose whole message matches the Java regex `pattern` answer `statusCode` with a fixed message.
   * The regex must match the entire message, and `.` does not match a newline: write `[\s\S]*` for
   * "anything", e.g. `Timeout[\s\S]*`.
   */
  public static matching(pattern: string, statusCode: number, options: LambdaErrorResponseOptions = {}): LambdaErrorResponse {
    if (typeof pattern !== 'string' || pattern === '') {
      throw new Error('LambdaErrorResponse.matching: pattern is empty: pass a Java regex that matches the whole error message');
    }
    checkArgs(`LambdaErrorResponse.matching('${pattern}')`, ['statusCode', statusCode, required(kind('a number such as 504', NUMBER.test))]);
    return new LambdaErrorResponse(pattern, statusCode, options.message ?? reasonPhrase(statusCode));
  }

  private constructor(
    /** @internal */ public readonly _pattern: string,
    /** @internal */ public readonly _statusCode: number,
    /** @internal */ public readonly _message?: string,
    /** @internal */ public readonly _tag?: string,
  ) {}
}

/** Props of a `LambdaCustomRoute`. */
export interface LambdaCustomRouteProps extends RouteBaseProps {
  /** The function to invoke with the rendered request template as its event. */
  readonly handler: lambda.IFunction;
  /**
   * What the function receives, for requests with a JSON (or no) Content-Type; others are refused with 415.
   * @default RequestTemplate.fromRequest(): `{"body": ..., "path": {...}, "query": {...}, "headers": {}, "requestId": "..."}`
   */
  readonly requestTemplate?: RequestTemplate;
  /**
   * The VTL of the 200 answer, reading the function's result with `$input`. You own its escaping.
   * @default - the function's result as JSON
   */
  readonly responseTemplate?: string;
  /**
   * Lambda errors mapped to answers, e.g. `[LambdaErrorResponse.tagged('NotFound', 404)]`. Any error none
   * of them matches answers 500 `{"message": "Internal server error", "requestId": "..."}`, never the
   * error's text or stack trace.
   * @default - every error answers that 500
   */
  readonly errorResponses?: LambdaErrorResponse[];
  /**
   * How long API Gateway waits for the function: 50 ms to 29 s.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
}

/**
 * A route to a Lambda function through the non-proxy (custom) integration: API Gateway builds the
 * function's event from a request template, answers 200 with the function's result (through an optional
 * response template), and turns errors the function throws into status codes by their message.
 *
 * The function is granted invoke permission once per API, shared with `LambdaProxyRoute`s of the same
 * function.
 */
export class LambdaCustomRoute extends RouteBase {
  /** The method this route created. */
  public readonly method: apigw.Method;

  constructor(scope: Construct, id: string, props: LambdaCustomRouteProps) {
    super(scope, id, props);
    checkProps(this._name, props, LAMBDA_CUSTOM_ROUTE_PROPS);
    checkIntegrationTimeout(this._name, props.timeout);
    if (props.requestTemplate !== undefined && !(props.requestTemplate instanceof RequestTemplate)) {
      throw new Error(`${this._name}: requestTemplate must be a RequestTemplate, e.g. RequestTemplate.fromFields({...})`);
    }
    if (props.responseTemplate !== undefined && (typeof props.responseTemplate !== 'string' || props.responseTemplate.trim() === '')) {
      throw new Error(`${this._name}: responseTemplate is empty: pass VTL, or leave it out to answer the function's result`);
    }
    const errors = this.checkErrorResponses(props.errorResponses ?? []);
    const owner = { route: this._name, httpMethod: this.httpMethod, path: this.path };
    const requestPlace = 'the request template (requestTemplate, application/json)';
    const successPlace = 'the response template of the 200 answer (responseTemplate, default response, application/json)';
    if (props.requestTemplate?._userVtl !== undefined) checkUserTemplate(owner, requestPlace, props.requestTemplate._userVtl);
    if (props.responseTemplate !== undefined) checkUserTemplate(owner, successPlace, props.responseTemplate);
    const requestTemplate = (props.requestTemplate ?? RequestTemplate.fromRequest())._render(this._name, this._parsedPath.parameters);

    const cors = this._corsAnswerParts();
    const responseParameters = Object.keys(cors.responseParameters).length > 0 ? cors.responseParameters : undefined;
    const response = (statusCode: number, template: string, selectionPattern?: string): apigw.IntegrationResponse => ({
      statusCode: String(statusCode),
      selectionPattern,
      responseParameters,
      responseTemplates: { 'application/json': cors.templatePrefix + template },
    });

    // One integration response per status code (API Gateway keys them by status): patterns sharing a
    // status are joined, and the template picks each one's body.
    const byStatus = new Map<number, LambdaErrorResponse[]>();
    for (const e of errors) byStatus.set(e._statusCode, [...(byStatus.get(e._statusCode) ?? []), e]);
    const spec = (e: LambdaErrorResponse): ErrorBodySpec => ({ pattern: e._pattern, message: e._message, tag: e._tag });
    const catchAll = catchAllPattern(errors.map((e) => e._pattern));
    const internal = byStatus.get(500) ?? [];
    byStatus.delete(500);

    const success = response(200, successResponseTemplate(props.responseTemplate));
    // The user's text sits inside the library's error-detecting #if: check the joined template too.
    if (props.responseTemplate !== undefined) checkWrappedUserTemplate(owner, successPlace, success.responseTemplates!['application/json']);
    const integrationResponses = [
      success,
      ...[...byStatus.entries()].map(([status, list]) =>
        response(status, errorResponseTemplate(list.map(spec)), joinPatterns(list.map((e) => e._pattern)))),
      response(500, errorResponseTemplate(internal.map(spec), internalErrorBody()),
        joinPatterns([...internal.map((e) => e._pattern), catchAll])),
    ];
    const statusCodes = [200, ...byStatus.keys(), 500];
    const methodResponses: apigw.MethodResponse[] = statusCodes.map((code) => ({
      statusCode: String(code),
      responseParameters: Object.keys(cors.declared).length > 0 ? cors.declared : undefined,
    }));

    this.method = this._addMethod(new SharedPermissionLambdaIntegration(props.handler, {
      proxy: false,
      timeout: props.timeout,
      cacheKeyParameters: this._cacheKeyParameters,
      integrationOptions: {
        requestTemplates: { 'application/json': requestTemplate },
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        integrationResponses,
      },
    }), methodResponses);
  }

  private checkErrorResponses(errors: LambdaErrorResponse[]): LambdaErrorResponse[] {
    const fail = (why: string): never => {
      throw new Error(`${this._name}: ${why}`);
    };
    if (!Array.isArray(errors)) fail('errorResponses must be a list, e.g. [LambdaErrorResponse.tagged(\'NotFound\', 404)]');
    const seen = new Set<string>();
    for (const e of errors) {
      if (!(e instanceof LambdaErrorResponse)) fail("errorResponses holds something else than a LambdaErrorResponse: use LambdaErrorResponse.tagged('NotFound', 404)");
      const where = e._tag !== undefined ? `error response [${e._tag}]` : `error pattern '${e._pattern}'`;
      if (!Number.isInteger(e._statusCode) || e._statusCode < 100 || e._statusCode > 599) {
        fail(`${where} answers status ${e._statusCode}: use an HTTP status code from 100 to 599`);
      }
      if (e._statusCode === 200) fail(`${where} answers 200, the status of a successful call: map errors to another status`);
      if (seen.has(e._pattern)) fail(`${where} is listed twice: list each pattern once`);
      seen.add(e._pattern);
      if (e._message !== undefined && (typeof e._message !== 'string' || e._message.trim() === '')) fail(`${where} has an empty message: write one, or leave it out`);
      if (/^\(\?[a-zA-Z]+\)/.test(e._pattern)) {
        fail(`${where} starts with inline flags, which break when patterns are joined: write [\\s\\S] for any character including newlines`);
      }
      if (/\\u[0-9a-fA-F]{4}/.test(e._pattern)) fail(`${where} holds a \\uXXXX escape, which Velocity would unescape: write the character itself`);
      let matchesEmpty = false;
      try {
        const translated = translateJavaRegex(e._pattern);
        new RegExp(translated.source, translated.flags);
        matchesEmpty = javaMatches('', e._pattern);
      } catch (x) {
        fail(`${where} is not a valid regular expression (${(x as Error).message}): write a Java regex such as NotFound[\\s\\S]*`);
      }
      if (matchesEmpty) fail(`${where} matches an empty message, which every successful call has: make it match error messages only`);
    }
    this.checkDisjoint(errors);
    return errors;
  }

  /**
   * API Gateway does not define which of two matching selection patterns wins, so patterns of different
   * statuses must not both match one message. Each pattern's sample messages (and, for a tag, `[Tag] ...`
   * as a function writes it) are tried against the others. Patterns of one status share one response
   * whose template picks the first listed, so they may overlap.
   */
  private checkDisjoint(errors: LambdaErrorResponse[]): void {
    const described = errors.map((e) => ({
      e,
      where: e._tag !== undefined ? `LambdaErrorResponse.tagged('${e._tag}', ${e._statusCode})` : `LambdaErrorResponse.matching('${e._pattern}', ${e._statusCode})`,
      samples: [...(e._tag !== undefined ? [`[${e._tag}] order 42 does not exist`, `[${e._tag}]`] : []), ...regexSamples(e._pattern)],
    }));
    for (const a of described) {
      for (const b of described) {
        if (a === b || a.e._statusCode === b.e._statusCode) continue;
        const sample = a.samples.find((m) => javaMatches(m, b.e._pattern));
        if (sample === undefined) continue;
        const tagged = a.e._tag !== undefined ? a : b.e._tag !== undefined ? b : undefined;
        const other = tagged === a ? b : a;
        const fix = tagged
          ? `make ${other.where} leave [${tagged.e._tag}] messages to the tagged response, e.g. start it with ` +
            `(?!${taggedPattern(tagged.e._tag!).replace(/\[\\s\\S\]\*$/, '')}), or throw those errors with another tag`
          : 'make the patterns match disjoint messages, e.g. throw each kind of error with its own [Tag] and map it with LambdaErrorResponse.tagged';
        throw new Error(`${this._name}: error patterns overlap: the message ${JSON.stringify(sample)} matches both ${a.where} and ${b.where}, ` +
          `and API Gateway does not define which one answers: ${fix}`);
      }
    }
  }
}

/** Java regexes joined so that any one of them matching the whole message selects the response. */
function joinPatterns(patterns: string[]): string {
  return patterns.length === 1 ? patterns[0] : patterns.map((p) => `(?:${p})`).join('|');
}

const REASONS: { [status: number]: string } = {
  400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict',
  410: 'Gone', 413: 'Payload too large', 422: 'Unprocessable entity', 429: 'Too many requests',
  500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable', 504: 'Gateway timeout',
};

/** A fixed message for a status code's error body. */
function reasonPhrase(statusCode: number): string {
  return REASONS[statusCode] ?? (statusCode >= 500 ? 'The request failed' : 'The request was refused');
}
