process.env.CDK_VALIDATION = 'false';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { App, CfnResource } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { HttpBackendsStack } from '../examples/http-backends-stack';
import { MappingTemplate } from '../lib/testing';
import { javaMatches } from '../lib/vtl/java-regex';
import { Json, methodAt, resourcePaths, resourcesOfType } from './util';

/*
 * The HTTP-backends example (scenarios 1, 8, 11 and 12), synthesized once with cdk.json's context (the
 * examples test runs aws-cdk-lib's validation on the whole app). The legacy route is run end to end in
 * process: request template → the adapter function's own code (from the template) → the legacy XML it
 * sends → the response or error template, with adversarial values all the way.
 */

const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
const app = new App({ context: cdkJson.context });
const stack = new HttpBackendsStack(app, 'HttpBackends');
const template = Template.fromStack(stack);
const resources: { [id: string]: { Type: string; Properties: Json } } = template.toJSON().Resources;
const logicalIdOf = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnResource);
const child = (id: string) => stack.node.findChild(id);
const API = logicalIdOf(stack.api);
const integrationOf = (p: string, m: string) => methodAt(template, p, m).Integration;

const ADVERSARIAL = [
  'plain',
  'say "hi"',
  "it's",
  'back\\slash',
  'line\nbreak\r\ttab',
  'ünïcödé 🎉',
  'a", "admin": true, "x": "',
  '</CUST_NAME><ROLE>admin</ROLE><CUST_NAME>',
  '<![CDATA[x]]> & &amp; <!-- -->',
  'nul\u0000bell\u0007',
  '#set($x = 1)$context.requestId ${x}',
  '',
];

describe('scenarios 1 and 8: microservices behind one API, external host chosen per stage', () => {
  test('the prod and dev stages deploy the same deployment with their own backendUrl', () => {
    const stages = resourcesOfType(template, 'AWS::ApiGateway::Stage').map(([, p]) => p);
    expect(stages.map((s) => [s.StageName, s.Variables])).toEqual(expect.arrayContaining([
      ['prod', { backendUrl: 'api.example.com' }],
      ['dev', { backendUrl: 'api-dev.example.com' }],
    ]));
    expect(stages).toHaveLength(2);
    expect(new Set(stages.map((s) => JSON.stringify(s.DeploymentId))).size).toBe(1);
  });

  test('/users and /users/{proxy+} are HTTP_PROXY to the stage\'s host, the greedy path mapped, the caller\'s sub sent, the caller\'s token kept back', () => {
    const callerHeader = {
      'integration.request.header.X-Caller-Sub': 'context.authorizer.claims.sub',
      'integration.request.header.Authorization': "'none'",
    };
    expect(integrationOf('/users', 'ANY')).toEqual({
      Type: 'HTTP_PROXY', IntegrationHttpMethod: 'ANY', Uri: 'https://${stageVariables.backendUrl}/users', RequestParameters: callerHeader,
    });
    expect(integrationOf('/users/{proxy+}', 'ANY')).toEqual({
      Type: 'HTTP_PROXY', IntegrationHttpMethod: 'ANY', Uri: 'https://${stageVariables.backendUrl}/users/{proxy}',
      RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy', ...callerHeader }, TimeoutInMillis: 10000,
    });
    expect(methodAt(template, '/users/{proxy+}', 'ANY').RequestParameters).toEqual({ 'method.request.path.proxy': true });
  });

  test('/orders is a Lambda proxy and /products a DynamoDB Scan, each in its own route', () => {
    expect(integrationOf('/orders', 'GET').Type).toBe('AWS_PROXY');
    expect(integrationOf('/orders/{orderId}', 'GET').Type).toBe('AWS_PROXY');
    const scan = integrationOf('/products', 'GET');
    expect(scan.Type).toBe('AWS');
    expect(JSON.stringify(scan.Uri)).toContain(':dynamodb:action/Scan');
  });

  test('one Lambda permission per function, however many routes use it', () => {
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, p]) => p.FunctionName['Fn::GetAtt'][0]);
    expect(permissions.sort()).toEqual([logicalIdOf(child('LegacyCustomersFn')), logicalIdOf(child('OrdersFn'))].sort());
  });

  test('the stack synthesizes without warnings', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('GET /catalog/search: HTTP custom integration on the per-stage host', () => {
  const integration = integrationOf('/catalog/search', 'GET');
  const success = integration.IntegrationResponses.find((r: Json) => r.StatusCode === '200');

  test('maps the query and the request id, fixes a version header, waits 5 s and caches per query', () => {
    expect(integration).toEqual(expect.objectContaining({
      Type: 'HTTP',
      IntegrationHttpMethod: 'GET',
      Uri: 'https://${stageVariables.backendUrl}/v2/search',
      TimeoutInMillis: 5000,
      PassthroughBehavior: 'WHEN_NO_TEMPLATES',
      RequestParameters: {
        'integration.request.querystring.q': 'method.request.querystring.q',
        'integration.request.header.X-Request-Id': 'context.requestId',
        'integration.request.header.X-Api-Version': "'2'",
      },
      // The reflected Origin is a cache key too, so a cached answer never carries another origin.
      CacheKeyParameters: ['method.request.querystring.q', 'method.request.header.Origin'],
    }));
    expect(methodAt(template, '/catalog/search', 'GET').RequestParameters).toEqual({ 'method.request.querystring.q': true, 'method.request.header.Origin': false });
    const prod = resourcesOfType(template, 'AWS::ApiGateway::Stage').find(([, p]) => p.StageName === 'prod')![1];
    expect(prod.MethodSettings).toEqual(expect.arrayContaining([
      expect.objectContaining({ ResourcePath: '/~1catalog~1search', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 60 }),
    ]));
  });

  test('backend 404 answers 404, other 4xx 400, 5xx 502', () => {
    const answer = (status: number) => integration.IntegrationResponses
      .filter((r: Json) => r.SelectionPattern !== undefined && javaMatches(String(status), r.SelectionPattern))
      .map((r: Json) => r.StatusCode);
    expect([answer(404), answer(401), answer(429), answer(503), answer(200)]).toEqual([['404'], ['400'], ['400'], ['502'], []]);
  });

  test.each(ADVERSARIAL)('the reshaped answer stays valid JSON for backend values like %j', (value) => {
    const body = JSON.stringify({ items: [{ name: value, [value]: 1 }], count: 1, extra: value });
    const out = MappingTemplate.renderJson(success.ResponseTemplates['application/json'], {
      body, headers: { Origin: 'https://admin.example.com' },
    });
    expect(out).toEqual({ results: [{ name: value, [value]: 1 }], total: 1 });
  });
});

// ---------------------------------------------------------------------------------------------------
// Scenario 11: the legacy route, end to end
// ---------------------------------------------------------------------------------------------------

/** The adapter function's code as deployed, with `fetch` replaced by `legacy` (which sees the XML). */
function adapter(legacy: (xml: string) => string): (event: Json) => Promise<Json> {
  const fnId = logicalIdOf(child('LegacyCustomersFn'));
  const code: string = resources[fnId].Properties.Code.ZipFile;
  const sandbox: Json = {
    exports: {},
    process: { env: { LEGACY_URL: 'https://legacy.internal/customers' } },
    fetch: async (_url: string, init: Json) => ({ status: 200, text: async () => legacy(init.body) }),
  };
  vm.runInNewContext(code, sandbox);
  return sandbox.exports.handler;
}

/** The stand-in legacy service's parser, written independently of the adapter: every element, in order. */
function legacyElements(xml: string): Array<[string, string]> {
  const m = /^<\?xml version="1\.0" encoding="UTF-8"\?><CUSTOMER_REQUEST>((?:<([A-Z_]+)>[^<>]*<\/\2>)*)<\/CUSTOMER_REQUEST>$/.exec(xml);
  if (!m) throw new Error(`not a flat legacy document: ${xml}`);
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  return [...m[1].matchAll(/<([A-Z_]+)>([^<>]*)<\/\1>/g)].map((e) => [e[1], decode(e[2])]);
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const legacyReply = (fields: { [k: string]: string }) => '<?xml version="1.0" encoding="UTF-8"?><CUSTOMER>' +
  Object.entries(fields).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('') + '</CUSTOMER>';
const legacyFault = (code: string, text: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><FAULT><FAULT_CODE>${code}</FAULT_CODE><FAULT_TEXT>${xmlEscape(text)}</FAULT_TEXT></FAULT>`;
/** XML 1.0 cannot carry these characters: the adapter drops them. */
const xmlSafe = (s: string) => [...s].filter((c) => c >= ' ' || '\t\n\r'.includes(c)).join('');

/** API Gateway's answer to a Lambda custom integration: the response selected by the error message, rendered. */
function answer(responses: Json[], result: { value?: Json; errorMessage?: string }): [number, Json] {
  const message = result.errorMessage ?? '';
  const matched = message === '' ? [] : responses.filter((r) => r.SelectionPattern !== undefined && javaMatches(message, r.SelectionPattern));
  if (matched.length > 1) throw new Error(`${JSON.stringify(message)} selects several responses`);
  const response = matched[0] ?? responses.find((r) => r.SelectionPattern === undefined);
  const body = result.errorMessage !== undefined
    ? JSON.stringify({ errorMessage: message, errorType: 'Error', stackTrace: ['Error: at handler (/var/task/index.js:1:1)'] })
    : JSON.stringify(result.value);
  const rendered = MappingTemplate.renderWithOverrides(response.ResponseTemplates['application/json'], {
    body, context: { requestId: 'req-1' }, headers: { Origin: 'https://app.example.com' },
  });
  return [rendered.statusOverride ?? Number(response.StatusCode), JSON.parse(rendered.output)];
}

async function invoke(handler: (event: Json) => Promise<Json>, event: Json): Promise<{ value?: Json; errorMessage?: string }> {
  try {
    return { value: JSON.parse(JSON.stringify(await handler(event))) };
  } catch (e) {
    return { errorMessage: (e as Error).message };
  }
}

describe('scenario 11: POST /legacy/customers turns JSON into the legacy XML and back', () => {
  const integration = integrationOf('/legacy/customers', 'POST');
  const requestTemplate = integration.RequestTemplates['application/json'];

  test('a Lambda custom integration with its own request template, NEVER passthrough, 10 s', () => {
    expect(integration).toEqual(expect.objectContaining({ Type: 'AWS', IntegrationHttpMethod: 'POST', PassthroughBehavior: 'NEVER', TimeoutInMillis: 10000 }));
    expect(integration.IntegrationResponses.map((r: Json) => r.StatusCode)).toEqual(['200', '404', '400', '500']);
  });

  test.each(ADVERSARIAL)('the client value %j reaches the legacy service as exactly one escaped element, and comes back', async (value) => {
    const event = MappingTemplate.renderJson(requestTemplate, {
      body: JSON.stringify({ name: value, email: `${value}@example.com`, creditLimit: 1500.5, role: 'admin', OWNER_ID: 'someone-else' }),
      context: { requestId: 'req-1', authorizer: { claims: { sub: 'caller-1' } } },
    });
    expect(event).toEqual({
      OPERATION: 'CREATE', CUST_NAME: value, EMAIL_ADDR: `${value}@example.com`, CREDIT_LIM: 1500.5, OWNER_ID: 'caller-1', REQ_ID: 'req-1',
    });
    let sent = '';
    const handler = adapter((xml) => {
      sent = xml;
      const fields = Object.fromEntries(legacyElements(xml));
      return legacyReply({ CUST_NO: 'C42', CUST_NAME: fields.CUST_NAME, EMAIL_ADDR: fields.EMAIL_ADDR, CREDIT_LIM: fields.CREDIT_LIM, STATUS_CD: 'A' });
    });
    const result = await invoke(handler, event);
    expect(legacyElements(sent)).toEqual([
      ['OPERATION', 'CREATE'], ['CUST_NAME', xmlSafe(value)], ['EMAIL_ADDR', xmlSafe(`${value}@example.com`)], ['CREDIT_LIM', '1500.5'],
      ['OWNER_ID', 'caller-1'], ['REQ_ID', 'req-1'],
    ]);
    expect(answer(integration.IntegrationResponses, result)).toEqual([200, {
      customerId: 'C42', name: xmlSafe(value), email: xmlSafe(`${value}@example.com`), creditLimit: '1500.5', status: 'A',
    }]);
  });

  test('a non-number credit limit becomes null, not text in the event', () => {
    const event = MappingTemplate.renderJson(requestTemplate, { body: '{"name": "x", "creditLimit": "1, \\"admin\\": true"}' });
    expect(event.CREDIT_LIM).toBeNull();
  });

  test.each(ADVERSARIAL.filter((v) => v !== ''))('a legacy INVALID fault %j answers 400 with its text as the message', async (text) => {
    const result = await invoke(adapter(() => legacyFault('INVALID', text)), { OPERATION: 'CREATE', OWNER_ID: 'caller-1' });
    expect(answer(integration.IntegrationResponses, result)).toEqual([400, { message: text, requestId: 'req-1' }]);
  });

  test('any other legacy fault answers the fixed 500: no legacy text reaches the client', async () => {
    const result = await invoke(adapter(() => legacyFault('DB_DOWN', 'ORA-00942: table CUSTOMERS at 10.0.3.7')), { OPERATION: 'CREATE', OWNER_ID: 'caller-1' });
    expect(result.errorMessage).toContain('ORA-00942');
    expect(answer(integration.IntegrationResponses, result)).toEqual([500, { message: 'Internal server error', requestId: 'req-1' }]);
  });
});

describe('scenario 11: GET /legacy/customers/{customerId}', () => {
  const integration = integrationOf('/legacy/customers/{customerId}', 'GET');
  const requestTemplate = integration.RequestTemplates['application/json'];

  test.each(ADVERSARIAL.filter((v) => v !== ''))('the id %j is looked up as one escaped element, for the caller (the same text as sub)', async (id) => {
    const event = MappingTemplate.renderJson(requestTemplate, {
      pathParameters: { customerId: id }, context: { requestId: 'r', authorizer: { claims: { sub: id } } },
    });
    expect(event).toEqual({ OPERATION: 'LOOKUP', CUST_NO: id, OWNER_ID: id, REQ_ID: 'r' });
    let sent: Array<[string, string]> = [];
    const result = await invoke(adapter((xml) => {
      sent = legacyElements(xml);
      return legacyReply({ CUST_NO: Object.fromEntries(sent).CUST_NO, CUST_NAME: 'Ada', EMAIL_ADDR: 'ada@example.com', CREDIT_LIM: '0', STATUS_CD: 'A' });
    }), event);
    expect(sent).toEqual([['OPERATION', 'LOOKUP'], ['CUST_NO', xmlSafe(id)], ['OWNER_ID', xmlSafe(id)], ['REQ_ID', 'r']]);
    expect(answer(integration.IntegrationResponses, result)).toEqual([200, {
      customerId: xmlSafe(id), name: 'Ada', email: 'ada@example.com', creditLimit: '0', status: 'A',
    }]);
  });

  test('without LEGACY_URL the stand-in answers C0 with the legacy NOT_FOUND fault, which answers 404', async () => {
    const fnId = logicalIdOf(child('LegacyCustomersFn'));
    const sandbox: Json = { exports: {}, process: { env: {} } };
    vm.runInNewContext(resources[fnId].Properties.Code.ZipFile, sandbox);
    const result = await invoke(sandbox.exports.handler, { OPERATION: 'LOOKUP', CUST_NO: 'C0', OWNER_ID: 'u-1', REQ_ID: 'r' });
    expect(answer(integration.IntegrationResponses, result)).toEqual([404, { message: 'customer C0 does not exist', requestId: 'req-1' }]);
    const found = await invoke(sandbox.exports.handler, { OPERATION: 'LOOKUP', CUST_NO: 'C7', OWNER_ID: 'u-1', REQ_ID: 'r' });
    expect(answer(integration.IntegrationResponses, found)[0]).toBe(200);
  });

  test('the adapter looks nothing up without the caller (OWNER_ID): the fixed 500, the legacy service not called', async () => {
    let called = false;
    const result = await invoke(adapter(() => {
      called = true;
      return legacyReply({ CUST_NO: 'C7' });
    }), { OPERATION: 'LOOKUP', CUST_NO: 'C7', REQ_ID: 'r' });
    expect(called).toBe(false);
    expect(answer(integration.IntegrationResponses, result)).toEqual([500, { message: 'Internal server error', requestId: 'req-1' }]);
  });
});

describe('scenario 12: a private service on ECS Fargate behind an internal NLB, through one VPC link', () => {
  const nlbId = logicalIdOf(stack.loadBalancer);
  const links = resourcesOfType(template, 'AWS::ApiGateway::VpcLink');

  test('one VpcLink targets the NLB, and both inventory routes use it', () => {
    expect(links).toHaveLength(1);
    expect(links[0][1].TargetArns).toEqual([{ Ref: nlbId }]);
    const dns = { 'Fn::GetAtt': [nlbId, 'DNSName'] };
    expect(integrationOf('/inventory/{proxy+}', 'ANY')).toEqual({
      Type: 'HTTP_PROXY', IntegrationHttpMethod: 'ANY', ConnectionType: 'VPC_LINK', ConnectionId: { Ref: links[0][0] },
      Uri: { 'Fn::Join': ['', ['http://', dns, ':80/inventory/{proxy}']] },
      RequestParameters: {
        'integration.request.path.proxy': 'method.request.path.proxy',
        'integration.request.header.X-Caller-Sub': 'context.authorizer.claims.sub',
        'integration.request.header.Authorization': "'none'",
      },
    });
    expect(integrationOf('/inventory', 'GET')).toEqual(expect.objectContaining({
      Type: 'HTTP', ConnectionType: 'VPC_LINK', ConnectionId: { Ref: links[0][0] }, TimeoutInMillis: 3000,
      Uri: { 'Fn::Join': ['', ['http://', dns, ':80/index.html']] },
      RequestParameters: { 'integration.request.header.X-Request-Id': 'context.requestId' },
    }));
    // The summary is nginx's HTML page, passed through: it keeps the backend's Content-Type.
    const ok = integrationOf('/inventory', 'GET').IntegrationResponses[0];
    expect(ok.ResponseParameters['method.response.header.Content-Type']).toBe('integration.response.header.Content-Type');
    expect(methodAt(template, '/inventory', 'GET').MethodResponses[0].ResponseParameters['method.response.header.Content-Type']).toBe(true);
  });

  test('the NLB is internal, in the private subnets, and lets the VPC link\'s PrivateLink traffic in', () => {
    expect(resources[nlbId].Properties).toEqual(expect.objectContaining({
      Scheme: 'internal', Type: 'network', EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'off',
    }));
    expect(resources[nlbId].Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([
      { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
    ]));
  });

  test('only the NLB reaches the Fargate tasks, on port 80', () => {
    const serviceSg = logicalIdOf(child('InventoryService').node.findChild('SecurityGroup'));
    const nlbSg = logicalIdOf(child('NlbSecurityGroup'));
    const ingress = resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress').map(([, p]) => p);
    expect(ingress).toEqual([expect.objectContaining({
      GroupId: { 'Fn::GetAtt': [serviceSg, 'GroupId'] }, SourceSecurityGroupId: { 'Fn::GetAtt': [nlbSg, 'GroupId'] },
      IpProtocol: 'tcp', FromPort: 80, ToPort: 80,
    })]);
    expect(resources[serviceSg].Properties.SecurityGroupIngress).toBeUndefined();
    const [, service] = resourcesOfType(template, 'AWS::ECS::Service')[0];
    expect(service.LaunchType).toBe('FARGATE');
    expect(service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    expect(service.LoadBalancers).toEqual([expect.objectContaining({ ContainerName: 'web', ContainerPort: 80 })]);
  });

  test('the API\'s methods are all there: ten routes, ten preflights', () => {
    const methods = resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, p]) => p);
    expect(methods.every((m) => m.RestApiId.Ref === API)).toBe(true);
    expect(methods.filter((m) => m.HttpMethod === 'OPTIONS')).toHaveLength(10);
    expect(methods).toHaveLength(20);
  });
});

describe('security: both stages logged, traced and behind the web ACL; sign-in on all but the catalogue; VPC flow logs', () => {
  const stages = resourcesOfType(template, 'AWS::ApiGateway::Stage');

  test('prod and dev: JSON access logs, ERROR execution logs without bodies, X-Ray, each stage associated with the web ACL', () => {
    const [aclId] = resourcesOfType(template, 'AWS::WAFv2::WebACL').map(([id]) => id);
    const associations = resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation').map(([, p]) => p);
    for (const [id, stage] of stages) {
      expect({ id, tracing: stage.TracingEnabled, format: JSON.parse(stage.AccessLogSetting.Format).requestId })
        .toEqual({ id, tracing: true, format: '$context.requestId' });
      expect(stage.MethodSettings).toEqual(expect.arrayContaining([expect.objectContaining({
        HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false,
      })]));
      expect(associations.filter((a) => JSON.stringify(a.ResourceArn).includes(JSON.stringify({ Ref: id })) &&
        a.WebACLArn['Fn::GetAtt'][0] === aclId)).toHaveLength(1);
    }
    expect(associations).toHaveLength(2);
    // The dev stage waits for the prod stage, which waits for the account's CloudWatch logging role.
    const dev = stages.find(([, p]) => p.StageName === 'dev')![0];
    const prod = stages.find(([, p]) => p.StageName === 'prod')![0];
    expect(template.toJSON().Resources[dev].DependsOn).toContain(prod);
  });

  test('every route but GET /products and GET /catalog/search needs a user-pool sign-in', () => {
    const authorizers = resourcesOfType(template, 'AWS::ApiGateway::Authorizer');
    expect(authorizers.map(([, p]) => p.Type)).toEqual(['COGNITO_USER_POOLS']);
    const paths = resourcePaths(template);
    const open = resourcesOfType(template, 'AWS::ApiGateway::Method')
      .filter(([, p]) => p.HttpMethod !== 'OPTIONS' && p.AuthorizationType !== 'COGNITO_USER_POOLS')
      .map(([, p]) => `${p.HttpMethod} ${paths[p.ResourceId.Ref]} ${p.AuthorizationType}`);
    expect(open.sort()).toEqual(['GET /catalog/search NONE', 'GET /products NONE']);
  });

  test('the VPC logs all its flows to a log group', () => {
    const [, flowLog] = resourcesOfType(template, 'AWS::EC2::FlowLog')[0];
    expect(flowLog).toEqual(expect.objectContaining({ ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' }));
  });
});
