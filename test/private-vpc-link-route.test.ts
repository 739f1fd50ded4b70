process.env.CDK_VALIDATION = 'false';
import { Duration, Names, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Field, HttpParameter, PrivateVpcLinkRoute, PrivateVpcLinkRouteProps, RequestTemplate, StageVariables, VpcLinkProtocol } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { errorOf, Json, methodAt, newStack, resourcesOfType } from './util';

const dnsOf = (stack: Stack, nlb: elbv2.NetworkLoadBalancer) =>
  ({ 'Fn::GetAtt': [stack.getLogicalId(nlb.node.defaultChild as elbv2.CfnLoadBalancer), 'DNSName'] });

describe('PrivateVpcLinkRoute', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
  const otherNlb = new elbv2.NetworkLoadBalancer(stack, 'OtherNlb', { vpc });
  const api = new apigw.RestApi(stack, 'Api');
  const api2 = new apigw.RestApi(stack, 'Api2');
  const internal = new PrivateVpcLinkRoute(stack, 'Internal', { api, path: '/internal/{proxy+}', method: 'ANY', loadBalancer: nlb });
  for (let i = 0; i < 5; i++) {
    new PrivateVpcLinkRoute(stack, `Many${i}`, { api, path: `/many/${i}`, method: 'GET', loadBalancer: nlb });
  }
  const onOtherApi = new PrivateVpcLinkRoute(stack, 'OtherApi', { api: api2, path: '/x', method: 'GET', loadBalancer: nlb });
  new PrivateVpcLinkRoute(stack, 'Secure', {
    api, path: '/secure/{id}', method: 'GET', loadBalancer: otherNlb, protocol: VpcLinkProtocol.HTTPS, port: 8443,
    backendPath: '/v2/{id}', timeout: Duration.seconds(3), cache: { ttl: Duration.seconds(30) },
  });
  const link = new apigw.VpcLink(stack, 'OwnLink', { targets: [otherNlb] });
  new PrivateVpcLinkRoute(stack, 'Custom', {
    api, path: '/orders/{orderId}', method: 'POST', vpcLink: link, uri: 'http://orders.internal:8080/orders/{orderId}',
    proxy: false, httpMethod: 'PUT',
    requestTemplate: RequestTemplate.fromFields({ note: Field.body('$.note'), id: Field.path('orderId') }),
    requestParameters: { 'header.X-Request-Id': HttpParameter.fromContext('requestId') },
    staticHeaders: { 'X-Source': 'api' },
  });
  new PrivateVpcLinkRoute(stack, 'Staged', {
    api, path: '/staged', method: 'GET', vpcLinkIdFromStageVariable: 'vpcLinkId', uri: 'http://${stageVariables.internalHost}/staged',
  });
  // The stage defines the variables the Staged route uses (checked at synth).
  StageVariables.set(api.deploymentStage, { vpcLinkId: 'abc123', internalHost: 'internal.example.com' });
  const template = Template.fromStack(stack);
  const linkId = (l: apigw.VpcLink) => ({ Ref: stack.getLogicalId(l.node.defaultChild as apigw.CfnVpcLink) });

  test('one VpcLink per NLB however many routes and APIs use it (plus the user\'s own link)', () => {
    template.resourceCountIs('AWS::ApiGateway::VpcLink', 3);
    expect(internal.vpcLink).toBe(onOtherApi.vpcLink);
    expect(internal.vpcLink).toBe(PrivateVpcLinkRoute.vpcLinkFor(nlb));
    expect(internal.vpcLink!.node.path).toBe(`Stack/ApigatewayPatternsVpcLinks/VpcLink${Names.nodeUniqueId(nlb.node)}`);
    const links = resourcesOfType(template, 'AWS::ApiGateway::VpcLink');
    const forNlb = links.filter(([, p]) => JSON.stringify(p.TargetArns) === JSON.stringify([{ Ref: stack.getLogicalId(nlb.node.defaultChild as elbv2.CfnLoadBalancer) }]));
    expect(forNlb).toHaveLength(1);
    expect(forNlb[0][1].Description).toBe('REST API VPC link to Stack/Nlb');
  });

  test('proxy by default: HTTP_PROXY over VPC_LINK to http://<nlb dns>:80<route path>', () => {
    expect(methodAt(template, '/internal/{proxy+}', 'ANY').Integration).toEqual({
      Type: 'HTTP_PROXY',
      IntegrationHttpMethod: 'ANY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: linkId(internal.vpcLink as apigw.VpcLink),
      Uri: { 'Fn::Join': ['', ['http://', dnsOf(stack, nlb), ':80/internal/{proxy}']] },
      RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    });
    expect(methodAt(template, '/many/3', 'GET').Integration.Uri).toEqual({ 'Fn::Join': ['', ['http://', dnsOf(stack, nlb), ':80/many/3']] });
  });

  test('protocol, port, backend path, timeout and cache keys', () => {
    const integration = methodAt(template, '/secure/{id}', 'GET').Integration;
    expect(integration.Uri).toEqual({ 'Fn::Join': ['', ['https://', dnsOf(stack, otherNlb), ':8443/v2/{id}']] });
    expect(integration.TimeoutInMillis).toBe(3000);
    expect(integration.CacheKeyParameters).toEqual(['method.request.path.id']);
    expect(integration.RequestParameters).toEqual({ 'integration.request.path.id': 'method.request.path.id' });
  });

  test('an existing VpcLink with a uri, in custom mode', () => {
    const integration = methodAt(template, '/orders/{orderId}', 'POST').Integration;
    expect(integration).toMatchObject({
      Type: 'HTTP',
      IntegrationHttpMethod: 'PUT',
      ConnectionType: 'VPC_LINK',
      ConnectionId: linkId(link),
      Uri: 'http://orders.internal:8080/orders/{orderId}',
      PassthroughBehavior: 'NEVER',
      RequestParameters: {
        'integration.request.path.orderId': 'method.request.path.orderId',
        'integration.request.header.X-Request-Id': 'context.requestId',
        'integration.request.header.X-Source': "'api'",
      },
    });
    expect(integration.IntegrationResponses.map((r: Json) => r.StatusCode)).toEqual(['200', '201', '204', '400', '404', '502']);
    const vtl = integration.RequestTemplates['application/json'];
    for (const note of ['a", "admin": true, "x": "', "it's", 'back\\slash\n🎉', '$context.requestId']) {
      expect(MappingTemplate.renderJson(vtl, { body: JSON.stringify({ note }), pathParameters: { orderId: 'o"1' } })).toEqual({ note, id: 'o"1' });
    }
    expect(MappingTemplate.render(vtl, { body: '', pathParameters: { orderId: '7' } })).toBe('{"note": "", "id": "7"}');
  });

  test('the VPC link id from a stage variable', () => {
    const integration = methodAt(template, '/staged', 'GET').Integration;
    expect(integration).toEqual({
      Type: 'HTTP_PROXY',
      IntegrationHttpMethod: 'GET',
      ConnectionType: 'VPC_LINK',
      ConnectionId: '${stageVariables.vpcLinkId}',
      Uri: 'http://${stageVariables.internalHost}/staged',
    });
  });
});

describe('PrivateVpcLinkRoute misuse', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
  const importedAlb = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'ImportedAlb', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188',
    securityGroupId: 'sg-1',
  });
  const link = apigw.VpcLink.fromVpcLinkId(stack, 'Link', 'abc123');
  let n = 0;
  const make = (props: Partial<PrivateVpcLinkRouteProps>) => {
    const api = new apigw.RestApi(stack, `Api${++n}`);
    return errorOf(() => new PrivateVpcLinkRoute(stack, `R${n}`, { api, path: '/things/{id}', method: 'GET', ...props } as PrivateVpcLinkRouteProps));
  };

  test.each<[string, () => Partial<PrivateVpcLinkRouteProps>, RegExp]>([
    ['no target', () => ({}), /give exactly one of loadBalancer \(an NLB\), vpcLink \(with uri\) or vpcLinkIdFromStageVariable \(with uri\); got 0$/],
    ['two targets', () => ({ loadBalancer: nlb, vpcLink: link }), /; got 2$/],
    ['an ALB', () => ({ loadBalancer: alb }), /: Stack\/Alb is an Application Load Balancer, but REST API VPC links need a Network Load Balancer \(a VPC link V1, AWS::ApiGateway::VpcLink, targets NLBs only\): put an NLB in front of it \(an NLB can target an ALB\), or pass vpcLinkV2 \(an apigatewayv2.VpcLink in the ALB's VPC\) to reach the ALB through a VPC link V2$/],
    ['an imported ALB', () => ({ loadBalancer: importedAlb }), /Stack\/ImportedAlb is an Application Load Balancer, but REST API VPC links need a Network Load Balancer/],
    ['a vpcLink without uri', () => ({ vpcLink: link }), /: uri is required with vpcLink or vpcLinkIdFromStageVariable, e.g. 'http:\/\/internal.example.com\/\{proxy\}'$/],
    ['a stage variable link without uri', () => ({ vpcLinkIdFromStageVariable: 'link' }), /: uri is required with vpcLink or vpcLinkIdFromStageVariable/],
    ['a bad stage variable name', () => ({ vpcLinkIdFromStageVariable: 'a-b', uri: 'http://x/{id}' }), /: vpcLinkIdFromStageVariable 'a-b' is not a stage variable name: use letters, digits and _$/],
    ['a bad port', () => ({ loadBalancer: nlb, port: 70000 }), /: port 70000 is not a TCP port: use 1 to 65535$/],
    ['a bad protocol', () => ({ loadBalancer: nlb, protocol: 'ftp' as VpcLinkProtocol }), /: protocol 'ftp' is not VpcLinkProtocol.HTTP or VpcLinkProtocol.HTTPS$/],
    ['uri with port', () => ({ vpcLink: link, uri: 'http://x/{id}', port: 80 }), /: port, protocol and backendPath build the default URI: put them in uri instead, or leave uri out$/],
    ['a relative backendPath', () => ({ loadBalancer: nlb, backendPath: 'x' }), /: backendPath 'x' must start with \/$/],
    ['a uri parameter the route lacks', () => ({ vpcLink: link, uri: 'http://x/{nope}' }), /: uri uses \{nope\}, which is not a path parameter of the route: use one of \{id\}, or add it to the route path$/],
    ['a backendPath parameter the route lacks', () => ({ loadBalancer: nlb, backendPath: '/{nope}' }), /: uri uses \{nope\}, which is not a path parameter/],
    ['a timeout over 29 s', () => ({ loadBalancer: nlb, timeout: Duration.seconds(40) }), /: integration timeout 40000 ms is over API Gateway's default 29 s/],
    ['a template in proxy mode', () => ({ loadBalancer: nlb, requestTemplate: RequestTemplate.fromString('{}') }), /: requestTemplate needs proxy: false/],
  ])('%s', (_, props, message) => {
    const error = make(props());
    expect(error).toMatch(/^Route Stack\/R\d+: /);
    expect(error).toMatch(message);
  });
});

describe('PrivateVpcLinkRoute and NLB security groups', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const sg = new ec2.SecurityGroup(stack, 'NlbSg', { vpc });
  const filtered = new elbv2.NetworkLoadBalancer(stack, 'Filtered', { vpc, securityGroups: [sg] });
  const open = new elbv2.NetworkLoadBalancer(stack, 'Open', { vpc, securityGroups: [sg], enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false });
  const plain = new elbv2.NetworkLoadBalancer(stack, 'Plain', { vpc });
  const api = new apigw.RestApi(stack, 'Api');
  new PrivateVpcLinkRoute(stack, 'ToFiltered', { api, path: '/filtered', method: 'GET', loadBalancer: filtered });
  new PrivateVpcLinkRoute(stack, 'ToOpen', { api, path: '/open', method: 'GET', loadBalancer: open });
  new PrivateVpcLinkRoute(stack, 'ToPlain', { api, path: '/plain', method: 'GET', loadBalancer: plain });
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('PrivateLink'));

  test('an NLB whose security groups filter PrivateLink traffic gets a warning that says how to fix it', () => {
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Stack/ToFiltered');
    expect(warnings[0].entry.data).toMatch(/^Route Stack\/ToFiltered: Stack\/Filtered has security groups that also filter PrivateLink traffic, .*set enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false on the NetworkLoadBalancer/);
  });

  test('no warning with enforcement off or without security groups', () => {
    expect(warnings.map((w) => w.id)).not.toContain('/Stack/ToOpen');
    expect(warnings.map((w) => w.id)).not.toContain('/Stack/ToPlain');
  });
});

describe('PrivateVpcLinkRoute through a VPC link V2', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
  const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc });
  const linkSg = new ec2.SecurityGroup(stack, 'LinkSg', { vpc });
  const linkV2 = new apigwv2.VpcLink(stack, 'LinkV2', { vpc, securityGroups: [linkSg], subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  const api = new apigw.RestApi(stack, 'Api');
  const toAlb = new PrivateVpcLinkRoute(stack, 'ToAlb', { api, path: '/app/{proxy+}', method: 'ANY', loadBalancer: alb, vpcLinkV2: linkV2 });
  new PrivateVpcLinkRoute(stack, 'ToNlb', { api, path: '/svc', method: 'GET', loadBalancer: nlb, vpcLinkV2: linkV2, proxy: false });
  const template = Template.fromStack(stack);
  const linkRef = { Ref: stack.getLogicalId(linkV2.node.defaultChild as apigwv2.CfnVpcLink) };

  test('an ALB is the integration target of the V2 link; no V1 link is created', () => {
    template.resourceCountIs('AWS::ApiGateway::VpcLink', 0);
    expect(toAlb.vpcLinkV2).toBe(linkV2);
    expect(toAlb.vpcLink).toBeUndefined();
    expect(methodAt(template, '/app/{proxy+}', 'ANY').Integration).toEqual({
      Type: 'HTTP_PROXY',
      IntegrationHttpMethod: 'ANY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: linkRef,
      IntegrationTarget: { Ref: stack.getLogicalId(alb.node.defaultChild as elbv2.CfnLoadBalancer) },
      Uri: { 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [stack.getLogicalId(alb.node.defaultChild as elbv2.CfnLoadBalancer), 'DNSName'] }, ':80/app/{proxy}']] },
      RequestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    });
  });

  test('an NLB can be reached through the V2 link too, in custom mode', () => {
    const integration = methodAt(template, '/svc', 'GET').Integration;
    expect(integration).toEqual(expect.objectContaining({
      Type: 'HTTP', ConnectionType: 'VPC_LINK', ConnectionId: linkRef,
      IntegrationTarget: { Ref: stack.getLogicalId(nlb.node.defaultChild as elbv2.CfnLoadBalancer) },
    }));
  });

  test.each<[string, () => Partial<PrivateVpcLinkRouteProps>, RegExp]>([
    ['vpcLinkV2 without a load balancer', () => ({ vpcLinkV2: linkV2, uri: 'http://x/{id}', vpcLink: apigw.VpcLink.fromVpcLinkId(stack, `L${Math.random()}`.replace('.', ''), 'x') }),
      /: vpcLinkV2 and vpcLink\/vpcLinkIdFromStageVariable both name the link: give one$/],
    ['vpcLinkV2 and a stage variable link', () => ({ vpcLinkV2: linkV2, vpcLinkIdFromStageVariable: 'link', uri: 'http://x/{id}' }), /both name the link/],
    ['a load balancer in another VPC', () => ({ vpcLinkV2: linkV2, loadBalancer: otherAlb }), /: the VPC link V2 is in Stack\/Vpc, but Stack\/OtherAlb is in Stack\/OtherVpc: create the link in the load balancer's VPC$/],
    ['an ALB without vpcLinkV2', () => ({ loadBalancer: alb }), /or pass vpcLinkV2 \(an apigatewayv2.VpcLink in the ALB's VPC\) to reach the ALB through a VPC link V2$/],
  ])('%s', (_, props, message) => {
    const a = new apigw.RestApi(stack, `E${Math.random()}`.replace('.', ''));
    const error = errorOf(() => new PrivateVpcLinkRoute(stack, `R${Math.random()}`.replace('.', ''), { api: a, path: '/things/{id}', method: 'GET', ...props() } as PrivateVpcLinkRouteProps));
    expect(error).toMatch(message);
  });
  const otherVpc = new ec2.Vpc(stack, 'OtherVpc', { maxAzs: 2, natGateways: 0 });
  const otherAlb = new elbv2.ApplicationLoadBalancer(stack, 'OtherAlb', { vpc: otherVpc });
});

test('vpcLinkV2 without a load balancer names what is missing', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const api = new apigw.RestApi(stack, 'Api');
  const linkV2 = new apigwv2.VpcLink(stack, 'LinkV2', { vpc, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  expect(errorOf(() => new PrivateVpcLinkRoute(stack, 'R', { api, path: '/x', method: 'GET', vpcLinkV2: linkV2, uri: 'http://x/' })))
    .toMatch(/^Route Stack\/R: (give exactly one of|vpcLinkV2 needs loadBalancer)/);
});
