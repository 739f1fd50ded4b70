import { Field, FieldSource } from './field';
import { jsonObject, jsonObjectOfMap, jsonValue, JsonValueKind, TemplateNames } from './templates/lambda-templates';

/**
 * A request value and the JSON type it is written as in a `RequestTemplate.fromValues` template.
 */
export class TemplateValue {
  /** The value as a JSON string (its text, escaped); a missing value gives `""`. */
  public static stringValue(field: Field): TemplateValue {
    return new TemplateValue('string', checkField('string', field));
  }

  /** The value as a JSON number, or `null` when it is missing or not a plain decimal number. */
  public static numberValue(field: Field): TemplateValue {
    return new TemplateValue('number', checkField('number', field));
  }

  /** The value as a JSON boolean: `true` only for the exact text `true`, otherwise `false`. */
  public static booleanValue(field: Field): TemplateValue {
    return new TemplateValue('boolean', checkField('boolean', field));
  }

  /**
   * A JSON value of the body, printed as the JSON API Gateway serializes it (an object, an array, a
   * quoted string; `""` when the path is missing). A body that is not JSON reads as one string, its
   * text, except text that starts with `{` or `[`, which fails the request with 400 (as recorded in
   * 2015). Takes a `Field.bodyJson` only.
   */
  public static jsonValue(field: Field): TemplateValue {
    if (checkField('json', field)._source !== FieldSource.BODY_JSON) {
      throw new Error(`TemplateValue.jsonValue(${field._description}): only Field.bodyJson yields JSON text; ` +
        'use TemplateValue.stringValue for other values');
    }
    return new TemplateValue('json', field);
  }

  private constructor(
    /** @internal */ public readonly _kind: JsonValueKind,
    /** @internal */ public readonly _field: Field,
  ) {}
}

/** Options of `RequestTemplate.fromRequest`. */
export interface RequestTemplateFromRequestOptions {
  /**
   * Request headers to pass, by name, e.g. `['X-Correlation-Id']`. Only these are passed: headers such
   * as Authorization or Cookie carry credentials the backend should not see by default.
   * @default - no headers
   */
  readonly headers?: string[];
}

/**
 * The request template of a non-proxy integration: a JSON object built from request values (escaped
 * for JSON), or your own VTL.
 */
export class RequestTemplate {
  /**
   * A JSON object with one key per field: `{"name": <value>, ...}`. Every value is an escaped JSON
   * string, except `Field.bodyJson`, which is printed as the JSON value it is (an object stays an object).
   * Use `fromValues` for numbers and booleans.
   */
  public static fromFields(fields: { [key: string]: Field }): RequestTemplate {
    const values: { [key: string]: TemplateValue } = {};
    for (const [key, field] of Object.entries(checkKeys('fromFields', fields))) {
      if (!(field instanceof Field)) throw new Error(`RequestTemplate.fromFields: the value of '${key}' is not a Field, e.g. Field.body('$.name')`);
      values[key] = field._source === FieldSource.BODY_JSON ? TemplateValue.jsonValue(field) : TemplateValue.stringValue(field);
    }
    return RequestTemplate.fromValues(values);
  }

  /** A JSON object with one key per value, each written as its type: `{"qty": 3, "gift": true, ...}`. */
  public static fromValues(values: { [key: string]: TemplateValue }): RequestTemplate {
    const entries = Object.entries(checkKeys('fromValues', values));
    for (const [key, value] of entries) {
      if (!(value instanceof TemplateValue)) {
        throw new Error(`RequestTemplate.fromValues: the value of '${key}' is not a TemplateValue, e.g. TemplateValue.numberValue(Field.query('limit'))`);
      }
    }
    return new RequestTemplate((route, pathParameters) => {
      const names = new TemplateNames();
      return jsonObject(entries.map(([key, value]) =>
        [key, jsonValue(value._kind, value._field._expression(route, pathParameters), names)]));
    });
  }

  /**
   * The whole request as JSON: `{"body": <the JSON body>, "path": {...}, "query": {...}, "headers": {...},
   * "requestId": "..."}`. `body` is the body's JSON value (`{}` when empty; a body that is not JSON
   * comes as a string of its text, or fails with 400 when it starts with `{` or `[`, as recorded in 2015);
   * `path` holds the route's path parameters, `query` every query string parameter, `headers` only the
   * named headers. Every string is escaped.
   */
  public static fromRequest(options: RequestTemplateFromRequestOptions = {}): RequestTemplate {
    const headers = (options.headers ?? []).map((h) => {
      if (typeof h !== 'string') throw new Error('RequestTemplate.fromRequest: headers must be header names');
      return Field.header(h);
    });
    const lower = headers.map((h) => h._name.toLowerCase());
    const twice = lower.find((h, i) => lower.indexOf(h) !== i);
    if (twice) throw new Error(`RequestTemplate.fromRequest: header '${twice}' is listed twice: list each header once`);
    return new RequestTemplate((route, pathParameters) => {
      const names = new TemplateNames();
      const string = (field: Field) => jsonValue('string', field._expression(route, pathParameters), names);
      return jsonObject([
        ['body', "$input.json('$')"],
        ['path', jsonObject(pathParameters.map((p) => [p, string(Field.path(p))]))],
        ['query', jsonObjectOfMap('$input.params().querystring', names)],
        ['headers', jsonObject(headers.map((h) => [h._name, string(h)]))],
        ['requestId', string(Field.context('requestId'))],
      ]);
    });
  }

  /** Your own VTL, used as is: you own the escaping of every request value in it. */
  public static fromString(vtl: string): RequestTemplate {
    if (typeof vtl !== 'string' || vtl.trim() === '') throw new Error('RequestTemplate.fromString: the template is empty: pass the VTL text');
    return new RequestTemplate(() => vtl, vtl);
  }

  private constructor(
    private readonly render: (route: string, pathParameters: string[]) => string,
    /** The user's own VTL (`fromString`), which routes parse at synth; undefined for built templates. @internal */
    public readonly _userVtl?: string,
  ) {}

  /**
   * The template text for a route; a path Field naming a parameter the route lacks throws an Error
   * naming the route. @internal
   */
  public _render(route: string, pathParameters: string[]): string {
    return this.render(route, pathParameters);
  }
}

function checkField(factory: string, field: Field): Field {
  if (!(field instanceof Field)) throw new Error(`TemplateValue.${factory}Value: pass a Field, e.g. Field.body('$.name')`);
  return field;
}

function checkKeys<T>(factory: string, map: { [key: string]: T }): { [key: string]: T } {
  if (!map || typeof map !== 'object') throw new Error(`RequestTemplate.${factory}: pass an object of keys to values`);
  const keys = Object.keys(map);
  if (keys.length === 0) throw new Error(`RequestTemplate.${factory}: no keys: name at least one value, or use RequestTemplate.fromString('{}')`);
  for (const key of keys) {
    if (key.trim() === '') throw new Error(`RequestTemplate.${factory}: an empty key: name every value`);
  }
  return map;
}
