import type { MappingTemplateRequest } from '../testing/mapping-template';
import { tryParseJson } from './json';
import { evaluateJsonPath } from './json-path';
import { UtilHost } from './util-functions';
import { fromJs, JavaException, Lookup, NOT_FOUND, toJavaString, toJsonSmart, Value, VHost, VMap } from './values';

/**
 * The variables API Gateway gives a mapping template: `$input`, `$util`, `$context` and
 * `$stageVariables` (`$method` and `$integration` are parameter-mapping syntax, not template
 * variables, so they are left undefined).
 */

/** The request a template is rendered against: the public MappingTemplateRequest. */
export type RequestDescription = MappingTemplateRequest;

/**
 * `$input`. The body is re-parsed on every `json`/`path` call so that a template that modifies the
 * returned objects cannot affect later calls.
 */
export class InputHost extends VHost {
  public readonly javaClassName = 'com.amazonaws.apigateway.input.Input';
  private readonly body: string;
  private readonly params: VMap;

  constructor(body: string, private readonly path: VMap, private readonly querystring: VMap, private readonly header: VMap) {
    super();
    // AWS renders an empty body as `{}` whatever the Content-Type (recorded).
    this.body = body === '' ? '{}' : body;
    this.params = VMap.of([['path', path], ['querystring', querystring], ['header', header]]);
  }

  public getProperty(name: string): Lookup {
    return name === 'body' ? this.body : NOT_FOUND;
  }

  /** `$input` alone printed nothing (the Lambda behind it saw `{}`; ToQoz's echo API, December 2015). */
  public toJavaString(): string {
    return '';
  }

  public callMethod(name: string, args: Value[]): Lookup {
    switch (name) {
      case 'getBody':
        return args.length === 0 ? this.body : NOT_FOUND;
      case 'params':
        if (args.length === 0) return this.params;
        if (args.length === 1) return this.param(args[0] === null ? 'null' : toJavaString(args[0]));
        return NOT_FOUND;
      case 'json':
        if (args.length !== 1) return NOT_FOUND;
        return this.json(this.pathArg(args[0]));
      case 'path':
        if (args.length !== 1) return NOT_FOUND;
        return this.evaluate(this.pathArg(args[0]))?.value ?? null;
      default:
        return NOT_FOUND;
    }
  }

  private pathArg(v: Value): string {
    if (v === null) throw new JavaException('java.lang.IllegalArgumentException', 'JSONPath is null');
    return toJavaString(v);
  }

  private evaluate(path: string): { value: Value } | undefined {
    const result = evaluateJsonPath(this.document(), path);
    return result.found ? { value: result.value } : undefined;
  }

  /**
   * The body as `$input.path` / `$input.json` see it. A body that is not JSON follows the only
   * recordings there are, which are old (ToQoz's echo API, December 2015; json-smart's permissive
   * parser): text that starts like an object or array (`{a`, `[a`) failed the request with 400
   * "Could not process payload", while any other text (`a=b`, `a{b`, `null{`) was read as one
   * string, the raw text, so `$input.path('$')` gave the text and `$input.json('$')` gave it quoted.
   */
  private document(): Value {
    const doc = tryParseJson(this.body);
    if (doc) return doc.value;
    if (/^[ \t\r\n]*[[{]/.test(this.body)) {
      throw new JavaException('net.minidev.json.parser.ParseException', `Could not process payload: the body starts like JSON but is not JSON (API Gateway answers 400): ${this.body.slice(0, 60)}`);
    }
    return this.body;
  }

  /**
   * `$input.json(path)`: the JSON text of the result (a string comes back quoted). A missing path
   * gives `""` (two quote characters). Written compact in json-smart's LT_COMPRESS
   * style (as Jayway's `toJson` does); AWS's exact serializer is not recorded.
   */
  private json(path: string): string {
    const result = this.evaluate(path);
    return result ? toJsonSmart(result.value, false) : '""';
  }

  /** `$input.params(name)`: path, then query string, then header; "" when absent. */
  private param(name: string): string {
    for (const map of [this.path, this.querystring, this.header]) {
      if (map.has(name) && map.get(name) !== null) return toJavaString(map.get(name));
    }
    // Header names are case-insensitive in HTTP; whether AWS's lookup is, is not recorded.
    const lower = name.toLowerCase();
    for (const e of this.header.entries()) {
      if (typeof e.key === 'string' && e.key.toLowerCase() === lower && e.value !== null) return toJavaString(e.value);
    }
    return '';
  }
}

/**
 * Fixed, realistic `$context` values, in the order AWS's `$context.keySet()` was recorded to list them
 * (LocalStack's AWS-validated SQS test, 2025). There is no `authorizer` key unless an authorizer ran
 * (the caller gives one in `context`); where AWS would list it is not recorded, so it comes last.
 * `identity.userAgent` is the request's User-Agent header (null without one), as recorded.
 */
export function defaultContext(): { [key: string]: unknown } {
  return {
    resourceId: 'a1b2c3',
    resourcePath: '/',
    httpMethod: 'POST',
    extendedRequestId: 'Ab1CdEfGhIjKlMn=',
    requestTime: '09/Apr/2015:12:34:56 +0000',
    path: '/prod/',
    accountId: '123456789012',
    protocol: 'HTTP/1.1',
    requestOverride: { path: {}, header: {}, querystring: {} },
    stage: 'prod',
    domainPrefix: 'abcdef1234',
    requestTimeEpoch: 1428582896000,
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: '203.0.113.10',
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: null,
      user: null,
    },
    domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
    deploymentId: 'd1e2f3',
    responseOverride: { header: {} },
    apiId: 'abcdef1234',
  };
}

/**
 * `$context` values AWS answers but does not list in `keySet()`: with no canary settings at all,
 * `$context.isCanaryRequest` printed "false" (recorded, LocalStack canary test, 2025).
 */
const UNLISTED_CONTEXT_DEFAULTS: { [key: string]: unknown } = { isCanaryRequest: false };

/** The `$context` map: `keySet()` lists AWS's keys; `get` also answers the unlisted ones. */
class ContextMap extends VMap {
  constructor(private readonly unlisted: VMap) {
    super();
  }

  public get(key: Value): Value {
    return this.has(key) ? super.get(key) : this.unlisted.get(key);
  }
}

/** The nested `$context` maps print as "" on AWS (recorded), at every level. */
function markPrintsAsEmpty(v: Value): void {
  if (!(v instanceof VMap)) return;
  v.printsAsEmpty = true;
  for (const x of v.values()) markPrintsAsEmpty(x);
}

function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep merge of plain objects; anything else in `over` replaces. */
function merge(base: { [key: string]: unknown }, over: { [key: string]: unknown }): { [key: string]: unknown } {
  const out: { [key: string]: unknown } = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? merge(out[k] as { [key: string]: unknown }, v) : v;
  }
  return out;
}

/** Lambda authorizer context values reach templates as strings (`1` → "1", `true` → "true"). */
function stringifyScalars(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringifyScalars(x)]));
  return v;
}

function stringMap(m: { [name: string]: string } | undefined): VMap {
  return VMap.of(Object.entries(m ?? {}).map(([k, v]) => [k, v === undefined || v === null ? null : String(v)]));
}

/** Builds the template variables for one render. */
export function buildVariables(request: RequestDescription): { vars: Map<string, Value>; context: VMap } {
  const base = defaultContext();
  const userAgent = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'user-agent');
  (base.identity as { [key: string]: unknown }).userAgent = userAgent ? userAgent[1] : null;
  const listed: { [key: string]: unknown } = {};
  const unlisted: { [key: string]: unknown } = { ...UNLISTED_CONTEXT_DEFAULTS };
  for (const [k, v] of Object.entries(request.context ?? {})) {
    if (k in UNLISTED_CONTEXT_DEFAULTS) unlisted[k] = v;
    else listed[k] = v;
  }
  const merged = merge(base, listed);
  if (merged.authorizer !== undefined) merged.authorizer = stringifyScalars(merged.authorizer);
  const context = new ContextMap(fromJs(unlisted) as VMap);
  for (const e of (fromJs(merged) as VMap).entries()) context.put(e.key, e.value);
  for (const key of ['identity', 'requestOverride', 'responseOverride']) markPrintsAsEmpty(context.get(key));
  const input = new InputHost(request.body ?? '', stringMap(request.pathParameters), stringMap(request.queryParameters), stringMap(request.headers));
  const vars = new Map<string, Value>([
    ['input', input],
    ['util', new UtilHost()],
    ['context', context],
    ['stageVariables', stringMap(request.stageVariables)],
  ]);
  return { vars, context };
}
