import { MethodModel, ResourceModel } from '../../lib/local/model';
import { isMatch, route, routeTable } from '../../lib/local/router';

function method(httpMethod: string, resourcePath: string): MethodModel {
  return {
    logicalId: `${httpMethod} ${resourcePath}`, resourcePath, resourceId: resourcePath, HttpMethod: httpMethod, AuthorizationType: 'NONE',
    ApiKeyRequired: false, RequestParameters: {}, RequestModels: {}, MethodResponses: [],
  };
}

/** Builds a tree from `path → methods`. */
function tree(routes: Record<string, string[]>): ResourceModel {
  const root: ResourceModel = { id: '/', path: '/', pathPart: '', children: [], methods: {} };
  for (const [path, methods] of Object.entries(routes)) {
    let node = root;
    for (const part of path.split('/').filter((p) => p)) {
      let child = node.children.find((c) => c.pathPart === part);
      if (!child) {
        child = { id: `${node.path === '/' ? '' : node.path}/${part}`, path: `${node.path === '/' ? '' : node.path}/${part}`, pathPart: part, children: [], methods: {} };
        node.children.push(child);
      }
      node = child;
    }
    for (const m of methods) node.methods[m] = method(m, node.path);
  }
  return root;
}

const root = tree({
  '/': ['GET'],
  '/users': ['GET', 'POST'],
  '/users/me': ['GET'],
  '/users/{id}': ['GET', 'DELETE'],
  '/users/{id}/files/{proxy+}': ['ANY'],
  '/files/{proxy+}': ['GET'],
  '/{proxy+}': ['ANY'],
  '/empty/child': [],
});

function hit(httpMethod: string, path: string): [string, Record<string, string>] | string {
  const r = route(root, httpMethod, path);
  return isMatch(r) ? [`${r.method.HttpMethod} ${r.method.resourcePath}`, r.pathParameters] : `miss:${r.miss}`;
}

test('literal segments before {param} before {proxy+}', () => {
  expect(hit('GET', '/users/me')).toEqual(['GET /users/me', {}]);
  expect(hit('GET', '/users/42')).toEqual(['GET /users/{id}', { id: '42' }]);
  expect(hit('GET', '/users')).toEqual(['GET /users', {}]);
  expect(hit('GET', '/other/thing')).toEqual(['ANY /{proxy+}', { proxy: 'other/thing' }]);
  expect(hit('GET', '/')).toEqual(['GET /', {}]);
});

test('a greedy {proxy+} takes one or more segments, and backtracking reaches it when a literal branch ends nowhere', () => {
  expect(hit('GET', '/files/a/b/c.txt')).toEqual(['GET /files/{proxy+}', { proxy: 'a/b/c.txt' }]);
  expect(hit('PUT', '/users/7/files/x/y')).toEqual(['ANY /users/{id}/files/{proxy+}', { id: '7', proxy: 'x/y' }]);
  expect(hit('GET', '/users/7/nothing')).toEqual(['ANY /{proxy+}', { proxy: 'users/7/nothing' }]);
  expect(hit('GET', '/empty/child')).toEqual(['ANY /{proxy+}', { proxy: 'empty/child' }]);
});

test('path parameters are URL-decoded', () => {
  expect(hit('GET', '/users/a%20b%2Fc')).toEqual(['GET /users/{id}', { id: 'a b/c' }]);
  expect(hit('GET', '/users/%E2%82%AC')).toEqual(['GET /users/{id}', { id: '€' }]);
  expect(hit('GET', '/users/100%')).toEqual(['GET /users/{id}', { id: '100%' }]);
});

test('ANY answers methods without their own; an unknown method or path misses', () => {
  expect(hit('PATCH', '/users/42')).toBe('miss:method');
  expect(hit('delete', '/users/42')).toEqual(['DELETE /users/{id}', { id: '42' }]);
  const noProxy = tree({ '/a': ['GET'] });
  expect(isMatch(route(noProxy, 'GET', '/b'))).toBe(false);
  expect(route(noProxy, 'GET', '/b')).toEqual({ miss: 'path' });
  expect(route(noProxy, 'GET', '/')).toMatchObject({ miss: 'method' });
});

test('empty segments and a trailing slash are ignored', () => {
  expect(hit('GET', '/users/')).toEqual(['GET /users', {}]);
  expect(hit('GET', '//users//me')).toEqual(['GET /users/me', {}]);
});

test('the route table lists every method by path', () => {
  expect(routeTable(tree({ '/b': ['POST', 'GET'], '/a': ['GET'] })).map((m) => `${m.HttpMethod} ${m.resourcePath}`))
    .toEqual(['GET /a', 'GET /b', 'POST /b']);
});
