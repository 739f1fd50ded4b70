import { lambdaTargetOfUri } from '../../../lib/local/lambda';

test('the function a Lambda integration or authorizer URI invokes', () => {
  const base = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/';
  expect(lambdaTargetOfUri(`${base}arn:aws:lambda:us-east-1:123456789012:function:Orders/invocations`))
    .toEqual({ functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Orders', functionName: 'Orders' });
  expect(lambdaTargetOfUri(`${base}arn:aws:lambda:us-east-1:123456789012:function:Orders:live/invocations`))
    .toEqual({ functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Orders:live', functionName: 'Orders', qualifier: 'live' });
  expect(lambdaTargetOfUri('arn:aws-cn:apigateway:cn-north-1:lambda:path/2015-03-31/functions/arn:aws-cn:lambda:cn-north-1:1:function:F/invocations')?.functionName).toBe('F');
  expect(lambdaTargetOfUri(`${base}arn:aws:lambda:us-east-1:123456789012:function:\${stageVariables.fn}/invocations`)?.functionName).toBe('${stageVariables.fn}');
  expect(lambdaTargetOfUri('arn:aws:apigateway:us-east-1:dynamodb:action/Query')).toBeUndefined();
  expect(lambdaTargetOfUri('https://example.com/x')).toBeUndefined();
});
