/**
 * The stage cache, as API Gateway documents it ("Cache settings for REST APIs"): on a stage with
 * CacheClusterEnabled, a method whose MethodSettings enable caching has its endpoint responses kept
 * for CacheTtlInSeconds (default 300, at most 3600, 0 = off). Settings for all methods (`/*`, `*`)
 * cache GET methods only; a method's own entry can turn caching on for any verb. The key is the
 * stage, the integration's CacheNamespace (the resource by default), the verb and the values of the
 * integration's CacheKeyParameters, and nothing else: a path parameter that is not a key shares one
 * entry across all its values, as on AWS. Endpoint answers of every status are kept (integration
 * failures API Gateway answers itself are not); bodies over 1 MB are not.
 * `Cache-Control: max-age=0` refreshes the entry for a caller allowed to invalidate it (here: a
 * SigV4-signed request; the IAM policy is not evaluated); others are served from the cache with a
 * `Warning` header (SUCCEED_WITH_RESPONSE_HEADER, API Gateway's default strategy, which CloudFormation
 * cannot change), or 403 with the `cacheInvalidation: 'FAIL_WITH_403'` option.
 */
import { isSigV4Authorization } from './integration/http-headers';
import { ownMethodSetting, stageWideSetting } from './method-settings';
import { IntegrationModel, MethodModel, StageModel, headerValue } from './model';
import { parameterValue, RequestScope } from './context';
import { GatewayError } from './response';

/** The largest response API Gateway caches. */
export const MAX_CACHED_BYTES = 1_048_576;

/** How a method is cached on a stage, or undefined when it is not. */
export interface MethodCacheSettings {
  readonly ttlSeconds: number;
}

/** What to do with an unauthorized `Cache-Control: max-age=0` (API Gateway's UnauthorizedCacheControlHeaderStrategy). */
export type CacheInvalidationStrategy = 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER' | 'FAIL_WITH_403';

/** The Warning API Gateway adds when it ignores an unauthorized max-age=0 (wording not verified against AWS). */
export const IGNORED_CACHE_CONTROL_WARNING = '199 "Cache-control headers were ignored because the caller was unauthorized."';

/** The cache settings of `method` for a request with `verb` on `stage`. */
export function methodCacheSettings(stage: StageModel, method: MethodModel, verb: string): MethodCacheSettings | undefined {
  if (!stage.CacheClusterEnabled) return undefined;
  const upper = verb.toUpperCase();
  const own = ownMethodSetting(stage.MethodSettings, method.resourcePath, upper, 'CachingEnabled');
  const all = stageWideSetting(stage.MethodSettings, 'CachingEnabled');
  const setting = own ?? (upper === 'GET' ? all : undefined);
  if (!setting || String(setting.CachingEnabled) !== 'true') return undefined;
  const ttl = Math.min(3600, Number(setting.CacheTtlInSeconds ?? (own && setting !== all ? all?.CacheTtlInSeconds : undefined) ?? 300));
  return ttl > 0 ? { ttlSeconds: ttl } : undefined;
}

/** The cache key: stage, namespace, verb and the CacheKeyParameters' values. */
export function cacheKey(scope: RequestScope, integration: IntegrationModel): string {
  const method = scope.method!;
  const parts = [scope.stage.StageName, integration.CacheNamespace ?? method.resourceId, scope.request.method.toUpperCase()];
  for (const param of integration.CacheKeyParameters ?? []) parts.push(`${param}=${parameterValue(param, scope) ?? ''}`);
  return JSON.stringify(parts);
}

interface Entry<T> {
  readonly value: T;
  readonly expiresAt: number;
}

/** One stage's cache. `T` is what is kept (the integration's answer). */
export class StageCache<T extends { readonly body: Buffer }> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly now: () => Date, private readonly strategy: CacheInvalidationStrategy = 'SUCCEED_WITH_RESPONSE_HEADER') {}

  /** Forget everything (the console's "Flush stage cache"). */
  public flush(): void {
    this.entries.clear();
  }

  /**
   * The cached answer for the request, or `produce()`'s (kept when cacheable). `warning` is set when an
   * unauthorized max-age=0 was ignored.
   */
  public async serve(scope: RequestScope, integration: IntegrationModel, produce: () => Promise<T>): Promise<{ value: T; cache?: 'hit' | 'miss'; warning?: string }> {
    const method = scope.method!;
    const settings = methodCacheSettings(scope.stage, method, scope.request.method);
    if (!settings) return { value: await produce() };
    const key = cacheKey(scope, integration);
    const now = this.now().getTime();
    const refresh = /(^|,)\s*max-age\s*=\s*0\s*(,|$)/i.test(headerValue(scope.request.headers, 'cache-control') ?? '');
    const authorized = isSigV4Authorization(headerValue(scope.request.headers, 'authorization') ?? '');
    let warning: string | undefined;
    if (refresh && !authorized) {
      if (this.strategy === 'FAIL_WITH_403') {
        throw new GatewayError('ACCESS_DENIED', 'User is not authorized to access this resource', `Cache-Control: max-age=0 from a caller not allowed to invalidate the cache (${method.HttpMethod} ${method.resourcePath})`);
      }
      if (this.strategy === 'SUCCEED_WITH_RESPONSE_HEADER') warning = IGNORED_CACHE_CONTROL_WARNING;
    }
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now && !(refresh && authorized)) return { value: entry.value, cache: 'hit', warning };
    const value = await produce();
    if (value.body.length <= MAX_CACHED_BYTES) this.entries.set(key, { value, expiresAt: now + settings.ttlSeconds * 1000 });
    else this.entries.delete(key);
    return { value, cache: 'miss', warning };
  }
}
