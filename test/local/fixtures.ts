import { ApiModel, GatewayResponseModel, IntegrationModel, MethodModel, ResourceModel, StageModel } from '../../lib/local/model';
import { RequestPipeline } from '../../lib/local/pipeline';
import { LocalRequest } from '../../lib/local/request';

/** A method on `path` for a hand-built API (the fields a CloudFormation template would give). */
export interface MethodSpec {
  readonly path: string;
  readonly httpMethod: string;
  readonly integration?: IntegrationModel;
  readonly method?: Partial<MethodModel>;
}

/** A hand-built API model: unit tests of the pipeline without synthesizing anything. */
export function apiModel(methods: MethodSpec[], gatewayResponses: GatewayResponseModel[] = [], stage: Partial<StageModel> = {}): ApiModel {
  const root: ResourceModel = { id: 'root', path: '/', pathPart: '', children: [], methods: {} };
  const resources = new Map<string, ResourceModel>([['root', root]]);
  for (const spec of methods) {
    let node = root;
    for (const part of spec.path.split('/').filter((p) => p)) {
      let child = node.children.find((c) => c.pathPart === part);
      if (!child) {
        const path = `${node.path === '/' ? '' : node.path}/${part}`;
        child = { id: `r${resources.size}`, path, pathPart: part, children: [], methods: {} };
        node.children.push(child);
        resources.set(child.id, child);
      }
      node = child;
    }
    node.methods[spec.httpMethod] = {
      logicalId: `Test/${spec.httpMethod}${node.path}`, resourcePath: node.path, resourceId: node.id, HttpMethod: spec.httpMethod,
      AuthorizationType: 'NONE', ApiKeyRequired: false, RequestParameters: {}, RequestModels: {}, MethodResponses: [],
      Integration: spec.integration, ...spec.method,
    };
  }
  return {
    id: 'abcdef1234', logicalId: 'Api', stackName: 'Test', constructPath: 'Test/Api', name: 'test', region: 'us-east-1', account: '000000000000',
    rootResourceId: 'root', root, resources,
    stages: [{ StageName: 'dev', Variables: {}, MethodSettings: [], CacheClusterEnabled: false, properties: {}, ...stage }],
    gatewayResponses: new Map(gatewayResponses.map((g) => [g.ResponseType, g])),
    authorizers: [], requestValidators: [], models: [], apiKeys: [], usagePlans: [], usagePlanKeys: [],
    binaryMediaTypes: [], apiKeySourceType: 'HEADER', disableExecuteApiEndpoint: false, properties: {},
  };
}

/** A MOCK integration answering `status` with `template` (application/json). */
export function mock(responses: IntegrationModel['IntegrationResponses'], requestTemplate = '{"statusCode": 200}', extra: Partial<IntegrationModel> = {}): IntegrationModel {
  return { Type: 'MOCK', RequestTemplates: { 'application/json': requestTemplate }, IntegrationResponses: responses, ...extra };
}

/** Runs one request through a pipeline of `api`'s first stage. */
export async function call(api: ApiModel, req: Partial<LocalRequest> & { method: string; path: string }) {
  const pipeline = new RequestPipeline(api, api.stages[0], { now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) });
  const { response, log } = await pipeline.handle({ headers: {}, query: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1', ...req });
  return { statusCode: response.statusCode, headers: response.headers, body: response.body.toString('utf8'), log };
}
