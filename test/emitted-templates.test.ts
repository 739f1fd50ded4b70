process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiCors, MockRoute, MockSelector } from '../lib';
import { MappingTemplate, MappingTemplateRequest } from '../lib/testing';

// Every mapping template the library emits in this constructs, rendered with adversarial
// requests: each must stay valid for the format it feeds and never gain a key from the request.

const ADVERSARIAL = [
  'a", "admin": true, "x": "',
  "it's",
  'back\\slash \\" \\u0041',
  'line\nbreak\r\n\ttab',
  'unicode é 中文 😀',
  '$context.requestId #set($x = 1) ${x}',
  "'; #end #if(true) {\"statusCode\": 200}",
  '',
  '}{',
  '</script><script>alert(1)</script>',
];

const ORIGINS = ['https://app.example.com', 'https://admin.example.com'];
const BODY_WITH_HOSTILE_TEXT = {
  message: 'price is $5 and #1 "quoted" \\ back \\u0041 \n new line',
  nested: { list: [1, 'two', { three: 'it\'s $context.requestId' }], unicode: 'é 😀' },
};

const app = new App();
const stack = new Stack(app, 'Templates');
const api = new apigw.RestApi(stack, 'Api');
new ApiCors(stack, 'Cors', { api, allowOrigins: ORIGINS, allowCredentials: true });
new MockRoute(stack, 'Hostile', { api, path: '/hostile', method: 'GET', body: BODY_WITH_HOSTILE_TEXT });
new MockRoute(stack, 'ByQuery', {
  api, path: '/q', method: 'GET', body: { ok: true },
  scenarios: [
    { value: 'notFound', statusCode: 404, body: { error: 'nf' } },
    { value: "it's", statusCode: 409, body: { error: 'quote' } },
    { value: '$x #y', statusCode: 500, body: { error: 'vtl' } },
  ],
});
new MockRoute(stack, 'ByHeader', {
  api, path: '/h', method: 'POST', statusCode: 201, body: {},
  scenarios: [{ value: 'invalid', statusCode: 400, body: { error: 'bad' } }],
  scenarioSelector: MockSelector.header('X-Mock-Scenario'),
});
new MockRoute(stack, 'ByPath', {
  api, path: '/p/{id}', method: 'GET', body: { id: 'x' },
  scenarios: [{ value: 'missing', statusCode: 404, body: { error: 'missing' } }],
  scenarioSelector: MockSelector.pathParameter('id'),
});
const methods = Template.fromStack(stack).findResources('AWS::ApiGateway::Method');

function methodAt(httpMethod: string, pathPart: string): any {
  const found = Object.entries(methods).filter(([id, m]: [string, any]) =>
    m.Properties.HttpMethod === httpMethod && id.toLowerCase().includes(pathPart.toLowerCase()));
  expect(found).toHaveLength(1);
  return found[0][1].Properties;
}

function requestTemplate(props: any): string {
  return props.Integration.RequestTemplates['application/json'];
}

function responseTemplates(props: any): Array<{ status: string; template: string }> {
  return props.Integration.IntegrationResponses.map((r: any) => ({ status: r.StatusCode, template: r.ResponseTemplates['application/json'] }));
}

describe('mock request templates choose a listed status whatever the request says', () => {
  const cases: Array<[string, string, (v: string) => MappingTemplateRequest, { [value: string]: number }, number]> = [
    ['GET', 'Apiq', (v) => ({ queryParameters: { scenario: v } }), { notFound: 404, "it's": 409, '$x #y': 500 }, 200],
    ['POST', 'Apih', (v) => ({ headers: { 'X-Mock-Scenario': v } }), { invalid: 400 }, 201],
    ['GET', 'Apipid', (v) => ({ pathParameters: { id: v } }), { missing: 404 }, 200],
  ];
  test.each(cases)('%s %s', (httpMethod, part, request, expected, fallback) => {
    const template = requestTemplate(methodAt(httpMethod, part));
    for (const [value, status] of Object.entries(expected)) {
      expect(MappingTemplate.renderJson(template, request(value))).toEqual({ statusCode: status });
    }
    for (const value of [...ADVERSARIAL, 'NOTFOUND', 'notFound ', ' invalid']) {
      if (value in expected) continue;
      expect(MappingTemplate.renderJson(template, request(value))).toEqual({ statusCode: fallback });
    }
    // No value at all: the default answer.
    expect(MappingTemplate.renderJson(template, {})).toEqual({ statusCode: fallback });
  });

  test('a header selector also finds the lower-case header HTTP/2 clients send', () => {
    const template = requestTemplate(methodAt('POST', 'Apih'));
    expect(MappingTemplate.renderJson(template, { headers: { 'x-mock-scenario': 'invalid' } })).toEqual({ statusCode: 400 });
  });
});

describe('mock response templates print the configured body exactly', () => {
  test('a body with $, #, quotes, backslashes, newlines and unicode renders to the same JSON value', () => {
    for (const { template } of responseTemplates(methodAt('GET', 'Apihostile'))) {
      for (const origin of [undefined, ...ADVERSARIAL, ...ORIGINS]) {
        const headers: { [name: string]: string } = origin === undefined ? {} : { Origin: origin };
        expect(MappingTemplate.renderJson(template, { headers })).toEqual(BODY_WITH_HOSTILE_TEXT);
      }
    }
  });

  test('every scenario body renders to its JSON value', () => {
    const rendered = responseTemplates(methodAt('GET', 'Apiq')).map(({ status, template }) => [status, MappingTemplate.renderJson(template)]);
    expect(rendered).toEqual([['200', { ok: true }], ['404', { error: 'nf' }], ['409', { error: 'quote' }], ['500', { error: 'vtl' }]]);
  });
});

describe('CORS origin reflection', () => {
  const preflight = Object.values(methods).filter((m: any) => m.Properties.HttpMethod === 'OPTIONS');
  const templates = [
    ...preflight.map((m: any) => m.Properties.Integration.IntegrationResponses[0].ResponseTemplates['application/json']),
    ...responseTemplates(methodAt('GET', 'Apiq')).map((r) => r.template),
  ];

  test('there are preflight and response templates to check', () => {
    expect(preflight.length).toBe(4);
    expect(templates.length).toBe(8);
  });

  test('reflects exactly the allowed origins, in either header case', () => {
    for (const template of templates) {
      for (const origin of ORIGINS) {
        for (const name of ['Origin', 'origin']) {
          const result = MappingTemplate.renderWithOverrides(template, { headers: { [name]: origin } });
          expect(result.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': origin });
        }
      }
    }
  });

  test('never reflects any other origin, and never prints the request value', () => {
    const hostile = [...ADVERSARIAL, 'https://evil.example.com', `${ORIGINS[0]}.evil.com`, `${ORIGINS[0]}/`, ORIGINS[0].toUpperCase(), ` ${ORIGINS[0]}`, 'null'];
    for (const template of templates) {
      for (const origin of hostile) {
        const result = MappingTemplate.renderWithOverrides(template, { headers: { Origin: origin } });
        expect(result.headerOverrides).toEqual({});
        if (origin.length > 3) expect(result.output).not.toContain(origin);
      }
      expect(MappingTemplate.renderWithOverrides(template, {}).headerOverrides).toEqual({});
    }
  });

  test('the preflight request template answers its status for any request', () => {
    for (const m of preflight as any[]) {
      const template = m.Properties.Integration.RequestTemplates['application/json'];
      for (const value of ADVERSARIAL) {
        expect(MappingTemplate.renderJson(template, { body: value, headers: { Origin: value } })).toEqual({ statusCode: 204 });
      }
    }
  });
});
