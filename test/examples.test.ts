import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addExampleStacks, exampleNagPack } from '../examples/example-stacks';
import { SourceText } from '../lib/vtl/errors';
import { parseTemplate } from '../lib/vtl/parser';

/*
 * The example app (examples/app.ts) built the way `cdk synth` builds it: with cdk.json's context, which
 * turns on aws-cdk-lib's built-in CloudFormation validation as errors, and with the cdk-nag AwsSolutions
 * pack that addExampleStacks registers. It is synthesized once, with both on, and every assertion reads
 * the same cloud assembly.
 */

type Json = any;
type Resources = { [logicalId: string]: { Type: string; Properties?: Json } };

const root = path.join(__dirname, '..');
const cdkJson = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8'));
const app = new App({ context: cdkJson.context });
const stacks: Stack[] = addExampleStacks(app);
const nagPack = exampleNagPack(app);
// Watches the pack the synth runs: what it was given and what it answered.
const nagValidate = nagPack ? jest.spyOn(nagPack, 'validate') : undefined;

let assembly: CloudAssembly | undefined;
let synthError: unknown;
const templates = new Map<string, Json>();

beforeAll(() => {
  // The validation must run here, whatever the environment says.
  const saved = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  try {
    assembly = app.synth();
    for (const stack of stacks) templates.set(stack.stackName, assembly.getStackArtifact(stack.artifactId).template);
  } catch (e) {
    synthError = e;
  } finally {
    if (saved !== undefined) process.env.CDK_VALIDATION = saved;
  }
});

function template(stack: Stack): Json {
  const t = templates.get(stack.stackName);
  if (!t) throw new Error(`no template for ${stack.stackName}: the app did not synthesize (${String(synthError)})`);
  return t;
}

function resourcesOf(stack: Stack, type: string): Resources {
  const all: Resources = template(stack).Resources;
  return Object.fromEntries(Object.entries(all).filter(([, r]) => r.Type === type));
}

/** The logical ids a value refers to through Ref and Fn::GetAtt, in order. */
function refsIn(value: Json): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return [value.Ref];
    if (Array.isArray(value['Fn::GetAtt'])) return [value['Fn::GetAtt'][0]];
    return Object.values(value).flatMap(refsIn);
  }
  return [];
}

/** The only logical id of `type` that `value` refers to. */
function refOfType(stack: Stack, value: Json, type: string): string | undefined {
  const all: Resources = template(stack).Resources;
  const ids = [...new Set(refsIn(value).filter((id) => all[id]?.Type === type))];
  if (ids.length > 1) throw new Error(`${JSON.stringify(value)} refers to several ${type}: ${ids.join(', ')}`);
  return ids[0];
}

/** The path of every AWS::ApiGateway::Resource, and of each API's root (`/`), keyed as in a Method's ResourceId. */
function resourcePaths(stack: Stack): Map<string, string> {
  const resources = resourcesOf(stack, 'AWS::ApiGateway::Resource');
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known) return known;
    const props = resources[id].Properties;
    const parent = props.ParentId['Fn::GetAtt'] ? '' : pathOf(props.ParentId.Ref);
    const p = `${parent}/${props.PathPart}`;
    paths.set(id, p);
    return p;
  };
  Object.keys(resources).forEach(pathOf);
  return paths;
}

interface MethodInfo {
  readonly logicalId: string;
  readonly api: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly props: Json;
}

function methodsOf(stack: Stack): MethodInfo[] {
  const paths = resourcePaths(stack);
  return Object.entries(resourcesOf(stack, 'AWS::ApiGateway::Method')).map(([logicalId, r]) => {
    const resourceId = r.Properties.ResourceId;
    const resourcePath = resourceId['Fn::GetAtt'] ? '/' : paths.get(resourceId.Ref);
    if (!resourcePath) throw new Error(`method ${logicalId}: unknown resource ${JSON.stringify(resourceId)}`);
    return { logicalId, api: r.Properties.RestApiId.Ref, path: resourcePath, httpMethod: r.Properties.HttpMethod, props: r.Properties };
  });
}

/** Scrubs what changes without the CloudFormation changing: asset hashes, bucket names, the bootstrap check. */
function scrubbed(t: Json): Json {
  const text = JSON.stringify(t)
    .replace(/(?<![0-9a-f])[0-9a-f]{64}\.zip/g, '[ASSET_HASH].zip')
    .replace(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g, '[ASSET_HASH]')
    .replace(/cdk-hnb659fds-assets-[A-Za-z0-9${}:.-]*/g, '[ASSET_BUCKET]');
  const out = JSON.parse(text);
  delete out.Parameters?.BootstrapVersion;
  delete out.Rules?.CheckBootstrapVersion;
  for (const section of ['Parameters', 'Rules']) if (out[section] && Object.keys(out[section]).length === 0) delete out[section];
  return out;
}

test('(f) the app synthesizes with aws-cdk-lib built-in CloudFormation validation on, with no finding at all', () => {
  expect(cdkJson.context['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
  expect(synthError).toBeUndefined();
  // Errors would have thrown above; warnings only show in the report, which must be empty.
  const report = JSON.parse(fs.readFileSync(path.join(assembly!.directory, 'validation-report.json'), 'utf8'));
  const violations = report.pluginReports.flatMap((r: Json) => r.violations ?? []);
  expect(violations).toEqual([]);
});

/**
 * Every acknowledgment in the construct tree: where, which rule, and the reason written for it. Those of
 * other plugins (aws-cdk-lib acknowledges a few CloudFormation-Validate rules itself) keep their namespace.
 */
interface AcknowledgmentEntry { readonly path: string; readonly id: string; readonly reason: string }
function acknowledgments(): AcknowledgmentEntry[] {
  return app.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as { [id: string]: string })
      // Stored as 'Annotation::<id>': cdk-nag reads the id after the namespace.
      .map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason }))));
}

/** What the pack finds when no acknowledgment counts: `rule constructPath` of every resource. */
function unacknowledgedNagFindings(): Array<{ rule: string; path: string }> {
  const raw = new AwsSolutionsChecks();
  (raw as Json).isAcknowledged = () => false;
  return raw.validateScope(app).violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath! })));
}

describe('(g) cdk-nag AwsSolutions over the whole app', () => {
  test('the synth ran the pack over every example stack and it reported nothing, errors and warnings alike', () => {
    expect(synthError).toBeUndefined();
    expect(nagPack).toBeInstanceOf(AwsSolutionsChecks);
    expect(nagValidate).toHaveBeenCalledTimes(1);
    const context = nagValidate!.mock.calls[0][0];
    expect(context.templatePaths.map((p) => path.basename(p)).sort())
      .toEqual(stacks.map((s) => `${s.artifactId}.template.json`).sort());
    expect(nagValidate!.mock.results[0]).toEqual({ type: 'return', value: { success: true, violations: [] } });
  });

  test('every acknowledgment gives a written reason, and those of cdk-nag name an AwsSolutions rule', () => {
    const acks = acknowledgments();
    expect(acks.filter((a) => a.id.startsWith('AwsSolutions-')).length).toBeGreaterThan(0);
    const placeholder = /^(todo|tbd|fixme|n\/?a|none|ok|reason|suppress(ed)?|acknowledged?|ignore|placeholder|test|xxx+|-+|\.+)\b/i;
    for (const { path: where, id, reason } of acks) {
      expect({ where, id, known: /^(AwsSolutions-[A-Z]+\d+(\[.+\])?|CloudFormation-Validate::[EFW]\d+)$/.test(id) }).toEqual({ where, id, known: true });
      expect({ where, id, reason, written: typeof reason === 'string' && reason.trim().length >= 20 && !placeholder.test(reason.trim()) })
        .toEqual({ where, id, reason, written: true });
    }
  });

  test('each acknowledgment silences a real finding on its own construct, and each finding is acknowledged', () => {
    const acks = acknowledgments().filter((a) => a.id.startsWith('AwsSolutions-'));
    const findings = unacknowledgedNagFindings();
    const covers = (a: AcknowledgmentEntry, f: { rule: string; path: string }) =>
      a.id === f.rule && (f.path === a.path || f.path.startsWith(`${a.path}/`));
    const uncovered = findings.filter((f) => !acks.some((a) => covers(a, f)));
    expect(uncovered).toEqual([]);
    const stale = acks.filter((a) => !findings.some((f) => covers(a, f)));
    expect(stale).toEqual([]);
    // No acknowledgment sits on a stack or the app: each names the route method or resource it is about.
    const stackPaths = new Set(stacks.map((s) => s.node.path));
    expect(acks.filter((a) => a.path === '' || stackPaths.has(a.path))).toEqual([]);
  });
});

describe.each(stacks.map((s) => [s.stackName, s] as const))('%s', (_name, stack) => {
  test('template snapshot (asset hashes scrubbed)', () => {
    expect(scrubbed(template(stack))).toMatchSnapshot();
  });

  test('(g) every mapping template of the stack parses as Velocity (user-written ones are checked at synth)', () => {
    const templates = methodsOf(stack).flatMap((m) => [
      ...Object.values(m.props.Integration?.RequestTemplates ?? {}),
      ...(m.props.Integration?.IntegrationResponses ?? []).flatMap((r: Json) => Object.values(r.ResponseTemplates ?? {})),
    ]).filter((t): t is string => typeof t === 'string');
    for (const t of templates) expect(() => parseTemplate(new SourceText(t))).not.toThrow();
  });

  test('(a) each function has exactly one apigateway.amazonaws.com permission per API, and authorizer functions one per authorizer', () => {
    const permissions = Object.entries(resourcesOf(stack, 'AWS::Lambda::Permission'))
      .filter(([, r]) => r.Properties.Principal === 'apigateway.amazonaws.com');
    const perApi = new Map<string, number>();
    const perAuthorizer = new Map<string, number>();
    for (const [id, r] of permissions) {
      const fn = refOfType(stack, r.Properties.FunctionName, 'AWS::Lambda::Function');
      const api = refOfType(stack, r.Properties.SourceArn, 'AWS::ApiGateway::RestApi');
      const authorizer = refOfType(stack, r.Properties.SourceArn, 'AWS::ApiGateway::Authorizer');
      if (!fn || !api) throw new Error(`permission ${id} names no function or API of this stack`);
      const key = authorizer ? `${fn} -> ${api}/authorizers/${authorizer}` : `${fn} -> ${api}`;
      const counts = authorizer ? perAuthorizer : perApi;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, count] of [...perApi, ...perAuthorizer]) expect({ key, count }).toEqual({ key, count: 1 });

    // Every function a method integrates with has its (one) permission for that method's API ...
    const integrated = new Set(methodsOf(stack).flatMap((m) => {
      const fn = refOfType(stack, m.props.Integration?.Uri ?? null, 'AWS::Lambda::Function');
      return fn ? [`${fn} -> ${m.api}`] : [];
    }));
    expect([...perApi.keys()].sort()).toEqual([...integrated].sort());
    // ... and every Lambda authorizer has one for itself.
    const lambdaAuthorizers = Object.entries(resourcesOf(stack, 'AWS::ApiGateway::Authorizer'))
      .filter(([, r]) => r.Properties.Type !== 'COGNITO_USER_POOLS')
      .map(([id, r]) => `${refOfType(stack, r.Properties.AuthorizerUri, 'AWS::Lambda::Function')} -> ${r.Properties.RestApiId.Ref}/authorizers/${id}`);
    expect([...perAuthorizer.keys()].sort()).toEqual(lambdaAuthorizers.sort());
  });

  test('(b) no OPTIONS method sits on a resource without other methods', () => {
    const methods = methodsOf(stack);
    const options = methods.filter((m) => m.httpMethod === 'OPTIONS');
    for (const o of options) {
      const others = methods.filter((m) => m.api === o.api && m.path === o.path && m.httpMethod !== 'OPTIONS');
      expect({ path: o.path, others: others.length > 0 }).toEqual({ path: o.path, others: true });
    }
  });

  test('(c) the API has DEFAULT_4XX and DEFAULT_5XX gateway responses carrying Access-Control-Allow-Origin', () => {
    const apis = Object.keys(resourcesOf(stack, 'AWS::ApiGateway::RestApi'));
    const responses = Object.values(resourcesOf(stack, 'AWS::ApiGateway::GatewayResponse'));
    expect(apis.length).toBeGreaterThan(0);
    for (const api of apis) {
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        const found = responses.filter((r) => r.Properties.RestApiId.Ref === api && r.Properties.ResponseType === type);
        expect(found).toHaveLength(1);
        expect(found[0].Properties.ResponseParameters).toEqual(expect.objectContaining({
          'gatewayresponse.header.Access-Control-Allow-Origin': expect.stringMatching(/^'.+'$/),
        }));
      }
    }
  });

  test('(d) every cached method has its path parameters in Integration.CacheKeyParameters and RequestParameters', () => {
    const methods = methodsOf(stack);
    const settingsPath = (p: string) => (p === '/' ? '/' : '/' + p.slice(1).split('/').map((s) => '~1' + s).join(''));
    for (const stage of Object.values(resourcesOf(stack, 'AWS::ApiGateway::Stage'))) {
      const cached = (stage.Properties.MethodSettings ?? []).filter((s: Json) => s.CachingEnabled === true);
      if (cached.length > 0) expect(stage.Properties.CacheClusterEnabled).toBe(true);
      for (const setting of cached) {
        const matching = methods.filter((m) => m.api === stage.Properties.RestApiId.Ref &&
          settingsPath(m.path) === setting.ResourcePath && m.httpMethod === setting.HttpMethod);
        expect({ setting: `${setting.HttpMethod} ${setting.ResourcePath}`, methods: matching.length })
          .toEqual({ setting: `${setting.HttpMethod} ${setting.ResourcePath}`, methods: 1 });
        const method = matching[0];
        const pathParams = [...method.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => `method.request.path.${m[1]}`);
        expect(method.props.Integration.CacheKeyParameters ?? []).toEqual(expect.arrayContaining(pathParams));
        expect(Object.keys(method.props.RequestParameters ?? {})).toEqual(expect.arrayContaining(pathParams));
        // The other cache keys are declared on the method too (API Gateway rejects undeclared keys).
        for (const key of method.props.Integration.CacheKeyParameters ?? []) expect(method.props.RequestParameters).toHaveProperty([key]);
      }
    }
  });

  test('(e) OPTIONS methods are open: AuthorizationType NONE and no API key', () => {
    for (const o of methodsOf(stack).filter((m) => m.httpMethod === 'OPTIONS')) {
      expect({ path: o.path, auth: o.props.AuthorizationType, key: o.props.ApiKeyRequired ?? false, authorizer: o.props.AuthorizerId })
        .toEqual({ path: o.path, auth: 'NONE', key: false, authorizer: undefined });
    }
  });
});

describe('the scenarios the examples cover', () => {
  const [foundation, mocks] = stacks;
  const route = (stack: Stack, method: string, p: string): MethodInfo => {
    const found = methodsOf(stack).filter((m) => m.httpMethod === method && m.path === p);
    if (found.length !== 1) throw new Error(`${stack.stackName}: expected one ${method} ${p}, found ${found.length}`);
    return found[0];
  };

  test('orders: one function behind seven proxy routes, including a greedy ANY', () => {
    const paths = ['GET /orders', 'POST /orders', 'GET /orders/{orderId}', 'POST /orders/{orderId}', 'PUT /orders/{orderId}',
      'DELETE /orders/{orderId}', 'ANY /orders/{orderId}/{proxy+}'];
    const fns = paths.map((r) => {
      const [method, p] = r.split(' ');
      const m = route(foundation, method, p);
      expect(m.props.Integration.Type).toBe('AWS_PROXY');
      return refOfType(foundation, m.props.Integration.Uri, 'AWS::Lambda::Function');
    });
    expect(new Set(fns).size).toBe(1);
  });

  test('CORS preflight for Content-Type and Authorization on GET, POST, PUT, DELETE', () => {
    const headers = route(foundation, 'OPTIONS', '/orders/{orderId}').props.Integration.IntegrationResponses[0].ResponseParameters;
    expect(headers['method.response.header.Access-Control-Allow-Methods']).toBe("'DELETE,GET,POST,PUT,OPTIONS'");
    expect(headers['method.response.header.Access-Control-Allow-Headers']).toBe("'Content-Type,Authorization'");
  });

  test('a prod stage with a 0.5 GB cache and 300 s on the cached GET routes', () => {
    const stage = Object.values(resourcesOf(foundation, 'AWS::ApiGateway::Stage'))[0].Properties;
    expect(stage).toEqual(expect.objectContaining({ StageName: 'prod', CacheClusterEnabled: true, CacheClusterSize: '0.5' }));
    const cached = stage.MethodSettings.filter((s: Json) => s.CachingEnabled);
    expect(cached.map((s: Json) => [s.HttpMethod, s.ResourcePath, s.CacheTtlInSeconds])).toEqual([
      ['GET', '/~1products', 300],
      ['GET', '/~1products~1{productId}', 300],
    ]);
    expect(route(foundation, 'GET', '/products/{productId}').props.Integration.CacheKeyParameters)
      .toEqual(expect.arrayContaining(['method.request.querystring.currency']));
  });

  test('Cognito on /private, a scope on the write routes, and a Lambda TOKEN authorizer on /me', () => {
    expect(route(foundation, 'GET', '/private').props.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(route(foundation, 'POST', '/orders').props.AuthorizationScopes).toEqual(['orders/write']);
    const me = route(foundation, 'GET', '/me').props;
    expect(me.AuthorizationType).toBe('CUSTOM');
    const authorizer = resourcesOf(foundation, 'AWS::ApiGateway::Authorizer')[me.AuthorizerId.Ref].Properties;
    expect(authorizer.Type).toBe('TOKEN');
    expect(Object.keys(resourcesOf(foundation, 'AWS::Cognito::UserPoolResourceServer'))).toHaveLength(1);
  });

  test('POST /orders validates a required query parameter and a JSON Schema body', () => {
    const post = route(foundation, 'POST', '/orders').props;
    expect(post.RequestParameters).toEqual({ 'method.request.querystring.storeId': true });
    expect(post.RequestValidatorId).toBeDefined();
    const model = resourcesOf(foundation, 'AWS::ApiGateway::Model')[post.RequestModels['application/json'].Ref].Properties;
    expect(model.Schema.required).toEqual(['items']);
  });

  test('usage plan "Basic": 10 requests/s, burst 20, 1000 requests a day, with an API key "Customer-A", beside Free and Pro', () => {
    const plans = resourcesOf(foundation, 'AWS::ApiGateway::UsagePlan');
    const planNamed = (name: string) => {
      const found = Object.entries(plans).filter(([, r]) => r.Properties.UsagePlanName === name);
      expect(found).toHaveLength(1);
      return found[0];
    };
    expect(Object.values(plans).map((r) => r.Properties.UsagePlanName).sort()).toEqual(['Basic', 'Free', 'Pro']);
    const [basicId, basic] = planNamed('Basic');
    expect(basic.Properties.Throttle).toEqual({ RateLimit: 10, BurstLimit: 20 });
    expect(basic.Properties.Quota).toEqual({ Limit: 1000, Period: 'DAY' });
    // Each tier covers the prod stage of the API, and the catalogue list is throttled per route in Basic.
    const api = Object.keys(resourcesOf(foundation, 'AWS::ApiGateway::RestApi'))[0];
    const stageId = Object.keys(resourcesOf(foundation, 'AWS::ApiGateway::Stage'))[0];
    for (const plan of Object.values(plans)) {
      expect(plan.Properties.ApiStages.map((s: Json) => [s.ApiId, s.Stage])).toEqual([[{ Ref: api }, { Ref: stageId }]]);
    }
    expect(basic.Properties.ApiStages[0].Throttle).toEqual({ '/products/GET': { RateLimit: 5, BurstLimit: 10 } });

    // Generated keys only: no Value anywhere in the template.
    const keys = resourcesOf(foundation, 'AWS::ApiGateway::ApiKey');
    for (const [id, key] of Object.entries(keys)) {
      expect({ id, value: key.Properties.Value, enabled: key.Properties.Enabled }).toEqual({ id, value: undefined, enabled: true });
    }
    const keyNamed = (name: string) => Object.entries(keys).find(([, r]) => r.Properties.Name === name)![0];
    const links = Object.values(resourcesOf(foundation, 'AWS::ApiGateway::UsagePlanKey')).map((r) => r.Properties);
    expect(links).toContainEqual({ KeyId: { Ref: keyNamed('Customer-A') }, KeyType: 'API_KEY', UsagePlanId: { Ref: basicId } });
    // Every tier has a key, and each key is in exactly one tier.
    for (const planId of Object.keys(plans)) expect(links.filter((l) => l.UsagePlanId.Ref === planId).length).toBeGreaterThan(0);
    expect(links.map((l) => l.KeyId.Ref).sort()).toEqual(Object.keys(keys).sort());

    // The routes the keys are for require one (their preflight does not).
    expect(route(foundation, 'GET', '/products').props.ApiKeyRequired).toBe(true);
    expect(route(foundation, 'GET', '/products/{productId}').props.ApiKeyRequired).toBe(true);
    expect(route(foundation, 'OPTIONS', '/products').props.ApiKeyRequired ?? false).toBe(false);
  });

  test('no stack has a synth warning: every stage where routes require a key has a usage plan', () => {
    for (const stack of stacks) {
      const messages = assembly!.getStackArtifact(stack.artifactId).messages;
      expect({ stack: stack.stackName, warnings: messages.filter((m) => m.level !== 'info') }).toEqual({ stack: stack.stackName, warnings: [] });
    }
  });

  test('mocks: /test with the request time, /health, and simulated 404, 500 and 429 errors', () => {
    const test = route(mocks, 'GET', '/test').props.Integration;
    expect(test.Type).toBe('MOCK');
    expect(test.IntegrationResponses[0].ResponseTemplates['application/json']).toContain('"timestamp": "$context.requestTime"');
    expect(route(mocks, 'GET', '/health').props.Integration.IntegrationResponses[0].ResponseTemplates['application/json'])
      .toContain('{"status":"ok"}');
    const errors = route(mocks, 'GET', '/mock/orders').props;
    expect(errors.MethodResponses.map((r: Json) => r.StatusCode)).toEqual(['200', '404', '500', '429']);
    for (const code of ['notFound', 'error', 'throttled']) expect(errors.Integration.RequestTemplates['application/json']).toContain(`'${code}'`);
  });
});
