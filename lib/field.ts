import { vtlString } from './templates/vtl';
import { HEADER_NAME, PARAM_NAME } from './internal/names';

/** Context variables a Field may read (`$context.<name>`). */
const CONTEXT_NAMES = [
  'requestId', 'extendedRequestId', 'requestTime', 'requestTimeEpoch', 'httpMethod', 'resourcePath', 'path',
  'stage', 'apiId', 'accountId', 'domainName', 'domainPrefix', 'protocol', 'resourceId', 'deploymentId',
  'identity.sourceIp', 'identity.userAgent', 'identity.caller', 'identity.user', 'identity.userArn',
  'identity.accountId', 'identity.apiKey', 'identity.apiKeyId', 'identity.cognitoIdentityId',
  'identity.cognitoIdentityPoolId', 'identity.principalOrgId', 'authorizer.principalId',
];
const JSON_PATH = /^\$((\.[A-Za-z_][A-Za-z0-9_-]*)|(\[\d+\])|(\['[^'\\]+'\]))*$/;
const CLAIM_NAME = /^[A-Za-z0-9:._-]+$/;
const PARAM_HINT = 'letters, digits and . _ ~ -';

/** What a Field reads. @internal */
export enum FieldSource {
  BODY = 'body',
  BODY_JSON = 'bodyJson',
  PATH = 'path',
  QUERY = 'query',
  HEADER = 'header',
  CONTEXT = 'context',
  CLAIM = 'claim',
  AUTHORIZER = 'authorizer',
  STAGE_VARIABLE = 'stageVariable',
  LITERAL = 'literal',
}

/**
 * A value taken from the request (or a fixed literal) for a mapping template. Every Field is escaped
 * for the place it lands in (a JSON string, a form field) by the template builders, never by hand.
 */
export class Field {
  /**
   * A value of the JSON body at a JSONPath (`$.user.name`, `$.items[0]`, `$['odd key']`). Strings come
   * out as their text; use `Field.bodyJson` for an object or array as JSON text. `Field.body('$')` is the
   * raw body exactly as sent.
   */
  public static body(jsonPath: string): Field {
    return new Field(FieldSource.BODY, checkJsonPath('body', jsonPath));
  }

  /** The JSON text of the body value at a JSONPath (an object or array as JSON, a string quoted). */
  public static bodyJson(jsonPath: string): Field {
    return new Field(FieldSource.BODY_JSON, checkJsonPath('bodyJson', jsonPath));
  }

  /** A path parameter; it must be a parameter of the route's path, e.g. `id` for `/items/{id}`. */
  public static path(name: string): Field {
    return new Field(FieldSource.PATH, checkName('path', 'path parameter', name, PARAM_NAME, PARAM_HINT));
  }

  /** A query string parameter. */
  public static query(name: string): Field {
    return new Field(FieldSource.QUERY, checkName('query', 'query parameter', name, PARAM_NAME, PARAM_HINT));
  }

  /** A request header. */
  public static header(name: string): Field {
    return new Field(FieldSource.HEADER, checkName('header', 'header', name, HEADER_NAME, "letters, digits and !#$%&*+.^_`|~-"));
  }

  /** A request context value, e.g. `requestId`, `requestTime`, `requestTimeEpoch`, `identity.sourceIp`. */
  public static context(name: string): Field {
    if (!CONTEXT_NAMES.includes(name)) {
      throw new Error(`Field.context('${name}'): unknown context variable: use one of ${CONTEXT_NAMES.join(', ')}`);
    }
    return new Field(FieldSource.CONTEXT, name);
  }

  /** A claim of a Cognito user pools authorizer's token, e.g. `sub`, `email`, `cognito:groups`. */
  public static authorizerClaim(name: string): Field {
    return new Field(FieldSource.CLAIM, checkName('authorizerClaim', 'claim', name, CLAIM_NAME, 'letters, digits and : . _ -'));
  }

  /** A context value returned by a Lambda authorizer (its `context` object), e.g. `userId`. */
  public static authorizerContext(key: string): Field {
    return new Field(FieldSource.AUTHORIZER, checkName('authorizerContext', 'authorizer context key', key, /^[A-Za-z_][A-Za-z0-9_]*$/,
      'a letter or _ followed by letters, digits and _'));
  }

  /** A stage variable, e.g. `tableSuffix`. */
  public static stageVariable(name: string): Field {
    return new Field(FieldSource.STAGE_VARIABLE, checkName('stageVariable', 'stage variable', name, /^[A-Za-z0-9_]+$/, 'letters, digits and _'));
  }

  /** A fixed value. */
  public static literal(value: string): Field {
    if (typeof value !== 'string') throw new Error('Field.literal: pass a string');
    // Fail here, not later while a route is built: Velocity would unescape a \uXXXX in the literal.
    if (/\\u[0-9a-fA-F]{4}/.test(value)) {
      throw new Error(`Field.literal('${value}'): Velocity would unescape its \\uXXXX sequence: write the character itself`);
    }
    return new Field(FieldSource.LITERAL, value);
  }

  private constructor(
    /** @internal */ public readonly _source: FieldSource,
    /** @internal */ public readonly _name: string,
  ) {}

  /** A readable description for error messages. @internal */
  public get _description(): string {
    const factory = this._source === FieldSource.CLAIM ? 'authorizerClaim' : this._source === FieldSource.AUTHORIZER ? 'authorizerContext' : this._source;
    return `Field.${factory}('${this._name}')`;
  }

  /**
   * The VTL expression that yields the raw value (a string, or for `body` a native value), checked
   * against the route: a path Field must name a parameter of the route's path. @internal
   */
  public _expression(route: string, pathParameters: string[]): string {
    switch (this._source) {
      case FieldSource.BODY:
        return this._name === '$' ? '$input.body' : `$input.path(${vtlString(this._name)})`;
      case FieldSource.BODY_JSON:
        return `$input.json(${vtlString(this._name)})`;
      case FieldSource.PATH:
        if (!pathParameters.includes(this._name)) {
          throw new Error(`${route}: ${this._description} is not a parameter of the route's path: use one of ` +
            (pathParameters.length ? pathParameters.map((p) => `{${p}}`).join(', ') : 'none (the path has no parameters)') +
            ', or add it to the path');
        }
        return `$input.params().path.get(${vtlString(this._name)})`;
      case FieldSource.QUERY:
        return `$input.params().querystring.get(${vtlString(this._name)})`;
      case FieldSource.HEADER:
        return `$input.params().header.get(${vtlString(this._name)})`;
      case FieldSource.CONTEXT:
        return `$context.${this._name}`;
      case FieldSource.CLAIM:
        return `$context.authorizer.claims[${vtlString(this._name)}]`;
      case FieldSource.AUTHORIZER:
        return `$context.authorizer.${this._name}`;
      case FieldSource.STAGE_VARIABLE:
        // Index notation: a name may start with a digit, which `$stageVariables.1x` would print as the whole map.
        return `$stageVariables[${vtlString(this._name)}]`;
      case FieldSource.LITERAL:
        return vtlString(this._name);
    }
  }
}

function checkJsonPath(factory: string, jsonPath: string): string {
  if (typeof jsonPath !== 'string' || !JSON_PATH.test(jsonPath)) {
    throw new Error(`Field.${factory}('${jsonPath}'): not a supported JSONPath: write '$', '$.a.b', '$.items[0]' or "$['odd key']"`);
  }
  return jsonPath;
}

function checkName(factory: string, what: string, name: string, pattern: RegExp, allowed: string): string {
  if (typeof name !== 'string' || !pattern.test(name)) {
    throw new Error(`Field.${factory}('${name}'): not a valid ${what} name: use ${allowed}`);
  }
  return name;
}
