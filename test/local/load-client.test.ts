import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { percentile, runLoad } from '../../bench/load-client';

/** The benchmark's load client: its statistics and its refusal to count wrong answers as throughput. */
test('percentile by nearest rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  expect([percentile(values, 50), percentile(values, 99), percentile(values, 100), percentile([7], 99)]).toEqual([50, 99, 100, 7]);
  expect(percentile([], 50)).toBeNaN();
});

test('runLoad sends requests over keep-alive connections and counts answers that are not the expected status as failures', async () => {
  let served = 0;
  const sockets = new Set<unknown>();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    served += 1;
    res.writeHead(served % 2 === 0 ? 500 : 200);
    res.end('x');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const result = await runLoad(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { connections: 2, durationMs: 200 });
    expect(result.requests).toBe(served);
    expect(result.failures).toBe(Math.floor(served / 2));
    expect(result.failedWith).toBe(500);
    expect(result.p50Ms).toBeLessThanOrEqual(result.p99Ms);
    expect(sockets.size).toBeLessThanOrEqual(2); // keep-alive: no new connection per request
  } finally {
    await new Promise((r) => server.close(r));
  }
});
