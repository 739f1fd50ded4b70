import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** An on-demand table with point-in-time recovery (an example: deleted with the stack). */
export function exampleTable(scope: Construct, id: string, keys: Pick<dynamodb.TableProps, 'partitionKey' | 'sortKey'>): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    ...keys,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

/** An SQS-managed encrypted, TLS-only queue with a dead-letter queue after 5 failed receives. */
export function exampleQueue(scope: Construct, id: string, fifo = false): sqs.Queue {
  const common = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, fifo: fifo || undefined, removalPolicy: RemovalPolicy.DESTROY };
  const dlq = new sqs.Queue(scope, `${id}DeadLetters`, { ...common, retentionPeriod: Duration.days(14) });
  return new sqs.Queue(scope, id, { ...common, visibilityTimeout: Duration.seconds(60), deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
}
