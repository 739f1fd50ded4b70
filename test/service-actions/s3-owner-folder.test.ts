process.env.CDK_VALIDATION = 'false';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Field, RouteAuthorization, ServiceAction, ServiceIntegrationRoute } from '../../lib';
import { errorOf, methodAt } from '../util';

// S3 GetObject / PutObject `ownerFolder`: each caller's objects under `<keyPrefix><identity>/`, the folder
// put into the S3 URL by a parameter mapping from the authorizer's output, never from the request.

function setup() {
  const stack = new Stack(new App(), 'Stack');
  const api = new apigw.RestApi(stack, 'Api', { binaryMediaTypes: ['*/*'] });
  const bucket = new s3.Bucket(stack, 'Files');
  const authorization = RouteAuthorization.cognito([new cognito.UserPool(stack, 'Pool')]);
  return { stack, api, bucket, authorization };
}

describe('S3 ownerFolder', () => {
  test.each([
    ['Field.authorizerClaim(\'sub\')', Field.authorizerClaim('sub'), 'context.authorizer.claims.sub'],
    ['Field.authorizerContext(\'userId\')', Field.authorizerContext('userId'), 'context.authorizer.userId'],
    ['Field.context(\'authorizer.principalId\')', Field.context('authorizer.principalId'), 'context.authorizer.principalId'],
    ['Field.context(\'identity.cognitoIdentityId\')', Field.context('identity.cognitoIdentityId'), 'context.identity.cognitoIdentityId'],
  ])('%s names the folder between keyPrefix and the key, for GET and PUT', (_name, owner, mapping) => {
    const { stack, api, bucket, authorization } = setup();
    const options = { key: Field.path('key'), keyPrefix: 'files/', ownerFolder: owner };
    new ServiceIntegrationRoute(stack, 'Get', { api, path: '/me/files/{key}', method: 'GET', authorization, action: ServiceAction.s3GetObject(bucket, options) });
    new ServiceIntegrationRoute(stack, 'Put', { api, path: '/me/files/{key}', method: 'PUT', authorization, action: ServiceAction.s3PutObject(bucket, options) });
    const template = Template.fromStack(stack);
    for (const method of ['GET', 'PUT']) {
      const integration = methodAt(template, '/me/files/{key}', method).Integration;
      expect(JSON.stringify(integration.Uri)).toContain('/files/{owner}/{object}');
      expect(integration.RequestParameters).toEqual(expect.objectContaining({
        'integration.request.path.owner': mapping,
        'integration.request.path.object': 'method.request.path.key',
      }));
      // The folder is no method request parameter: a client cannot send it.
      expect(Object.keys(methodAt(template, '/me/files/{key}', method).RequestParameters ?? {})).not.toContain('method.request.path.owner');
    }
  });

  test('without ownerFolder the URL and mappings are as before', () => {
    const { stack, api, bucket } = setup();
    new ServiceIntegrationRoute(stack, 'Get', { api, path: '/files/{key}', method: 'GET', action: ServiceAction.s3GetObject(bucket, { key: Field.path('key') }) });
    const integration = methodAt(Template.fromStack(stack), '/files/{key}', 'GET').Integration;
    expect(JSON.stringify(integration.Uri)).toMatch(/\/\{object\}"/);
    expect(integration.RequestParameters).toEqual({ 'integration.request.path.object': 'method.request.path.key' });
  });

  test.each([
    ['a request value', Field.header('X-User')],
    ['a path parameter', Field.path('key')],
    ['a claim a parameter mapping cannot read', Field.authorizerClaim('cognito:username')],
    ['a context value that is not the caller', Field.context('requestId')],
    ['a literal', Field.literal('shared')],
  ])('%s cannot name the folder: the error names the route and the Fields that can', (_what, owner) => {
    const { stack, api, bucket } = setup();
    const message = errorOf(() => new ServiceIntegrationRoute(stack, 'Put', {
      api, path: '/me/files/{key}', method: 'PUT', action: ServiceAction.s3PutObject(bucket, { key: Field.path('key'), ownerFolder: owner }),
    }));
    expect(message).toContain('Route Stack/Put: ');
    expect(message).toContain(`ownerFolder ${owner._description} cannot name the caller's folder`);
    expect(message).toContain("Field.authorizerClaim('sub')");
  });
});
