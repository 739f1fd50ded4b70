import { createHash } from 'node:crypto';
import { localUserPoolId } from './auth/cognito-issuer';

/** `AWS::NoValue`: removed from the object or list that holds it. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** A CloudFormation template as far as the emulator reads it. */
export interface CfnTemplate {
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

/** Thrown for an intrinsic the emulator cannot resolve; names the stack and the function. */
export class IntrinsicError extends Error {}

/** The values a stack's intrinsics resolve against. */
export interface StackScope {
  /** A path naming the stack, e.g. `MyStack` or `MyStack/Nested` (for messages and local ids). */
  readonly stackPath: string;
  /** The stack name `AWS::StackName` gives. */
  readonly stackName: string;
  readonly region: string;
  readonly account: string;
  readonly template: CfnTemplate;
  /** Parameter values given by a parent stack (nested stacks), before the template's defaults. */
  readonly parameters: Record<string, unknown>;
  /** `Fn::GetAtt [NestedStack, Outputs.X]`: the nested stack's output, resolved. */
  nestedOutput?(logicalId: string, output: string): unknown;
  /** `Fn::ImportValue`: an export of another stack of the assembly. */
  importValue?(name: string): unknown;
}

/** A short, stable local id, in API Gateway's style (10 lowercase letters and digits). */
export function localId(seed: string, length = 10): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[digest[i] % alphabet.length];
  return out;
}

/**
 * Resolves CloudFormation intrinsics to the values the emulator runs with. Physical ids do not exist
 * locally, so each resource type gets a stand-in that is stable across runs (same assembly → same
 * ids): a RestApi's `Ref` is a local API id, its `RootResourceId` a local resource id, a Lambda
 * function's `Ref` its name (the `FunctionName` property, or `<stack>-<logical id>` as CloudFormation
 * generates one) and its `Arn` a local ARN; any other `Ref` is a local id derived from the stack and
 * logical id. Pseudo parameters: the stack's region and account (us-east-1 / 000000000000 when the
 * stack is environment-agnostic), partition `aws`, URL suffix `amazonaws.com`.
 */
export class IntrinsicResolver {
  private readonly conditionCache = new Map<string, boolean>();

  constructor(public readonly scope: StackScope) {}

  /** Resolve every intrinsic in `value`, recursively. */
  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.intrinsic(keys[0], obj[keys[0]]);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = this.resolve(obj[k]);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  /** Resolve to a string (numbers and booleans are written as CloudFormation writes them). */
  public resolveString(value: unknown): string {
    const v = this.resolve(value);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new IntrinsicError(`${this.scope.stackPath}: expected a string, got ${JSON.stringify(v)}`);
  }

  /** Whether the named condition holds. */
  public condition(name: string): boolean {
    let v = this.conditionCache.get(name);
    if (v === undefined) {
      const def = this.scope.template.Conditions?.[name];
      if (def === undefined) throw new IntrinsicError(`${this.scope.stackPath}: unknown condition ${name}`);
      v = this.truthy(this.resolve(def));
      this.conditionCache.set(name, v);
    }
    return v;
  }

  /** The stand-in for `Ref` of a resource or parameter. */
  public ref(name: string): unknown {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    const { template, parameters } = this.scope;
    if (name in parameters) return parameters[name];
    const param = template.Parameters?.[name];
    if (param) {
      if (param.Default === undefined) throw new IntrinsicError(`${this.scope.stackPath}: parameter ${name} has no value and no default`);
      return param.Type?.startsWith('List<') || param.Type === 'CommaDelimitedList' ? String(param.Default).split(',') : param.Default;
    }
    const resource = template.Resources?.[name];
    if (!resource) throw new IntrinsicError(`${this.scope.stackPath}: Ref to unknown ${name}`);
    switch (resource.Type) {
      case 'AWS::ApiGateway::RestApi':
        return localId(`${this.scope.stackPath}/${name}`);
      case 'AWS::Lambda::Function':
        return this.functionName(name, resource);
      case 'AWS::DynamoDB::Table':
        // The table's name: its own, else a stable local one (local backends create it under that name).
        return resource.Properties?.TableName !== undefined ? this.resolveString(resource.Properties.TableName) : `${localId(`${this.scope.stackPath}/${name}`, 6)}-${name}`;
      case 'AWS::ApiGateway::Model':
        // Methods name their request models by Ref, which is the model's name (CloudFormation makes one up when Name is unset).
        return this.resolveString(resource.Properties?.Name ?? name);
      case 'AWS::ApiGateway::Stage':
        // Usage plans name stages by Ref: the stage's name.
        return this.resolveString(resource.Properties?.StageName ?? name);
      case 'AWS::Cognito::UserPool':
        // The id the local issuer signs for, so that tokens minted for it verify against this pool (and
        // not against a pool of the same logical id in another stack).
        return localUserPoolId(this.scope.region, `${this.scope.stackPath}${name}`);
      case 'AWS::StepFunctions::StateMachine':
        // A state machine's Ref is its ARN (LocalApi runs the machines of the assembly under these ARNs).
        return this.getAtt(name, 'Arn');
      case 'AWS::SQS::Queue':
        // A queue's Ref is its URL.
        return `https://sqs.${this.scope.region}.amazonaws.com/${this.scope.account}/${this.queueName(name, resource)}`;
      case 'AWS::SNS::Topic':
        return this.getAtt(name, 'TopicArn');
      case 'AWS::S3::Bucket':
        return this.bucketName(name, resource);
      case 'AWS::Kinesis::Stream':
        return this.physicalName(name, resource, 'Name', 128);
      default:
        return `${localId(`${this.scope.stackPath}/${name}`, 6)}-${name}`;
    }
  }

  /** A queue's name; CloudFormation ends a generated FIFO queue name with `.fifo`. */
  private queueName(logicalId: string, resource: CfnResource): string {
    if (resource.Properties?.QueueName !== undefined) return this.resolveString(resource.Properties.QueueName);
    const fifo = this.truthy(this.resolve(resource.Properties?.FifoQueue ?? false));
    return fifo ? `${this.physicalName(logicalId, resource, 'QueueName', 75)}.fifo` : this.physicalName(logicalId, resource, 'QueueName', 80);
  }

  /** A bucket's name: its own, else one made as CloudFormation makes them (lower case, at most 63 characters). */
  private bucketName(logicalId: string, resource: CfnResource): string {
    if (resource.Properties?.BucketName !== undefined) return this.resolveString(resource.Properties.BucketName);
    const suffix = localId(`${this.scope.stackPath}/${logicalId}`, 12);
    return `${this.scope.stackName}-${logicalId}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 63 - suffix.length - 1) + `-${suffix}`;
  }

  /** A resource's name: its own (`nameProperty`), else one made as CloudFormation makes them (stack-logicalId-suffix). */
  private physicalName(logicalId: string, resource: CfnResource, nameProperty: string, maxLength: number): string {
    const given = resource.Properties?.[nameProperty];
    if (given !== undefined) return this.resolveString(given);
    const suffix = localId(`${this.scope.stackPath}/${logicalId}`, 12).toUpperCase();
    return `${this.scope.stackName}-${logicalId}`.slice(0, maxLength - suffix.length - 1) + `-${suffix}`;
  }

  /** The stand-in for `Fn::GetAtt`. */
  public getAtt(name: string, attribute: string): unknown {
    const resource = this.scope.template.Resources?.[name];
    if (!resource) throw new IntrinsicError(`${this.scope.stackPath}: Fn::GetAtt of unknown ${name}`);
    const { region, account } = this.scope;
    if (resource.Type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
      if (!this.scope.nestedOutput) throw new IntrinsicError(`${this.scope.stackPath}: nested stack ${name} cannot be read`);
      return this.scope.nestedOutput(name, attribute.slice('Outputs.'.length));
    }
    if (resource.Type === 'AWS::ApiGateway::RestApi' && attribute === 'RootResourceId') return localId(`${this.scope.stackPath}/${name}/root`, 10);
    if (resource.Type === 'AWS::ApiGateway::RestApi' && attribute === 'RestApiId') return this.ref(name);
    if (resource.Type === 'AWS::Lambda::Function' && attribute === 'Arn') {
      return `arn:aws:lambda:${region}:${account}:function:${this.functionName(name, resource)}`;
    }
    if (resource.Type === 'AWS::Cognito::UserPool') {
      const id = localUserPoolId(region, `${this.scope.stackPath}${name}`);
      if (attribute === 'Arn') return `arn:aws:cognito-idp:${region}:${account}:userpool/${id}`;
      if (attribute === 'ProviderName') return `cognito-idp.${region}.amazonaws.com/${id}`;
      if (attribute === 'ProviderURL') return `https://cognito-idp.${region}.amazonaws.com/${id}`;
    }
    if (resource.Type === 'AWS::StepFunctions::StateMachine') {
      const machineName = this.physicalName(name, resource, 'StateMachineName', 80);
      if (attribute === 'Arn') return `arn:aws:states:${region}:${account}:stateMachine:${machineName}`;
      if (attribute === 'Name') return machineName;
    }
    if (resource.Type === 'AWS::SQS::Queue') {
      const queueName = this.queueName(name, resource);
      if (attribute === 'Arn') return `arn:aws:sqs:${region}:${account}:${queueName}`;
      if (attribute === 'QueueName') return queueName;
      if (attribute === 'QueueUrl') return this.ref(name);
    }
    if (resource.Type === 'AWS::SNS::Topic') {
      const topicName = this.physicalName(name, resource, 'TopicName', 256);
      if (attribute === 'TopicArn') return `arn:aws:sns:${region}:${account}:${topicName}`;
      if (attribute === 'TopicName') return topicName;
    }
    if (resource.Type === 'AWS::S3::Bucket') {
      const bucket = this.bucketName(name, resource);
      if (attribute === 'Arn') return `arn:aws:s3:::${bucket}`;
      if (attribute === 'DomainName') return `${bucket}.s3.amazonaws.com`;
      if (attribute === 'RegionalDomainName') return `${bucket}.s3.${region}.amazonaws.com`;
    }
    if (resource.Type === 'AWS::Kinesis::Stream' && attribute === 'Arn') {
      return `arn:aws:kinesis:${region}:${account}:stream/${this.physicalName(name, resource, 'Name', 128)}`;
    }
    if (resource.Type === 'AWS::DynamoDB::Table' && attribute === 'Arn') return `arn:aws:dynamodb:${region}:${account}:table/${String(this.ref(name))}`;
    if (resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && attribute === 'DNSName') {
      // A host name, so that a VPC link route's Uri is a URL; `--vpc-link` maps it (or the link's id) to a local server.
      return `${name.toLowerCase()}-${localId(`${this.scope.stackPath}/${name}`, 6)}.elb.${region}.amazonaws.com`;
    }
    if (attribute === 'Arn') {
      const service = resource.Type.split('::')[1]?.toLowerCase() ?? 'local';
      return `arn:aws:${service}:${region}:${account}:${name}`;
    }
    // No local meaning: a recognisable placeholder rather than a made-up physical value.
    return `local:${this.scope.stackPath}/${name}.${attribute}`;
  }

  private functionName(logicalId: string, resource: CfnResource): string {
    const given = resource.Properties?.FunctionName;
    if (given !== undefined) return this.resolveString(given);
    return `${this.scope.stackName}-${logicalId}`.slice(0, 64);
  }

  private pseudo(name: string): unknown {
    const { region, account, stackName } = this.scope;
    switch (name) {
      case 'AWS::Region': return region;
      case 'AWS::AccountId': return account;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return stackName;
      case 'AWS::StackId': return `arn:aws:cloudformation:${region}:${account}:stack/${stackName}/${localId(stackName, 8)}`;
      case 'AWS::NoValue': return NO_VALUE;
      case 'AWS::NotificationARNs': return [];
      default: return undefined;
    }
  }

  private truthy(v: unknown): boolean {
    return v === true || v === 'true';
  }

  private intrinsic(fn: string, arg: unknown): unknown {
    const where = `${this.scope.stackPath}: ${fn}`;
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Condition':
        return this.condition(String(arg));
      case 'Fn::GetAtt': {
        const [name, attribute] = Array.isArray(arg) ? arg.map((x) => this.resolveString(x)) : String(arg).split(/\.(.*)/s);
        return this.getAtt(name, attribute);
      }
      case 'Fn::Join': {
        const [sep, list] = arg as [unknown, unknown];
        const items = this.resolve(list);
        if (!Array.isArray(items)) throw new IntrinsicError(`${where}: not a list`);
        return items.map((x) => this.stringOf(x, where)).join(this.resolveString(sep));
      }
      case 'Fn::Sub':
        return this.sub(arg, where);
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        const items = this.resolve(list);
        const i = Number(this.resolve(index));
        if (!Array.isArray(items) || !(i >= 0 && i < items.length)) throw new IntrinsicError(`${where}: index ${i} out of range`);
        return items[i];
      }
      case 'Fn::Split': {
        const [sep, s] = arg as [unknown, unknown];
        return this.resolveString(s).split(this.resolveString(sep));
      }
      case 'Fn::If': {
        const [cond, yes, no] = arg as [string, unknown, unknown];
        return this.resolve(this.condition(cond) ? yes : no);
      }
      case 'Fn::Equals': {
        const [a, b] = (arg as unknown[]).map((x) => this.resolve(x));
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::And':
        return (arg as unknown[]).every((x) => this.truthy(this.resolve(x)));
      case 'Fn::Or':
        return (arg as unknown[]).some((x) => this.truthy(this.resolve(x)));
      case 'Fn::Not':
        return !this.truthy(this.resolve((arg as unknown[])[0]));
      case 'Fn::Base64':
        return Buffer.from(this.resolveString(arg)).toString('base64');
      case 'Fn::FindInMap': {
        const [map, top, second] = (arg as unknown[]).map((x) => this.resolveString(x));
        const v = this.scope.template.Mappings?.[map]?.[top]?.[second];
        if (v === undefined) throw new IntrinsicError(`${where}: no ${map}.${top}.${second}`);
        return v;
      }
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((z) => `${this.scope.region}${z}`);
      case 'Fn::ImportValue': {
        const name = this.resolveString(arg);
        if (!this.scope.importValue) throw new IntrinsicError(`${where}: no stack exports ${name}`);
        return this.scope.importValue(name);
      }
      default:
        throw new IntrinsicError(`${where} is not supported by the emulator`);
    }
  }

  private stringOf(x: unknown, where: string): string {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    throw new IntrinsicError(`${where}: cannot join ${JSON.stringify(x)}`);
  }

  private sub(arg: unknown, where: string): string {
    const [text, vars] = Array.isArray(arg) ? [arg[0] as string, arg[1] as Record<string, unknown>] : [arg as string, {}];
    return String(text).replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (vars && name in vars) return this.stringOf(this.resolve(vars[name]), where);
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) return this.stringOf(this.getAtt(name.slice(0, dot), name.slice(dot + 1)), where);
      return this.stringOf(this.ref(name), where);
    });
  }
}

