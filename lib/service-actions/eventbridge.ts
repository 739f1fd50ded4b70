import { Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Field, FieldSource } from '../field';
import { ServiceBinding, ServiceRouteInfo } from '../internal/service-binding';
import { jsonStringContent } from '../templates/escape';
import { literalJson, staticHeaderValue } from '../templates/vtl';
import { errorCodeEntry, serviceErrorResponses } from './responses';

/** Options of `ServiceAction.eventBridgePutEvents`. */
export interface EventBridgePutEventsOptions {
  /**
   * The event's source, e.g. `com.example.orders`. A fixed value: the source says which application
   * sent the event, so a request must not choose it. Sources starting with `aws.` are reserved.
   */
  readonly source: string;
  /** The event's detail type, e.g. `Field.literal('OrderPlaced')` or `Field.header('X-Event-Type')`. */
  readonly detailType: Field;
  /**
   * The event's detail: the JSON text of an object. EventBridge rejects anything else (a request body
   * that is not a JSON object answers 400 with code MalformedDetail); a JSON body model on the
   * route (`requestValidation`) refuses such requests before they reach EventBridge.
   * @default Field.bodyJson('$'): the request body as a JSON object
   */
  readonly detail?: Field;
  /**
   * ARNs of the AWS resources the event concerns (the event's `resources`).
   * @default - none
   */
  readonly resources?: string[];
  /**
   * Put the failed entry's own `ErrorMessage` in the answer as `errorMessage`, besides `message`, `code`
   * and `requestId`. EventBridge's message can name the bus, the account and the caller's role: expose it
   * only to trusted clients.
   * @default false: a failed entry answers `{"message", "code", "requestId"}`, `code` being the entry's
   * ErrorCode (e.g. `MalformedDetail`) when it is a plain name, else `Unknown`
   */
  readonly exposeServiceErrors?: boolean;
}

const RESERVED_SOURCE = /^aws\./i;
// Entry failures caused by the event's content, which the client can fix: answered 400 with the reason.
const CLIENT_ERROR_CODES = ['MalformedDetail', 'InvalidArgument'];

/**
 * PutEvents in EventBridge's JSON protocol with one entry. Detail is a JSON *string* holding the
 * object's text, escaped as string content, so no request can add a key to the entry. PutEvents answers
 * HTTP 200 even when the entry fails, so the 200 response template turns a failed entry into 400 (content
 * the client can fix) or 500, with the entry's error code; its error message only with exposeServiceErrors.
 */
export function bindEventBridgePutEvents(route: ServiceRouteInfo, bus: events.IEventBus, options: EventBridgePutEventsOptions): ServiceBinding {
  const name = route.route;
  const expr = (field: Field) => field._expression(name, route.pathParameters);
  const source = options.source;
  if (typeof source !== 'string' || (!Token.isUnresolved(source) && (source.length < 1 || source.length > 256))) {
    throw new Error(`${name}: source must be 1 to 256 characters, e.g. 'com.example.orders'`);
  }
  if (RESERVED_SOURCE.test(source)) {
    throw new Error(`${name}: source '${source}' starts with 'aws.', which is reserved for AWS services: use your own prefix, ` +
      "e.g. 'com.example.orders'");
  }
  const expose = options.exposeServiceErrors ?? false;
  if (typeof expose !== 'boolean') throw new Error(`${name}: exposeServiceErrors must be true or false, not ${JSON.stringify(expose)}`);
  if (!options.detailType) throw new Error(`${name}: detailType is required, e.g. Field.literal('OrderPlaced')`);
  const detailType = literalOf(options.detailType);
  if (detailType !== undefined && (detailType.length < 1 || detailType.length > 128)) {
    throw new Error(`${name}: detailType '${detailType}' must be 1 to 128 characters`);
  }
  for (const resource of options.resources ?? []) {
    if (!Token.isUnresolved(resource) && !/^arn:[^:\s]+:[^:\s]*:[^:\s]*:[^:\s]*:\S+$/.test(resource)) {
      throw new Error(`${name}: resource '${resource}' is not an ARN: resources lists the ARNs the event concerns`);
    }
  }

  const entry = [
    `"Source": ${literalString(source)}`,
    `"DetailType": "${jsonStringContent(expr(options.detailType))}"`,
    `"Detail": "${jsonStringContent(expr(options.detail ?? Field.bodyJson('$')))}"`,
    `"EventBusName": ${literalString(bus.eventBusArn)}`,
  ];
  if (options.resources?.length) entry.push(`"Resources": [${options.resources.map(literalString).join(', ')}]`);

  const responseTemplate =
    "#set($__failed = $input.path('$.FailedEntryCount'))#set($__code = $input.path('$.Entries[0].ErrorCode'))" +
    '#if("$!{__failed}" == "0")' +
    `{"eventId": "${jsonStringContent("$input.path('$.Entries[0].EventId')")}"}` +
    `#elseif(${CLIENT_ERROR_CODES.map((c) => `"$!{__code}" == "${c}"`).join(' || ')})` +
    '#set($context.responseOverride.status = 400)' +
    entryErrorBody('EventBridge rejected the event', expose) +
    // Other failures (throttling, internal, access) are not the client's to fix.
    '#{else}#set($context.responseOverride.status = 500)' +
    entryErrorBody('EventBridge failed to accept the event', expose) +
    '#end';

  return {
    service: 'events',
    action: 'PutEvents',
    requestParameters: {
      'integration.request.header.X-Amz-Target': staticHeaderValue(name, 'X-Amz-Target', 'AWSEvents.PutEvents'),
      'integration.request.header.Content-Type': staticHeaderValue(name, 'Content-Type', 'application/x-amz-json-1.1'),
    },
    requestTemplates: { 'application/json': `{"Entries": [{${entry.join(', ')}}]}` },
    responses: [{ statusCode: 200, template: responseTemplate }, ...serviceErrorResponses()],
    overrideStatusCodes: [400, 500],
    grants: [{ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }],
  };
}

/**
 * The JSON error body of a failed entry: a fixed message, the entry's error code when it is a plain name,
 * the entry's own message only when exposed (it can name the bus, the account and the role), the request id.
 */
function entryErrorBody(message: string, withEntryMessage: boolean): string {
  const fields = [
    `"message": ${literalJson(message)}`,
    errorCodeEntry("$input.path('$.Entries[0].ErrorCode')", '__ecode'),
  ];
  if (withEntryMessage) fields.push(`"errorMessage": "${jsonStringContent("$input.path('$.Entries[0].ErrorMessage')")}"`);
  fields.push('"requestId": "$context.requestId"');
  return `{${fields.join(', ')}}`;
}

/**
 * A fixed string as a JSON string. A token (an ARN, a bus name) is written as is: literalJson would
 * break its `${Token[...]}` marker, and the values it resolves to (ARNs) hold no `"`, `\`, `$` or `#`.
 */
function literalString(value: string): string {
  return Token.isUnresolved(value) ? `"${value}"` : literalJson(value);
}

function literalOf(field: Field): string | undefined {
  return field._source === FieldSource.LITERAL && !Token.isUnresolved(field._name) ? field._name : undefined;
}
