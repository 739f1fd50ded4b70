import * as cdk from 'aws-cdk-lib';
import { RemovalPolicy, Stack, Stage as CdkStage, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { ApiContext } from './api-context';

/** Props of a `SecureRestApi`: those of `RestApi`, with secure defaults for the deployment stage. */
export interface SecureRestApiProps extends apigw.RestApiProps {
  /**
   * The log group of the stage's access logs (JSON, with the standard fields).
   * @default - a new log group keeping logs for `accessLogRetention`
   */
  readonly accessLogGroup?: logs.ILogGroup;
  /**
   * How long the new access log group keeps logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * The execution logging level of every method. Request and response bodies are never logged
   * (`dataTraceEnabled` stays off: they can hold personal data and credentials).
   * @default apigw.MethodLoggingLevel.ERROR
   */
  readonly executionLoggingLevel?: apigw.MethodLoggingLevel;
  /**
   * The ARN of a WAFv2 web ACL (scope REGIONAL) to associate with the deployment stage.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Set up the account-wide role API Gateway writes CloudWatch logs with, once per account and region in
   * this app (the first SecureRestApi creates it, the others depend on it). Turn off when the account
   * already has one (API Gateway → Settings), e.g. set up by your landing zone.
   * @default true
   */
  readonly setUpAccountLoggingRole?: boolean;
}

/**
 * A `RestApi` with the defaults cdk-nag's AwsSolutions pack asks for, so routes added to it pass:
 * JSON access logs with the standard fields (APIG1), one request validator for bodies and parameters
 * (APIG2, shared with the routes), an optional WAF web ACL (APIG3), execution logging of every method
 * (APIG6), X-Ray tracing, and the account's CloudWatch logging role set up once per account and region.
 * Every route works the same on it as on a plain `RestApi`.
 */
export class SecureRestApi extends apigw.RestApi {
  /** The log group of the access logs. */
  public readonly accessLogGroup: logs.ILogGroup;
  /** The request validator for bodies and parameters, which routes with a body schema use too. */
  public readonly requestValidator: apigw.IRequestValidator;

  constructor(scope: Construct, id: string, props: SecureRestApiProps = {}) {
    const where = `SecureRestApi ${scope.node.path ? `${scope.node.path}/` : ''}${id}`;
    if (props.deploy === false) {
      throw new Error(`${where}: deploy: false leaves the API without the stage this construct secures: use a plain RestApi ` +
        'with your own Stage (accessLogDestination, loggingLevel, tracingEnabled)');
    }
    if (props.cloudWatchRole === true) {
      throw new Error(`${where}: cloudWatchRole creates an account setting per API, which the next API overwrites: leave it ` +
        'out (setUpAccountLoggingRole sets the role up once per account and region)');
    }
    const deploy = props.deployOptions ?? {};
    if (deploy.dataTraceEnabled) {
      throw new Error(`${where}: deployOptions.dataTraceEnabled logs whole requests and responses, credentials included: leave it off`);
    }
    if (props.accessLogGroup && props.accessLogRetention !== undefined) {
      throw new Error(`${where}: accessLogRetention applies to the log group this construct creates: set the retention on accessLogGroup instead`);
    }
    if (props.webAclArn !== undefined && !Token.isUnresolved(props.webAclArn) && !/^arn:aws[\w-]*:wafv2:[\w-]+:\d{12}:regional\/webacl\/.+/.test(props.webAclArn)) {
      throw new Error(`${where}: webAclArn '${props.webAclArn}' is not the ARN of a REGIONAL WAFv2 web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/...)`);
    }
    // Created before the API (its stage needs the destination), so it sits beside the API in `scope`.
    const accessLogGroup = props.accessLogGroup ?? new logs.LogGroup(scope, `${id}AccessLogs`, {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    super(scope, id, {
      ...props,
      cloudWatchRole: false,
      deployOptions: {
        ...deploy,
        accessLogDestination: deploy.accessLogDestination ?? new apigw.LogGroupLogDestination(accessLogGroup),
        accessLogFormat: deploy.accessLogFormat ?? apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: deploy.loggingLevel ?? props.executionLoggingLevel ?? apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: deploy.tracingEnabled ?? true,
        metricsEnabled: deploy.metricsEnabled ?? true,
      },
    });
    this.accessLogGroup = accessLogGroup;
    this.requestValidator = ApiContext.of(this).requestValidator(true);

    if (props.setUpAccountLoggingRole ?? true) {
      this.deploymentStage.node.addDependency(accountLoggingRole(this));
    }
    if (props.webAclArn !== undefined) {
      const association = new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
      // The stage ARN is built from the stage name, not a reference: wait for the stage explicitly.
      association.node.addDependency(this.deploymentStage);
    }
  }
}

const ACCOUNT_LOGGING_ID = 'ApigatewayPatternsAccountLogging';
const accountSettings = new WeakMap<IConstruct, Map<string, apigw.CfnAccount>>();

/**
 * The account's API Gateway CloudWatch role (AWS::ApiGateway::Account), created once per account and
 * region in the app, in the stack of the first API that needs it. It is retained when that stack is
 * deleted, since other APIs of the account log through it.
 */
function accountLoggingRole(api: apigw.RestApi): apigw.CfnAccount {
  const stack = Stack.of(api);
  const root = CdkStage.of(stack) ?? stack.node.root;
  const env = `${Token.isUnresolved(stack.account) ? '*' : stack.account}/${Token.isUnresolved(stack.region) ? '*' : stack.region}`;
  let byEnv = accountSettings.get(root);
  if (!byEnv) accountSettings.set(root, byEnv = new Map());
  const existing = byEnv.get(env);
  if (existing) return existing;
  const scope = new Construct(stack, ACCOUNT_LOGGING_ID);
  const role = new iam.Role(scope, 'CloudWatchRole', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: 'API Gateway account role for CloudWatch logs (all APIs of this account and region)',
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
  });
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // The role serves every API of the account, whose log groups are not known here: AWS's own policy for
  // it is the one API Gateway documents, and it follows the service's needs.
  acknowledgeFinding(role, 'AwsSolutions-IAM4', '[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    'The account-wide API Gateway logging role serves every API of the account; AmazonAPIGatewayPushToCloudWatchLogs is the policy API Gateway documents for it');
  const account = new apigw.CfnAccount(scope, 'Account', { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  // As aws-cdk-lib's own cloudWatchRole does: the account setting after the first API exists.
  account.node.addDependency(api.node.defaultChild!);
  byEnv.set(env, account);
  return account;
}

/** The part of aws-cdk-lib's `Validations` used here, typed without it so the library compiles against older releases. */
interface ValidationsOf {
  of(construct: Construct): { acknowledge(acknowledgment: { readonly id: string; readonly reason: string }): void };
}

/**
 * Acknowledges a validation finding (cdk-nag 3 reads aws-cdk-lib's acknowledgments) as narrowly as the
 * aws-cdk-lib in use allows: with its `granular` part (one policy, one resource) where acknowledgment ids
 * may carry `::`, else the rule on this construct (older aws-cdk-lib, 2.257 among them, refuses such ids). Before
 * aws-cdk-lib had `Validations` (2.251) there is nothing to acknowledge to: cdk-nag 3 needs it too.
 */
function acknowledgeFinding(construct: Construct, rule: string, granular: string, reason: string): void {
  // Read from the module rather than imported by name: aws-cdk-lib before 2.251 has no `Validations` to import.
  const validations = (cdk as unknown as { Validations?: ValidationsOf }).Validations;
  if (!validations) return;
  try {
    validations.of(construct).acknowledge({ id: `${rule}${granular}`, reason });
  } catch (e) {
    if (!/InvalidValidationId|delimiter is reserved/.test(String(e))) throw e;
    validations.of(construct).acknowledge({ id: rule, reason });
  }
}
