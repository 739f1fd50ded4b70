import { Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Field, FieldSource } from '../field';
import { ServiceBinding, ServiceRouteInfo } from '../internal/service-binding';
import { jsonNumber, jsonStringContent } from '../templates/escape';
import { errorBody, errorCodeEntry, serviceErrorResponses } from './responses';

/** Options of `ServiceAction.stepFunctionsStartExecution` and `ServiceAction.stepFunctionsStartSyncExecution`. */
export interface StepFunctionsExecutionOptions {
  /**
   * The execution input, which Step Functions requires to be JSON text: `Field.body('$')` (the request body
   * exactly as sent), `Field.bodyJson('$.order')` (one value of the body as JSON), or `Field.literal` of
   * fixed JSON text. Other Fields give plain strings, which are not JSON, and are refused.
   * @default Field.body('$'): the request body exactly as sent (an empty body becomes `{}`)
   */
  readonly input?: Field;
  /**
   * The execution name, e.g. `Field.header('Idempotency-Key')`: Step Functions refuses a second execution
   * with the same name (as a 400 answer). A request without the value starts an execution with a generated
   * name; require it with `requestValidation.requiredHeaders` (or `requiredQueryParameters`) if it must be
   * there.
   * @default - a name Step Functions generates
   */
  readonly name?: Field;
}

/** Options of `ServiceAction.stepFunctionsStartSyncExecution`. */
export interface StepFunctionsSyncExecutionOptions extends StepFunctionsExecutionOptions {
  /**
   * Put the failed execution's own `error` and `cause` in the 500 answer, besides `message`, `code` and
   * `requestId`. The cause is whatever the failing state produced (an exception's message and stack trace,
   * a service's error text with ARNs, account ids or table names): expose it only to trusted clients.
   * @default false: the answer is `{"message", "code", "requestId"}`, `code` being the error's name when it
   * is a plain name (letters, digits, `_ . -`, e.g. `OrderRejected` or `States.TaskFailed`), else `Unknown`
   */
  readonly exposeServiceErrors?: boolean;
}

/**
 * StartExecution: starts an execution of any state machine (standard or express) and answers at once with
 * `{"executionArn": "...", "startDate": <epoch seconds>}`.
 */
export function bindStepFunctionsStartExecution(
  route: ServiceRouteInfo, stateMachine: sfn.IStateMachine, options: StepFunctionsExecutionOptions,
): ServiceBinding {
  return {
    ...executionRequest(route, stateMachine, options, 'StartExecution'),
    responses: [
      {
        statusCode: 200,
        template: `{"executionArn": "${jsonStringContent("$input.path('$.executionArn')")}", ` +
          `"startDate": ${jsonNumber("$input.path('$.startDate')", '__startDate')}}`,
      },
      ...serviceErrorResponses(),
    ],
    grants: [{ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }],
  };
}

/**
 * StartSyncExecution: runs an express state machine and answers with its result. Step Functions answers
 * 200 whatever the execution's outcome, so the response template turns the outcome into the status:
 * SUCCEEDED → 200 with the execution output (JSON the state machine produced, printed as is; `null` when
 * there is none), TIMED_OUT → 504, FAILED → 500 with `{"message", "code", "requestId"}`: the error's name
 * as `code` when it is a plain name, never the cause (a stack trace, a service's text with ARNs) unless
 * `exposeServiceErrors`.
 */
export function bindStepFunctionsStartSyncExecution(
  route: ServiceRouteInfo, stateMachine: sfn.IStateMachine, options: StepFunctionsSyncExecutionOptions,
): ServiceBinding {
  const expose = options.exposeServiceErrors ?? false;
  if (typeof expose !== 'boolean') {
    throw new Error(`${route.route}: exposeServiceErrors must be true or false, not ${JSON.stringify(expose)}`);
  }
  // Only an L2 StateMachine knows its type; an imported one is taken on trust (Step Functions answers a
  // standard machine's StartSyncExecution with a 400, which the route turns into a 400 answer).
  if (stateMachine instanceof sfn.StateMachine && stateMachine.stateMachineType !== sfn.StateMachineType.EXPRESS) {
    throw new Error(`${route.route}: StartSyncExecution runs EXPRESS state machines only, and ${stateMachine.node.path} is ` +
      `${stateMachine.stateMachineType}: create it with stateMachineType: StateMachineType.EXPRESS, or use ` +
      'ServiceAction.stepFunctionsStartExecution to start it asynchronously');
  }
  const template =
    "#set($__status = $input.path('$.status'))" +
    '#if("$!{__status}" == "SUCCEEDED")' +
    // The output is JSON text the state machine produced: printed raw, it is the answer's JSON.
    "#set($__output = $input.path('$.output'))" +
    '#if("$!{__output}" == "")null#{else}$__output#end' +
    '#elseif("$!{__status}" == "TIMED_OUT")' +
    '#set($context.responseOverride.status = 504)' +
    errorBody('The state machine execution timed out') +
    '#{else}' +
    '#set($context.responseOverride.status = 500)' +
    `{"message": "The state machine execution failed", ${errorCodeEntry("$input.path('$.error')", '__code')}` +
    (expose
      ? `, "error": "${jsonStringContent("$input.path('$.error')")}", "cause": "${jsonStringContent("$input.path('$.cause')")}"`
      : '') +
    ', "requestId": "$context.requestId"}' +
    '#end';
  return {
    // Same `states:action/...` target as aws-cdk-lib's StepFunctionsIntegration: API Gateway reaches the
    // sync endpoint itself, no subdomain is set.
    ...executionRequest(route, stateMachine, options, 'StartSyncExecution'),
    responses: [{ statusCode: 200, template }, ...serviceErrorResponses()],
    overrideStatusCodes: [500, 504],
    grants: [{ actions: ['states:StartSyncExecution'], resources: [stateMachine.stateMachineArn] }],
  };
}

/** The integration target, JSON-protocol headers and request template both actions share. */
function executionRequest(
  route: ServiceRouteInfo, stateMachine: sfn.IStateMachine, options: StepFunctionsExecutionOptions, action: string,
): Pick<ServiceBinding, 'service' | 'action' | 'requestParameters' | 'requestTemplates'> {
  const name = route.route;
  const expr = (field: Field) => field._expression(name, route.pathParameters);
  const input = options.input ?? Field.body('$');
  checkInput(name, input);
  let template = `{"stateMachineArn": "${arnText(name, stateMachine.stateMachineArn)}", ` +
    `"input": "${jsonStringContent(expr(input))}"`;
  if (options.name) {
    // An empty name is invalid for Step Functions: leave the key out so it generates one.
    template += `#set($__name = ${expr(options.name)})#if("$!{__name}" != ""), "name": "${jsonStringContent('$__name')}"#end`;
  }
  template += '}';
  return {
    service: 'states',
    action,
    requestParameters: {
      'integration.request.header.Content-Type': "'application/x-amz-json-1.0'",
      'integration.request.header.X-Amz-Target': `'AWSStepFunctions.${action}'`,
    },
    requestTemplates: { 'application/json': template },
  };
}

/** The input must be JSON text: the raw body, a body value as JSON, or a literal that is JSON. */
function checkInput(route: string, input: Field): void {
  if (input._source === FieldSource.BODY && input._name !== '$') {
    throw new Error(`${route}: the execution input must be JSON text, but ${input._description} gives a plain value: ` +
      `use Field.bodyJson('${input._name}')`);
  }
  if (input._source === FieldSource.LITERAL) {
    try {
      JSON.parse(input._name);
    } catch {
      throw new Error(`${route}: the execution input ${input._description} is not JSON text: Step Functions needs JSON, ` +
        `e.g. Field.literal('{"mode": "batch"}')`);
    }
    return;
  }
  if (input._source !== FieldSource.BODY && input._source !== FieldSource.BODY_JSON) {
    throw new Error(`${route}: the execution input must be JSON text, but ${input._description} is a plain string: use ` +
      "Field.body('$') (the whole body) or Field.bodyJson('$.path') (a value of the body as JSON)");
  }
}

/** An ARN printed into the template between quotes: a token resolves to an ARN; a literal is checked. */
function arnText(route: string, arn: string): string {
  if (!Token.isUnresolved(arn) && !/^arn:[A-Za-z0-9:/_.+=,@-]+$/.test(arn)) {
    throw new Error(`${route}: '${arn}' is not a state machine ARN: import the state machine by its ARN`);
  }
  return arn;
}
