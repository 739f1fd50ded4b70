process.env.CDK_VALIDATION = 'false';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LambdaProxyRoute, MockRoute, RouteAuthorization, SecureRestApi, SecureRestApiProps } from '../lib';
import { errorOf, Json, newFunction, newStack, resourcesOfType } from './util';

/** A stack in an app that writes cdk-nag's report as JSON. */
const nagStack = () => new Stack(new App({ context: { '@aws-cdk/core:validationReportJson': true } }), 'Stack');

const WEB_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/0b1d2c3e-aaaa-bbbb-cccc-111122223333';

/**
 * Synthesizes `stack`'s app with cdk-nag's AwsSolutions pack (a CDK validation plugin: any violation fails
 * the synth and writes the report) and returns the API findings as `rule construct-path`.
 */
function nagSynth(stack: Stack): { findings: string[]; template: Template } {
  const app = stack.node.root as App;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch (e) {
    if (!/Validation ?failed/i.test(String(e))) throw e;
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'policy-validation-report.json'), 'utf8'));
  const findings = report.pluginReports.flatMap((r: Json) => r.violations ?? [])
    .flatMap((v: Json) => v.violatingResources.map((res: Json) => `${v.ruleName} ${res.constructPath}`))
    .filter((f: string) => /APIG|COG4/.test(f)).sort();
  const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(app.outdir, `${stack.artifactId}.template.json`), 'utf8')));
  return { findings, template };
}

describe('a SecureRestApi', () => {
  const stack = nagStack();
  const fn = newFunction(stack, 'Fn');
  const pool = new cognito.UserPool(stack, 'Pool');
  const api = new SecureRestApi(stack, 'Api', { webAclArn: WEB_ACL, deployOptions: { stageName: 'prod', throttlingRateLimit: 50 } });
  new LambdaProxyRoute(stack, 'Create', {
    api, path: '/orders', method: 'POST', handler: fn, cors: { allowOrigins: ['https://app.example.com'] },
    authorization: RouteAuthorization.cognito([pool]),
    requestValidation: { bodySchema: { type: apigw.JsonSchemaType.OBJECT } },
  });
  new LambdaProxyRoute(stack, 'List', {
    api, path: '/orders', method: 'GET', handler: fn, authorization: RouteAuthorization.cognito([pool]),
    requestValidation: { requiredQueryParameters: ['page'] },
  });
  const { findings, template } = nagSynth(stack);
  const stage = resourcesOfType(template, 'AWS::ApiGateway::Stage')[0];

  test('the stage: JSON access logs with the standard fields, ERROR execution logs for every method, X-Ray, no data trace', () => {
    const props = stage[1];
    expect(props.TracingEnabled).toBe(true);
    expect(props.MethodSettings).toEqual([expect.objectContaining({
      HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false, MetricsEnabled: true, ThrottlingRateLimit: 50,
    })]);
    expect(props.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(api.accessLogGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] });
    const format = JSON.parse(props.AccessLogSetting.Format);
    expect(Object.keys(format).sort()).toEqual(['caller', 'httpMethod', 'ip', 'protocol', 'requestId', 'requestTime', 'resourcePath', 'responseLength', 'status', 'user'].sort());
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('one request validator for bodies and parameters, used by the body route; parameters get their own kind', () => {
    const validators = resourcesOfType(template, 'AWS::ApiGateway::RequestValidator').map(([id, p]) => [id, p.ValidateRequestBody, p.ValidateRequestParameters]);
    expect(validators.map(([, b, p]) => [b, p]).sort()).toEqual([[false, true], [true, true]]);
    const bodyValidator = validators.find(([, b]) => b === true)![0];
    const post = resourcesOfType(template, 'AWS::ApiGateway::Method').find(([, p]) => p.HttpMethod === 'POST')![1];
    expect(post.RequestValidatorId).toEqual({ Ref: bodyValidator });
  });

  test('the account CloudWatch role, once, retained, and the stage waits for it', () => {
    const accounts = Object.entries(template.toJSON().Resources).filter(([, r]: [string, Json]) => r.Type === 'AWS::ApiGateway::Account');
    expect(accounts).toHaveLength(1);
    const [accountId, account] = accounts[0] as [string, Json];
    expect(account.DeletionPolicy).toBe('Retain');
    expect(template.toJSON().Resources[stage[0]].DependsOn).toContain(accountId);
  });

  test('the WAF web ACL is associated with the stage, after the stage exists', () => {
    const [id, association] = resourcesOfType(template, 'AWS::WAFv2::WebACLAssociation')[0];
    expect(association.WebACLArn).toBe(WEB_ACL);
    expect(JSON.stringify(association.ResourceArn)).toContain('/stages/');
    expect(template.toJSON().Resources[id].DependsOn).toContain(stage[0]);
  });

  test('cdk-nag AwsSolutions finds nothing on the API (APIG1, 2, 3, 4, 6, COG4)', () => {
    expect(findings).toEqual([]);
  });
});

test('a plain RestApi with the same routes gets the findings SecureRestApi removes', () => {
  const stack = nagStack();
  const fn = newFunction(stack, 'Fn');
  const api = new apigw.RestApi(stack, 'Api');
  new MockRoute(stack, 'Health', { api, path: '/health', method: 'GET', statusCode: 200, body: { ok: true }, authorization: RouteAuthorization.iam() });
  new LambdaProxyRoute(stack, 'List', { api, path: '/orders', method: 'GET', handler: fn, authorization: RouteAuthorization.iam() });
  const rules = [...new Set(nagSynth(stack).findings.map((f) => f.split(' ')[0]))];
  expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-APIG1', 'AwsSolutions-APIG2', 'AwsSolutions-APIG3', 'AwsSolutions-APIG6']));
});

test('two SecureRestApis of one account and region share one account logging role, across stacks', () => {
  const app = new App();
  const env = { account: '123456789012', region: 'eu-west-1' };
  const a = new Stack(app, 'A', { env });
  const b = new Stack(app, 'B', { env });
  const other = new Stack(app, 'OtherRegion', { env: { ...env, region: 'us-east-1' } });
  for (const s of [a, b, other]) {
    const api = new SecureRestApi(s, 'Api');
    new MockRoute(s, 'Health', { api, path: '/health', method: 'GET', statusCode: 200, body: { ok: true } });
  }
  new SecureRestApi(a, 'Second').root.addMethod('GET', new apigw.MockIntegration());
  const count = (s: Stack) => Template.fromStack(s).findResources('AWS::ApiGateway::Account');
  expect([a, b, other].map((s) => Object.keys(count(s)).length)).toEqual([1, 0, 1]);
  expect(b.dependencies).toContain(a);
});

test('setUpAccountLoggingRole: false leaves the account setting alone', () => {
  const stack = newStack();
  new SecureRestApi(stack, 'Api', { setUpAccountLoggingRole: false }).root.addMethod('GET', new apigw.MockIntegration());
  Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Account', 0);
  Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
});

describe('SecureRestApi misuse', () => {
  const stack = newStack();
  let n = 0;
  test.each<[string, SecureRestApiProps, RegExp]>([
    ['deploy: false', { deploy: false }, /: deploy: false leaves the API without the stage this construct secures: use a plain RestApi/],
    ['cloudWatchRole', { cloudWatchRole: true }, /: cloudWatchRole creates an account setting per API, which the next API overwrites/],
    ['data trace', { deployOptions: { dataTraceEnabled: true } }, /: deployOptions.dataTraceEnabled logs whole requests and responses, credentials included: leave it off$/],
    ['retention with a group', { accessLogGroup: logs.LogGroup.fromLogGroupName(stack, 'G', 'g'), accessLogRetention: logs.RetentionDays.ONE_DAY }, /: accessLogRetention applies to the log group this construct creates/],
    ['a CloudFront web ACL', { webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1' }, /: webAclArn 'arn:aws:wafv2:us-east-1:123456789012:global\/webacl\/x\/1' is not the ARN of a REGIONAL WAFv2 web ACL/],
  ])('%s', (_, props, message) => {
    const error = errorOf(() => new SecureRestApi(stack, `Api${++n}`, props));
    expect(error).toMatch(new RegExp(`^SecureRestApi Stack/Api${n}: `));
    expect(error).toMatch(message);
  });
});

describe('cdk-nag acknowledgments of a route go on route.method (the method lives under the RestApi, not the route)', () => {
  function openRoute(acknowledgeOn: 'route' | 'method'): string[] {
    const stack = nagStack();
    const api = new SecureRestApi(stack, 'Api', { webAclArn: WEB_ACL, deployOptions: { stageName: 'prod' } });
    const route = new LambdaProxyRoute(stack, 'Public', { api, path: '/public', method: 'GET', handler: newFunction(stack, 'Fn'), authorization: RouteAuthorization.none() });
    for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
      Validations.of(acknowledgeOn === 'route' ? route : route.method).acknowledge({ id, reason: 'GET /public is the public landing data, readable by anyone' });
    }
    return nagSynth(stack).findings;
  }

  test('on the route construct they do not reach the method: the findings stay', () => {
    expect(openRoute('route')).toEqual(['AwsSolutions-APIG4 Stack/Api/Default/public/GET/Resource', 'AwsSolutions-COG4 Stack/Api/Default/public/GET/Resource']);
  });

  test('on route.method they silence exactly those findings', () => {
    expect(openRoute('method')).toEqual([]);
  });
});
