import { MockApiStack } from '../../examples/mock-api-stack';
import { synthesize } from './assemblies';

// Kept apart from assemblies.ts, which tests of any assembly use: a test that imports this file needs the example
// app, so it runs at the newest aws-cdk-lib only (scripts/newest-only-tests.js).

/** The example app's Mocks stack (scenario 2), synthesized alone. */
export function synthesizeMocks(): string {
  return synthesize('mocks', (app) => new MockApiStack(app, 'ApigwPatternsMocks'));
}
