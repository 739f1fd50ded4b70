/**
 * Usage plans as API Gateway applies them: a token bucket per key and plan (rate per second, burst),
 * per-method throttles of the plan's API stage ("/path/METHOD"), and a quota counted per period (DAY,
 * WEEK, MONTH, with its offset) in UTC. Pure state and arithmetic; the clock is passed in.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */

/** A throttle: `rate` requests per second on average, `burst` at once. */
export interface ThrottleLimits {
  readonly rate: number;
  readonly burst: number;
}

/** The token bucket algorithm API Gateway documents: it holds `burst` tokens and refills `rate` a second. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly limits: ThrottleLimits, now: number) {
    this.tokens = limits.burst;
    this.last = now;
  }

  /** Takes one token at `now` (ms); false when the bucket is empty (the request is throttled). */
  public take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.limits.burst, this.tokens + elapsed * this.limits.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A plan's `Quota`: `limit` requests per `period`, the period starting `offset` days in (WEEK: 0 = Monday... AWS: offset into the period). */
export interface QuotaLimits {
  readonly limit: number;
  readonly period: 'DAY' | 'WEEK' | 'MONTH';
  readonly offset: number;
}

/**
 * When the quota period holding `now` began (UTC). DAY starts at midnight; WEEK on Sunday plus
 * `offset` days (API Gateway's week starts on Sunday: offset 0-6); MONTH on the 1st plus `offset` days
 * (0-27).
 */
export function quotaPeriodStart(quota: QuotaLimits, now: number): number {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const DAY = 86_400_000;
  if (quota.period === 'DAY') return midnight;
  if (quota.period === 'WEEK') {
    let start = midnight - ((d.getUTCDay() - quota.offset + 7) % 7) * DAY;
    if (start > now) start -= 7 * DAY;
    return start;
  }
  let start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1 + quota.offset);
  if (start > now) start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1 + quota.offset);
  return start;
}

/** Requests counted against a quota in its current period. */
export class QuotaCounter {
  private periodStart = -1;
  private used = 0;

  constructor(private readonly quota: QuotaLimits) {}

  /** Counts one request at `now`; false when the period's limit is already used up. */
  public take(now: number): boolean {
    const start = quotaPeriodStart(this.quota, now);
    if (start !== this.periodStart) {
      this.periodStart = start;
      this.used = 0;
    }
    if (this.used >= this.quota.limit) return false;
    this.used += 1;
    return true;
  }

  /** Requests left in the period holding `now`. */
  public remaining(now: number): number {
    return quotaPeriodStart(this.quota, now) === this.periodStart ? Math.max(0, this.quota.limit - this.used) : this.quota.limit;
  }
}

/** `{ RateLimit, BurstLimit }` of a template, or undefined when it sets neither. */
export function throttleOf(value: unknown): ThrottleLimits | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { RateLimit?: unknown; BurstLimit?: unknown };
  if (v.RateLimit === undefined && v.BurstLimit === undefined) return undefined;
  const rate = Number(v.RateLimit ?? Number.POSITIVE_INFINITY);
  const burst = Number(v.BurstLimit ?? Math.max(1, Math.ceil(rate)));
  return { rate, burst };
}

/** `{ Limit, Period, Offset }` of a template, or undefined. */
export function quotaOf(value: unknown): QuotaLimits | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { Limit?: unknown; Period?: unknown; Offset?: unknown };
  if (v.Limit === undefined || v.Period === undefined) return undefined;
  const period = String(v.Period).toUpperCase();
  if (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH') throw new Error(`quota period ${String(v.Period)} is not DAY, WEEK or MONTH`);
  return { limit: Number(v.Limit), period, offset: Number(v.Offset ?? 0) };
}
