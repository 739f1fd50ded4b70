import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Field } from '../field';
import { ServiceBinding, ServiceGrant, ServiceRouteInfo } from '../internal/service-binding';
import { formValue, jsonStringContent } from '../templates/escape';
import { vtlString } from '../templates/vtl';
import { serviceErrorResponses } from './responses';
import { HEADER_NAME } from '../internal/names';

/** Options of `ServiceAction.sqsSendMessage`. */
export interface SqsSendMessageOptions {
  /**
   * The message body.
   * @default Field.body('$'): the request body exactly as sent
   */
  readonly messageBody?: Field;
  /**
   * The message group of a FIFO queue (required for FIFO queues), e.g. `Field.path('customerId')`.
   * @default - none; a FIFO queue without it is a synth error
   */
  readonly messageGroupId?: Field;
  /**
   * The deduplication id of a FIFO queue.
   * @default Field.context('requestId'): every request is a new message; for a queue of this app with
   * content-based deduplication, none, so SQS deduplicates on the body
   */
  readonly deduplicationId?: Field;
  /**
   * String message attributes from request headers: attribute name → header name. A header the request
   * lacks is left out.
   * @default - none
   */
  readonly messageAttributesFromHeaders?: { [attribute: string]: string };
  /**
   * Delay before the message becomes visible, in seconds (0 to 900).
   * @default - the queue's delay
   */
  readonly delaySeconds?: number;
}

// SQS: no aws./amazon. prefix (any case), no leading, trailing or doubled period.
const ATTRIBUTE_NAME = /^(?!aws\.|amazon\.)(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/i;

/**
 * SendMessage in SQS's query protocol: a form-encoded body to `path/{account}/{queue}`. Every value is
 * form-encoded, so a request cannot add a form field; the response gives the message id.
 */
export function bindSqsSendMessage(route: ServiceRouteInfo, queue: sqs.IQueue, options: SqsSendMessageOptions): ServiceBinding {
  const name = route.route;
  const expr = (field: Field) => field._expression(name, route.pathParameters);
  const fifo = queue.fifo;
  if (!fifo && (options.messageGroupId || options.deduplicationId)) {
    throw new Error(`${name}: messageGroupId and deduplicationId apply to FIFO queues only, and ${queue.node.path} is a ` +
      'standard queue: remove them or use a FIFO queue');
  }
  if (fifo && !options.messageGroupId) {
    throw new Error(`${name}: ${queue.node.path} is a FIFO queue, which needs a message group: set messageGroupId, ` +
      "e.g. Field.path('customerId') or Field.literal('default') for one ordered group");
  }
  if (options.delaySeconds !== undefined) {
    if (fifo) throw new Error(`${name}: FIFO queues have no per-message delay: remove delaySeconds`);
    if (!Number.isInteger(options.delaySeconds) || options.delaySeconds < 0 || options.delaySeconds > 900) {
      throw new Error(`${name}: delaySeconds ${options.delaySeconds} must be a whole number from 0 to 900`);
    }
  }

  let template = `Action=SendMessage&MessageBody=${formValue(expr(options.messageBody ?? Field.body('$')))}`;
  if (fifo) {
    template += `&MessageGroupId=${formValue(expr(options.messageGroupId!))}`;
    // A deduplication id overrides content-based deduplication, so none is sent by default on such a queue.
    const contentBased = (queue.node.defaultChild as sqs.CfnQueue | undefined)?.contentBasedDeduplication === true;
    const deduplicationId = options.deduplicationId ?? (contentBased ? undefined : Field.context('requestId'));
    if (deduplicationId) template += `&MessageDeduplicationId=${formValue(expr(deduplicationId))}`;
  }
  if (options.delaySeconds !== undefined) template += `&DelaySeconds=${options.delaySeconds}`;

  const attributes = Object.entries(options.messageAttributesFromHeaders ?? {});
  if (attributes.length > 10) throw new Error(`${name}: SQS allows at most 10 message attributes; ${attributes.length} are configured`);
  if (attributes.length > 0) {
    // Attributes are numbered 1..n without gaps, counting only the headers the request has.
    template += '#set($__attr = 0)';
    attributes.forEach(([attribute, header], i) => {
      if (!ATTRIBUTE_NAME.test(attribute)) {
        throw new Error(`${name}: message attribute name '${attribute}' is not valid for SQS (letters, digits, _ - .; not starting with aws. or amazon.)`);
      }
      if (!HEADER_NAME.test(header)) throw new Error(`${name}: '${header}' is not a valid header name`);
      const v = `$__attrValue${i}`;
      template += `#set(${v} = $input.params().header.get(${vtlString(header)}))` +
        `#if("$!{__attrValue${i}}" != "")#set($__attr = $__attr + 1)` +
        `&MessageAttribute.\${__attr}.Name=${formValue(vtlString(attribute))}` +
        `&MessageAttribute.\${__attr}.Value.DataType=String` +
        `&MessageAttribute.\${__attr}.Value.StringValue=${formValue(v)}#end`;
    });
  }

  const grants: ServiceGrant[] = [{ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }];
  if (queue.encryptionMasterKey) {
    // A queue encrypted with a customer managed key also needs the key to encrypt the message.
    grants.push({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [queue.encryptionMasterKey.keyArn] });
  }
  return {
    service: 'sqs',
    path: `${queue.env.account}/${queue.queueName}`,
    requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
    requestTemplates: { 'application/json': template },
    responses: [
      {
        statusCode: 200,
        template: `{"messageId": "${jsonStringContent("$input.path('$.SendMessageResponse.SendMessageResult.MessageId')")}"}`,
      },
      ...serviceErrorResponses(),
    ],
    grants,
  };
}
