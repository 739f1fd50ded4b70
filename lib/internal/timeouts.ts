import { Duration } from 'aws-cdk-lib';

/** Rejects an integration timeout outside API Gateway's 50 ms to 29 s. */
export function checkIntegrationTimeout(route: string, timeout?: Duration): void {
  if (!timeout || timeout.isUnresolved()) return;
  const ms = timeout.toMilliseconds();
  if (ms < 50 || ms > 29000) {
    throw new Error(`${route}: integration timeout ${ms} ms is outside API Gateway's 50 ms to 29 s: use a timeout in that range`);
  }
}
