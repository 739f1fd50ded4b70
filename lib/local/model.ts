/**
 * The emulator's model of a cloud assembly: every REST API with its resources, methods, stages and
 * settings, CloudFormation-shaped (the resources' `Properties` with intrinsics resolved), so that
 * each stage of the request pipeline reads the same names as the template and AWS's documentation.
 */

/** `Properties` of a resource with every intrinsic resolved. */
export type ResolvedProperties = Record<string, unknown>;

/** `AWS::ApiGateway::Method` `Integration`, resolved. */
export interface IntegrationModel {
  /** MOCK, AWS, AWS_PROXY, HTTP, HTTP_PROXY. */
  readonly Type: string;
  readonly IntegrationHttpMethod?: string;
  readonly Uri?: string;
  readonly ConnectionType?: string;
  readonly ConnectionId?: string;
  readonly Credentials?: string;
  readonly RequestParameters?: Record<string, string>;
  readonly RequestTemplates?: Record<string, string>;
  readonly PassthroughBehavior?: string;
  readonly ContentHandling?: string;
  readonly TimeoutInMillis?: number;
  readonly CacheKeyParameters?: string[];
  readonly CacheNamespace?: string;
  readonly IntegrationResponses?: IntegrationResponseModel[];
  readonly [key: string]: unknown;
}

/** One of an integration's `IntegrationResponses`. */
export interface IntegrationResponseModel {
  readonly StatusCode: string;
  readonly SelectionPattern?: string;
  readonly ResponseParameters?: Record<string, string>;
  readonly ResponseTemplates?: Record<string, string>;
  readonly ContentHandling?: string;
}

/** One of a method's `MethodResponses`. */
export interface MethodResponseModel {
  readonly StatusCode: string;
  readonly ResponseParameters?: Record<string, boolean>;
  readonly ResponseModels?: Record<string, string>;
}

/** `AWS::ApiGateway::Method`, resolved. */
export interface MethodModel {
  /** The template's logical id (and stack path), for messages. */
  readonly logicalId: string;
  /** The resource path the method is on, e.g. `/orders/{id}`. */
  readonly resourcePath: string;
  /** The local id of the resource the method is on (`$context.resourceId`). */
  readonly resourceId: string;
  readonly HttpMethod: string;
  readonly AuthorizationType: string;
  readonly AuthorizerId?: string;
  readonly AuthorizationScopes?: string[];
  readonly ApiKeyRequired: boolean;
  readonly OperationName?: string;
  readonly RequestParameters: Record<string, boolean>;
  readonly RequestModels: Record<string, string>;
  readonly RequestValidatorId?: string;
  readonly MethodResponses: MethodResponseModel[];
  readonly Integration?: IntegrationModel;
}

/** A node of the resource tree (the root is `/`). */
export interface ResourceModel {
  /** The local resource id (`Ref` of the `AWS::ApiGateway::Resource`, or the API's root resource id). */
  readonly id: string;
  readonly path: string;
  /** The path part (`orders`, `{id}`, `{proxy+}`); '' for the root. */
  readonly pathPart: string;
  readonly children: ResourceModel[];
  /** Methods by HTTP method (`GET`, `ANY`, ...). */
  readonly methods: Record<string, MethodModel>;
}

/** `AWS::ApiGateway::Stage` (or a `Deployment` with a `StageName`), resolved. */
export interface StageModel {
  readonly StageName: string;
  readonly Variables: Record<string, string>;
  readonly MethodSettings: ResolvedProperties[];
  readonly CacheClusterEnabled: boolean;
  readonly CacheClusterSize?: string;
  readonly DeploymentId?: string;
  /** The whole resolved `Properties`, for settings the pipeline does not read yet. */
  readonly properties: ResolvedProperties;
}

/** `AWS::ApiGateway::GatewayResponse`, resolved. */
export interface GatewayResponseModel {
  readonly ResponseType: string;
  readonly StatusCode?: string;
  readonly ResponseParameters?: Record<string, string>;
  readonly ResponseTemplates?: Record<string, string>;
}

/** A resource of another type that belongs to the API, with its local id (its `Ref`). */
export interface ApiPart {
  readonly id: string;
  readonly logicalId: string;
  readonly properties: ResolvedProperties;
}

/** A Lambda function of the assembly. */
export interface FunctionModel {
  readonly logicalId: string;
  readonly stackPath: string;
  /** Its name (`Ref`) and local ARN (`Fn::GetAtt Arn`). */
  readonly name: string;
  readonly arn: string;
  /** `AWS::Lambda::Function` `Properties`, resolved. */
  readonly properties: ResolvedProperties;
  /** The resource's `Metadata` (`aws:asset:path` names its code folder, relative to `assemblyDir`). */
  readonly metadata: Record<string, unknown>;
  /** The folder of the cloud assembly the function's stack is in. */
  readonly assemblyDir: string;
}

/** One REST API. */
export interface ApiModel {
  /** Local API id (`Ref` of the RestApi). */
  readonly id: string;
  readonly logicalId: string;
  /** The stack (artifact id) the RestApi is in. */
  readonly stackName: string;
  /** The construct path (`aws:cdk:path` metadata without the `/Resource` leaf), or stack/logical id. */
  readonly constructPath: string;
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly rootResourceId: string;
  readonly root: ResourceModel;
  /** Resources by local id. */
  readonly resources: Map<string, ResourceModel>;
  readonly stages: StageModel[];
  readonly gatewayResponses: Map<string, GatewayResponseModel>;
  readonly authorizers: ApiPart[];
  readonly requestValidators: ApiPart[];
  readonly models: ApiPart[];
  readonly apiKeys: ApiPart[];
  readonly usagePlans: ApiPart[];
  readonly usagePlanKeys: ApiPart[];
  readonly binaryMediaTypes: string[];
  readonly apiKeySourceType: string;
  readonly minimumCompressionSize?: number;
  readonly disableExecuteApiEndpoint: boolean;
  /** `AWS::ApiGateway::RestApi` `Properties`, resolved. */
  readonly properties: ResolvedProperties;
}

/** Everything the emulator read from a cloud assembly. */
/** An `AWS::DynamoDB::Table` of the assembly, resolved (local backends create it). */
export interface TableModel {
  readonly logicalId: string;
  readonly stackPath: string;
  /** Its name (`Ref`), as the routes' templates name it. */
  readonly name: string;
  readonly properties: ResolvedProperties;
}

/** An `AWS::S3::Bucket` or `AWS::Kinesis::Stream` of the assembly: local backends create it under its name. */
export interface NamedResourceModel {
  readonly logicalId: string;
  readonly stackPath: string;
  /** Its name (`Ref`), as the routes' templates name it. */
  readonly name: string;
  readonly properties: ResolvedProperties;
}

/** An `AWS::StepFunctions::StateMachine` of the assembly, with its definition resolved (the emulator runs it). */
export interface StateMachineModel {
  readonly logicalId: string;
  readonly stackPath: string;
  /** Its local ARN (`Ref`). */
  readonly arn: string;
  readonly name: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  /** The definition, parsed; undefined when it cannot be read (see `problem`). */
  readonly definition?: import('./stepfunctions/interpreter').StatesDefinition;
  /** Why the definition cannot be run (an S3 location, not JSON). */
  readonly problem?: string;
  /** The role the machine runs as (`$$.Execution.RoleArn`). */
  readonly roleArn?: string;
}

export interface AssemblyModel {
  readonly dir: string;
  readonly apis: ApiModel[];
  /** Lambda functions by name and by local ARN. */
  readonly functions: Map<string, FunctionModel>;
  /** DynamoDB tables. */
  readonly tables: TableModel[];
  /** Step Functions state machines. */
  readonly stateMachines: StateMachineModel[];
  /** S3 buckets. */
  readonly buckets: NamedResourceModel[];
  /** Kinesis data streams. */
  readonly streams: NamedResourceModel[];
  /** What could not be modelled (a SpecRestApi body, an unsupported intrinsic), one line each. */
  readonly warnings: string[];
}

/** Header lookup that ignores case, as HTTP does. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
