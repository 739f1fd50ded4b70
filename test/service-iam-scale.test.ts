process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ServiceAction, ServiceIntegrationRoute } from '../lib';
import { Json, resourcesOfType } from './util';

// IAM limits a role's policies: all inline policies of a role together ≤ 10,240 characters, each
// managed policy ≤ 6,144 characters, 10 managed policies per role (20 with a quota increase); IAM counts
// characters without whitespace. A large API with one integration role must stay inside them.
const INLINE_AGGREGATE_LIMIT = 10240;
const MANAGED_POLICY_LIMIT = 6144;
const MANAGED_POLICIES_PER_ROLE = 10;
const ARN_LENGTH = 80;

/**
 * A realistic ARN of exactly ARN_LENGTH characters in place of each CloudFormation intrinsic (the queue's
 * Fn::GetAtt Arn, a key's Arn), so sizes are what IAM will see after deployment.
 */
function realistic(value: Json): Json {
  if (Array.isArray(value)) return value.map(realistic);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0].startsWith('Fn::') || keys[0] === 'Ref')) {
      const id = JSON.stringify(value).replace(/[^A-Za-z0-9]/g, '');
      const service = id.includes('Key') ? 'kms' : 'sqs';
      const arn = `arn:aws:${service}:eu-central-1:123456789012:Stack-${id}`.slice(0, ARN_LENGTH);
      return arn.padEnd(ARN_LENGTH, 'x');
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realistic(v)]));
  }
  return value;
}

/** Characters of a policy document as IAM counts them: compact JSON with realistic ARNs. */
function size(document: Json): number {
  return JSON.stringify(realistic(document)).length;
}

interface Measured {
  readonly inline: number[];
  readonly managed: number[];
  readonly statements: Json[];
}

/** The policies attached to the API's integration role, measured. */
function measure(template: Template): Measured {
  const roles = resourcesOfType(template, 'AWS::IAM::Role').filter(([, p]) => p.Description?.startsWith('API Gateway service integrations'));
  expect(roles).toHaveLength(1);
  const [roleId, role] = roles[0];
  const attached = (p: Json) => (p.Roles ?? []).some((r: Json) => r.Ref === roleId);
  const inlineDocs = [
    ...(role.Policies ?? []).map((p: Json) => p.PolicyDocument),
    ...resourcesOfType(template, 'AWS::IAM::Policy').filter(([, p]) => attached(p)).map(([, p]) => p.PolicyDocument),
  ];
  const managedDocs = resourcesOfType(template, 'AWS::IAM::ManagedPolicy').filter(([, p]) => attached(p)).map(([, p]) => p.PolicyDocument);
  // Managed policies attached through the role's own list (none expected) count against the same quota.
  expect(role.ManagedPolicyArns ?? []).toEqual([]);
  return {
    inline: inlineDocs.map(size),
    managed: managedDocs.map(size),
    statements: [...inlineDocs, ...managedDocs].flatMap((d) => d.Statement),
  };
}

const asList = (v: Json): Json[] => (Array.isArray(v) ? v : [v]);

/** One API with `queues` queues, each the target of `routesPerQueue` routes; every `kmsEvery`-th queue has its own key. */
function build(minimizePolicies: boolean, queues: number, routesPerQueue: number, kmsEvery = 0) {
  const app = new App({
    context: {
      '@aws-cdk/aws-iam:minimizePolicies': minimizePolicies,
      // 200 routes with their queues exceed CloudFormation's 500 resources; only IAM is under test here.
      '@aws-cdk/core:stackResourceLimit': 0,
    },
  });
  const stack = new Stack(app, 'Stack');
  const api = new apigw.RestApi(stack, 'Api');
  const queueIds: string[] = [];
  const keyIds: string[] = [];
  for (let q = 0; q < queues; q++) {
    const encrypted = kmsEvery > 0 && q % kmsEvery === 0;
    const key = encrypted ? new kms.Key(stack, `Key${q}`) : undefined;
    const queue = new sqs.Queue(stack, `Queue${q}`, key ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key } : {});
    queueIds.push(stack.getLogicalId(queue.node.defaultChild as sqs.CfnQueue));
    if (key) keyIds.push(stack.getLogicalId(key.node.defaultChild as kms.CfnKey));
    for (let r = 0; r < routesPerQueue; r++) {
      new ServiceIntegrationRoute(stack, `Route${q}x${r}`, { api, path: `/q${q}/r${r}`, method: 'POST', action: ServiceAction.sqsSendMessage(queue) });
    }
  }
  return { stack, template: Template.fromStack(stack), queueIds, keyIds };
}

describe.each([
  ['200 routes to 200 queues', 200, 1, 0],
  ['100 queues x 2 routes, every 5th queue with its own KMS key', 100, 2, 5],
])('%s', (name, queues, routesPerQueue, kmsEvery) => {
  describe.each([false, true])('@aws-cdk/aws-iam:minimizePolicies %s', (minimize) => {
    const { stack, template, queueIds, keyIds } = build(minimize, queues, routesPerQueue, kmsEvery);
    const measured = measure(template);

    test('the role\'s policies stay within IAM\'s limits', () => {
      const inlineTotal = measured.inline.reduce((a, b) => a + b, 0);
      console.log(`${name}, minimizePolicies=${minimize}: inline ${measured.inline.length} document(s), ${inlineTotal} chars ` +
        `(limit ${INLINE_AGGREGATE_LIMIT}); managed ${measured.managed.length} (limit ${MANAGED_POLICIES_PER_ROLE}), ` +
        `sizes [${measured.managed.join(', ')}] (limit ${MANAGED_POLICY_LIMIT} each); ${measured.statements.length} statements`);
      expect(inlineTotal).toBeLessThanOrEqual(INLINE_AGGREGATE_LIMIT);
      for (const managed of measured.managed) expect(managed).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
      expect(measured.managed.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
      // Without overflow policies the whole grant would have to fit the inline budget, which it cannot.
      expect(measured.managed.length).toBeGreaterThan(0);
      // aws-cdk-lib warns on the role past 10 managed policies (read from the metadata the synth above left).
      const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning');
      expect(warnings.map((m) => String(m.data)).filter((w) => /managed policies|Policy too large/.test(w))).toEqual([]);
    });

    test('no wildcard action, no * resource; exactly the expected actions', () => {
      for (const statement of measured.statements) {
        expect(statement.Effect).toBe('Allow');
        for (const action of asList(statement.Action)) expect(action).not.toContain('*');
        for (const resource of asList(statement.Resource)) expect(resource).not.toBe('*');
        expect(statement.NotAction ?? statement.NotResource ?? statement.Condition).toBeUndefined();
      }
      const actions = new Set(measured.statements.map((s) => asList(s.Action).join(',')));
      expect([...actions].sort()).toEqual(kmsEvery ? ['kms:Decrypt,kms:GenerateDataKey', 'sqs:SendMessage'] : ['sqs:SendMessage']);
    });

    test('every queue ARN (and key ARN) appears exactly once, with its own action', () => {
      const count = new Map<string, number>();
      for (const statement of measured.statements) {
        for (const resource of asList(statement.Resource)) {
          const key = `${asList(statement.Action).join(',')} ${JSON.stringify(resource)}`;
          count.set(key, (count.get(key) ?? 0) + 1);
        }
      }
      const expected = [
        ...queueIds.map((id) => `sqs:SendMessage ${JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })}`),
        ...keyIds.map((id) => `kms:Decrypt,kms:GenerateDataKey ${JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })}`),
      ];
      expect([...count.keys()].sort()).toEqual(expected.sort());
      expect([...count.values()].every((n) => n === 1)).toBe(true);
    });
  });
});

test('a few routes keep one inline policy with one statement per action set', () => {
  const { template, queueIds } = build(false, 3, 2);
  const measured = measure(template);
  expect(measured.managed).toEqual([]);
  expect(measured.statements).toEqual([{
    Action: 'sqs:SendMessage', Effect: 'Allow', Resource: queueIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
  }]);
});
