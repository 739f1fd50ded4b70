import * as fs from 'fs';
import * as path from 'path';
import { MappingTemplate } from '../../lib/testing';

/** Templates from AWS documentation, recorded AWS tests and aws-cdk-lib, rendered with hostile input. */

const HOSTILE = `it's "quoted" \\ back/slash </script>\n\ttab \u0001 é 😀 a", "admin": true, "x": "`;

describe('SQS SendMessage (form encoded)', () => {
  test('request template carries any body', () => {
    const body = JSON.stringify({ order: HOSTILE, amount: 5 });
    const rendered = MappingTemplate.render('Action=SendMessage&MessageBody=$util.urlEncode($input.body)', { body });
    expect(new URLSearchParams(rendered).get('MessageBody')).toBe(body);
  });

  test('response template picks the message id', () => {
    const body = JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: 'm-1', MD5OfMessageBody: 'x' } } });
    expect(MappingTemplate.render("$input.path('$.SendMessageResponse.SendMessageResult.MessageId')", { body })).toBe('m-1');
  });
});

describe('DynamoDB', () => {
  test('PutItem with the request id and an escaped body field', () => {
    const template = String.raw`{"TableName": "Users", "Item": {"id": {"S": "$context.requestId"}, "name": {"S": "$util.escapeJavaScript($input.path('$.name')).replaceAll("\\'","'")"}}}`;
    const json = MappingTemplate.renderJson(template, { body: JSON.stringify({ name: HOSTILE }) });
    expect(json).toEqual({ TableName: 'Users', Item: { id: { S: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' }, name: { S: HOSTILE } } });
  });

  test('an unescaped field lets the client inject attributes (why escaping matters)', () => {
    const template = `{"TableName": "Users", "Item": {"name": {"S": "$input.path('$.name')"}}}`;
    const json = MappingTemplate.renderJson(template, { body: JSON.stringify({ name: 'x"}, "admin": {"BOOL": true}, "y": {"S": "' }) });
    expect(json.Item.admin).toEqual({ BOOL: true });
  });

  test('Query response mapped with #foreach (AWS Compute Blog)', () => {
    const template = [
      "#set($inputRoot = $input.path('$'))",
      '{',
      '    "comments": [',
      '        #foreach($elem in $inputRoot.Items) {',
      '            "commentId": "$elem.commentId.S",',
      '            "userName": "$elem.userName.S",',
      '            "message": "$elem.message.S"',
      '        }#if($foreach.hasNext),#end',
      '\t#end',
      '    ]',
      '}',
    ].join('\n');
    const items = [1, 2, 3].map((i) => ({ commentId: { S: `c${i}` }, userName: { S: `u${i}` }, message: { S: `m${i}` } }));
    expect(MappingTemplate.renderJson(template, { body: JSON.stringify({ Items: items, Count: 3 }) })).toEqual({
      comments: [1, 2, 3].map((i) => ({ commentId: `c${i}`, userName: `u${i}`, message: `m${i}` })),
    });
    expect(MappingTemplate.renderJson(template, { body: JSON.stringify({ Items: [] }) })).toEqual({ comments: [] });
  });
});

describe("aws-cdk-lib's StepFunctionsIntegration templates", () => {
  const vtlPath = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'aws-apigateway/lib/integrations/stepfunctions.vtl');
  const template = fs.readFileSync(vtlPath, 'utf8')
    .replace('%STATEMACHINE%', 'arn:aws:states:us-east-1:123456789012:stateMachine:M')
    .replace('%INCLUDE_HEADERS%', 'true')
    .replace('%INCLUDE_QUERYSTRING%', 'true')
    .replace('%INCLUDE_PATH%', 'true')
    .replace('%INCLUDE_AUTHORIZER%', 'true')
    .replace('%REQUESTCONTEXT%', '');

  test('the request template forwards body, headers, query string, path and authorizer as JSON', () => {
    const body = { text: HOSTILE, nested: { list: [1, 2.5, null, true] } };
    const request = {
      body: JSON.stringify(body),
      headers: { 'X-Trace': 'a "b" \\ c' },
      queryParameters: { q: 'x/y é' },
      pathParameters: { id: '42' },
      context: { authorizer: { principalId: 'user', scope: 'read write' } },
    };
    const outer = MappingTemplate.renderJson(template, request);
    expect(outer.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:M');
    expect(JSON.parse(outer.input)).toEqual({
      body,
      header: { 'X-Trace': 'a "b" \\ c' },
      querystring: { q: 'x/y é' },
      path: { id: '42' },
      authorizer: { principalId: 'user', scope: 'read write' },
    });
  });

  test("a single quote in a header breaks the execution input (aws-cdk-lib's template escapes twice)", () => {
    // The header is escaped once (' → \'), then the whole input again (\' → \\\'), and the final
    // replaceAll("\\'", "'") leaves \\' behind: inner JSON with an invalid \' escape.
    const outer = MappingTemplate.renderJson(template, { body: '{}', headers: { 'X-Name': "it's" } });
    expect(() => JSON.parse(outer.input)).toThrow(SyntaxError);
  });

  const responseTemplate = [
    "#set($inputRoot = $input.path('$'))",
    '#if($input.path(\'$.status\').toString().equals("FAILED"))',
    '#set($context.responseOverride.status = 500)',
    '{',
    '"error": "$input.path(\'$.error\')",',
    '"cause": "$input.path(\'$.cause\')"',
    '}',
    '#else',
    "$input.path('$.output')",
    '#end',
  ].join('\n');

  test('the 200 response template passes the output through raw', () => {
    const output = JSON.stringify({ result: HOSTILE });
    const result = MappingTemplate.renderWithOverrides(responseTemplate, { body: JSON.stringify({ status: 'SUCCEEDED', output }) });
    // The line break before #end is text: the response body ends with it.
    expect(result.output).toBe(`${output}\n`);
    expect(result.statusOverride).toBeUndefined();
  });

  test('a FAILED execution becomes a 500 with error and cause', () => {
    const result = MappingTemplate.renderWithOverrides(responseTemplate, { body: JSON.stringify({ status: 'FAILED', error: 'States.Timeout', cause: 'slow' }) });
    expect(result.statusOverride).toBe(500);
    expect(JSON.parse(result.output)).toEqual({ error: 'States.Timeout', cause: 'slow' });
  });
});

describe('EventBridge PutEvents (recorded AWS test)', () => {
  const template = [
    "#set($inputRoot = $input.path('$'))",
    '#set($context.requestOverride.header.X-Amz-Target = "AWSEvents.PutEvents")',
    '#set($context.requestOverride.header.Content-Type = "application/x-amz-json-1.1")',
    String.raw`{"Entries":[#foreach($elem in $inputRoot.items){"Detail":"$util.escapeJavaScript($elem.Detail).replaceAll("\\'","'")","DetailType":"$elem.DetailType","Source":"$elem.Source"}#if($foreach.hasNext),#end#end]}`,
  ].join('\n');

  test('entries with string details', () => {
    const items = [
      { Detail: JSON.stringify({ msg: HOSTILE }), DetailType: 'T', Source: 's' },
      { Detail: '{"n":1}', DetailType: 'U', Source: 's' },
    ];
    const result = MappingTemplate.renderWithOverrides(template, { body: JSON.stringify({ items }) });
    expect(result.requestOverrides.header).toEqual({ 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' });
    expect(JSON.parse(result.output)).toEqual({ Entries: items });
  });

  test('an object Detail is rendered as Java Map.toString, not JSON', () => {
    const rendered = MappingTemplate.renderJson(template, { body: JSON.stringify({ items: [{ Detail: { a: 1 }, DetailType: 'T', Source: 's' }] }) });
    expect(rendered.Entries[0].Detail).toBe('{a=1}');
  });
});

describe('Kinesis PutRecord (AWS documentation)', () => {
  test('Data is base64 of the JSON text, PartitionKey raw', () => {
    const template = `{"StreamName": "$input.params('stream-name')", "Data": "$util.base64Encode($input.json('$.Data'))", "PartitionKey": "$input.path('$.PartitionKey')"}`;
    const json = MappingTemplate.renderJson(template, {
      body: JSON.stringify({ Data: { v: HOSTILE }, PartitionKey: 'pk-1' }),
      pathParameters: { 'stream-name': 'events' },
    });
    expect(json.StreamName).toBe('events');
    expect(json.PartitionKey).toBe('pk-1');
    expect(JSON.parse(Buffer.from(json.Data, 'base64').toString('utf8'))).toEqual({ v: HOSTILE });
  });
});

describe('Step Functions StartExecution (recorded AWS test)', () => {
  test('the input is the escaped JSON body', () => {
    const template = `{"input": "$util.escapeJavaScript($input.json('$'))", "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:M"}`;
    const body = { a: 'double "quotes" and back\\slash', b: [1, { c: null }] };
    const json = MappingTemplate.renderJson(template, { body: JSON.stringify(body) });
    expect(JSON.parse(json.input)).toEqual(body);
  });
});

describe('literal text routed through variables (no $ # or \\ can start VTL)', () => {
  test("#set($d = '$')#set($h = '#')#set($b = '\\') prints them back", () => {
    const template = "#set($__d = '$')#set($__h = '#')#set($__b = '\\')price: ${__d}5 ${__h}if(${__b}n)";
    expect(MappingTemplate.render(template)).toBe(String.raw`price: $5 #if(\n)`);
  });

  test('\\u0024 and \\u0023 in literal JSON text are printed as written', () => {
    expect(MappingTemplate.renderJson(String.raw`{"k": "\u0024input.body \u0023if"}`)).toEqual({ k: '$input.body #if' });
  });
});
