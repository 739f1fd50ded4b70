import { App, Stack } from 'aws-cdk-lib';
import { FoundationStack } from './foundation-stack';
import { HttpBackendsStack } from './http-backends-stack';
import { MockApiStack } from './mock-api-stack';
import { ServiceIntegrationsStack } from './service-integrations-stack';

/**
 * Adds every example stack to `app` and returns them in order. The stacks are env-agnostic and
 * deterministic (no dates, no random values), so tests can snapshot them. A new example is one file
 * with its stack class and one line here.
 */
export function addExampleStacks(app: App): Stack[] {
  return [
    new FoundationStack(app, 'ApigwPatternsFoundation', {
      description: 'cdk-apigateway-patterns: Lambda proxy routes, CORS, caching, Cognito and Lambda authorizers, validation',
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
  ];
}
