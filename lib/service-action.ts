import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Field } from './field';
import {
  BUCKET, checkArgs, EVENT_BUS, instanceOf, kind, OBJECT, QUEUE, required, STATE_MACHINE, STREAM, STRING, STRING_LIST, struct, TABLE, TOPIC,
} from './internal/prop-checks';
import { ServiceBinding, ServiceRouteInfo } from './internal/service-binding';
import { bindSqsSendMessage, SqsSendMessageOptions } from './service-actions/sqs';
// imports: dynamodb
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import {
  bindDynamoDbDeleteItem,
  bindDynamoDbGetItem,
  bindDynamoDbPutItem,
  bindDynamoDbQuery,
  bindDynamoDbScan,
  bindDynamoDbUpdateItem,
  DynamoDbDeleteItemOptions,
  DynamoDbGetItemOptions,
  DynamoDbPutItemOptions,
  DynamoDbQueryOptions,
  DynamoDbScanOptions,
  DynamoDbUpdateItemOptions,
} from './service-actions/dynamodb';
// imports: sns, eventbridge, kinesis
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as sns from 'aws-cdk-lib/aws-sns';
import { bindEventBridgePutEvents, EventBridgePutEventsOptions } from './service-actions/eventbridge';
import { bindKinesisPutRecord, KinesisPutRecordOptions } from './service-actions/kinesis';
import { bindSnsPublish, SnsPublishOptions } from './service-actions/sns';
// imports: stepfunctions, s3, custom
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { bindCustomServiceAction, CustomServiceActionOptions } from './service-actions/custom';
import { bindS3GetObject, bindS3PutObject, S3GetObjectOptions, S3PutObjectOptions } from './service-actions/s3';
import {
  bindStepFunctionsStartExecution,
  bindStepFunctionsStartSyncExecution,
  StepFunctionsExecutionOptions,
  StepFunctionsSyncExecutionOptions,
} from './service-actions/stepfunctions';

// Types of the options' props; a missing required prop is left to the preset, which says what to give.
const FIELD_KEY = instanceOf(Field, "a Field such as Field.path('key')");
const S3_OPTIONS = struct("options such as { key: Field.path('key') }", { key: FIELD_KEY });
const EVENT_BRIDGE_OPTIONS = struct("options such as { source: 'com.example.orders', detailType: Field.literal('OrderPlaced') }", {
  source: STRING,
  detailType: instanceOf(Field, "a Field such as Field.literal('OrderPlaced')"),
});
const CUSTOM_OPTIONS = struct("options such as { service: 'sqs', action: 'SendMessage', requestTemplate: '...', iamActions: [...], iamResources: [...] }", {
  service: STRING,
  action: STRING,
  path: STRING,
  requestTemplate: STRING,
  iamActions: STRING_LIST,
  iamResources: STRING_LIST,
});

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
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.sqsSendMessage`, ['queue', queue, required(QUEUE)], ['options', options, OBJECT]);
      return bindSqsSendMessage(route, queue, options);
    });
  }
  // --- end SQS ---

  // --- DynamoDB ---
  /**
   * DynamoDB "put": writes the item and answers 201 with it as plain JSON, e.g. `{ id:
   * DynamoAttribute.stringValue(Field.context('requestId')), name: DynamoAttribute.stringValue(Field.body('$.name')) }`.
   * With `onlyIfNew` an existing key answers 409. Written with UpdateItem (ReturnValues ALL_NEW), the
   * only write that returns the stored item: the role is granted `dynamodb:UpdateItem`, and without
   * `onlyIfNew` an existing item keeps attributes the route does not list.
   */
  public static dynamoDbPutItem(table: dynamodb.ITable, options: DynamoDbPutItemOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.dynamoDbPutItem`, ['table', table, required(TABLE)], ['options', options, required(kind("options such as { item: {...} }", OBJECT.test))]);
      return bindDynamoDbPutItem(route, table, options);
    });
  }

  /** DynamoDB GetItem: 200 with the item as plain JSON (`{"id": "a", "n": 1}`), 404 when there is none. */
  public static dynamoDbGetItem(table: dynamodb.ITable, options: DynamoDbGetItemOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.dynamoDbGetItem`, ['table', table, required(TABLE)], ['options', options, required(kind("options such as { key: {...} }", OBJECT.test))]);
      return bindDynamoDbGetItem(route, table, options);
    });
  }

  /**
   * DynamoDB Query on the table or an index: 200 with `{"items": [...], "count": n, "nextToken": "..."}`;
   * `nextToken` (present while more items follow) is passed back as `?nextToken=` for the next page.
   */
  public static dynamoDbQuery(table: dynamodb.ITable, options: DynamoDbQueryOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.dynamoDbQuery`, ['table', table, required(TABLE)], ['options', options, required(kind("options such as { keyCondition: KeyCondition.eq(...) }", OBJECT.test))]);
      return bindDynamoDbQuery(route, table, options);
    });
  }

  /** DynamoDB UpdateItem of an existing item: SET each listed attribute; 404 when the item does not exist. */
  public static dynamoDbUpdateItem(table: dynamodb.ITable, options: DynamoDbUpdateItemOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.dynamoDbUpdateItem`, ['table', table, required(TABLE)], ['options', options, required(kind("options such as { key: {...}, set: {...} }", OBJECT.test))]);
      return bindDynamoDbUpdateItem(route, table, options);
    });
  }

  /** DynamoDB DeleteItem: 200 with the deleted item (or 204), 404 when there was no such item. */
  public static dynamoDbDeleteItem(table: dynamodb.ITable, options: DynamoDbDeleteItemOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.dynamoDbDeleteItem`, ['table', table, required(TABLE)], ['options', options, required(kind("options such as { key: {...} }", OBJECT.test))]);
      return bindDynamoDbDeleteItem(route, table, options);
    });
  }

  /** DynamoDB Scan of the table or an index, a page at a time: the same answer as `dynamoDbQuery`. */
  public static dynamoDbScan(table: dynamodb.ITable, options: DynamoDbScanOptions = {}): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.dynamoDbScan`, ['table', table, required(TABLE)], ['options', options, OBJECT]);
      return bindDynamoDbScan(route, table, options);
    });
  }
  // --- end DynamoDB ---

  // --- SNS, EventBridge, Kinesis ---
  /**
   * SNS Publish: the request body becomes the message, byte for byte, with an optional subject, message
   * attributes from headers, and the message group / deduplication id of a FIFO topic.
   */
  public static snsPublish(topic: sns.ITopic, options: SnsPublishOptions = {}): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.snsPublish`, ['topic', topic, required(TOPIC)], ['options', options, OBJECT]);
      return bindSnsPublish(route, topic, options);
    });
  }

  /**
   * EventBridge PutEvents: one event on the bus with a fixed source, whose detail is the request's JSON
   * object. A failed entry answers 400 (content the client can fix) or 500, with the entry's error code.
   */
  public static eventBridgePutEvents(bus: events.IEventBus, options: EventBridgePutEventsOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.eventBridgePutEvents`, ['bus', bus, required(EVENT_BUS)], ['options', options, required(EVENT_BRIDGE_OPTIONS)]);
      return bindEventBridgePutEvents(route, bus, options);
    });
  }

  /** Kinesis PutRecord: the request body becomes the record's data, byte for byte (UTF-8). */
  public static kinesisPutRecord(stream: kinesis.IStream, options: KinesisPutRecordOptions = {}): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.kinesisPutRecord`, ['stream', stream, required(STREAM)], ['options', options, OBJECT]);
      return bindKinesisPutRecord(route, stream, options);
    });
  }
  // --- end SNS, EventBridge, Kinesis ---

  // --- Step Functions, S3, custom ---
  /**
   * Step Functions StartExecution: starts an execution (standard or express state machine) whose input is
   * the request body exactly as sent, and answers at once with `{"executionArn", "startDate"}`.
   */
  public static stepFunctionsStartExecution(stateMachine: sfn.IStateMachine, options: StepFunctionsExecutionOptions = {}): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.stepFunctionsStartExecution`, ['stateMachine', stateMachine, required(STATE_MACHINE)], ['options', options, OBJECT]);
      return bindStepFunctionsStartExecution(route, stateMachine, options);
    });
  }

  /**
   * Step Functions StartSyncExecution: runs an EXPRESS state machine (a standard one is a synth error) and
   * answers with its output as JSON (200), `{"message", "code", "requestId"}` when it fails (500; `code` is
   * the error's name, the cause is left out unless `exposeServiceErrors`), or 504 when it times out. API
   * Gateway waits at most the route's timeout (29 s by default).
   */
  public static stepFunctionsStartSyncExecution(stateMachine: sfn.IStateMachine, options: StepFunctionsSyncExecutionOptions = {}): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.stepFunctionsStartSyncExecution`, ['stateMachine', stateMachine, required(STATE_MACHINE)], ['options', options, OBJECT]);
      return bindStepFunctionsStartSyncExecution(route, stateMachine, options);
    });
  }

  /**
   * S3 GetObject: answers the object at `keyPrefix` + the key path parameter, byte for byte, with its
   * Content-Type and ETag; a missing object answers 404. The role may read only objects under `keyPrefix`
   * (it gets no s3:ListBucket, so S3's 403 for a missing key is answered as 404 too). The object passes
   * through unconverted: list the bucket's binary media types in the API's binaryMediaTypes (else a synth
   * warning), and have clients send `Accept` set to the object's Content-Type; text and binary objects then
   * both come back byte for byte (whatever the Accept header when binaryMediaTypes has the catch-all type).
   */
  public static s3GetObject(bucket: s3.IBucket, options: S3GetObjectOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.s3GetObject`, ['bucket', bucket, required(BUCKET)], ['options', options, required(S3_OPTIONS)]);
      return bindS3GetObject(route, bucket, options);
    });
  }

  /**
   * S3 PutObject: stores the request body, byte for byte, at `keyPrefix` + the key path parameter, with the
   * request's Content-Type; answers 200 with the object's ETag. The body passes to S3 untouched (no
   * template), and the role may write only objects under `keyPrefix`. For binary uploads set the API's
   * binaryMediaTypes (else a synth warning).
   */
  public static s3PutObject(bucket: s3.IBucket, options: S3PutObjectOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.s3PutObject`, ['bucket', bucket, required(BUCKET)], ['options', options, required(S3_OPTIONS)]);
      return bindS3PutObject(route, bucket, options);
    });
  }

  /**
   * Any AWS service call with your own request template (you own its escaping) and an exact IAM grant: the
   * target must be one action or one path, and actions and resources must be named without wildcards.
   */
  public static custom(options: CustomServiceActionOptions): ServiceAction {
    return new ServiceAction((route) => {
      checkArgs(`${route.route}: ServiceAction.custom`, ['options', options, required(CUSTOM_OPTIONS)]);
      return bindCustomServiceAction(route, options);
    });
  }
  // --- end Step Functions, S3, custom ---

  private constructor(private readonly binder: (route: ServiceRouteInfo) => ServiceBinding) {}

  /** What this action contributes to the route it is bound to. @internal */
  public _bind(route: ServiceRouteInfo): ServiceBinding {
    return this.binder(route);
  }
}
