/**
 * The API keys of an API and the usage plans each belongs to, for one stage, from the template:
 * a key keeps the `Value` the template gives it; a generated key gets a local value derived from its
 * stack path and logical id, so it stays the same across restarts and `serve` can print it.
 */
import { createHash } from 'node:crypto';
import { ApiModel, ApiPart } from '../model';
import { QuotaLimits, quotaOf, ThrottleLimits, throttleOf } from './usage-plans';

/** A usage plan as it applies to one API stage. */
export interface StagePlan {
  readonly id: string;
  readonly name: string;
  readonly throttle?: ThrottleLimits;
  readonly quota?: QuotaLimits;
  /** Per-method throttles of the plan's API stage, by `/resource/path/METHOD`. */
  readonly methodThrottles: Record<string, ThrottleLimits>;
}

/** An API key as the emulator knows it. */
export interface LocalApiKey {
  readonly id: string;
  readonly logicalId: string;
  readonly name: string;
  readonly value: string;
  readonly enabled: boolean;
  /** Whether the value is the template's own (else a local one). */
  readonly valueFromTemplate: boolean;
  /** The plans of this API and stage the key belongs to. */
  readonly plans: StagePlan[];
}

/** A stable local value for a key the template lets AWS generate: 40 letters and digits, as AWS's. */
export function localKeyValue(logicalId: string): string {
  return createHash('sha512').update(`cdk-apigateway-patterns local api key ${logicalId}`).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
}

function stagePlan(plan: ApiPart, api: ApiModel, stageName: string): StagePlan | undefined {
  const p = plan.properties;
  const stages = (p.ApiStages as Array<{ ApiId?: string; Stage?: string; Throttle?: Record<string, unknown> }> | undefined) ?? [];
  const stage = stages.find((s) => s.ApiId === api.id && s.Stage === stageName);
  if (!stage) return undefined;
  const methodThrottles: Record<string, ThrottleLimits> = {};
  for (const [path, limits] of Object.entries(stage.Throttle ?? {})) {
    const t = throttleOf(limits);
    if (t) methodThrottles[path] = t;
  }
  return { id: plan.id, name: String(p.UsagePlanName ?? plan.logicalId), throttle: throttleOf(p.Throttle), quota: quotaOf(p.Quota), methodThrottles };
}

/** The API's keys with their plans on `stageName`. */
export function apiKeysOf(api: ApiModel, stageName: string): LocalApiKey[] {
  return api.apiKeys.map((key) => {
    const p = key.properties;
    const planIds = api.usagePlanKeys.filter((k) => k.properties.KeyId === key.id).map((k) => String(k.properties.UsagePlanId));
    const plans = api.usagePlans.filter((plan) => planIds.includes(plan.id))
      .map((plan) => stagePlan(plan, api, stageName))
      .filter((plan): plan is StagePlan => plan !== undefined);
    const given = p.Value === undefined ? undefined : String(p.Value);
    return {
      id: key.id,
      logicalId: key.logicalId,
      name: String(p.Name ?? key.logicalId.split('/').pop()),
      value: given ?? localKeyValue(key.logicalId),
      enabled: String(p.Enabled ?? 'true') !== 'false',
      valueFromTemplate: given !== undefined,
      plans,
    };
  });
}
