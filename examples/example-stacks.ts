import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FanOutStack } from './fan-out-stack';
import { FoundationStack } from './foundation-stack';
import { HttpBackendsStack } from './http-backends-stack';
import { MockApiStack } from './mock-api-stack';
import { ServiceIntegrationsStack } from './service-integrations-stack';

/** The cdk-nag pack each app of `addExampleStacks` is checked with. */
const nagPacks = new WeakMap<App, AwsSolutionsChecks>();

/** The cdk-nag AwsSolutions pack `addExampleStacks` registered on `app`, for tests. */
export function exampleNagPack(app: App): AwsSolutionsChecks | undefined {
  return nagPacks.get(app);
}

/**
 * Adds every example stack to `app` and returns them in order, and checks the whole app with cdk-nag's
 * AwsSolutions pack when it is synthesized: any finding that is not acknowledged, with a reason, on the
 * construct it concerns (`Validations.of(construct).acknowledge(...)`) fails the synth. The stacks are
 * env-agnostic and deterministic (no dates, no random values), so tests can snapshot them. A new example
 * is one file with its stack class and one line here.
 */
export function addExampleStacks(app: App): Stack[] {
  if (!nagPacks.has(app)) {
    const pack = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(pack);
    nagPacks.set(app, pack);
  }
  return [
    new FoundationStack(app, 'ApigwPatternsFoundation', {
      description: 'cdk-apigateway-patterns: Lambda proxy routes, CORS, caching, Cognito and Lambda authorizers, validation, usage-plan tiers with API keys',
    }),
    new MockApiStack(app, 'ApigwPatternsMocks', {
      description: 'cdk-apigateway-patterns: mock API and error simulation for front-end development',
    }),
    new ServiceIntegrationsStack(app, 'ApigwPatternsServiceIntegrations', {
      description: 'cdk-apigateway-patterns: routes straight to AWS services (DynamoDB, SQS, SNS, EventBridge, Kinesis, S3, Step Functions)',
    }),
    new HttpBackendsStack(app, 'ApigwPatternsHttpBackends', {
      description: 'cdk-apigateway-patterns: HTTP backends per stage (dev/prod), a legacy XML service via Lambda custom, a private ECS service via VPC link',
    }),
    new FanOutStack(app, 'ApigwPatternsFanOut', {
      description: 'cdk-apigateway-patterns: parallel fan-out and content-based routing through Express workflows, asynchronous fan-out with SNS',
    }),
  ];
}
