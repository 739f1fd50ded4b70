/**
 * Pure parsing and validation of a route's path and HTTP method. No constructs here: every rule can be
 * unit-tested on its own, and every error names the route and says what to write instead.
 */

/** HTTP methods a REST API method may have. `ANY` matches every method without a method of its own. */
export const ROUTE_METHODS = ['ANY', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** The concrete methods `ANY` stands for in a CORS preflight answer. */
export const ANY_EXPANDED = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

// API Gateway accepts these characters in a literal path part (same rule as aws-cdk-lib's Resource).
const LITERAL_PART = /^[a-zA-Z0-9._-]+$/;
const PARAM_PART = /^\{([a-zA-Z0-9._-]+)(\+?)\}$/;

export interface ParsedRoutePath {
  /** The normalized path, always starting with `/` and without a trailing slash (root is `/`). */
  readonly path: string;
  /** Path parts in order, e.g. ['orders', '{orderId}']. */
  readonly parts: string[];
  /** Names of the path parameters in order, e.g. ['orderId'] or ['proxy'] for `{proxy+}`. */
  readonly parameters: string[];
  /** True if the last part is a greedy parameter such as `{proxy+}`. */
  readonly greedy: boolean;
}

export function parseRoutePath(route: string, path: string): ParsedRoutePath {
  const fail = (why: string): never => {
    throw new Error(`${route}: path '${path}' ${why}`);
  };
  if (typeof path !== 'string' || path.length === 0) fail('is empty: write a path such as /orders/{orderId}');
  if (!path.startsWith('/')) fail(`must start with '/': write '/${path}'`);
  if (path === '/') return { path: '/', parts: [], parameters: [], greedy: false };
  if (path.endsWith('/')) fail(`must not end with '/': write '${path.replace(/\/+$/, '')}'`);

  const parts = path.slice(1).split('/');
  const parameters: string[] = [];
  let greedy = false;
  parts.forEach((part, index) => {
    if (part === '') fail(`has an empty segment (//): remove the extra slash`);
    const param = PARAM_PART.exec(part);
    if (param) {
      const [, name, plus] = param;
      if (parameters.includes(name)) fail(`declares the path parameter {${name}} twice: give each parameter its own name`);
      if (plus && index !== parts.length - 1) {
        fail(`has the greedy parameter {${name}+} before its end: a greedy {name+} parameter must be the last segment`);
      }
      parameters.push(name);
      greedy = plus === '+';
      return;
    }
    if (part.includes('{') || part.includes('}')) {
      fail(`has a malformed path parameter '${part}': a parameter is a whole segment like {id} or {proxy+}, ` +
        'with letters, digits, ".", "_" or "-" in its name');
    }
    if (!LITERAL_PART.test(part)) {
      fail(`has the segment '${part}' with characters API Gateway does not accept: use letters, digits, ".", "_" or "-"`);
    }
  });
  return { path, parts, parameters, greedy };
}

export function parseRouteMethod(route: string, method: string): string {
  const upper = typeof method === 'string' ? method.toUpperCase() : '';
  if (!(ROUTE_METHODS as readonly string[]).includes(upper)) {
    throw new Error(`${route}: method '${method}' is not an HTTP method API Gateway knows: use one of ${ROUTE_METHODS.join(', ')}`);
  }
  return upper;
}

/**
 * The resource path as a stage's method settings name it: slashes become `~1` (RFC 6901), the root is `/`.
 */
export function methodSettingsResourcePath(path: string): string {
  return path === '/' ? '/' : '/' + path.slice(1).split('/').map((p) => p.replace(/~/g, '~0')).join('~1').replace(/^/, '~1');
}
