import { placeholderString, withPlaceholders } from '../../lib/openapi/placeholders';

/** Deploy-time values written as Fn::Sub placeholders, never as token text. */
test.each([
  [{ Ref: 'Api' }, '${Api}'],
  [{ Ref: 'AWS::Region' }, '${AWS::Region}'],
  [{ 'Fn::GetAtt': ['Role', 'Arn'] }, '${Role.Arn}'],
  [{ 'Fn::GetAtt': 'Role.Arn' }, '${Role.Arn}'],
  [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':sqs:path/', { 'Fn::GetAtt': ['Q', 'QueueName'] }]] }, 'arn:${AWS::Partition}:apigateway:${AWS::Region}:sqs:path/${Q.QueueName}'],
  [{ 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com' }, 'https://${Api}.execute-api.${AWS::Region}.amazonaws.com'],
  [{ 'Fn::Sub': ['${A}-${B}', { A: { Ref: 'X' } }] }, '${X}-${B}'],
  [{ 'Fn::ImportValue': 'shared-api-id' }, '${ImportValue:shared-api-id}'],
  [{ 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Fn', 'Arn'] }] }] }, '${Fn::Select(1, Fn::Split(":", "${Fn.Arn}"))}'],
])('%j → %s', (value, expected) => {
  expect(placeholderString(value)).toBe(expected);
});

test('objects and lists keep their shape; only intrinsics become text', () => {
  expect(withPlaceholders({ a: [{ Ref: 'X' }, 1, true, null], b: { c: 'plain' } })).toEqual({ a: ['${X}', 1, true, null], b: { c: 'plain' } });
});
