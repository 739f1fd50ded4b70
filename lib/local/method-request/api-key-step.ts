/**
 * API keys and throttling in the method request, as API Gateway answers them: a method with
 * `ApiKeyRequired` wants a key (from `x-api-key`, or the Lambda authorizer's `usageIdentifierKey`
 * when the API's key source is AUTHORIZER) that is enabled and in a usage plan of this stage, else
 * 403 `{"message":"Forbidden"}`; the plan's throttle (a method's own throttle first) answers 429
 * "Too Many Requests" and its quota 429 "Limit Exceeded". Stage throttling (MethodSettings
 * ThrottlingRateLimit/BurstLimit) applies to every method.
 */
import { RequestScope } from '../context';
import { headerValue } from '../model';
import { ownMethodSetting, stageWideSetting } from '../method-settings';
import { MethodRequestStep } from '../pipeline';
import { GatewayError } from '../response';
import { apiKeysOf, LocalApiKey } from './api-keys';
import { MethodRequestSetup } from './index';
import { QuotaCounter, ThrottleLimits, throttleOf, TokenBucket } from './usage-plans';

/** The stage-level throttle of a method from MethodSettings (its own entry first, then `/*` `*`). */
export function stageMethodThrottle(settings: ReadonlyArray<Record<string, unknown>>, resourcePath: string, httpMethod: string): ThrottleLimits | undefined {
  const limits = (s: Record<string, unknown> | undefined): ThrottleLimits | undefined => s && throttleOf({ RateLimit: s.ThrottlingRateLimit, BurstLimit: s.ThrottlingBurstLimit });
  const own = ownMethodSetting(settings, resourcePath, httpMethod, 'ThrottlingRateLimit') ?? ownMethodSetting(settings, resourcePath, httpMethod, 'ThrottlingBurstLimit');
  const wide = stageWideSetting(settings, 'ThrottlingRateLimit', httpMethod) ?? stageWideSetting(settings, 'ThrottlingBurstLimit', httpMethod);
  return limits(own) ?? limits(wide);
}

export class ApiKeyStep implements MethodRequestStep {
  private readonly keys = new Map<string, LocalApiKey[]>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly quotas = new Map<string, QuotaCounter>();
  private readonly stageThrottles = new Map<string, ThrottleLimits | undefined>();

  constructor(private readonly setup: MethodRequestSetup) {}

  /** The API's keys on a stage (values as the emulator accepts them). */
  public keysOf(stageName: string): LocalApiKey[] {
    let keys = this.keys.get(stageName);
    if (!keys) {
      keys = apiKeysOf(this.setup.api, stageName);
      this.keys.set(stageName, keys);
    }
    return keys;
  }

  public async run(scope: RequestScope): Promise<Record<string, unknown> | void> {
    const method = scope.method!;
    const now = this.setup.now().getTime();
    const route = `${method.HttpMethod} ${method.resourcePath}`;
    let added: Record<string, unknown> | undefined;
    if (method.ApiKeyRequired) {
      const fromAuthorizer = this.setup.api.apiKeySourceType.toUpperCase() === 'AUTHORIZER';
      const value = fromAuthorizer ? scope.context.usageIdentifierKey as string | undefined : headerValue(scope.request.headers, 'x-api-key');
      const forbidden = (why: string): GatewayError => new GatewayError('INVALID_API_KEY', 'Forbidden', `${route}: ${why}`);
      if (!value) throw forbidden(fromAuthorizer ? 'the API takes keys from its Lambda authorizer (usageIdentifierKey), which gave none' : 'no x-api-key header');
      const key = this.keysOf(scope.stage.StageName).find((k) => k.value === value);
      if (!key) throw forbidden('the x-api-key is not a key of this API');
      if (!key.enabled) throw forbidden(`API key ${key.name} is disabled`);
      const plan = key.plans[0];
      if (!plan) throw forbidden(`API key ${key.name} is in no usage plan of stage ${scope.stage.StageName}`);
      const methodLimits = plan.methodThrottles[`${method.resourcePath}/${scope.request.method.toUpperCase()}`] ?? plan.methodThrottles[`${method.resourcePath}/${method.HttpMethod}`];
      const limits = methodLimits ?? plan.throttle;
      if (limits && !this.bucket(`key ${key.id} ${plan.id} ${methodLimits ? route : '*'}`, limits, now).take(now)) {
        throw new GatewayError('THROTTLED', 'Too Many Requests', `${route}: usage plan ${plan.name} throttles key ${key.name} (${limits.rate}/s, burst ${limits.burst})`);
      }
      if (plan.quota) {
        const counterKey = `${key.id} ${plan.id}`;
        let counter = this.quotas.get(counterKey);
        if (!counter) this.quotas.set(counterKey, counter = new QuotaCounter(plan.quota));
        if (!counter.take(now)) {
          throw new GatewayError('QUOTA_EXCEEDED', 'Limit Exceeded', `${route}: key ${key.name} used the ${plan.quota.limit} requests a ${plan.quota.period.toLowerCase()} of usage plan ${plan.name}`);
        }
      }
      const identity = (scope.context.identity ?? {}) as Record<string, unknown>;
      added = { identity: { ...identity, apiKey: key.value, apiKeyId: key.id } };
    }
    const stageLimits = this.stageThrottle(scope.stage.StageName, scope.stage.MethodSettings, method.resourcePath, scope.request.method);
    if (stageLimits && !this.bucket(`stage ${scope.stage.StageName} ${route}`, stageLimits, now).take(now)) {
      throw new GatewayError('THROTTLED', 'Too Many Requests', `${route}: stage ${scope.stage.StageName} throttles it (${stageLimits.rate}/s, burst ${stageLimits.burst})`);
    }
    return added;
  }

  /** The stage throttle of a method and verb, looked up once (every request asks). */
  private stageThrottle(stage: string, settings: ReadonlyArray<Record<string, unknown>>, resourcePath: string, verb: string): ThrottleLimits | undefined {
    const key = `${stage} ${verb.toUpperCase()} ${resourcePath}`;
    if (!this.stageThrottles.has(key)) this.stageThrottles.set(key, stageMethodThrottle(settings, resourcePath, verb));
    return this.stageThrottles.get(key);
  }

  private bucket(key: string, limits: ThrottleLimits, now: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, bucket = new TokenBucket(limits, now));
    return bucket;
  }
}
