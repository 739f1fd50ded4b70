process.env.CDK_VALIDATION = 'false';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import {
  ApiCors,
  CustomServiceActionOptions,
  HttpParameter,
  HttpRoute,
  HttpRouteProps,
  MockRoute,
  PrivateVpcLinkRoute,
  ServiceAction,
  ServiceIntegrationRoute,
} from '../lib';
import { checkStaticValue } from '../lib/templates/vtl';
import { errorOf, methodAt, newStack } from './util';

// Every static value API Gateway sends as a header (or parameter) refuses line breaks and other control
// characters, with one check: a CR/LF would end the header and start another one of the caller's choosing.

const INJECTION = 'v1\r\nX-Admin: true';

describe('the shared check', () => {
  test.each<[string, string, RegExp]>([
    ['CR LF', INJECTION, /^R: header X value must not contain a line break \(U\+000D at index 2 of "v1\\r\\nX-Admin: true"\): a static header value is one line of printable characters: remove it$/],
    ['a lone LF', 'a\nb', /a line break \(U\+000A at index 1/],
    ['a NUL', 'a\u0000b', /a control character \(U\+0000 at index 1/],
    ['a tab', 'a\tb', /a control character \(U\+0009/],
    ['a bell', 'a\u0007', /a control character \(U\+0007/],
    ['DEL', 'a\u007f', /a control character \(U\+007F/],
    ['a C1 control (NEL)', 'a\u0085', /a control character \(U\+0085/],
    ['a Unicode line separator', 'a\u2028b', /a line break \(U\+2028/],
  ])('%s is refused', (_, value, message) => {
    expect(errorOf(() => checkStaticValue('R', 'header X value', value))).toMatch(message);
  });

  test.each(['v1', 'max-age=60, public', 'text/plain; charset=utf-8', 'unicode é ✓', ''])('%p is accepted', (value) => {
    expect(() => checkStaticValue('R', 'header X value', value)).not.toThrow();
  });
});

describe('HttpRoute', () => {
  const make = (props: Partial<HttpRouteProps>) => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    return errorOf(() => new HttpRoute(stack, 'R', { api, path: '/items', method: 'GET', url: 'https://x.example.com/items', proxy: false, ...props }));
  };

  test('staticHeaders with CR/LF names the route, the header and the fix', () => {
    expect(make({ staticHeaders: { 'X-Api-Version': INJECTION } })).toBe(
      'Route Stack/R: header X-Api-Version (staticHeaders) value must not contain a line break (U+000D at index 2 of "v1\\r\\nX-Admin: true"): ' +
      'a static header value is one line of printable characters: remove it');
  });

  test('staticHeaders with a control character, in proxy mode too', () => {
    expect(make({ proxy: true, staticHeaders: { 'X-Api-Version': 'a\u0000' } })).toMatch(
      /^Route Stack\/R: header X-Api-Version \(staticHeaders\) value must not contain a control character \(U\+0000/);
  });

  test.each(['header.X-Fixed', 'querystring.version'])('HttpParameter.staticValue in %s', (destination) => {
    expect(make({ requestParameters: { [destination]: HttpParameter.staticValue(INJECTION) } })).toBe(
      `Route Stack/R: requestParameters '${destination}' (HttpParameter.staticValue) must not contain a line break ` +
      '(U+000D at index 2 of "v1\\r\\nX-Admin: true"): a static header value is one line of printable characters: remove it');
  });

  test('clean values are still emitted as static values', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new HttpRoute(stack, 'R', {
      api, path: '/items', method: 'GET', url: 'https://x.example.com/items',
      staticHeaders: { 'X-Api-Version': '2' }, requestParameters: { 'header.X-Fixed': HttpParameter.staticValue('a b') },
    });
    const params = methodAt(Template.fromStack(stack), '/items', 'GET').Integration.RequestParameters;
    expect(params['integration.request.header.X-Api-Version']).toBe("'2'");
    expect(params['integration.request.header.X-Fixed']).toBe("'a b'");
  });
});

describe('PrivateVpcLinkRoute', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
  let n = 0;
  const make = (props: object) => {
    const api = new apigw.RestApi(stack, `Api${++n}`);
    return errorOf(() => new PrivateVpcLinkRoute(stack, `R${n}`, { api, path: '/things', method: 'GET', loadBalancer: nlb, ...props }));
  };

  test('staticHeaders', () => {
    expect(make({ staticHeaders: { 'X-Source': 'api\n' } })).toMatch(
      /^Route Stack\/R1: header X-Source \(staticHeaders\) value must not contain a line break \(U\+000A at index 3/);
  });

  test('HttpParameter.staticValue', () => {
    expect(make({ requestParameters: { 'header.X-Source': HttpParameter.staticValue('\u001b[31m') } })).toMatch(
      /^Route Stack\/R2: requestParameters 'header.X-Source' \(HttpParameter.staticValue\) must not contain a control character \(U\+001B/);
  });
});

describe('MockRoute headers', () => {
  const make = (headers: { [k: string]: string }) => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    return errorOf(() => new MockRoute(stack, 'M', { api, path: '/m', method: 'GET', headers, scenarios: [{ value: 'x', statusCode: 404, headers }] }));
  };

  test('a control character other than a line break', () => {
    expect(make({ 'X-Note': 'a\u0007b' })).toMatch(/^Route Stack\/M: header X-Note value must not contain a control character \(U\+0007 at index 1/);
  });
});

describe('ServiceAction.custom', () => {
  const valid: CustomServiceActionOptions = {
    service: 'firehose', action: 'PutRecord', requestTemplate: '{}', iamActions: ['firehose:PutRecord'],
    iamResources: ['arn:aws:firehose:us-east-1:123456789012:deliverystream/s'],
  };
  const create = (overrides: Partial<CustomServiceActionOptions>) => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    new ServiceIntegrationRoute(stack, 'Call', { api, path: '/call', method: 'POST', action: ServiceAction.custom({ ...valid, ...overrides }) });
    return stack;
  };
  const make = (overrides: Partial<CustomServiceActionOptions>) => errorOf(() => create(overrides));

  test('a static request parameter with CR/LF', () => {
    expect(make({ requestParameters: { 'integration.request.header.X-Tenant': `'${INJECTION}'` } })).toMatch(
      /^Route Stack\/Call: ServiceAction.custom: request parameter integration.request.header.X-Tenant value must not contain a line break \(U\+000D/);
  });

  test('a contentType with a tab (its media type pattern allows whitespace before a parameter)', () => {
    expect(make({ contentType: 'application/json;\tcharset=utf-8' })).toMatch(
      /^Route Stack\/Call: header Content-Type value must not contain a control character \(U\+0009/);
  });

  test('a mapped (non-static) parameter is not a static value', () => {
    const stack = create({ requestParameters: { 'integration.request.header.X-Tenant': 'method.request.header.X-Tenant' } });
    expect(methodAt(Template.fromStack(stack), '/call', 'POST').Integration.RequestParameters['integration.request.header.X-Tenant'])
      .toBe('method.request.header.X-Tenant');
  });
});

describe('CORS header values', () => {
  test('an origin with CR/LF is refused by the origin check', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    expect(errorOf(() => new ApiCors(stack, 'Cors', { api, allowOrigins: ['https://a.example.com\r\nX-Admin: true'] }))).toMatch(
      /^ApiCors Stack\/Cors: CORS origin [\s\S]* is not of the form scheme:\/\/host\[:port\]/);
  });

  test('a header name with CR/LF is refused by the header name check', () => {
    const stack = newStack();
    const api = new apigw.RestApi(stack, 'Api');
    expect(errorOf(() => new ApiCors(stack, 'Cors', { api, allowOrigins: ['*'], exposeHeaders: ['X-A\r\nX-B'] }))).toMatch(
      /^ApiCors Stack\/Cors: CORS header name [\s\S]* is not a valid HTTP header name/);
  });
});
