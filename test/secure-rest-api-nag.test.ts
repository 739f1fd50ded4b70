process.env.CDK_VALIDATION = 'false';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LambdaProxyRoute, MockRoute, RouteAuthorization, SecureRestApi } from '../lib';
import { secureApiWithRoutes, WEB_ACL } from './secure-api-fixture';
import { Json, newFunction } from './util';

// cdk-nag 3 runs as an aws-cdk-lib validation plugin (aws-cdk-lib 2.257 or newer): these tests run at the newest
// aws-cdk-lib only (scripts/newest-only-tests.js); the template tests of secure-rest-api.test.ts run at both.

/** A stack in an app that writes cdk-nag's report as JSON. */
const nagStack = () => new Stack(new App({ context: { '@aws-cdk/core:validationReportJson': true } }), 'Stack');

/**
 * Synthesizes `stack`'s app with cdk-nag's AwsSolutions pack (a CDK validation plugin: any violation fails
 * the synth and writes the report) and returns the findings of `rules` (API ones by default) as `rule construct-path`.
 */
function nagSynth(stack: Stack, rules = /APIG|COG4/): { findings: string[] } {
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
    .filter((f: string) => rules.test(f)).sort();
  return { findings };
}

test('cdk-nag AwsSolutions finds nothing on a SecureRestApi (APIG1, 2, 3, 4, 6, COG4), its account logging role included', () => {
  const stack = nagStack();
  secureApiWithRoutes(stack);
  // Every rule; the test's own user pool and function (not the API's) have findings of their own.
  const findings = nagSynth(stack, /./).findings.filter((f) => !/ Stack\/(Pool|Fn)\//.test(f));
  expect(findings).toEqual([]);
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
