import { Duration, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { BoundFanOutBranch, branchOutput, FanOutBranchContext } from './internal/fan-out-binding';
import { checkArgs, kind, LAMBDA_FUNCTION, OBJECT, required, STATE_MACHINE, STRING, STRING_LIST, struct, TABLE } from './internal/prop-checks';
import { ServiceGrant } from './internal/service-binding';
import {
  bindDynamoDbGetItem,
  bindDynamoDbQuery,
  DynamoAttribute,
  DynamoDbGetItemOptions,
  DynamoKeySchema,
  KeyCondition,
} from './service-actions/dynamodb';
import {
  dynamoItemExpression,
  dynamoItemsExpression,
  jsonata,
  orNull,
  syncExecutionOutcomeExpression,
} from './templates/fan-out-jsonata';

/** Options every branch takes. */
export interface FanOutBranchOptions {
  /**
   * How long one attempt of the branch's call may take, in whole seconds; it must end before the route's
   * `timeout`, retries included. A branch that times out fails with `States.Timeout`, which the route's
   * failure policy answers (naming the branch).
   * @default - no limit of its own: the route's `timeout` bounds it, and the whole request then answers 504
   */
  readonly timeout?: Duration;
  /**
   * Retry the branch's call when it fails, e.g. `{ errors: ['Lambda.TooManyRequestsException'], maxAttempts: 2,
   * interval: Duration.seconds(1) }`. Waits count against the route's `timeout`.
   * @default - no retry: a failure goes to the failure policy at once
   */
  readonly retry?: sfn.RetryProps;
}

/** Options of `FanOutBranch.lambdaInvoke`. */
export interface FanOutLambdaOptions extends FanOutBranchOptions {
  /**
   * Request headers passed to the function, by name, e.g. `['X-Correlation-Id']`. Only these are passed:
   * headers such as Authorization or Cookie carry credentials the function should not see by default.
   * @default - no headers
   */
  readonly headers?: string[];
}

/** Options of `FanOutBranch.dynamoDbGetItem`: the key (from the request), projection and consistency. */
export interface FanOutDynamoDbGetItemOptions extends DynamoDbGetItemOptions, FanOutBranchOptions {}

/** Options of `FanOutBranch.dynamoDbQuery`. */
export interface FanOutDynamoDbQueryOptions extends FanOutBranchOptions {
  /** Which items: partition key equality, optionally `.andSortKey(...)` a sort key condition. */
  readonly keyCondition: KeyCondition;
  /**
   * Query this secondary index instead of the table.
   * @default - the table
   */
  readonly indexName?: string;
  /**
   * At most this many items, 1 to 1000 (the first page only: `hasMore` tells whether more match).
   * @default 100
   */
  readonly limit?: number;
  /**
   * Ascending sort key order; false for descending.
   * @default true
   */
  readonly scanIndexForward?: boolean;
  /**
   * Strongly consistent read (not on a global secondary index).
   * @default false
   */
  readonly consistentRead?: boolean;
  /**
   * The key schema of the table, or with `indexName` of the index, when the table is imported.
   * @default - read from the table (required for an imported table)
   */
  readonly keySchema?: DynamoKeySchema;
}

/** Options of `FanOutBranch.stateMachine`. */
export interface FanOutStateMachineOptions extends FanOutBranchOptions {
  /**
   * Request headers passed in the child execution's input, by name.
   * @default - no headers
   */
  readonly headers?: string[];
}

/** Options of `FanOutBranch.awsSdk`: any AWS SDK call Step Functions supports. */
export interface FanOutAwsSdkOptions extends FanOutBranchOptions {
  /** The service, as Step Functions' AWS SDK integrations name it (lower case), e.g. `ssm`, `s3`, `dynamodb`. */
  readonly service: string;
  /** The API action in camelCase, e.g. `getParameter`. */
  readonly action: string;
  /**
   * The call's parameters (PascalCase names). Values may be JSONata expressions over the request, which is
   * `$states.input`: `body` (the JSON body), `path`, `query`, `headers` (those in `headers`) and
   * `requestId`, e.g. `{ Name: "{% '/users/' & $states.input.path.userId %}" }`.
   * @default - no parameters
   */
  readonly parameters?: { [name: string]: any };
  /** The exact resource ARNs the call needs (no `*`). */
  readonly iamResources: string[];
  /**
   * The exact IAM actions the call needs, e.g. `['s3:ListBucket']` for `listObjectsV2`.
   * @default - `<service>:<Action>` as aws-cdk-lib's CallAwsService derives it
   */
  readonly iamActions?: string[];
  /**
   * The branch's value, a JSONata expression over the call's answer `$states.result`, e.g.
   * `'{% $states.result.Parameter.Value %}'`.
   * @default '{% $states.result %}': the whole answer
   */
  readonly resultSelector?: string;
  /**
   * Request headers written into `$states.input.headers`, by name.
   * @default - no headers
   */
  readonly headers?: string[];
}

const SDK_SERVICE = /^[a-z][a-z0-9-]{0,62}$/;
const SDK_ACTION = /^[a-z][A-Za-z0-9]{0,127}$/;
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/**
 * One backend of a `FanOutRoute`: a task in the route's Step Functions Express state machine, called in
 * parallel with the other branches. Its value lands in the answer under the branch's name.
 */
export class FanOutBranch {
  /**
   * Invokes a Lambda function with the request `{"body": <JSON body>, "path": {...}, "query": {...},
   * "headers": {<the listed headers>}, "requestId": "..."}`; the branch's value is what the function
   * returns (`null` for nothing). A function error fails the branch with the error's type as its code.
   */
  public static lambdaInvoke(handler: lambda.IFunction, options: FanOutLambdaOptions = {}): FanOutBranch {
    return new FanOutBranch(options, (ctx) => {
      checkArgs(`${ctx.route}: branch '${ctx.name}': FanOutBranch.lambdaInvoke`, ['handler', handler, required(LAMBDA_FUNCTION)], ['options', options, OBJECT]);
      return bindLambda(ctx, handler, options);
    });
  }

  /**
   * DynamoDB GetItem with a key from the request (e.g. `{ userId: DynamoAttribute.stringValue(Field.path('userId')) }`):
   * the item as plain JSON (`{"userId": "u1", "age": 42}`, as the DynamoDB route presets answer it), or
   * `null` when there is no such item. Numbers with more than 15 significant digits stay strings.
   */
  public static dynamoDbGetItem(table: dynamodb.ITable, options: FanOutDynamoDbGetItemOptions): FanOutBranch {
    return new FanOutBranch(options, (ctx) => {
      checkArgs(`${ctx.route}: branch '${ctx.name}': FanOutBranch.dynamoDbGetItem`, ['table', table, required(TABLE)], ['options', options, required(kind("options such as { key: {...} }", OBJECT.test))]);
      return bindGetItem(ctx, table, options);
    });
  }

  /**
   * DynamoDB Query of the table or an index with key conditions from the request: `{"items": [<plain
   * JSON items>], "count": n, "hasMore": true|false}`, the first page of at most `limit` items.
   */
  public static dynamoDbQuery(table: dynamodb.ITable, options: FanOutDynamoDbQueryOptions): FanOutBranch {
    return new FanOutBranch(options, (ctx) => {
      checkArgs(`${ctx.route}: branch '${ctx.name}': FanOutBranch.dynamoDbQuery`, ['table', table, required(TABLE)], ['options', options, required(kind("options such as { keyCondition: KeyCondition.eq(...) }", OBJECT.test))]);
      return bindQuery(ctx, table, options);
    });
  }

  /**
   * Runs an EXPRESS state machine synchronously (StartSyncExecution, since an Express parent cannot wait
   * for a `.sync` child) with the same request document as `lambdaInvoke`; the branch's value is the child's
   * output. A failed or timed-out child fails the branch with the child's error name as its code. A
   * STANDARD state machine is a synth error.
   */
  public static stateMachine(stateMachine: sfn.IStateMachine, options: FanOutStateMachineOptions = {}): FanOutBranch {
    return new FanOutBranch(options, (ctx) => {
      checkArgs(`${ctx.route}: branch '${ctx.name}': FanOutBranch.stateMachine`, ['stateMachine', stateMachine, required(STATE_MACHINE)], ['options', options, OBJECT]);
      return bindStateMachine(ctx, stateMachine, options);
    });
  }

  /**
   * Any AWS SDK call Step Functions supports (aws-cdk-lib's CallAwsService), with exact IAM actions and
   * resources; the branch's value is the answer, or what `resultSelector` makes of it.
   */
  public static awsSdk(options: FanOutAwsSdkOptions): FanOutBranch {
    return new FanOutBranch(options, (ctx) => {
      checkArgs(`${ctx.route}: branch '${ctx.name}': FanOutBranch.awsSdk`, ['options', options, required(struct("options such as { service: 'ssm', action: 'getParameter', iamResources: [...] }", {
        service: STRING, action: STRING, iamResources: STRING_LIST, iamActions: STRING_LIST,
      }))]);
      return bindAwsSdk(ctx, options);
    });
  }

  private constructor(
    /** @internal */ public readonly _options: FanOutBranchOptions,
    private readonly binder: (ctx: FanOutBranchContext) => BoundFanOutBranch,
  ) {}

  /** Creates the branch's states for a route. @internal */
  public _bind(ctx: FanOutBranchContext): BoundFanOutBranch {
    return this.binder(ctx);
  }
}

function bindLambda(ctx: FanOutBranchContext, handler: lambda.IFunction, options: FanOutLambdaOptions): BoundFanOutBranch {
  if (!handler || typeof handler.functionArn !== 'string') {
    throw new Error(`${ctx.route}: branch '${ctx.name}': FanOutBranch.lambdaInvoke needs a Lambda function`);
  }
  const task = tasks.LambdaInvoke.jsonata(ctx.scope, 'Invoke', {
    stateName: ctx.name,
    lambdaFunction: handler,
    payload: sfn.TaskInput.fromText(jsonata(ctx.input.request(options.headers, `branch '${ctx.name}'`))),
    // aws-cdk-lib's default retry waits up to a minute: far beyond API Gateway's 29 s. The branch's
    // own `retry` applies instead.
    retryOnServiceExceptions: false,
    taskTimeout: ctx.taskTimeout,
    outputs: branchOutput(ctx.name, orNull('$states.result.Payload')),
  });
  return { start: task, tasks: [task], policyStatements: [] };
}

function bindGetItem(ctx: FanOutBranchContext, table: dynamodb.ITable, options: FanOutDynamoDbGetItemOptions): BoundFanOutBranch {
  if (!options) throw new Error(`${ctx.route}: branch '${ctx.name}': FanOutBranch.dynamoDbGetItem needs options with a key`);
  // The route preset checks the key against the table's schema (names, types) with the same messages.
  const checked = bindDynamoDbGetItem(ctx.routeInfo, table, options);
  const projection = options.projection ?? [];
  const task = tasks.DynamoGetItem.jsonata(ctx.scope, 'GetItem', {
    stateName: ctx.name,
    table,
    key: Object.fromEntries(Object.entries(options.key).map(([name, value]) => [name, attributeValue(ctx, value)])),
    consistentRead: options.consistentRead,
    projectionExpression: projection.length
      ? projection.map((_, i) => new tasks.DynamoProjectionExpression().withAttribute(`#p${i}`))
      : undefined,
    expressionAttributeNames: projection.length ? Object.fromEntries(projection.map((p, i) => [`#p${i}`, p])) : undefined,
    taskTimeout: ctx.taskTimeout,
    outputs: branchOutput(ctx.name, dynamoItemExpression()),
  });
  return { start: task, tasks: [task], policyStatements: extraGrants(checked.grants, 'dynamodb:GetItem') };
}

function bindQuery(ctx: FanOutBranchContext, table: dynamodb.ITable, options: FanOutDynamoDbQueryOptions): BoundFanOutBranch {
  if (!options) throw new Error(`${ctx.route}: branch '${ctx.name}': FanOutBranch.dynamoDbQuery needs options with a keyCondition`);
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new Error(`${ctx.route}: branch '${ctx.name}': limit ${limit} must be a whole number from 1 to 1000`);
  }
  // The route preset checks the condition against the table's or index's key schema.
  const checked = bindDynamoDbQuery(ctx.routeInfo, table, {
    keyCondition: options.keyCondition,
    indexName: options.indexName,
    limit,
    scanIndexForward: options.scanIndexForward,
    consistentRead: options.consistentRead,
    keySchema: options.keySchema,
  });
  const names: { [placeholder: string]: string } = {};
  const values: { [placeholder: string]: any } = {};
  let n = 0;
  const comparisons = options.keyCondition._parts.map((part) => {
    const name = `#k${Object.keys(names).length}`;
    names[name] = part.attribute;
    const placeholders = part.values.map((v) => {
      const placeholder = `:k${n++}`;
      values[placeholder] = attributeValue(ctx, v).toObject();
      return placeholder;
    });
    if (part.operator === 'begins_with') return `begins_with(${name}, ${placeholders[0]})`;
    if (part.operator === 'between') return `${name} BETWEEN ${placeholders[0]} AND ${placeholders[1]}`;
    return `${name} ${part.operator} ${placeholders[0]}`;
  });
  const parameters: { [k: string]: any } = {
    TableName: table.tableName,
    KeyConditionExpression: comparisons.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    Limit: limit,
  };
  if (options.indexName) parameters.IndexName = options.indexName;
  if (options.scanIndexForward === false) parameters.ScanIndexForward = false;
  if (options.consistentRead) parameters.ConsistentRead = true;
  const [query, ...rest] = checked.grants;
  const task = tasks.CallAwsService.jsonata(ctx.scope, 'Query', {
    stateName: ctx.name,
    service: 'dynamodb',
    action: 'query',
    parameters,
    iamAction: 'dynamodb:Query',
    iamResources: query.resources,
    taskTimeout: ctx.taskTimeout,
    outputs: branchOutput(ctx.name, dynamoItemsExpression()),
  });
  return { start: task, tasks: [task], policyStatements: rest.map(statementOf) };
}

function bindStateMachine(ctx: FanOutBranchContext, stateMachine: sfn.IStateMachine, options: FanOutStateMachineOptions): BoundFanOutBranch {
  if (!stateMachine || typeof stateMachine.stateMachineArn !== 'string') {
    throw new Error(`${ctx.route}: branch '${ctx.name}': FanOutBranch.stateMachine needs a state machine`);
  }
  // Only an L2 StateMachine knows its type; an imported one is taken on trust (a STANDARD one then fails
  // the branch at run time with StateMachineTypeNotSupported).
  if (stateMachine instanceof sfn.StateMachine && stateMachine.stateMachineType !== sfn.StateMachineType.EXPRESS) {
    throw new Error(`${ctx.route}: branch '${ctx.name}': ${stateMachine.node.path} is ${stateMachine.stateMachineType}, but the ` +
      'fan-out runs it synchronously inside an Express workflow, which can only start EXPRESS state machines that way ' +
      '(StartSyncExecution; Express workflows cannot wait for a .sync job): create it with stateMachineType: ' +
      'StateMachineType.EXPRESS, or call it from a FanOutBranch.lambdaInvoke');
  }
  const task = tasks.CallAwsService.jsonata(ctx.scope, 'StartSyncExecution', {
    stateName: ctx.name,
    service: 'sfn',
    action: 'startSyncExecution',
    parameters: {
      StateMachineArn: stateMachine.stateMachineArn,
      Input: jsonata(`$string(${ctx.input.request(options.headers, `branch '${ctx.name}'`)})`),
    },
    iamAction: 'states:StartSyncExecution',
    iamResources: [stateMachine.stateMachineArn],
    taskTimeout: ctx.taskTimeout,
    outputs: jsonata(syncExecutionOutcomeExpression()),
  });
  const done = sfn.Pass.jsonata(ctx.scope, 'Succeeded', {
    stateName: `${ctx.name}.succeeded`,
    outputs: branchOutput(ctx.name, '$states.input.value'),
  });
  const status = sfn.Choice.jsonata(ctx.scope, 'Status', { stateName: `${ctx.name}.status` })
    .when(sfn.Condition.jsonata(jsonata('$states.input.ok = true')), done)
    .otherwise(ctx.failure);
  return { start: task.next(status), tasks: [task], policyStatements: [] };
}

function bindAwsSdk(ctx: FanOutBranchContext, options: FanOutAwsSdkOptions): BoundFanOutBranch {
  const fail = (why: string): never => {
    throw new Error(`${ctx.route}: branch '${ctx.name}': FanOutBranch.awsSdk: ${why}`);
  };
  if (!options) fail('options are required');
  const { service, action, iamResources, iamActions, resultSelector } = options;
  if (typeof service !== 'string' || !SDK_SERVICE.test(service)) fail(`service '${service}' is not a service name such as 'ssm' or 's3'`);
  if (typeof action !== 'string' || !SDK_ACTION.test(action)) fail(`action '${action}' must be the API action in camelCase, e.g. 'getParameter'`);
  if (!Array.isArray(iamResources) || iamResources.length === 0) fail('iamResources is required: list the exact resource ARNs the call needs');
  for (const r of iamResources) {
    if (typeof r !== 'string' || (!Token.isUnresolved(r) && (r === '*' || !r.startsWith('arn:')))) {
      fail(`iamResources '${r}' must be an exact ARN, not '*': name the resources the call needs`);
    }
  }
  if (iamActions !== undefined) {
    if (!Array.isArray(iamActions) || iamActions.length === 0) fail("iamActions must list at least one action, e.g. ['ssm:GetParameter']");
    for (const a of iamActions) {
      if (typeof a !== 'string' || !IAM_ACTION.test(a)) fail(`iamActions '${a}' must be one exact action such as 'ssm:GetParameter' (no wildcards)`);
    }
  }
  if (resultSelector !== undefined && (typeof resultSelector !== 'string' || !/^\{%[\s\S]*%\}$/.test(resultSelector.trim()))) {
    fail(`resultSelector must be a JSONata expression in {% %}, e.g. '{% $states.result.Parameter.Value %}'`);
  }
  const [first, ...more] = iamActions ?? [];
  // Registers the headers in the execution input, where the parameters read them.
  ctx.input.headers(options.headers, `branch '${ctx.name}'`);
  const task = tasks.CallAwsService.jsonata(ctx.scope, 'Call', {
    stateName: ctx.name,
    service,
    action,
    parameters: options.parameters,
    iamResources,
    iamAction: first,
    additionalIamStatements: more.length ? [new iam.PolicyStatement({ actions: more, resources: iamResources })] : undefined,
    taskTimeout: ctx.taskTimeout,
    outputs: { [ctx.name]: resultSelector?.trim() ?? jsonata('$states.result') },
  });
  return { start: task, tasks: [task], policyStatements: [] };
}

/** A request value as a DynamoDB attribute value for a task: its text from the execution input. */
function attributeValue(ctx: FanOutBranchContext, value: DynamoAttribute): tasks.DynamoAttributeValue {
  const text = jsonata(ctx.input.field(value._field));
  switch (value._type) {
    case 'S':
      return tasks.DynamoAttributeValue.fromString(text);
    case 'N':
      return tasks.DynamoAttributeValue.numberFromString(text);
    default:
      // Key attributes are strings, numbers or binary; the preset's key check refuses anything else.
      throw new Error(`${ctx.route}: internal error: ${value._description} cannot be a key value`);
  }
}

/** Grants of a preset other than its main DynamoDB action (a customer managed key's KMS actions). */
function extraGrants(grants: ServiceGrant[], mainAction: string): iam.PolicyStatement[] {
  return grants.filter((g) => !(g.actions.length === 1 && g.actions[0] === mainAction)).map(statementOf);
}

function statementOf(grant: ServiceGrant): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: grant.actions, resources: grant.resources });
}
