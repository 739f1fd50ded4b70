import { CfnTemplate, IntrinsicResolver, localId } from '../../lib/local/intrinsics';

const template: CfnTemplate = {
  Parameters: { Env: { Type: 'String', Default: 'dev' }, Subnets: { Type: 'CommaDelimitedList', Default: 'a,b' } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
  Mappings: { Sizes: { dev: { Memory: 128 } } },
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'a' } },
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'my-fn' } },
    Unnamed: { Type: 'AWS::Lambda::Function', Properties: {} },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Fifo: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
    Named: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders' } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'flow' } },
    Other: { Type: 'AWS::Other::Thing', Properties: {} },
    Stream: { Type: 'AWS::Kinesis::Stream', Properties: {} },
    Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
  },
};

function resolver(over: Partial<ConstructorParameters<typeof IntrinsicResolver>[0]> = {}): IntrinsicResolver {
  return new IntrinsicResolver({ stackPath: 'Stack', stackName: 'Stack', region: 'eu-west-1', account: '111122223333', template, parameters: {}, ...over });
}

test('Ref: a RestApi gets a stable local id, a function its name, parameters their value, pseudo parameters the stack env', () => {
  const r = resolver();
  expect(r.resolve({ Ref: 'Api' })).toBe(localId('Stack/Api'));
  expect(r.resolve({ Ref: 'Api' })).toMatch(/^[a-z0-9]{10}$/);
  expect(resolver().resolve({ Ref: 'Api' })).toBe(r.resolve({ Ref: 'Api' }));
  expect(r.resolve({ Ref: 'Fn' })).toBe('my-fn');
  expect(r.resolve({ Ref: 'Unnamed' })).toBe('Stack-Unnamed');
  expect(r.resolve({ Ref: 'Env' })).toBe('dev');
  expect(r.resolve({ Ref: 'Subnets' })).toEqual(['a', 'b']);
  expect(resolver({ parameters: { Env: 'prod' } }).resolve({ Ref: 'Env' })).toBe('prod');
  expect(r.resolve([{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Partition' }, { Ref: 'AWS::URLSuffix' }]))
    .toEqual(['eu-west-1', '111122223333', 'aws', 'amazonaws.com']);
});

test('Fn::GetAtt: RootResourceId, a function Arn, another Arn, nested stack outputs', () => {
  const r = resolver({ nestedOutput: (id, out) => `${id}:${out}` });
  expect(r.resolve({ 'Fn::GetAtt': ['Api', 'RootResourceId'] })).toMatch(/^[a-z0-9]{10}$/);
  expect(r.resolve({ 'Fn::GetAtt': ['Api', 'RootResourceId'] })).not.toBe(r.resolve({ Ref: 'Api' }));
  expect(r.resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe('arn:aws:lambda:eu-west-1:111122223333:function:my-fn');
  // Another resource's Arn: its service and logical id (no local meaning beyond being an ARN).
  expect(r.resolve({ 'Fn::GetAtt': ['Other', 'Arn'] })).toBe('arn:aws:other:eu-west-1:111122223333:Other');
  // A table's ARN names the table as DynamoDB does (table/<name>), its name being the Ref.
  expect(r.resolve({ 'Fn::GetAtt': 'Table.Arn' })).toBe(`arn:aws:dynamodb:eu-west-1:111122223333:table/${String(r.resolve({ Ref: 'Table' }))}`);
  const nested = resolver({
    template: { Resources: { N: { Type: 'AWS::CloudFormation::Stack' } } },
    nestedOutput: (id, out) => `${id}:${out}`,
  });
  expect(nested.resolve({ 'Fn::GetAtt': ['N', 'Outputs.Thing'] })).toBe('N:Thing');
});

test('queues, topics and state machines: Ref and GetAtt give the URL, ARN and name the service would, named as CloudFormation names them', () => {
  const r = resolver();
  const queueName = r.resolve({ 'Fn::GetAtt': ['Queue', 'QueueName'] }) as string;
  expect(queueName).toMatch(/^Stack-Queue-[A-Z0-9]{12}$/);
  expect(r.resolve({ Ref: 'Queue' })).toBe(`https://sqs.eu-west-1.amazonaws.com/111122223333/${queueName}`);
  expect(r.resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe(`arn:aws:sqs:eu-west-1:111122223333:${queueName}`);
  expect(r.resolve({ 'Fn::GetAtt': ['Queue', 'QueueUrl'] })).toBe(r.resolve({ Ref: 'Queue' }));
  expect(r.resolve({ 'Fn::GetAtt': ['Fifo', 'QueueName'] })).toMatch(/^Stack-Fifo-[A-Z0-9]{12}\.fifo$/);
  expect(r.resolve({ 'Fn::GetAtt': ['Named', 'Arn'] })).toBe('arn:aws:sqs:eu-west-1:111122223333:orders');
  const topicName = r.resolve({ 'Fn::GetAtt': ['Topic', 'TopicName'] }) as string;
  expect(r.resolve({ Ref: 'Topic' })).toBe(`arn:aws:sns:eu-west-1:111122223333:${topicName}`);
  expect(r.resolve({ Ref: 'Machine' })).toBe('arn:aws:states:eu-west-1:111122223333:stateMachine:flow');
  expect(r.resolve({ 'Fn::GetAtt': ['Machine', 'Name'] })).toBe('flow');
  const stream = r.resolve({ Ref: 'Stream' }) as string;
  expect(r.resolve({ 'Fn::GetAtt': ['Stream', 'Arn'] })).toBe(`arn:aws:kinesis:eu-west-1:111122223333:stream/${stream}`);
  const bucket = r.resolve({ Ref: 'Bucket' }) as string;
  expect(bucket).toMatch(/^stack-bucket-[a-z0-9]{12}$/);
  expect(r.resolve({ 'Fn::GetAtt': ['Bucket', 'Arn'] })).toBe(`arn:aws:s3:::${bucket}`);
});

test('Fn::Join, Fn::Sub (both forms, ${!literal}, ${X.Attr}), Fn::Select, Fn::Split, Fn::FindInMap, Fn::Base64', () => {
  const r = resolver();
  expect(r.resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] })).toBe('arn:aws:x');
  expect(r.resolve({ 'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${!stage}' }))
    .toBe(`https://${localId('Stack/Api')}.execute-api.eu-west-1.amazonaws.com/\${stage}`);
  expect(r.resolve({ 'Fn::Sub': ['${A}-${Fn.Arn}', { A: { Ref: 'Env' } }] })).toBe('dev-arn:aws:lambda:eu-west-1:111122223333:function:my-fn');
  expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] })).toBe('b');
  expect(r.resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Memory'] })).toBe(128);
  expect(r.resolve({ 'Fn::Base64': 'hi' })).toBe('aGk=');
});

test('Fn::If with conditions, and AWS::NoValue removes the key', () => {
  const r = resolver();
  expect(r.condition('IsProd')).toBe(false);
  expect(r.condition('NotProd')).toBe(true);
  expect(r.resolve({ A: { 'Fn::If': ['IsProd', 'big', 'small'] }, B: { 'Fn::If': ['IsProd', 1, { Ref: 'AWS::NoValue' }] } })).toEqual({ A: 'small' });
  expect(r.resolve([1, { Ref: 'AWS::NoValue' }, 2])).toEqual([1, 2]);
});

test('unknown references and functions fail with the stack and the function named', () => {
  const r = resolver();
  expect(() => r.resolve({ Ref: 'Nope' })).toThrow(/Stack: Ref to unknown Nope/);
  expect(() => r.resolve({ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toThrow(/Stack: Fn::Cidr is not supported by the emulator/);
  expect(() => r.resolve({ 'Fn::ImportValue': 'X' })).toThrow(/no stack exports X/);
});
