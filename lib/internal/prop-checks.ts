/**
 * Type checks at the public boundary, for callers TypeScript does not check: plain JavaScript, and jsii
 * languages where a struct arrives as a map. A mistyped prop fails here with the construct, the prop, the
 * type expected and the value given, instead of a TypeError (or a misleading message) deep inside.
 *
 * A spec lists a struct's props and what each must be; `checkProps` walks it, nested structs, lists and
 * maps included, so every construct checks the same way and says it the same way.
 */

/** What a prop must be: a test and the words for it ("a Duration such as Duration.minutes(5)"). */
export interface Kind {
  readonly expected: string;
  readonly test: (value: unknown) => boolean;
  /** The props of a struct, checked after `test` passes. */
  readonly props?: PropSpec;
  /** The kind of each item of a list, or of each value of a map. */
  readonly items?: Kind;
  readonly container?: 'list' | 'map';
  readonly required?: boolean;
}

/** The props of a struct, each with its kind. */
export type PropSpec = { readonly [prop: string]: Kind };

const isObject = (v: unknown): v is { [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasString = (v: unknown, key: string) => isObject(v) && typeof v[key] === 'string';
const hasFunction = (v: unknown, key: string) => isObject(v) && typeof v[key] === 'function';

/** A kind of value, with its description. */
export function kind(expected: string, test: (value: unknown) => boolean): Kind {
  return { expected, test };
}

/** The same kind, required: `undefined` or `null` fails. */
export function required(k: Kind): Kind {
  return { ...k, required: true };
}

/** A struct with these props. */
export function struct(expected: string, props: PropSpec): Kind {
  return { expected, test: isObject, props };
}

/** A list whose items are each of kind `item`. */
export function listOf(expected: string, item: Kind): Kind {
  return { expected, test: Array.isArray, items: item, container: 'list' };
}

/** A map (a plain object) whose values are each of kind `value`. */
export function mapOf(expected: string, value: Kind): Kind {
  return { expected, test: isObject, items: value, container: 'map' };
}

/** An instance of one of this library's classes (made by its static factories). */
export function instanceOf(cls: { readonly prototype: object }, expected: string): Kind {
  // Classes with private constructors (made by static factories) are not `new`-able types.
  return kind(expected, (v) => v instanceof (cls as unknown as abstract new () => object));
}

export const STRING = kind('a string', (v) => typeof v === 'string');
export const BOOLEAN = kind('true or false', (v) => typeof v === 'boolean');
export const NUMBER = kind('a number', (v) => typeof v === 'number' && !Number.isNaN(v));
export const STRING_LIST = listOf('a list of strings', STRING);
export const ANY = kind('any value', () => true);
export const OBJECT = kind('an object', isObject);
/** A Duration (duck-typed: another copy of aws-cdk-lib makes other Duration instances). */
export const DURATION = kind('a Duration such as Duration.seconds(30)',
  (v) => hasFunction(v, 'toMilliseconds') && hasFunction(v, 'toSeconds') && hasFunction(v, 'isUnresolved'));
export const REST_API = kind('an apigateway RestApi (apigw.IRestApi)', (v) => hasString(v, 'restApiId') && isObject((v as any).root));
export const LAMBDA_FUNCTION = kind('a Lambda function (lambda.IFunction)', (v) => hasString(v, 'functionArn') && hasFunction(v, 'grantInvoke'));
export const IAM_ROLE = kind('an IAM role (iam.IRole)', (v) => hasString(v, 'roleArn'));
export const QUEUE = kind('an SQS queue (sqs.IQueue)', (v) => hasString(v, 'queueArn'));
export const TABLE = kind('a DynamoDB table (dynamodb.ITable)', (v) => hasString(v, 'tableName') && hasString(v, 'tableArn'));
export const TOPIC = kind('an SNS topic (sns.ITopic)', (v) => hasString(v, 'topicArn'));
export const EVENT_BUS = kind('an EventBridge bus (events.IEventBus)', (v) => hasString(v, 'eventBusArn'));
export const STREAM = kind('a Kinesis stream (kinesis.IStream)', (v) => hasString(v, 'streamArn'));
export const STATE_MACHINE = kind('a state machine (sfn.IStateMachine)', (v) => hasString(v, 'stateMachineArn'));
export const BUCKET = kind('an S3 bucket (s3.IBucket)', (v) => hasString(v, 'bucketName') && hasString(v, 'bucketArn'));
export const USER_POOL = kind('a Cognito user pool (cognito.IUserPool)', (v) => hasString(v, 'userPoolArn'));
export const AUTHORIZER = kind('an authorizer (apigw.IAuthorizer)', (v) => hasString(v, 'authorizerId'));
export const LOAD_BALANCER = kind('a load balancer (elbv2.ILoadBalancerV2)', (v) => hasString(v, 'loadBalancerArn'));
export const VPC_LINK = kind('a VPC link (with a vpcLinkId)', (v) => hasString(v, 'vpcLinkId'));

/**
 * What a value is, in words for an error message: `undefined`, `the string '20'`, `the number 300`,
 * `a list of 2 items`, `an object {origins}`, `a Duration`, `the function minutes`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  switch (typeof value) {
    case 'string': return `the string '${(value.length > 60 ? value.slice(0, 57) + '...' : value).replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
    case 'number': return `the number ${value}`;
    case 'boolean': return `the boolean ${value}`;
    case 'function': return value.name ? `the function ${value.name}` : 'a function';
    case 'bigint': return `the bigint ${value}`;
    case 'symbol': return 'a symbol';
  }
  if (Array.isArray(value)) return value.length === 1 ? 'a list of 1 item' : `a list of ${value.length} items`;
  // aws-cdk-lib's decorated classes are named `Stage2` and the like: prefer their jsii name.
  const ctor = Object.getPrototypeOf(value)?.constructor;
  const fqn: unknown = ctor?.[Symbol.for('jsii.rtti')]?.fqn;
  const name = typeof fqn === 'string' ? fqn.split('.').pop() : ctor?.name;
  if (name && name !== 'Object') return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  const keys = Object.keys(value as object);
  return keys.length === 0 ? 'an empty object {}' : `an object {${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}}`;
}

/** Checks one value against its kind; `name` is the prop as the caller wrote it, e.g. `cache.ttl`. */
export function checkValue(where: string, name: string, value: unknown, k: Kind): void {
  if (value === undefined || value === null) {
    if (k.required) throw new Error(`${where}: ${name} is required: give ${k.expected} (got ${describeValue(value)})`);
    return;
  }
  if (!k.test(value)) throw new Error(`${where}: ${name} must be ${k.expected} (got ${describeValue(value)})`);
  if (k.props) checkProps(where, value, k.props, `${name}.`);
  if (k.items && k.container === 'list') {
    (value as unknown[]).forEach((item, i) => checkValue(where, `${name}[${i}]`, item, required(k.items!)));
  }
  if (k.items && k.container === 'map') {
    for (const [key, item] of Object.entries(value as object)) checkValue(where, `${name}.${key}`, item, required(k.items));
  }
}

/**
 * Checks the props of a struct against `spec`; `prefix` names the struct in messages (`cache.`). Props
 * the spec does not list are left to the code that reads them.
 */
export function checkProps(where: string, props: unknown, spec: PropSpec, prefix = ''): void {
  if (!isObject(props)) {
    throw new Error(`${where}: ${prefix ? `${prefix.slice(0, -1)} must be an object` : 'props must be an object'} with ` +
      `${Object.keys(spec).filter((p) => spec[p].required).join(', ') || 'its options'} (got ${describeValue(props)})`);
  }
  for (const [prop, k] of Object.entries(spec)) checkValue(where, prefix + prop, props[prop], k);
}

/**
 * Whole seconds of a Duration, naming the prop and the construct when it has none (aws-cdk-lib's own
 * message names neither), e.g. Duration.millis(1500) for a cache TTL.
 */
export function wholeSeconds(where: string, name: string, duration: { toMilliseconds(): number }): number {
  const ms = duration.toMilliseconds();
  if (ms % 1000 !== 0) {
    throw new Error(`${where}: ${name} is ${ms} ms, not a whole number of seconds: give Duration.seconds(n) with a whole n`);
  }
  return ms / 1000;
}

// --- Specs shared by several constructs ---

/** CORS options, of a route (`cors.`) or of ApiCors. */
export const CORS_PROPS: PropSpec = {
  allowOrigins: required(listOf("a list of origins such as ['https://app.example.com'] (or ['*'])", STRING)),
  allowHeaders: listOf("a list of header names such as ['Content-Type']", STRING),
  allowCredentials: BOOLEAN,
  exposeHeaders: listOf("a list of header names such as ['ETag']", STRING),
  maxAge: kind('a Duration such as Duration.minutes(10)', DURATION.test),
  statusCode: kind('a number such as 204', NUMBER.test),
};

/** Throttle settings of a usage plan or of one route in it. */
export const THROTTLE_PROPS: PropSpec = {
  rateLimit: kind('a number of requests per second such as 10', NUMBER.test),
  burstLimit: kind('a whole number of requests such as 20', NUMBER.test),
};

/** The options of routes that run an Express workflow (ExpressWorkflowOptions). */
export const EXPRESS_WORKFLOW_PROPS: PropSpec = {
  timeout: DURATION,
  allowTimeoutOverLimit: BOOLEAN,
  logging: BOOLEAN,
  logs: OBJECT,
  tracing: BOOLEAN,
  stateMachineName: STRING,
};

/** Checks the arguments of a static factory, e.g. `checkArgs('ServiceAction.sqsSendMessage', ['queue', queue, required(QUEUE)])`. */
export function checkArgs(where: string, ...args: Array<[name: string, value: unknown, kind: Kind]>): void {
  for (const [name, value, k] of args) checkValue(where, name, value, k);
}
