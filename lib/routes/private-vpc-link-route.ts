import { Annotations, Names, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { warnIfNoListenerServes } from '../internal/api-quotas';
import { buildHttpIntegration, checkBackendUrl, HttpBackendOptions, urlReferences } from '../internal/http-integration-options';
import { StageVariables } from '../stage-variables';
import { RouteBase, RouteBaseProps } from './route-base';
import { checkProps } from '../internal/prop-checks';
import { PRIVATE_VPC_LINK_ROUTE_PROPS } from '../internal/route-prop-specs';

const REGISTRY_ID = 'ApigatewayPatternsVpcLinks';

/** The protocol API Gateway speaks to the load balancer. */
export enum VpcLinkProtocol {
  /** Plain HTTP (default port 80). */
  HTTP = 'http',
  /** HTTPS (default port 443). The certificate must match the URI's host name. */
  HTTPS = 'https',
}

/** Props of a `PrivateVpcLinkRoute`. */
export interface PrivateVpcLinkRouteProps extends RouteBaseProps, HttpBackendOptions {
  /**
   * The Network Load Balancer in front of the service. Its VpcLink is created once per load balancer
   * (in the load balancer's stack) and shared by every route and API that names it. REST API VPC links
   * only target NLBs: an Application Load Balancer is rejected.
   * @default - give `vpcLink` and `uri`, or `vpcLinkIdFromStageVariable` and `uri`
   */
  readonly loadBalancer?: elbv2.ILoadBalancerV2;
  /**
   * Reach `loadBalancer` (an ALB or an NLB) through this VPC link V2 (`apigatewayv2.VpcLink`, whose ENIs
   * sit in your subnets with your security groups) instead of a VPC link V1: the integration targets the
   * load balancer's ARN. Allow the link's security groups into the load balancer's.
   * @default - a VPC link V1 for an NLB
   */
  readonly vpcLinkV2?: apigwv2.IVpcLink;
  /**
   * An existing VPC link to use; `uri` is then required.
   * @default - the VpcLink of `loadBalancer`
   */
  readonly vpcLink?: apigw.IVpcLink;
  /**
   * Take the VPC link id from this stage variable (`${stageVariables.<name>}`), so each stage can use its
   * own link. `uri` is then required, and neither `loadBalancer` nor `vpcLink` may be given.
   * @default - the link of `loadBalancer` or `vpcLink`
   */
  readonly vpcLinkIdFromStageVariable?: string;
  /**
   * The backend URI. It may use the route's path parameters (`{name}`, `{proxy}`) and stage variables.
   * @default - `<protocol>://<load balancer DNS name>:<port><backendPath>`
   */
  readonly uri?: string;
  /**
   * The protocol of the default URI.
   * @default VpcLinkProtocol.HTTP
   */
  readonly protocol?: VpcLinkProtocol;
  /**
   * The listener port of the default URI.
   * @default - 80 for HTTP, 443 for HTTPS
   */
  readonly port?: number;
  /**
   * The path of the default URI.
   * @default - the route's path (`/internal/{proxy+}` is called as `/internal/{proxy}`)
   */
  readonly backendPath?: string;
}

/**
 * A route to a private service behind a Network Load Balancer, through a REST API VPC link
 * (connection type VPC_LINK): HTTP_PROXY by default, or HTTP custom with the same options as HttpRoute.
 */
export class PrivateVpcLinkRoute extends RouteBase {
  /**
   * The VpcLink of a Network Load Balancer, created once per load balancer in the load balancer's
   * stack (under the `ApigatewayPatternsVpcLinks` construct) and reused by every route of every API.
   */
  public static vpcLinkFor(nlb: elbv2.INetworkLoadBalancer): apigw.VpcLink {
    const stack = Stack.of(nlb);
    const registry = (stack.node.tryFindChild(REGISTRY_ID) as Construct | undefined) ?? new Construct(stack, REGISTRY_ID);
    const id = `VpcLink${Names.nodeUniqueId(nlb.node)}`;
    const existing = registry.node.tryFindChild(id);
    if (existing instanceof apigw.VpcLink) return existing;
    return new apigw.VpcLink(registry, id, {
      targets: [nlb],
      description: `REST API VPC link to ${nlb.node.path}`,
    });
  }

  /** The method this route created. */
  public readonly method: apigw.Method;
  /** The VPC link V1 the route uses (undefined when its id comes from a stage variable, or with a V2 link). */
  public readonly vpcLink?: apigw.IVpcLink;
  /** The VPC link V2 the route uses, if any. */
  public readonly vpcLinkV2?: apigwv2.IVpcLink;

  constructor(scope: Construct, id: string, props: PrivateVpcLinkRouteProps) {
    super(scope, id, props);
    checkProps(this._name, props, PRIVATE_VPC_LINK_ROUTE_PROPS);
    const fail = (why: string): never => {
      throw new Error(`${this._name}: ${why}`);
    };
    const sources = [props.loadBalancer, props.vpcLink, props.vpcLinkIdFromStageVariable].filter((x) => x !== undefined).length;
    if (props.vpcLinkV2 !== undefined && (props.vpcLink !== undefined || props.vpcLinkIdFromStageVariable !== undefined)) {
      fail('vpcLinkV2 and vpcLink/vpcLinkIdFromStageVariable both name the link: give one');
    }
    if (sources !== 1) {
      fail(`give exactly one of loadBalancer (an NLB), vpcLink (with uri) or vpcLinkIdFromStageVariable (with uri); got ${sources}`);
    }
    if (props.vpcLinkV2 !== undefined) {
      if (!props.loadBalancer) fail('vpcLinkV2 needs loadBalancer: the ALB or NLB the link V2 sends requests to');
      checkSameVpc(this._name, props.vpcLinkV2, props.loadBalancer!);
    } else if (props.loadBalancer) {
      checkNetworkLoadBalancer(this._name, props.loadBalancer);
      this.warnIfPrivateLinkTrafficFiltered(props.loadBalancer);
    }
    if (props.port !== undefined && (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535)) {
      fail(`port ${props.port} is not a TCP port: use 1 to 65535`);
    }
    if (props.protocol !== undefined && !Object.values(VpcLinkProtocol).includes(props.protocol)) {
      fail(`protocol '${props.protocol}' is not VpcLinkProtocol.HTTP or VpcLinkProtocol.HTTPS`);
    }
    if (props.uri !== undefined && (props.port !== undefined || props.protocol !== undefined || props.backendPath !== undefined)) {
      fail('port, protocol and backendPath build the default URI: put them in uri instead, or leave uri out');
    }
    if (props.backendPath !== undefined && !props.backendPath.startsWith('/')) fail(`backendPath '${props.backendPath}' must start with /`);

    let uri = props.uri;
    if (uri === undefined) {
      if (!props.loadBalancer) fail('uri is required with vpcLink or vpcLinkIdFromStageVariable, e.g. \'http://internal.example.com/{proxy}\'');
      const protocol = props.protocol ?? VpcLinkProtocol.HTTP;
      const port = props.port ?? (protocol === VpcLinkProtocol.HTTPS ? 443 : 80);
      const path = props.backendPath ?? (this.path === '/' ? '' : this.path.replace('+}', '}'));
      uri = `${protocol}://${props.loadBalancer!.loadBalancerDnsName}:${port}${path}`;
    }
    const urlParameters = checkBackendUrl(this._name, uri!, this._parsedPath.parameters, 'uri');
    warnIfNoListenerServes(this, this._name, props.loadBalancer, uri!);

    if (props.vpcLinkIdFromStageVariable !== undefined) {
      if (!/^[A-Za-z0-9_]+$/.test(props.vpcLinkIdFromStageVariable)) {
        fail(`vpcLinkIdFromStageVariable '${props.vpcLinkIdFromStageVariable}' is not a stage variable name: use letters, digits and _`);
      }
    } else if (props.vpcLinkV2 !== undefined) {
      this.vpcLinkV2 = props.vpcLinkV2;
    } else {
      this.vpcLink = props.vpcLink ?? PrivateVpcLinkRoute.vpcLinkFor(props.loadBalancer as elbv2.INetworkLoadBalancer);
    }
    // A link known by id only (a stage variable, or a V2 link): aws-cdk-lib then writes it as the ConnectionId.
    const link = this.vpcLink ?? (this.vpcLinkV2
      ? apigw.VpcLink.fromVpcLinkId(this, 'VpcLinkV2', this.vpcLinkV2.vpcLinkId)
      : apigw.VpcLink.fromVpcLinkId(this, 'StageVpcLink', `\${stageVariables.${props.vpcLinkIdFromStageVariable}}`));

    const built = buildHttpIntegration({
      route: this._name,
      routeMethod: this.httpMethod,
      path: this.path,
      pathParameters: this._parsedPath.parameters,
      cacheKeyParameters: this._cacheKeyParameters,
      cors: this._corsAnswerParts(),
      authorizationType: this._authorizationType(),
      authorizerIdentityHeaders: this._authorizerIdentityHeaders(),
    }, props, urlParameters);
    this.method = this._addMethod(new apigw.Integration({
      type: built.type,
      uri,
      integrationHttpMethod: built.integrationHttpMethod,
      options: { ...built.options, connectionType: apigw.ConnectionType.VPC_LINK, vpcLink: link },
    }), built.methodResponses, built.methodRequestParameters);
    if (this.vpcLinkV2) {
      // aws-cdk-lib's Integration has no IntegrationTarget yet: a V2 link needs the load balancer's ARN.
      (this.method.node.defaultChild as apigw.CfnMethod).addPropertyOverride('Integration.IntegrationTarget', loadBalancerArnOf(this._name, props.loadBalancer!));
    }
    const referenced = urlReferences(uri!).stageVariables;
    if (props.vpcLinkIdFromStageVariable) referenced.push(props.vpcLinkIdFromStageVariable);
    StageVariables._checkReferences(this, this._name, this.api, referenced);
  }

  /**
   * An NLB with security groups filters PrivateLink traffic by them unless told not to, and a REST API VPC
   * link's traffic comes from addresses no rule can name: requests then time out after the deploy.
   */
  private warnIfPrivateLinkTrafficFiltered(lb: elbv2.ILoadBalancerV2): void {
    if (!(lb instanceof elbv2.NetworkLoadBalancer) || !(lb.securityGroups?.length)) return;
    if (lb.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic === 'off') return;
    Annotations.of(this).addWarningV2('cdk-apigateway-patterns:vpcLinkSecurityGroups',
      `${this._name}: ${lb.node.path} has security groups that also filter PrivateLink traffic, which drops the VPC ` +
      'link\'s requests (API Gateway answers 504): set enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false on ' +
      'the NetworkLoadBalancer, as the API Gateway guide for VPC links asks');
  }
}

function checkNetworkLoadBalancer(route: string, lb: elbv2.ILoadBalancerV2): void {
  const arn = (lb as { loadBalancerArn?: string }).loadBalancerArn;
  const alb = lb instanceof elbv2.ApplicationLoadBalancer ||
    (typeof arn === 'string' && !Token.isUnresolved(arn) && arn.includes(':loadbalancer/app/'));
  if (alb) {
    throw new Error(`${route}: ${lb.node.path} is an Application Load Balancer, but REST API VPC links need a Network ` +
      'Load Balancer (a VPC link V1, AWS::ApiGateway::VpcLink, targets NLBs only): put an NLB in front of it (an NLB can ' +
      'target an ALB), or pass vpcLinkV2 (an apigatewayv2.VpcLink in the ALB\'s VPC) to reach the ALB through a VPC link V2');
  }
}

function checkSameVpc(route: string, link: apigwv2.IVpcLink, lb: elbv2.ILoadBalancerV2): void {
  const lbVpc = (lb as { vpc?: { node: { path: string } } }).vpc;
  if (lbVpc && link.vpc && lbVpc !== link.vpc) {
    throw new Error(`${route}: the VPC link V2 is in ${link.vpc.node.path}, but ${lb.node.path} is in ${lbVpc.node.path}: ` +
      'create the link in the load balancer\'s VPC');
  }
}

/**
 * A load balancer's ARN: `loadBalancerRef.loadBalancerArn` on aws-cdk-lib versions whose interfaces
 * carry references, `loadBalancerArn` of the load balancer class on older ones.
 */
function loadBalancerArnOf(route: string, loadBalancer: elbv2.ILoadBalancerV2): string {
  const lb = loadBalancer as elbv2.ILoadBalancerV2 & { loadBalancerArn?: string; loadBalancerRef?: { loadBalancerArn?: string } };
  const arn = lb.loadBalancerRef?.loadBalancerArn ?? lb.loadBalancerArn;
  if (arn === undefined) {
    throw new Error(`${route}: the load balancer ${loadBalancer.node.path} has no ARN to target through the VPC link V2: ` +
      'pass an ApplicationLoadBalancer or NetworkLoadBalancer (or one imported with fromLookup / from its attributes)');
  }
  return arn;
}
