process.env.CDK_VALIDATION = 'false';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { addExampleStacks } from '../examples/example-stacks';
import { DynamoAttribute, Field, HttpParameter, HttpRoute, RouteAuthorization, ServiceAction, ServiceIntegrationRoute } from '../lib';
import { MappingTemplate } from '../lib/testing';
import { Json, resourcePaths } from './util';

/*
 * The example app must not teach an insecure pattern (issue 11, C12). Over the synthesized templates of
 * every example stack:
 *
 * - No route that lets in any signed-in user (a Cognito authorizer without scopes, or a Lambda authorizer)
 *   sends a path parameter to its backend without the caller's identity: a data store (DynamoDB) must be
 *   keyed by the caller's identity, and any other backend (a queue, a bucket, a workflow, a function, an
 *   HTTP service) must get the identity with the path value, so that it can keep each caller to their
 *   own records. Otherwise anyone who can sign in reads or changes anyone's data by changing the id in
 *   the URL. Routes for operators ask for more than a sign-in: an OAuth scope, IAM, or an API key.
 * - No user pool lets anyone sign up, unless its scenario needs it (SELF_SIGN_UP_NEEDED).
 *
 * The request templates are rendered with the library's own renderer, with a marker as each path
 * parameter and as the caller's identity, and the markers are looked for in what the backend receives:
 * the rendered request, the integration's parameter mappings and its URI.
 */

/** Stacks whose scenario needs users to sign themselves up, with the reason. No example needs it today. */
const SELF_SIGN_UP_NEEDED: { [stackName: string]: string } = {};

const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
const app = new App({ context: cdkJson.context });
const stacks: Stack[] = addExampleStacks(app);
const templates = new Map(stacks.map((s) => [s.stackName, Template.fromStack(s)] as const));

/** The identity markers: what `$context.authorizer` holds for a caller signed in with a Cognito or Lambda authorizer. */
const CALLER = 'zzcallerzz';
const IDENTITY_CONTEXT = { authorizer: { principalId: CALLER, userId: CALLER, claims: { 'sub': CALLER, 'email': CALLER, 'cognito:username': CALLER } } };
const pathMarker = (name: string) => `zzpath${name.replace(/[^A-Za-z0-9]/g, '')}zz`;

/** A CloudFormation value as text: tokens become placeholders (ARNs and names are not what is looked for). */
function text(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(text).join(',');
  if (value && typeof value === 'object') {
    if (value['Fn::Join']) return value['Fn::Join'][1].map(text).join(value['Fn::Join'][0]);
    if (value.Ref) return `ref-${value.Ref}`;
    if (value['Fn::GetAtt']) return `getatt-${[value['Fn::GetAtt']].flat().join('.')}`;
    if (value['Fn::Select'] || value['Fn::Split'] || value['Fn::ImportValue'] || value['Fn::Sub']) return 'token';
  }
  return String(value);
}

type Access = 'open' | 'iam' | 'scoped' | 'api key' | 'any signed-in user';

interface RouteFacts {
  readonly route: string;
  readonly access: Access;
  readonly integration: string;
  /** The path parameters whose value reaches the backend. */
  readonly pathSent: string[];
  /** Whether the caller's identity reaches the backend. */
  readonly identitySent: boolean;
  /**
   * For a data store, which has no logic to check ownership with: whether the caller's identity is in the
   * record's key. DynamoDB: in `Key`, or in the values of a Query's key condition. S3: in the object's path.
   */
  readonly identityInKey?: boolean;
}

function accessOf(props: Json, authorizers: { [id: string]: Json }): Access {
  const type = props.AuthorizationType ?? 'NONE';
  if (type === 'AWS_IAM') return 'iam';
  if (type === 'COGNITO_USER_POOLS') {
    if ((props.AuthorizationScopes ?? []).length > 0) return 'scoped';
  } else if (type === 'CUSTOM') {
    // A Lambda authorizer: its function cannot be read here, so it counts as letting in any signed-in user.
    if (!authorizers[props.AuthorizerId?.Ref]) throw new Error(`unknown authorizer ${JSON.stringify(props.AuthorizerId)}`);
  } else if (props.ApiKeyRequired) {
    return 'api key';
  } else {
    return 'open';
  }
  return props.ApiKeyRequired ? 'api key' : 'any signed-in user';
}

function routeFacts(stackName: string, template: Template): RouteFacts[] {
  const paths = resourcePaths(template);
  const authorizers = Object.fromEntries(Object.entries(template.findResources('AWS::ApiGateway::Authorizer')).map(([id, r]) => [id, r.Properties]));
  return Object.values(template.findResources('AWS::ApiGateway::Method'))
    .map((r) => r.Properties)
    .filter((p) => p.HttpMethod !== 'OPTIONS')
    .map((p) => {
      const resourcePath = p.ResourceId.Ref ? paths[p.ResourceId.Ref] : '/';
      const route = `${stackName} ${p.HttpMethod} ${resourcePath}`;
      const params = [...resourcePath.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);
      const integration = p.Integration ?? {};
      const uri = text(integration.Uri ?? '');
      const kind = `${integration.Type}${integration.ConnectionType === 'VPC_LINK' ? ' (VPC link)' : ''} ${uri.replace(/^.*:apigateway:[^:]*:/, '')}`;
      const mappings = Object.values(integration.RequestParameters ?? {}).map(text);
      const pathSent = new Set<string>();
      let identitySent = false;
      let identityInKey: boolean | undefined;

      if (integration.Type === 'AWS_PROXY' || integration.Type === 'MOCK') {
        // A Lambda proxy function gets the whole request with the authorizer's verified output
        // (requestContext.authorizer): it has what it needs to check ownership. A mock reaches nothing.
        if (integration.Type === 'AWS_PROXY') params.forEach((x) => pathSent.add(x));
        identitySent = integration.Type === 'AWS_PROXY';
      } else {
        for (const x of params) if (mappings.includes(`method.request.path.${x}`)) pathSent.add(x);
        if (mappings.some((m) => m.startsWith('context.authorizer.'))) identitySent = true;
        if (/:s3:path\//.test(uri)) {
          // The object's path: the identity must name a part of it, not just travel beside it (e.g. as metadata).
          identityInKey = Object.entries(integration.RequestParameters ?? {}).some(([to, from]) =>
            /^context\.(authorizer\.|identity\.cognitoIdentityId$)/.test(text(from)) &&
            to.startsWith('integration.request.path.') && uri.includes(`{${to.slice('integration.request.path.'.length)}}`));
        }
        // An HTTP proxy passes the whole path on.
        if (integration.Type === 'HTTP_PROXY' && params.length > 0) params.forEach((x) => pathSent.add(x));
        const request = {
          body: '{}',
          pathParameters: Object.fromEntries(params.map((x) => [x, pathMarker(x)])),
          context: IDENTITY_CONTEXT,
        };
        for (const [contentType, t] of Object.entries(integration.RequestTemplates ?? {})) {
          const rendered = MappingTemplate.render(text(t), request);
          for (const x of params) if (rendered.includes(pathMarker(x))) pathSent.add(x);
          if (rendered.includes(CALLER)) identitySent = true;
          if (/:dynamodb:action\//.test(uri) && contentType === 'application/json') {
            const call = JSON.parse(rendered);
            const key = call.Key ?? (call.KeyConditionExpression ? call.ExpressionAttributeValues : undefined);
            if (key !== undefined) identityInKey = (identityInKey ?? true) && JSON.stringify(key).includes(CALLER);
          }
        }
      }
      return {
        route,
        access: accessOf(p, authorizers),
        integration: kind,
        pathSent: [...pathSent].sort(),
        identitySent,
        identityInKey,
      };
    });
}

/** The routes that break the rule, each with why. */
function offending(all: RouteFacts[]): string[] {
  return all
    .filter((f) => f.access === 'any signed-in user')
    .filter((f) => (f.identityInKey === false) || (f.pathSent.length > 0 && !f.identitySent))
    .map((f) => `${f.route} -> ${f.integration}: path ${f.pathSent.map((x) => `{${x}}`).join(', ') || '-'} reaches the backend ` +
      (f.identityInKey === false ? "but the caller's identity is not in the key" : "without the caller's identity"));
}

const facts = stacks.flatMap((s) => routeFacts(s.stackName, templates.get(s.stackName)!));

test('the check flags the insecure patterns and passes their secure forms (a stack built for it)', () => {
  const stack = new Stack(new App(), 'Probe');
  const api = new apigw.RestApi(stack, 'Api', { binaryMediaTypes: ['*/*'] });
  const signedIn = RouteAuthorization.cognito([new cognito.UserPool(stack, 'Pool')]);
  const admin = RouteAuthorization.cognito([new cognito.UserPool(stack, 'Pool2')], { scopes: ['users/admin'] });
  const table = new dynamodb.Table(stack, 'Users', { partitionKey: { name: 'userId', type: dynamodb.AttributeType.STRING } });
  const queue = new sqs.Queue(stack, 'Payments', { fifo: true });
  const bucket = new s3.Bucket(stack, 'Files');
  const str = (f: Field) => DynamoAttribute.stringValue(f);
  const route = (id: string, method: string, p: string, action: ServiceAction, authorization = signedIn) =>
    new ServiceIntegrationRoute(stack, id, { api, method, path: p, action, authorization });
  route('ByPath', 'GET', '/users/{userId}', ServiceAction.dynamoDbGetItem(table, { key: { userId: str(Field.path('userId')) } }));
  route('ByPathAdmin', 'DELETE', '/users/{userId}', ServiceAction.dynamoDbDeleteItem(table, { key: { userId: str(Field.path('userId')) } }), admin);
  route('ByClaim', 'GET', '/users/me', ServiceAction.dynamoDbGetItem(table, { key: { userId: str(Field.authorizerClaim('sub')) } }));
  // The claim is written, but the record is still found by the path id.
  route('ClaimNotInKey', 'PATCH', '/users/{userId}', ServiceAction.dynamoDbUpdateItem(table, {
    key: { userId: str(Field.path('userId')) }, set: { updatedBy: str(Field.authorizerClaim('sub')) },
  }));
  route('GroupByPath', 'POST', '/customers/{customerId}/payments', ServiceAction.sqsSendMessage(queue, { messageGroupId: Field.path('customerId') }));
  route('GroupByClaim', 'POST', '/me/payments', ServiceAction.sqsSendMessage(queue, { messageGroupId: Field.authorizerClaim('sub') }));
  route('FileByPath', 'GET', '/files/{key}', ServiceAction.s3GetObject(bucket, { key: Field.path('key') }));
  route('FileInFolder', 'GET', '/me/files/{key}', ServiceAction.s3GetObject(bucket, { key: Field.path('key'), ownerFolder: Field.authorizerClaim('sub') }));
  new HttpRoute(stack, 'Proxy', { api, path: '/accounts/{proxy+}', method: 'ANY', url: 'https://backend.example.com/{proxy}', authorization: signedIn });
  new HttpRoute(stack, 'ProxyWithCaller', {
    api, path: '/profiles/{proxy+}', method: 'ANY', url: 'https://backend.example.com/{proxy}', authorization: signedIn,
    requestParameters: { 'header.X-Caller-Sub': HttpParameter.fromContext('authorizer.claims.sub') },
  });
  const probe = routeFacts('Probe', Template.fromStack(stack));
  expect(offending(probe).map((o) => o.split(' -> ')[0]).sort()).toEqual([
    'Probe ANY /accounts/{proxy+}',
    'Probe GET /files/{key}',
    'Probe GET /users/{userId}',
    'Probe PATCH /users/{userId}',
    'Probe POST /customers/{customerId}/payments',
  ]);
  expect(probe.find((f) => f.route === 'Probe DELETE /users/{userId}')?.access).toBe('scoped');
});

test('the examples have routes of every kind the check looks at', () => {
  const accesses = new Set(facts.map((f) => f.access));
  for (const access of ['open', 'iam', 'scoped', 'api key', 'any signed-in user'] as const) expect(accesses).toContain(access);
  // Routes whose path parameters reach the backend, with and without the identity, so the check has teeth.
  expect(facts.filter((f) => f.pathSent.length > 0 && f.identitySent).length).toBeGreaterThan(0);
  expect(facts.filter((f) => f.identityInKey === true).length).toBeGreaterThan(0);
});

test('no example route lets any signed-in user reach a record keyed only by a path parameter, nor a data store record not keyed by the caller', () => {
  expect(offending(facts)).toEqual([]);
});

test('no user pool lets anyone sign up, unless its scenario needs it', () => {
  const pools = stacks.flatMap((s) => Object.entries(templates.get(s.stackName)!.findResources('AWS::Cognito::UserPool'))
    .map(([id, r]) => ({ stack: s.stackName, id, selfSignUp: r.Properties.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true })));
  expect(pools.length).toBeGreaterThan(0);
  for (const pool of pools) {
    const needed = SELF_SIGN_UP_NEEDED[pool.stack] !== undefined;
    expect({ ...pool, selfSignUp: pool.selfSignUp && !needed }).toEqual({ ...pool, selfSignUp: false });
  }
});
