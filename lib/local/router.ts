import { MethodModel, ResourceModel } from './model';

/** A request matched to a method. */
export interface RouteMatch {
  readonly resource: ResourceModel;
  readonly method: MethodModel;
  /** Path parameters, URL-decoded (`{proxy+}` keeps its slashes). */
  readonly pathParameters: Record<string, string>;
}

/** Why a request matched nothing (both answer MISSING_AUTHENTICATION_TOKEN, as on AWS). */
export type RouteMiss = { readonly miss: 'path' | 'method'; readonly resource?: ResourceModel };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed escape is passed on as sent
  }
}

function hasMethods(r: ResourceModel): boolean {
  return Object.keys(r.methods).length > 0;
}

/**
 * Finds the resource for `segments` below `node`: literal path parts before `{param}` before
 * `{proxy+}` (AWS: "a request for /a/b matches /a/b before /a/{x} before /a/{proxy+}"), backtracking
 * when a more specific branch ends nowhere. A greedy `{proxy+}` takes one or more segments.
 * Chosen where AWS does not document it: a resource without any method is not a match, so a deeper
 * miss falls back to a less specific branch that can answer.
 */
function find(node: ResourceModel, segments: string[], i: number, params: Record<string, string>): ResourceModel | undefined {
  if (i === segments.length) return hasMethods(node) || node.path === '/' ? node : undefined;
  const seg = segments[i];
  const literal = node.children.find((c) => c.pathPart === seg);
  if (literal) {
    const hit = find(literal, segments, i + 1, params);
    if (hit) return hit;
  }
  for (const c of node.children) {
    const m = /^\{([^}+]+)\}$/.exec(c.pathPart);
    if (!m) continue;
    const inner: Record<string, string> = {};
    const hit = find(c, segments, i + 1, inner);
    if (hit) {
      Object.assign(params, inner, { [m[1]]: decode(seg) });
      return hit;
    }
  }
  for (const c of node.children) {
    const m = /^\{([^}]+)\+\}$/.exec(c.pathPart);
    if (m && hasMethods(c)) {
      params[m[1]] = segments.slice(i).map(decode).join('/');
      return c;
    }
  }
  return undefined;
}

/**
 * Matches a resource-relative path (`/orders/42`, no stage) and an HTTP method to a method of the
 * tree under `root`; `ANY` answers any method that has no method of its own. Empty segments (a
 * trailing or doubled slash) are ignored (chosen: AWS does not document them).
 */
export function route(root: ResourceModel, httpMethod: string, path: string): RouteMatch | RouteMiss {
  const segments = path.split('?')[0].split('/').filter((s) => s !== '');
  const pathParameters: Record<string, string> = {};
  const resource = find(root, segments, 0, pathParameters);
  if (!resource) return { miss: 'path' };
  const method = resource.methods[httpMethod.toUpperCase()] ?? resource.methods.ANY;
  if (!method) return { miss: 'method', resource };
  return { resource, method, pathParameters };
}

/** Whether `route` found a method. */
export function isMatch(r: RouteMatch | RouteMiss): r is RouteMatch {
  return 'method' in r;
}

/** Every method of the tree, sorted by path then method: the route table `serve` prints. */
export function routeTable(root: ResourceModel): MethodModel[] {
  const out: MethodModel[] = [];
  const walk = (r: ResourceModel): void => {
    for (const m of Object.keys(r.methods).sort()) out.push(r.methods[m]);
    for (const c of [...r.children].sort((a, b) => a.pathPart.localeCompare(b.pathPart))) walk(c);
  };
  walk(root);
  return out;
}
