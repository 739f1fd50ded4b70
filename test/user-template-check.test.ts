process.env.CDK_VALIDATION = 'false';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  CorsOptions, HttpRoute, LambdaCustomRoute, MockRoute, PrivateVpcLinkRoute, RequestTemplate, ServiceAction, ServiceIntegrationRoute,
} from '../lib';
import { MappingTemplate } from '../lib/testing';
import { errorOf, Json, methodAt, newFunction, newStack } from './util';

/*
 * Every place a user hands the library VTL is parsed at synth: a syntax error names the route (construct
 * path, method and path), the template's place and the line and column within the user's own text, even
 * where the library wraps that text (an error-detecting #if, a CORS origin-reflection prefix).
 */

const SEVERAL_ORIGINS: CorsOptions = { allowOrigins: ['https://app.example.com', 'https://admin.example.com'] };

interface EntryPoint {
  /** What the user sets, for test names. */
  readonly name: string;
  readonly method: string;
  /** The place the error names. */
  readonly place: string;
  /** Adds the route with `template` at the user's place; `id` and `path` are the route's. */
  readonly add: (stack: Stack, api: apigw.RestApi, id: string, path: string, template: string) => void;
}

function vpcNlb(stack: Stack): elbv2.NetworkLoadBalancer {
  const existing = stack.node.tryFindChild('Nlb') as elbv2.NetworkLoadBalancer | undefined;
  if (existing) return existing;
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
}

function queue(stack: Stack): sqs.IQueue {
  return (stack.node.tryFindChild('Queue') as sqs.IQueue | undefined) ?? new sqs.Queue(stack, 'Queue');
}

const fn = (stack: Stack) => (stack.node.tryFindChild('Fn') as any) ?? newFunction(stack, 'Fn');

const ENTRY_POINTS: EntryPoint[] = [
  {
    name: 'LambdaCustomRoute requestTemplate (RequestTemplate.fromString)',
    method: 'POST',
    place: 'the request template (requestTemplate, application/json)',
    add: (stack, api, id, path, t) => new LambdaCustomRoute(stack, id, {
      api, path, method: 'POST', handler: fn(stack), requestTemplate: RequestTemplate.fromString(t),
    }),
  },
  {
    name: 'LambdaCustomRoute responseTemplate (inside the library\'s #if, after a CORS prefix)',
    method: 'GET',
    place: 'the response template of the 200 answer (responseTemplate, default response, application/json)',
    add: (stack, api, id, path, t) => new LambdaCustomRoute(stack, id, {
      api, path, method: 'GET', handler: fn(stack), responseTemplate: t, cors: SEVERAL_ORIGINS,
    }),
  },
  {
    name: 'HttpRoute requestTemplate (RequestTemplate.fromString)',
    method: 'PUT',
    place: 'the request template (requestTemplate, application/json)',
    add: (stack, api, id, path, t) => new HttpRoute(stack, id, {
      api, path, method: 'PUT', url: 'https://backend.example.com/x', proxy: false, requestTemplate: RequestTemplate.fromString(t),
    }),
  },
  {
    name: 'HttpRoute responseTemplate (after a CORS prefix)',
    method: 'GET',
    place: 'the response template of the 200 and 201 answers (responseTemplate, default response and selection pattern 201, application/json)',
    add: (stack, api, id, path, t) => new HttpRoute(stack, id, {
      api, path, method: 'GET', url: 'https://backend.example.com/x', proxy: false, responseTemplate: t, cors: SEVERAL_ORIGINS,
    }),
  },
  {
    name: 'PrivateVpcLinkRoute requestTemplate (RequestTemplate.fromString)',
    method: 'POST',
    place: 'the request template (requestTemplate, application/json)',
    add: (stack, api, id, path, t) => new PrivateVpcLinkRoute(stack, id, {
      api, path, method: 'POST', loadBalancer: vpcNlb(stack), proxy: false, requestTemplate: RequestTemplate.fromString(t),
    }),
  },
  {
    name: 'PrivateVpcLinkRoute responseTemplate',
    method: 'GET',
    place: 'the response template of the 200 and 201 answers (responseTemplate, default response and selection pattern 201, application/json)',
    add: (stack, api, id, path, t) => new PrivateVpcLinkRoute(stack, id, {
      api, path, method: 'GET', loadBalancer: vpcNlb(stack), proxy: false, responseTemplate: t,
    }),
  },
  {
    name: 'MockRoute responseTemplate (main answer, after a CORS prefix)',
    method: 'GET',
    place: 'the response template of the main answer (status 200, default response, application/json)',
    add: (stack, api, id, path, t) => new MockRoute(stack, id, { api, path, method: 'GET', responseTemplate: t, cors: SEVERAL_ORIGINS }),
  },
  {
    name: 'MockRoute scenario responseTemplate',
    method: 'GET',
    place: "the response template of scenario 'notFound' (status 404, selection pattern 404, application/json)",
    add: (stack, api, id, path, t) => new MockRoute(stack, id, {
      api, path, method: 'GET', body: { ok: true }, scenarios: [{ value: 'notFound', statusCode: 404, responseTemplate: t }],
    }),
  },
  {
    name: 'ServiceIntegrationRoute additionalRequestTemplates',
    method: 'POST',
    place: "the request template for text/plain (additionalRequestTemplates['text/plain'])",
    add: (stack, api, id, path, t) => new ServiceIntegrationRoute(stack, id, {
      api, path, method: 'POST', action: ServiceAction.sqsSendMessage(queue(stack)), additionalRequestTemplates: { 'text/plain': t },
    }),
  },
  {
    name: 'ServiceAction.custom requestTemplate',
    method: 'POST',
    place: 'the request template (ServiceAction.custom requestTemplate, application/json)',
    add: (stack, api, id, path, t) => new ServiceIntegrationRoute(stack, id, {
      api, path, method: 'POST', action: customAction({ requestTemplate: t }),
    }),
  },
  {
    name: 'ServiceAction.custom responseTemplate (with successStatusCode 202, after a CORS prefix)',
    method: 'POST',
    place: 'the response template of the 202 answer (ServiceAction.custom responseTemplate, default response, application/json)',
    add: (stack, api, id, path, t) => new ServiceIntegrationRoute(stack, id, {
      api, path, method: 'POST', action: customAction({ requestTemplate: '{}', responseTemplate: t }), successStatusCode: 202, cors: SEVERAL_ORIGINS,
    }),
  },
];

function customAction(templates: { requestTemplate: string; responseTemplate?: string }): ServiceAction {
  return ServiceAction.custom({
    service: 'firehose', action: 'PutRecord', ...templates,
    iamActions: ['firehose:PutRecord'], iamResources: ['arn:aws:firehose:us-east-1:123456789012:deliverystream/clicks'],
  });
}

/** Templates with one syntax error each, and where the parser puts it in that text. */
const MISUSES: Array<[string, string, string, string]> = [
  ['an unclosed #if', '{\n  "items": [\n  #if($input.path(\'$.all\') == "yes")\n    "all"\n  ]\n}',
    'line 3, column 3', '#if has no matching #end'],
  ['an unclosed #foreach', '[\n#foreach($item in $input.path(\'$.items\'))\n  "$util.escapeJavaScript($item)"#if($foreach.hasNext),#end\n]',
    'line 2, column 1', '#foreach has no matching #end'],
  ['$input.json( without ")"', '{\n  "id": "$context.requestId",\n  "body": $input.json(\'$.order\'\n}',
    'line 4, column 1', 'in the method call opened at line 3, column 22'],
  ['an unterminated string', '{\n  #set($greeting = \'hello)\n  "greeting": "$greeting"\n}',
    'line 2, column 20', 'unterminated string literal'],
];

describe.each(ENTRY_POINTS)('$name', (entry) => {
  test.each(MISUSES)('%s fails at synth with the route, the place and line:column in the user\'s text', (_what, template, where, detail) => {
    const message = errorOf(() => {
      const stack = newStack();
      entry.add(stack, new apigw.RestApi(stack, 'Api'), 'Orders', '/orders', template);
    });
    expect(message).toContain(`Route Stack/Orders (${entry.method} /orders): ${entry.place} is not valid VTL at ${where} of your template: `);
    expect(message).toContain(detail);
  });

  test('valid templates, the examples\' among them, synthesize and are emitted as written', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    VALID.forEach((t, i) => entry.add(stack, api, `Valid${i}`, `/valid/${i}`, t));
    const emitted = JSON.stringify(Template.fromStack(stack).toJSON());
    for (const t of VALID) expect(emitted).toContain(JSON.stringify(t).slice(1, -1));
  });
});

/** Valid templates: the examples' own, and Velocity 1.7 constructs API Gateway runs. */
const VALID = [
  // examples/http-backends-stack.ts
  '{"results": $input.json(\'$.items\'), "total": $input.json(\'$.count\')}',
  '{"customerId": $input.json(\'$.CUST_NO\'), "name": $input.json(\'$.CUST_NAME\'), "email": $input.json(\'$.EMAIL_ADDR\')}',
  // examples/service-integrations-stack.ts (DESCRIBE_TABLE_RESPONSE)
  "#set($table = $input.path('$.Table'))#set($count = \"$!{table.ItemCount}\")" +
    '{"tableName": "$util.escapeJavaScript($table.TableName).replaceAll("\\\\\'","\'")", ' +
    '"itemCount": #if($count.matches("[0-9]+"))$count#{else}null#end}',
  // examples/mock-api-stack.ts
  '{"message": "This is a mock response", "timestamp": "$context.requestTime", "epochMillis": $context.requestTimeEpoch}',
  // nesting, #elseif, #break, maps, lists, ranges, comments, escapes, interpolation, a plain-text start
  'ok ## a comment\n#* a block\n comment *#\n#set($m = {"a": [1, 2], "b": "x$!{y}"})\n' +
    '#foreach($i in [1..3])#if($i == 2)#break#elseif($i > 5)big#{else}$i#end#end\n' +
    '#[[ #if not parsed ]]# \\#if escaped $m.a.size() "$m.get(\'b\')"',
  // Velocity 1.7 directives API Gateway does not forbid (not syntax errors, even where the parser has no support)
  '#macro(greet $n)Hello $n#end\n#greet("x")',
  '#define($block)x#end$block #evaluate("$a") #literal()$a #if($b)c#end#end',
];

describe('where the library wraps the user\'s text', () => {
  test('a response template starting with a letter or digit after the CORS origin reflection renders the reflection and the text', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new MockRoute(stack, 'Text', { api, path: '/text', method: 'GET', responseTemplate: 'hello $context.requestId', cors: SEVERAL_ORIGINS });
    new MockRoute(stack, 'Flag', { api, path: '/flag', method: 'GET', body: true, cors: SEVERAL_ORIGINS });
    const template = Template.fromStack(stack);
    const responseTemplate = (path: string) => methodAt(template, path, 'GET').Integration.IntegrationResponses[0].ResponseTemplates['application/json'];
    const request = { headers: { Origin: 'https://admin.example.com' }, context: { requestId: 'r-1' } };
    const text = MappingTemplate.renderWithOverrides(responseTemplate('/text'), request);
    expect(text.output).toBe('hello r-1');
    expect(text.headerOverrides).toEqual({ 'Access-Control-Allow-Origin': 'https://admin.example.com' });
    expect(MappingTemplate.renderJson(responseTemplate('/flag'), request)).toBe(true);
  });

  test('a trailing backslash, which would escape the library\'s closing #end, fails naming the route and the place', () => {
    const message = errorOf(() => {
      const stack = newStack();
      new LambdaCustomRoute(stack, 'Legacy', {
        api: new apigw.RestApi(stack, 'Api'), path: '/legacy', method: 'GET', handler: newFunction(stack, 'Fn'), responseTemplate: '{"a": 1}\\',
      });
    });
    expect(message).toContain('Route Stack/Legacy (GET /legacy): the response template of the 200 answer (responseTemplate, default response, application/json) ' +
      'is valid VTL alone but not where the library puts it');
    expect(message).toContain('a trailing \\ escapes the #end');
  });

  test('a template holding an unresolved token is not parsed (its text is only known at deploy time)', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    const q = new sqs.Queue(stack, 'Q');
    // Would be refused without the token; with it, the check cannot know the final text.
    new ServiceIntegrationRoute(stack, 'Call', {
      api, path: '/call', method: 'POST', action: customAction({ requestTemplate: `{"QueueUrl": "${q.queueUrl}" #if(true)` }),
    });
    const requestTemplates: Json = methodAt(Template.fromStack(stack), '/call', 'POST').Integration.RequestTemplates;
    expect(JSON.stringify(requestTemplates['application/json'])).toContain('#if(true)');
  });
});
