import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, CfnTemplate, IntrinsicResolver, StackScope } from './intrinsics';
import { addOpenApiRoutes } from './openapi';
import {
  ApiModel, ApiPart, AssemblyModel, FunctionModel, GatewayResponseModel, IntegrationModel, MethodModel,
  MethodResponseModel, NamedResourceModel, ResolvedProperties, ResourceModel, StageModel, StateMachineModel, TableModel,
} from './model';

/**
 * Reads a cloud assembly (`cdk.out`): `manifest.json`, each stack's template, nested stacks'
 * templates (their asset files), and builds the model of every REST API in it.
 */

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly properties?: { templateFile?: string; directoryName?: string };
  readonly metadata?: Record<string, Array<{ type: string; data: unknown }>>;
  readonly additionalMetadataFile?: string;
  readonly displayName?: string;
}

/** One (possibly nested) stack: its template and the resolver of its intrinsics. */
class StackContext {
  public readonly resolver: IntrinsicResolver;
  private readonly nested = new Map<string, StackContext>();

  constructor(
    public readonly dir: string,
    public readonly artifactId: string,
    public readonly stackPath: string,
    public readonly template: CfnTemplate,
    env: { region: string; account: string },
    parameters: Record<string, unknown>,
    /** Logical id → construct path, from the stack's metadata (top-level stacks only). */
    public readonly constructPaths: Map<string, string>,
    importValue: (name: string) => unknown,
  ) {
    const scope: StackScope = {
      stackPath, stackName: stackPath.replace(/\//g, '-'), region: env.region, account: env.account, template, parameters,
      nestedOutput: (logicalId, output) => {
        const child = this.nestedStack(logicalId);
        const out = child.template.Outputs?.[output];
        if (!out) throw new Error(`${child.stackPath}: no output ${output}`);
        return child.resolver.resolve(out.Value);
      },
      importValue,
    };
    this.resolver = new IntrinsicResolver(scope);
  }

  /** The nested stacks this stack creates (conditions honoured). */
  public nestedStacks(): StackContext[] {
    return Object.entries(this.template.Resources ?? {})
      .filter(([id, r]) => r.Type === 'AWS::CloudFormation::Stack' && this.exists(id))
      .map(([id]) => this.nestedStack(id));
  }

  /** Whether a resource is created (its `Condition`, if any, holds). */
  public exists(logicalId: string): boolean {
    const r = this.template.Resources?.[logicalId];
    return !!r && (r.Condition === undefined || this.resolver.condition(r.Condition));
  }

  private nestedStack(logicalId: string): StackContext {
    let child = this.nested.get(logicalId);
    if (!child) {
      const resource = this.template.Resources?.[logicalId] as CfnResource;
      const file = resource.Metadata?.['aws:asset:path'] ?? nestedTemplateFromAssets(this.dir, resource.Properties?.TemplateURL);
      if (typeof file !== 'string') throw new Error(`${this.stackPath}/${logicalId}: cannot find the nested stack's template file`);
      const template = readJson(path.join(this.dir, file)) as CfnTemplate;
      const parameters = this.resolver.resolve(resource.Properties?.Parameters ?? {}) as Record<string, unknown>;
      const scope = this.resolver.scope;
      child = new StackContext(this.dir, this.artifactId, `${this.stackPath}/${logicalId}`, template,
        { region: scope.region, account: scope.account }, parameters, new Map(), (n) => scope.importValue!(n));
      this.nested.set(logicalId, child);
    }
    return child;
  }
}

/**
 * A nested stack's template file when the resource has no `aws:asset:path` metadata (the CDK CLI
 * adds it; an in-process `app.synth()` does not): the asset manifest whose object key its
 * `TemplateURL` names.
 */
function nestedTemplateFromAssets(dir: string, templateUrl: unknown): string | undefined {
  const url = JSON.stringify(templateUrl ?? '');
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.assets.json'))) {
    const manifest = readJson(path.join(dir, name)) as { files?: Record<string, { source?: { path?: string }; destinations?: Record<string, { objectKey?: string }> }> };
    for (const asset of Object.values(manifest.files ?? {})) {
      const keys = Object.values(asset.destinations ?? {}).map((d) => d.objectKey).filter((k): k is string => !!k);
      if (asset.source?.path?.endsWith('.template.json') && keys.some((k) => url.includes(k))) return asset.source.path;
    }
  }
  return undefined;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** `aws://123456789012/eu-west-1` → its account and region, with local stand-ins when unknown. */
function parseEnvironment(env: string | undefined): { region: string; account: string } {
  const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(env ?? '');
  const account = m && /^\d{12}$/.test(m[1]) ? m[1] : '000000000000';
  const region = m && m[2] && !m[2].startsWith('unknown-') ? m[2] : 'us-east-1';
  return { region, account };
}

/** Logical id → construct path (without a trailing `/Resource`), from a stack artifact's metadata. */
function constructPathsOf(dir: string, artifact: ManifestArtifact): Map<string, string> {
  const metadata: Record<string, Array<{ type: string; data: unknown }>> = { ...(artifact.metadata ?? {}) };
  if (artifact.additionalMetadataFile) {
    const file = path.join(dir, artifact.additionalMetadataFile);
    if (fs.existsSync(file)) Object.assign(metadata, readJson(file));
  }
  const out = new Map<string, string>();
  for (const [p, entries] of Object.entries(metadata)) {
    for (const e of entries) {
      if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string' && !out.has(e.data)) {
        out.set(e.data, p.replace(/^\//, '').replace(/\/Resource$/, ''));
      }
    }
  }
  return out;
}

/** Every stack artifact of an assembly, including those of nested assemblies (CDK stages). */
function stackContexts(dir: string, exportsOf: (name: string) => unknown): StackContext[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${dir} is not a cloud assembly: it has no manifest.json (run 'cdk synth' first)`);
  const manifest = readJson(manifestFile) as { artifacts?: Record<string, ManifestArtifact> };
  const out: StackContext[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      const template = readJson(path.join(dir, artifact.properties.templateFile)) as CfnTemplate;
      out.push(new StackContext(dir, id, id, template, parseEnvironment(artifact.environment), {}, constructPathsOf(dir, artifact), exportsOf));
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      out.push(...stackContexts(path.join(dir, artifact.properties.directoryName), exportsOf));
    }
  }
  return out;
}

/** A stack and its nested stacks, depth first. */
function withNested(stack: StackContext): StackContext[] {
  return [stack, ...stack.nestedStacks().flatMap(withNested)];
}

function asRecord<T>(v: unknown): Record<string, T> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, T>) : {};
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** Resource types read besides API Gateway's: functions to run, tables and state machines. */
const READ_TYPES: ReadonlySet<string> = new Set([
  'AWS::Lambda::Function', 'AWS::DynamoDB::Table', 'AWS::StepFunctions::StateMachine', 'AWS::S3::Bucket', 'AWS::Kinesis::Stream',
]);

/** A state machine's definition as the emulator runs it: DefinitionString, or Definition with its substitutions. */
function stateMachineModel(f: Found): StateMachineModel {
  const p = f.properties;
  const base = {
    logicalId: f.logicalId, stackPath: f.stack.stackPath, arn: f.ref,
    name: String(f.stack.resolver.getAtt(f.logicalId, 'Name')),
    type: p.StateMachineType === 'EXPRESS' ? 'EXPRESS' as const : 'STANDARD' as const,
    roleArn: typeof p.RoleArn === 'string' ? p.RoleArn : undefined,
  };
  let text: string;
  if (typeof p.DefinitionString === 'string') text = p.DefinitionString;
  else if (p.Definition !== undefined && typeof p.Definition === 'object') text = JSON.stringify(p.Definition);
  else return { ...base, problem: 'its definition is in S3 (DefinitionS3Location), which the emulator does not read' };
  const substitutions = (p.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
  text = text.replace(/\$\{([^}]+)\}/g, (m, key: string) => (key in substitutions ? String(substitutions[key]) : m));
  try {
    return { ...base, definition: JSON.parse(text) };
  } catch (e) {
    return { ...base, problem: `its definition is not JSON: ${(e as Error).message}` };
  }
}

interface Found {
  readonly stack: StackContext;
  readonly logicalId: string;
  readonly resource: CfnResource;
  /** `Ref` of the resource. */
  readonly ref: string;
  readonly properties: ResolvedProperties;
}

/** Read a cloud assembly folder and model every REST API and Lambda function in it. */
export function loadAssembly(dir: string): AssemblyModel {
  const warnings: string[] = [];
  const exports = new Map<string, () => unknown>();
  const stacks = stackContexts(dir, (name) => {
    const get = exports.get(name);
    if (!get) throw new Error(`Fn::ImportValue: no stack of the assembly exports ${name}`);
    return get();
  }).flatMap(withNested);

  for (const stack of stacks) {
    for (const out of Object.values(stack.template.Outputs ?? {})) {
      if (out.Export) {
        const name = stack.resolver.resolveString(out.Export.Name);
        exports.set(name, () => stack.resolver.resolve(out.Value));
      }
    }
  }

  const byType = new Map<string, Found[]>();
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (!resource.Type.startsWith('AWS::ApiGateway::') && !READ_TYPES.has(resource.Type)) continue;
      try {
        if (!stack.exists(logicalId)) continue;
        const found: Found = {
          stack, logicalId, resource,
          ref: String(stack.resolver.ref(logicalId)),
          properties: stack.resolver.resolve(resource.Properties ?? {}) as ResolvedProperties,
        };
        byType.set(resource.Type, [...(byType.get(resource.Type) ?? []), found]);
      } catch (e) {
        warnings.push(`${stack.stackPath}/${logicalId} (${resource.Type}) skipped: ${(e as Error).message}`);
      }
    }
  }
  const all = (type: string): Found[] => byType.get(`AWS::ApiGateway::${type}`) ?? [];

  const functions = new Map<string, FunctionModel>();
  for (const f of byType.get('AWS::Lambda::Function') ?? []) {
    const model: FunctionModel = {
      logicalId: f.logicalId, stackPath: f.stack.stackPath, name: f.ref,
      arn: String(f.stack.resolver.getAtt(f.logicalId, 'Arn')), properties: f.properties,
      metadata: f.resource.Metadata ?? {}, assemblyDir: f.stack.dir,
    };
    functions.set(model.name, model);
    functions.set(model.arn, model);
  }

  // DynamoDB tables, for local backends to create (the properties CreateTable takes).
  const tables: TableModel[] = (byType.get('AWS::DynamoDB::Table') ?? []).map((f) => ({
    logicalId: f.logicalId, stackPath: f.stack.stackPath, name: f.ref, properties: f.properties,
  }));

  const stateMachines = (byType.get('AWS::StepFunctions::StateMachine') ?? []).map((f) => stateMachineModel(f));
  const named = (type: string): NamedResourceModel[] => (byType.get(type) ?? []).map((f) => ({
    logicalId: f.logicalId, stackPath: f.stack.stackPath, name: f.ref, properties: f.properties,
  }));

  const apis = new Map<string, ApiModel>();
  for (const f of all('RestApi')) {
    const p = f.properties;
    if (p.BodyS3Location !== undefined || (p.Body !== undefined && typeof p.Body !== 'object')) {
      warnings.push(`${f.stack.stackPath}/${f.logicalId}: a SpecRestApi whose OpenAPI definition is an asset (BodyS3Location) is not emulated yet; its routes are not served`);
      continue;
    }
    const rootResourceId = String(f.stack.resolver.getAtt(f.logicalId, 'RootResourceId'));
    const root: ResourceModel = { id: rootResourceId, path: '/', pathPart: '', children: [], methods: {} };
    const resources = new Map([[rootResourceId, root]]);
    const spec = p.Body === undefined ? undefined : addOpenApiRoutes(p.Body as Record<string, unknown>, root, resources, `${f.stack.stackPath}/${f.logicalId}`);
    if (spec) {
      warnings.push(`${f.stack.stackPath}/${f.logicalId}: a SpecRestApi: its OpenAPI security schemes (authorizers) and request validators are not read yet`);
    }
    apis.set(f.ref, {
      id: f.ref,
      logicalId: f.logicalId,
      stackName: f.stack.artifactId,
      constructPath: f.stack.constructPaths.get(f.logicalId) ?? `${f.stack.stackPath}/${f.logicalId}`,
      name: str(p.Name) ?? f.logicalId,
      region: f.stack.resolver.scope.region,
      account: f.stack.resolver.scope.account,
      rootResourceId,
      root,
      resources,
      stages: [],
      gatewayResponses: new Map(spec?.gatewayResponses.map((g) => [g.ResponseType, g])),
      authorizers: [],
      requestValidators: [],
      models: [],
      apiKeys: [],
      usagePlans: [],
      usagePlanKeys: [],
      binaryMediaTypes: (p.BinaryMediaTypes as string[] | undefined) ?? spec?.binaryMediaTypes ?? [],
      apiKeySourceType: str(p.ApiKeySourceType) ?? spec?.apiKeySourceType ?? 'HEADER',
      minimumCompressionSize: p.MinimumCompressionSize === undefined ? undefined : Number(p.MinimumCompressionSize),
      disableExecuteApiEndpoint: p.DisableExecuteApiEndpoint === true || p.DisableExecuteApiEndpoint === 'true',
      properties: p,
    });
  }
  const apiOf = (f: Found): ApiModel | undefined => apis.get(String(f.properties.RestApiId));

  // Resources: parents may come in any order (and from nested stacks), so link them after reading all.
  const pending = all('Resource').filter((f) => apiOf(f));
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    for (let i = pending.length - 1; i >= 0; i--) {
      const f = pending[i];
      const api = apiOf(f)!;
      const parent = api.resources.get(String(f.properties.ParentId));
      if (!parent) continue;
      const pathPart = String(f.properties.PathPart);
      const node: ResourceModel = {
        id: f.ref, pathPart, children: [], methods: {},
        path: parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`,
      };
      parent.children.push(node);
      api.resources.set(node.id, node);
      pending.splice(i, 1);
      progress = true;
    }
  }
  for (const f of pending) warnings.push(`${f.stack.stackPath}/${f.logicalId}: resource with an unknown parent ${String(f.properties.ParentId)}`);

  for (const f of all('Method')) {
    const api = apiOf(f);
    const resource = api?.resources.get(String(f.properties.ResourceId));
    if (!api || !resource) {
      warnings.push(`${f.stack.stackPath}/${f.logicalId}: method of an unknown API or resource`);
      continue;
    }
    const method = methodModel(f, resource);
    resource.methods[method.HttpMethod] = method;
  }

  const deployments = new Map<string, Found>(all('Deployment').map((f) => [f.ref, f]));
  for (const f of all('Stage')) {
    const api = apiOf(f);
    if (api) api.stages.push(stageModel(f.properties));
  }
  for (const f of deployments.values()) {
    const api = apiOf(f);
    // A Deployment with a StageName creates that stage itself (StageDescription holds its settings).
    if (api && f.properties.StageName !== undefined && !api.stages.some((s) => s.StageName === f.properties.StageName)) {
      const description = asRecord<unknown>(f.properties.StageDescription);
      api.stages.push(stageModel({ ...description, StageName: f.properties.StageName, DeploymentId: f.ref }));
    }
  }

  for (const f of all('GatewayResponse')) {
    const p = f.properties;
    apiOf(f)?.gatewayResponses.set(String(p.ResponseType), {
      ResponseType: String(p.ResponseType),
      StatusCode: str(p.StatusCode),
      ResponseParameters: p.ResponseParameters as Record<string, string> | undefined,
      ResponseTemplates: p.ResponseTemplates as Record<string, string> | undefined,
    } satisfies GatewayResponseModel);
  }

  const part = (f: Found): ApiPart => ({ id: f.ref, logicalId: `${f.stack.stackPath}/${f.logicalId}`, properties: f.properties });
  for (const f of all('Authorizer')) apiOf(f)?.authorizers.push(part(f));
  for (const f of all('RequestValidator')) apiOf(f)?.requestValidators.push(part(f));
  for (const f of all('Model')) apiOf(f)?.models.push(part(f));

  // Keys and usage plans are not per API: a plan lists its stages' APIs, a key is linked through plans.
  for (const f of all('UsagePlan')) {
    const stagesOf = (f.properties.ApiStages as Array<{ ApiId?: string }> | undefined) ?? [];
    for (const api of apis.values()) if (stagesOf.some((s) => s.ApiId === api.id)) api.usagePlans.push(part(f));
  }
  for (const f of all('UsagePlanKey')) {
    for (const api of apis.values()) {
      if (api.usagePlans.some((plan) => plan.id === f.properties.UsagePlanId)) {
        api.usagePlanKeys.push(part(f));
        const key = all('ApiKey').find((k) => k.ref === f.properties.KeyId);
        if (key && !api.apiKeys.some((k) => k.id === key.ref)) api.apiKeys.push(part(key));
      }
    }
  }
  for (const f of all('ApiKey')) {
    const stageKeys = (f.properties.StageKeys as Array<{ RestApiId?: string }> | undefined) ?? [];
    for (const api of apis.values()) {
      if (stageKeys.some((s) => s.RestApiId === api.id) && !api.apiKeys.some((k) => k.id === f.ref)) api.apiKeys.push(part(f));
    }
  }

  return { dir, apis: [...apis.values()], functions, tables, stateMachines, buckets: named('AWS::S3::Bucket'), streams: named('AWS::Kinesis::Stream'), warnings };
}

function methodModel(f: Found, resource: ResourceModel): MethodModel {
  const p = f.properties;
  const integration = p.Integration as IntegrationModel | undefined;
  return {
    logicalId: `${f.stack.stackPath}/${f.logicalId}`,
    resourcePath: resource.path,
    resourceId: resource.id,
    HttpMethod: String(p.HttpMethod).toUpperCase(),
    AuthorizationType: str(p.AuthorizationType) ?? 'NONE',
    AuthorizerId: str(p.AuthorizerId),
    AuthorizationScopes: p.AuthorizationScopes as string[] | undefined,
    ApiKeyRequired: p.ApiKeyRequired === true || p.ApiKeyRequired === 'true',
    OperationName: str(p.OperationName),
    RequestParameters: asRecord<boolean>(p.RequestParameters),
    RequestModels: asRecord<string>(p.RequestModels),
    RequestValidatorId: str(p.RequestValidatorId),
    MethodResponses: (p.MethodResponses as MethodResponseModel[] | undefined)?.map((r) => ({ ...r, StatusCode: String(r.StatusCode) })) ?? [],
    Integration: integration && {
      ...integration,
      Type: String(integration.Type).toUpperCase(),
      IntegrationResponses: integration.IntegrationResponses?.map((r) => ({ ...r, StatusCode: String(r.StatusCode) })),
    },
  };
}

function stageModel(p: ResolvedProperties): StageModel {
  return {
    StageName: String(p.StageName),
    Variables: Object.fromEntries(Object.entries(asRecord<unknown>(p.Variables)).map(([k, v]) => [k, String(v)])),
    MethodSettings: (p.MethodSettings as ResolvedProperties[] | undefined) ?? [],
    CacheClusterEnabled: p.CacheClusterEnabled === true || p.CacheClusterEnabled === 'true',
    CacheClusterSize: str(p.CacheClusterSize),
    DeploymentId: str(p.DeploymentId),
    properties: p,
  };
}
