import { methodSettingsResourcePath, parseRouteMethod, parseRoutePath, ROUTE_METHODS } from '../lib/internal/route-path';

const ROUTE = 'Route Stack/GetOrder';

describe('parseRoutePath', () => {
  test('the root', () => {
    expect(parseRoutePath(ROUTE, '/')).toEqual({ path: '/', parts: [], parameters: [], greedy: false });
  });

  test.each([
    ['/orders', ['orders'], []],
    ['/orders/{orderId}', ['orders', '{orderId}'], ['orderId']],
    ['/a/b/c', ['a', 'b', 'c'], []],
    ['/users/{userId}/orders/{orderId}', ['users', '{userId}', 'orders', '{orderId}'], ['userId', 'orderId']],
    ['/v1/shops/{shop.id}/items/{item_id}', ['v1', 'shops', '{shop.id}', 'items', '{item_id}'], ['shop.id', 'item_id']],
    ['/{tenant}', ['{tenant}'], ['tenant']],
    ['/a-b/c_d/e.f/{x-y}', ['a-b', 'c_d', 'e.f', '{x-y}'], ['x-y']],
  ])('%s (depth %#) parses into its parts and parameters', (path, parts, parameters) => {
    expect(parseRoutePath(ROUTE, path)).toEqual({ path, parts, parameters, greedy: false });
  });

  test('depth 1 to 5 keep every part', () => {
    for (let depth = 1; depth <= 5; depth++) {
      const parts = Array.from({ length: depth }, (_, i) => (i % 2 === 0 ? `p${i}` : `{id${i}}`));
      const parsed = parseRoutePath(ROUTE, '/' + parts.join('/'));
      expect(parsed.parts).toEqual(parts);
      expect(parsed.parameters).toEqual(parts.filter((p) => p.startsWith('{')).map((p) => p.slice(1, -1)));
    }
  });

  test('a greedy {proxy+} as the last segment', () => {
    expect(parseRoutePath(ROUTE, '/files/{proxy+}')).toEqual({
      path: '/files/{proxy+}', parts: ['files', '{proxy+}'], parameters: ['proxy'], greedy: true,
    });
    expect(parseRoutePath(ROUTE, '/{proxy+}')).toEqual({ path: '/{proxy+}', parts: ['{proxy+}'], parameters: ['proxy'], greedy: true });
    expect(parseRoutePath(ROUTE, '/users/{userId}/{rest+}').parameters).toEqual(['userId', 'rest']);
  });

  describe('errors name the route and the fix', () => {
    const fails = (path: string) => () => parseRoutePath(ROUTE, path);

    test('empty path', () => {
      expect(fails('')).toThrow(/^Route Stack\/GetOrder: path '' is empty: write a path such as \/orders\/\{orderId\}/);
    });

    test('no leading slash', () => {
      expect(fails('orders/{id}')).toThrow(/^Route Stack\/GetOrder: path 'orders\/\{id\}' must start with '\/': write '\/orders\/\{id\}'/);
    });

    test('trailing slash', () => {
      expect(fails('/orders/')).toThrow(/^Route Stack\/GetOrder: path '\/orders\/' must not end with '\/': write '\/orders'$/);
      expect(fails('/orders//')).toThrow(/write '\/orders'$/);
    });

    test('empty segment //', () => {
      expect(fails('/orders//items')).toThrow(/^Route Stack\/GetOrder: path '\/orders\/\/items' has an empty segment \(\/\/\): remove the extra slash/);
      expect(fails('//orders')).toThrow(/empty segment/);
    });

    test.each(['/orders/{id', '/orders/id}', '/orders/{a}{b}', '/orders/x{id}', '/orders/{}', '/orders/{a b}', '/orders/{id}+', '/orders/{+}'])(
      'malformed parameter %s', (path) => {
        expect(fails(path)).toThrow(/^Route Stack\/GetOrder: path '.*' has a malformed path parameter '.*': a parameter is a whole segment like \{id\} or \{proxy\+\}/);
      },
    );

    test.each(['/orders/a b', '/orders/ü', '/orders/a?b', '/orders/*', '/orders/a%20b', '/orders/:id'])('bad characters in %s', (path) => {
      expect(fails(path)).toThrow(/^Route Stack\/GetOrder: path '.*' has the segment '.*' with characters API Gateway does not accept: use letters, digits/);
    });

    test('duplicate parameter names', () => {
      expect(fails('/users/{id}/orders/{id}')).toThrow(
        /^Route Stack\/GetOrder: path '\/users\/\{id\}\/orders\/\{id\}' declares the path parameter \{id\} twice: give each parameter its own name/,
      );
      expect(fails('/users/{id}/{id+}')).toThrow(/declares the path parameter \{id\} twice/);
    });

    test('{proxy+} not last', () => {
      expect(fails('/files/{proxy+}/meta')).toThrow(
        /^Route Stack\/GetOrder: path '\/files\/\{proxy\+\}\/meta' has the greedy parameter \{proxy\+\} before its end: a greedy \{name\+\} parameter must be the last segment/,
      );
      expect(fails('/{proxy+}/{id}')).toThrow(/greedy parameter \{proxy\+\} before its end/);
    });

    test('not a string', () => {
      expect(() => parseRoutePath(ROUTE, undefined as any)).toThrow(/^Route Stack\/GetOrder: path 'undefined' is empty/);
    });
  });
});

describe('parseRouteMethod', () => {
  test.each([...ROUTE_METHODS])('%s is accepted as is', (method) => {
    expect(parseRouteMethod(ROUTE, method)).toBe(method);
  });

  test('lower and mixed case are normalized to upper case', () => {
    expect(parseRouteMethod(ROUTE, 'get')).toBe('GET');
    expect(parseRouteMethod(ROUTE, 'Post')).toBe('POST');
    expect(parseRouteMethod(ROUTE, 'any')).toBe('ANY');
  });

  test.each(['CONNECT', 'TRACE', 'FETCH', '', ' GET', 'GET '])('unknown method %p names the route and the methods to use', (method) => {
    expect(() => parseRouteMethod(ROUTE, method)).toThrow(
      /^Route Stack\/GetOrder: method '.*' is not an HTTP method API Gateway knows: use one of ANY, GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS$/,
    );
  });

  test('a non-string method', () => {
    expect(() => parseRouteMethod(ROUTE, undefined as any)).toThrow(/^Route Stack\/GetOrder: method 'undefined' is not an HTTP method/);
  });
});

describe('methodSettingsResourcePath', () => {
  test.each([
    ['/', '/'],
    ['/users', '/~1users'],
    ['/users/{id}', '/~1users~1{id}'],
    ['/a/b/c/d/e', '/~1a~1b~1c~1d~1e'],
    ['/files/{proxy+}', '/~1files~1{proxy+}'],
  ])('%s → %s (slashes as ~1)', (path, expected) => {
    expect(methodSettingsResourcePath(path)).toBe(expected);
  });

  test('a ~ in a segment is written ~0 before slashes become ~1', () => {
    expect(methodSettingsResourcePath('/a~b/c')).toBe('/~1a~0b~1c');
  });
});
