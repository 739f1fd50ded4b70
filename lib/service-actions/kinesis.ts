import { Token } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Field, FieldSource } from '../field';
import { ServiceBinding, ServiceGrant, ServiceRouteInfo } from '../internal/service-binding';
import { jsonStringContent } from '../templates/escape';
import { staticHeaderValue } from '../templates/vtl';
import { serviceErrorResponses } from './responses';

/** Options of `ServiceAction.kinesisPutRecord`. */
export interface KinesisPutRecordOptions {
  /**
   * The record's data, written as its UTF-8 bytes.
   * @default Field.body('$'): the request body exactly as sent
   */
  readonly data?: Field;
  /**
   * The partition key (1 to 256 characters), which picks the shard: records with the same key keep their
   * order. An empty request value answers 400.
   * @default Field.context('requestId'): records spread evenly over the shards
   */
  readonly partitionKey?: Field;
}

/**
 * PutRecord in Kinesis's JSON protocol. Data is base64 of the value's UTF-8 bytes and the partition key
 * is escaped as JSON string content, so no request can add a key; the stream is named by ARN (the
 * form AWS recommends, which also reaches a stream in another account).
 */
export function bindKinesisPutRecord(route: ServiceRouteInfo, stream: kinesis.IStream, options: KinesisPutRecordOptions): ServiceBinding {
  const name = route.route;
  const expr = (field: Field) => field._expression(name, route.pathParameters);
  const partitionKey = options.partitionKey ?? Field.context('requestId');
  if (partitionKey._source === FieldSource.LITERAL && !Token.isUnresolved(partitionKey._name)) {
    if (partitionKey._name.length < 1 || partitionKey._name.length > 256) {
      throw new Error(`${name}: partitionKey '${partitionKey._name}' must be 1 to 256 characters`);
    }
  }

  // Base64 output is only [A-Za-z0-9+/=], but it still goes through the JSON string escaper: should the
  // encoder ever wrap lines, the JSON stays valid.
  const template = `{"StreamARN": "${stream.streamArn}", ` +
    `"Data": "${jsonStringContent(`$util.base64Encode(${expr(options.data ?? Field.body('$'))})`)}", ` +
    `"PartitionKey": "${jsonStringContent(expr(partitionKey))}"}`;

  const grants: ServiceGrant[] = [{ actions: ['kinesis:PutRecord'], resources: [stream.streamArn] }];
  if (stream.encryptionKey) {
    // A stream encrypted with a customer managed key: producers need GenerateDataKey on the key.
    grants.push({ actions: ['kms:GenerateDataKey'], resources: [stream.encryptionKey.keyArn] });
  }
  return {
    service: 'kinesis',
    action: 'PutRecord',
    requestParameters: {
      'integration.request.header.X-Amz-Target': staticHeaderValue(name, 'X-Amz-Target', 'Kinesis_20131202.PutRecord'),
      'integration.request.header.Content-Type': staticHeaderValue(name, 'Content-Type', 'application/x-amz-json-1.1'),
    },
    requestTemplates: { 'application/json': template },
    responses: [
      {
        statusCode: 200,
        template: `{"sequenceNumber": "${jsonStringContent("$input.path('$.SequenceNumber')")}", ` +
          `"shardId": "${jsonStringContent("$input.path('$.ShardId')")}"}`,
      },
      ...serviceErrorResponses(),
    ],
    grants,
  };
}
