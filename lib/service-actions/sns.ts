import { Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Field, FieldSource } from '../field';
import { ServiceBinding, ServiceGrant, ServiceRouteInfo } from '../internal/service-binding';
import { formValue, jsonStringContent } from '../templates/escape';
import { vtlString } from '../templates/vtl';
import { serviceErrorResponses } from './responses';
import { HEADER_NAME } from '../internal/names';

/** Options of `ServiceAction.snsPublish`. */
export interface SnsPublishOptions {
  /**
   * The message.
   * @default Field.body('$'): the request body exactly as sent
   */
  readonly message?: Field;
  /**
   * The subject (used by email subscriptions, and included in JSON deliveries). A request value is sent
   * only when non-empty; one SNS rejects (100 characters or more, a line break or control character)
   * answers 400. A literal subject is checked at synth.
   * @default - no subject
   */
  readonly subject?: Field;
  /**
   * String message attributes from request headers: attribute name → header name. A header the request
   * lacks (or sends empty) is left out. Raw-delivery SQS subscriptions accept at most 10 attributes.
   * @default - none
   */
  readonly messageAttributesFromHeaders?: { [attribute: string]: string };
  /**
   * The message group: required for FIFO topics, e.g. `Field.path('customerId')`; on a standard topic it
   * is forwarded to SQS standard subscriptions only (fair queues).
   * @default - none; a FIFO topic without it is a synth error
   */
  readonly messageGroupId?: Field;
  /**
   * The deduplication id of a FIFO topic.
   * @default - Field.context('requestId') (every request is a new message), or none when the topic
   * has content-based deduplication
   */
  readonly deduplicationId?: Field;
}

const ATTRIBUTE_NAME = /^(?!aws\.|amazon\.)(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/i;
// SNS: MessageGroupId / MessageDeduplicationId are 1-128 alphanumerics and ASCII punctuation.
const FIFO_TOKEN = /^[\x21-\x7e]{1,128}$/;

/**
 * Publish in SNS's query protocol: a form-encoded body to `sns:path//`. Every value is form-encoded,
 * so a request cannot add or change a form field; the response gives the message id.
 */
export function bindSnsPublish(route: ServiceRouteInfo, topic: sns.ITopic, options: SnsPublishOptions): ServiceBinding {
  const name = route.route;
  const expr = (field: Field) => field._expression(name, route.pathParameters);
  const fifo = topic.fifo;
  if (!fifo && options.deduplicationId) {
    throw new Error(`${name}: deduplicationId applies to FIFO topics only, and ${topic.node.path} is a standard topic: ` +
      'remove it or use a FIFO topic');
  }
  if (fifo && !options.messageGroupId) {
    throw new Error(`${name}: ${topic.node.path} is a FIFO topic, which needs a message group: set messageGroupId, ` +
      "e.g. Field.path('customerId') or Field.literal('default') for one ordered group");
  }
  const fifoToken = (v: string) => FIFO_TOKEN.test(v);
  checkLiteral(name, 'messageGroupId', options.messageGroupId, fifoToken, '1 to 128 ASCII letters, digits or punctuation');
  checkLiteral(name, 'deduplicationId', options.deduplicationId, fifoToken, '1 to 128 ASCII letters, digits or punctuation');
  // SNS: "UTF-8 text with no line breaks or control characters, and less than 100 characters long".
  const subject = (v: string) => v.length >= 1 && v.length < 100 && ![...v].some((c) => c <= '\u001f' || (c >= '\u007f' && c <= '\u009f'));
  checkLiteral(name, 'subject', options.subject, subject, 'less than 100 characters, without line breaks or control characters');

  let template = `Action=Publish&TopicArn=${formValue(vtlString(topic.topicArn))}` +
    `&Message=${formValue(expr(options.message ?? Field.body('$')))}`;
  if (options.subject) template += optionalField('Subject', expr(options.subject), '__subject');
  if (options.messageGroupId) template += `&MessageGroupId=${formValue(expr(options.messageGroupId))}`;
  const deduplicationId = options.deduplicationId ?? (fifo && !topic.contentBasedDeduplication ? Field.context('requestId') : undefined);
  if (deduplicationId) template += `&MessageDeduplicationId=${formValue(expr(deduplicationId))}`;

  const attributes = Object.entries(options.messageAttributesFromHeaders ?? {});
  if (attributes.length > 0) {
    // Entries are numbered 1..n without gaps, counting only the headers the request has.
    template += '#set($__attr = 0)';
    attributes.forEach(([attribute, header], i) => {
      if (!ATTRIBUTE_NAME.test(attribute)) {
        throw new Error(`${name}: message attribute name '${attribute}' is not valid for SNS (letters, digits, _ - .; ` +
          'not starting or ending with a period, no "..", not starting with aws. or amazon.)');
      }
      if (!HEADER_NAME.test(header)) throw new Error(`${name}: '${header}' is not a valid header name`);
      const v = `$__attrValue${i}`;
      const entry = '&MessageAttributes.entry.${__attr}';
      template += `#set(${v} = $input.params().header.get(${vtlString(header)}))` +
        `#if("$!{__attrValue${i}}" != "")#set($__attr = $__attr + 1)` +
        `${entry}.Name=${formValue(vtlString(attribute))}` +
        `${entry}.Value.DataType=String` +
        `${entry}.Value.StringValue=${formValue(v)}#end`;
    });
  }

  const grants: ServiceGrant[] = [{ actions: ['sns:Publish'], resources: [topic.topicArn] }];
  if (topic.masterKey) {
    // Publishing to a topic encrypted with a customer managed key needs the key too (SNS's documented pair).
    grants.push({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [topic.masterKey.keyArn] });
  }
  return {
    service: 'sns',
    path: '/',
    requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
    requestTemplates: { 'application/json': template },
    responses: [
      {
        statusCode: 200,
        template: `{"messageId": "${jsonStringContent("$input.path('$.PublishResponse.PublishResult.MessageId')")}"}`,
      },
      ...serviceErrorResponses(),
    ],
    grants,
  };
}

/** `&Key=<value>` only when the request value is non-empty (SNS rejects an empty subject). */
function optionalField(key: string, expression: string, variable: string): string {
  return `#set($${variable} = ${expression})#if("$!{${variable}}" != "")&${key}=${formValue(`$${variable}`)}#end`;
}

/** Checks a literal Field's value at synth; request values are checked by the service. */
function checkLiteral(route: string, option: string, field: Field | undefined, valid: (v: string) => boolean, rule: string): void {
  if (!field || field._source !== FieldSource.LITERAL || Token.isUnresolved(field._name)) return;
  if (!valid(field._name)) {
    throw new Error(`${route}: ${option} '${field._name}' is not valid for SNS: use ${rule}`);
  }
}
