import { HEADER_NAME, PARAM_NAME } from './internal/names';

const CONTEXT_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/**
 * A value for an integration request parameter (a backend path parameter, query string parameter or
 * header): API Gateway's parameter mapping takes only method request parameters, context variables,
 * stage variables and static values.
 */
export class HttpParameter {
  /** A path parameter of the route, e.g. `id` for `/items/{id}`. */
  public static fromPath(name: string): HttpParameter {
    return new HttpParameter(`method.request.path.${check('fromPath', name, PARAM_NAME)}`, 'path', name);
  }

  /** A query string parameter of the request (declared on the method as optional). */
  public static fromQuery(name: string): HttpParameter {
    return new HttpParameter(`method.request.querystring.${check('fromQuery', name, PARAM_NAME)}`, 'querystring', name);
  }

  /** A header of the request (declared on the method as optional). */
  public static fromHeader(name: string): HttpParameter {
    return new HttpParameter(`method.request.header.${check('fromHeader', name, HEADER_NAME)}`, 'header', name);
  }

  /** A request context variable, e.g. `requestId` or `identity.sourceIp`. */
  public static fromContext(name: string): HttpParameter {
    return new HttpParameter(`context.${check('fromContext', name, CONTEXT_NAME)}`);
  }

  /** A stage variable, e.g. `apiVersion`. */
  public static fromStageVariable(name: string): HttpParameter {
    return new HttpParameter(`stageVariables.${check('fromStageVariable', name, /^[A-Za-z0-9_]+$/)}`);
  }

  /** A fixed value. It is written between single quotes, so it cannot contain one, nor a line break or other control character. */
  public static staticValue(value: string): HttpParameter {
    if (typeof value !== 'string' || value.includes("'")) {
      throw new Error(`HttpParameter.staticValue(${JSON.stringify(value)}): a static parameter value is written between single quotes ` +
        'and cannot contain one: remove the quote');
    }
    // Control characters are refused where the route uses it, so that the error names the route.
    return new HttpParameter(`'${value}'`, undefined, undefined, value);
  }

  private constructor(
    /** @internal */ public readonly _expression: string,
    /** @internal */ public readonly _methodLocation?: 'path' | 'querystring' | 'header',
    /** @internal */ public readonly _methodName?: string,
    /** @internal The value of a `staticValue`. */ public readonly _staticValue?: string,
  ) {}
}

function check(factory: string, name: string, pattern: RegExp): string {
  if (typeof name !== 'string' || !pattern.test(name)) throw new Error(`HttpParameter.${factory}('${name}'): not a valid name`);
  return name;
}

