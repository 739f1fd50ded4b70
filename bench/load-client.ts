import * as http from 'node:http';

/**
 * A small HTTP load client for `npm run bench:local`: `connections` keep-alive connections, each
 * sending one request after another for `durationMs`, recording each latency. Every answer must have
 * the expected status; others are counted as failures (a bench of errors is not a figure).
 */

export interface LoadOptions {
  readonly connections: number;
  readonly durationMs: number;
  /** @default 200 */
  readonly expectStatus?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly failures: number;
  /** The first unexpected status, if any. */
  readonly failedWith?: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The value below which `p` percent of `sorted` lie (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function once(agent: http.Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: 'GET' }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs the load against `url` and measures it. */
export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const expected = options.expectStatus ?? 200;
  try {
    return await runCalls(async () => once(agent, target), expected, options);
  } finally {
    agent.destroy();
  }
}

/**
 * Runs `call` from `connections` loops for `durationMs` and measures it: any request, e.g. a direct
 * DynamoDB GetItem, the ceiling of a route that makes the same call. `call` resolves with a status.
 */
export async function runCalls(call: () => Promise<number>, expected: number, options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let failedWith: number | undefined;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(options.durationMs) * 1_000_000n;
  const worker = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline) {
      const t = process.hrtime.bigint();
      const status = await call();
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (status !== expected) {
        failures += 1;
        failedWith ??= status;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    failures,
    ...(failedWith !== undefined ? { failedWith } : {}),
    requestsPerSecond: latencies.length / (elapsedMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
