import { stageMethodThrottle } from '../../lib/local/method-request/api-key-step';
import { localKeyValue } from '../../lib/local/method-request/api-keys';
import { QuotaCounter, quotaOf, quotaPeriodStart, throttleOf, TokenBucket } from '../../lib/local/method-request/usage-plans';

describe('TokenBucket', () => {
  test('holds burst tokens and refills rate per second, never above burst', () => {
    const b = new TokenBucket({ rate: 2, burst: 3 }, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect([b.take(499), b.take(500)]).toEqual([false, true]); // half a second: one token
    expect([b.take(10_000), b.take(10_000), b.take(10_000), b.take(10_000)]).toEqual([true, true, true, false]);
  });
});

describe('quotas', () => {
  const at = (iso: string): number => Date.parse(iso);
  test('period starts: DAY at UTC midnight, WEEK on Sunday + offset, MONTH on the 1st + offset', () => {
    expect(quotaPeriodStart({ limit: 1, period: 'DAY', offset: 0 }, at('2027-01-06T13:00:00Z'))).toBe(at('2027-01-06T00:00:00Z'));
    // 2027-01-06 is a Wednesday: the week began Sunday 3 January; with offset 2, Tuesday 5 January.
    expect(quotaPeriodStart({ limit: 1, period: 'WEEK', offset: 0 }, at('2027-01-06T13:00:00Z'))).toBe(at('2027-01-03T00:00:00Z'));
    expect(quotaPeriodStart({ limit: 1, period: 'WEEK', offset: 2 }, at('2027-01-06T13:00:00Z'))).toBe(at('2027-01-05T00:00:00Z'));
    expect(quotaPeriodStart({ limit: 1, period: 'WEEK', offset: 4 }, at('2027-01-06T13:00:00Z'))).toBe(at('2026-12-31T00:00:00Z'));
    expect(quotaPeriodStart({ limit: 1, period: 'MONTH', offset: 0 }, at('2027-03-15T00:00:00Z'))).toBe(at('2027-03-01T00:00:00Z'));
    expect(quotaPeriodStart({ limit: 1, period: 'MONTH', offset: 20 }, at('2027-03-15T00:00:00Z'))).toBe(at('2027-02-21T00:00:00Z'));
  });

  test('a counter allows limit requests per period and starts again in the next', () => {
    const q = new QuotaCounter({ limit: 2, period: 'DAY', offset: 0 });
    const day = at('2027-01-06T00:00:00Z');
    expect([q.take(day), q.take(day + 1), q.take(day + 2)]).toEqual([true, true, false]);
    expect(q.remaining(day + 3)).toBe(0);
    expect(q.remaining(day + 86_400_000)).toBe(2);
    expect(q.take(day + 86_400_000)).toBe(true);
  });

  test('template shapes: Throttle and Quota read as CloudFormation writes them; a bad period is refused', () => {
    expect(throttleOf({ RateLimit: 10, BurstLimit: 20 })).toEqual({ rate: 10, burst: 20 });
    expect(throttleOf({})).toBeUndefined();
    expect(quotaOf({ Limit: 1000, Period: 'DAY' })).toEqual({ limit: 1000, period: 'DAY', offset: 0 });
    expect(() => quotaOf({ Limit: 1, Period: 'YEAR' })).toThrow(/not DAY, WEEK or MONTH/);
  });
});

test('stage throttles: a method\'s own MethodSettings entry wins over /* *', () => {
  const settings = [
    { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    { ResourcePath: '/~1products~1{productId}', HttpMethod: 'GET', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
  ];
  expect(stageMethodThrottle(settings, '/products/{productId}', 'GET')).toEqual({ rate: 5, burst: 10 });
  expect(stageMethodThrottle(settings, '/products/{productId}', 'DELETE')).toEqual({ rate: 100, burst: 200 });
  expect(stageMethodThrottle([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }], '/x', 'GET')).toBeUndefined();
});

test('a generated key\'s local value: 40 letters and digits, stable, one per key', () => {
  expect(localKeyValue('S/KeyA')).toMatch(/^[A-Za-z0-9]{40}$/);
  expect(localKeyValue('S/KeyA')).toBe(localKeyValue('S/KeyA'));
  expect(localKeyValue('S/KeyA')).not.toBe(localKeyValue('S/KeyB'));
});
