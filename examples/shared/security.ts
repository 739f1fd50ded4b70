import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { RouteBase } from '../../lib';

/** Options of `exampleWebAcl`. */
export interface ExampleWebAclOptions {
  /**
   * Requests one client IP may send in any 5 minutes before WAF blocks it.
   * @default 2000
   */
  readonly requestsPerFiveMinutesPerIp?: number;
  /**
   * Let request bodies over 8 KB through (the common rule set blocks them by default), for APIs that take
   * uploads; API Gateway's own limit of 10 MB still applies.
   * @default false
   */
  readonly allowLargeBodies?: boolean;
}

/**
 * A REGIONAL WAFv2 web ACL for an example API's stages (cdk-nag APIG3): AWS's common rule set (OWASP top
 * risks) and known-bad-inputs rule set, and a per-IP rate limit; every rule reports CloudWatch metrics
 * and samples requests. Pass its `attrArn` as a SecureRestApi's `webAclArn`.
 */
export function exampleWebAcl(scope: Construct, id: string, options: ExampleWebAclOptions = {}): wafv2.CfnWebACL {
  const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty =>
    ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
  const managed = (name: string, priority: number, overrides?: string[]): wafv2.CfnWebACL.RuleProperty => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ruleActionOverrides: overrides?.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
      },
    },
    visibilityConfig: visibility(name),
  });
  return new wafv2.CfnWebACL(scope, id, {
    scope: 'REGIONAL',
    description: 'Protects the example API: AWS managed common and known-bad-inputs rules, and a per-IP rate limit',
    defaultAction: { allow: {} },
    visibilityConfig: visibility(`${id}-all`),
    rules: [
      managed('AWSManagedRulesCommonRuleSet', 0, options.allowLargeBodies ? ['SizeRestrictions_BODY'] : undefined),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
      {
        name: 'RateLimitPerIp',
        priority: 2,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            aggregateKeyType: 'IP',
            limit: options.requestsPerFiveMinutesPerIp ?? 2000,
            evaluationWindowSec: 300,
          },
        },
        visibilityConfig: visibility('RateLimitPerIp'),
      },
    ],
  });
}

/**
 * A user pool for an example API's signed-in routes, with the settings cdk-nag asks for: a strong password
 * policy (COG1), MFA required with an authenticator app (COG2), and the Plus feature plan with threat
 * protection enforcing (COG8). E-mail sign-in; deleted with the stack. No self sign-up: the shop creates
 * its users (AdminCreateUser, or a back office), so a stranger cannot get a token just by signing up; none
 * of the example scenarios needs users to register themselves (test/examples-security.test.ts checks it).
 */
export function exampleUserPool(scope: Construct, id: string): cognito.UserPool {
  return new cognito.UserPool(scope, id, {
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    autoVerify: { email: true },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    featurePlan: cognito.FeaturePlan.PLUS,
    standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

/**
 * Records why a route is deliberately open to callers without a signed-in identity: acknowledges cdk-nag's
 * APIG4 (no authorization) and COG4 (no Cognito authorizer) on exactly the route's method.
 */
export function acknowledgeOpenRoute(route: RouteBase, reason: string): void {
  Validations.of(route.method).acknowledge(
    { id: 'AwsSolutions-APIG4', reason },
    { id: 'AwsSolutions-COG4', reason },
  );
}
