import { Duration } from 'aws-cdk-lib';

/**
 * Response caching for a GET (or other non-ANY) route. Every path parameter of the route is a cache key
 * automatically, so `/users/{id}` never answers one user with another's cached response.
 */
export interface RouteCache {
  /** How long a response stays cached: 1 s to 3600 s. */
  readonly ttl: Duration;
  /**
   * Query string parameters that are part of the cache key (declared on the method too).
   * @default - none: only path parameters key the cache
   */
  readonly queryParameters?: string[];
  /**
   * Request headers that are part of the cache key (declared on the method too). When the route's CORS
   * allows several origins, `Origin` is added automatically: the answer depends on it and API Gateway's
   * cache ignores `Vary`.
   * @default - none (plus Origin with several CORS origins)
   */
  readonly headers?: string[];
  /**
   * Whether cached responses are encrypted at rest.
   * @default true
   */
  readonly dataEncrypted?: boolean;
  /**
   * Size of the stage's cache cluster in GB ('0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237').
   * Every route of one API that names a size must name the same one.
   * @default - the stage's configured size, or '0.5' when the stage has no cache cluster yet
   */
  readonly clusterSize?: string;
}
