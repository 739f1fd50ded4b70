import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ServiceBinding, ServiceRouteInfo } from './internal/service-binding';
import { bindSqsSendMessage, SqsSendMessageOptions } from './service-actions/sqs';
// imports: dynamodb
// imports: sns, eventbridge, kinesis
// imports: stepfunctions, s3, custom

/**
 * An AWS service call made straight from API Gateway, without a Lambda function in between. Each preset
 * emits the integration target, the protocol headers, an escaped request template, integration
 * responses (service errors mapped to 4xx/5xx with a JSON error body), the method responses, and the
 * exact IAM action on the exact resource for the API's integration role.
 */
export class ServiceAction {
  // --- SQS ---
  /** SQS SendMessage: the request body becomes the message body, byte for byte. Standard and FIFO queues. */
  public static sqsSendMessage(queue: sqs.IQueue, options: SqsSendMessageOptions = {}): ServiceAction {
    return new ServiceAction((route) => bindSqsSendMessage(route, queue, options));
  }
  // --- end SQS ---

  // --- DynamoDB ---
  // --- end DynamoDB ---

  // --- SNS, EventBridge, Kinesis ---
  // --- end SNS, EventBridge, Kinesis ---

  // --- Step Functions, S3, custom ---
  // --- end Step Functions, S3, custom ---

  private constructor(private readonly binder: (route: ServiceRouteInfo) => ServiceBinding) {}

  /** What this action contributes to the route it is bound to. @internal */
  public _bind(route: ServiceRouteInfo): ServiceBinding {
    return this.binder(route);
  }
}
