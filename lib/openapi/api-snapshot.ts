/**
 * What the document is made from: the CloudFormation resources of one REST API as its stack will
 * render them (RestApi, Resource, Method, Model, RequestValidator, Authorizer, GatewayResponse, Stage),
 * found in the stack and the stacks nested in it (ApiNestedStack) by their RestApiId, whoever created
 * them (this library's routes or plain aws-cdk-lib). Values are resolved: deploy-time ones are
 * CloudFormation intrinsics, named as in the API's stack (a nested stack's reference to the API or
 * another resource of the parent is the parent's `Ref`, not the nested stack's parameter).
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';

/** One resource's resolved properties, with its logical id. */
export interface ResolvedResource {
  readonly logicalId: string;
  readonly properties: Record<string, any>;
}

/** The REST API's resources, resolved. */
export interface ApiSnapshot {
  readonly api: ResolvedResource;
  readonly resources: ResolvedResource[];
  readonly methods: ResolvedResource[];
  readonly models: ResolvedResource[];
  readonly validators: ResolvedResource[];
  readonly authorizers: ResolvedResource[];
  readonly gatewayResponses: ResolvedResource[];
  readonly stages: ResolvedResource[];
  /** Methods of the API whose RestApiId does not resolve to the API from its stack, which the document leaves out. */
  readonly elsewhere: string[];
}

const TYPES: Record<string, keyof Omit<ApiSnapshot, 'api' | 'elsewhere'>> = {
  'AWS::ApiGateway::Resource': 'resources',
  'AWS::ApiGateway::Method': 'methods',
  'AWS::ApiGateway::Model': 'models',
  'AWS::ApiGateway::RequestValidator': 'validators',
  'AWS::ApiGateway::Authorizer': 'authorizers',
  'AWS::ApiGateway::GatewayResponse': 'gatewayResponses',
  'AWS::ApiGateway::Stage': 'stages',
};

/** The resource as its template shows it (property overrides included). */
function rendered(stack: Stack, resource: CfnResource): Record<string, any> {
  const toCfn = (resource as unknown as { _toCloudFormation?: () => { Resources: Record<string, { Properties?: unknown }> } })._toCloudFormation;
  if (typeof toCfn === 'function') {
    const doc = stack.resolve(toCfn.call(resource)) as { Resources: Record<string, { Properties?: Record<string, any> }> };
    return Object.values(doc.Resources)[0]?.Properties ?? {};
  }
  return stack.resolve((resource as unknown as { cfnProperties: Record<string, unknown> }).cfnProperties) as Record<string, any>;
}

/** Reads the API's resources from its stack. */
export function snapshotApi(api: apigw.IRestApi): ApiSnapshot {
  const stack = Stack.of(api);
  const apiResource = api.node.defaultChild as CfnResource | undefined;
  if (!apiResource || !CfnResource.isCfnResource(apiResource) || apiResource.cfnResourceType !== 'AWS::ApiGateway::RestApi') {
    throw new Error(`${api.node.path}: ApiDocument needs a RestApi or SpecRestApi defined in this app (an imported API has no definition here to document)`);
  }
  const apiLogicalId = stack.resolve(apiResource.logicalId) as string;
  const snapshot: ApiSnapshot = {
    api: { logicalId: apiLogicalId, properties: rendered(stack, apiResource) },
    resources: [], methods: [], models: [], validators: [], authorizers: [], gatewayResponses: [], stages: [], elsewhere: [],
  };
  for (const c of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || !withinStack(Stack.of(c), stack)) continue;
    const kind = TYPES[c.cfnResourceType];
    if (!kind) continue;
    // Resolved in the API's stack: references across a nested stack's boundary come out as the parent's ids.
    const properties = rendered(stack, c);
    const restApiId = properties.RestApiId;
    if (!(typeof restApiId === 'object' && restApiId !== null && restApiId.Ref === apiLogicalId)) {
      if (c instanceof apigw.CfnMethod && c.restApiId === api.restApiId) snapshot.elsewhere.push(c.node.path);
      continue;
    }
    snapshot[kind].push({ logicalId: stack.resolve(c.logicalId) as string, properties });
  }
  return snapshot;
}

/** Whether `inner` is `stack` or a stack nested in it, at any depth. */
function withinStack(inner: Stack, stack: Stack): boolean {
  for (let s: Stack | undefined = inner; s; s = s.nestedStackParent) {
    if (s === stack) return true;
  }
  return false;
}
