import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';

/**
 * Behaviour taken from recordings on real API Gateway (the corpus in fixtures/vtl-corpus-recorded.jsonl;
 * the ids named below are its cases).
 */

const render = (template: string, request?: MappingTemplateRequest) => MappingTemplate.render(template, request);

describe('$context as AWS prints it (ls-sqs-context-keyset-dump)', () => {
  test('the nested maps (identity, requestOverride, responseOverride and their sub-maps) print as ""', () => {
    expect(render('[$context.identity][$context.requestOverride][$context.requestOverride.header][$context.requestOverride.path]' +
      '[$context.requestOverride.querystring][$context.responseOverride][$context.responseOverride.header]')).toBe('[][][][][][][]');
    expect(render('#foreach($k in $context.keySet())#if($k == "identity")[$context.get($k)]#end#end')).toBe('[]');
  });

  test('values in them still read, set and list as a map', () => {
    expect(render('#set($context.responseOverride.header.foo = "bar")$context.responseOverride.header.foo ' +
      '$context.identity.sourceIp #foreach($k in $context.requestOverride.keySet())$k #end#foreach($k in $context.identity.keySet())$k,#end'))
      .toBe('bar 203.0.113.10 path header querystring cognitoIdentityPoolId,accountId,cognitoIdentityId,caller,sourceIp,principalOrgId,' +
        'accessKey,cognitoAuthenticationType,cognitoAuthenticationProvider,userArn,userAgent,user,');
  });

  test('no authorizer key unless an authorizer ran; given one, it is there', () => {
    expect(render('#foreach($k in $context.keySet())$k #end')).not.toMatch(/authorizer/);
    expect(render('$context.containsKey("authorizer") [$context.authorizer.principalId]')).toBe('false []');
    expect(render('$context.containsKey("authorizer") $context.authorizer.principalId', { context: { authorizer: { principalId: 'u-1' } } }))
      .toBe('true u-1');
  });

  test('identity.userAgent is the request\'s User-Agent header (any case), empty without one', () => {
    expect(render('$context.identity.userAgent', { headers: { 'User-Agent': 'python/requests/tests' } })).toBe('python/requests/tests');
    expect(render('$context.identity.userAgent', { headers: { 'user-agent': 'curl/8' } })).toBe('curl/8');
    expect(render('[$context.identity.userAgent]')).toBe('[]');
    expect(render('$context.identity.userAgent', { headers: { 'User-Agent': 'curl/8' }, context: { identity: { userAgent: 'given' } } })).toBe('given');
  });

  test('isCanaryRequest answers "false" without being listed in keySet (ls-canary-default-deployment)', () => {
    expect(render('$context.isCanaryRequest #foreach($k in $context.keySet())#if($k == "isCanaryRequest")listed#end#end')).toBe('false ');
    expect(render('$context.isCanaryRequest', { context: { isCanaryRequest: true } })).toBe('true');
  });
});

describe('a body that is not JSON (ToQoz\'s 2015 recordings)', () => {
  test('$input.json(\'$\') gives the raw text as a JSON string; $input.path(\'$\') the raw text', () => {
    expect(render("$input.json('$')", { body: 'a=b' })).toBe('"a=b"');
    expect(render("$input.path('$')", { body: 'a{b' })).toBe('a{b');
    expect(render("{\"name\": \"$input.path('$')\"}", { body: 'name=toqoz' })).toBe('{"name": "name=toqoz"}');
    expect(render("$input.path('$')|$input.path('$.a')|$input.json('$.a')", { body: 'null{' })).toBe('null{||""');
  });

  test('text that starts like an object or array fails the request (API Gateway answered 400)', () => {
    expect(() => render("$input.path('$')", { body: '{a' })).toThrow(/Could not process payload/);
    expect(() => render("$input.json('$')", { body: ' [a' })).toThrow(/Could not process payload/);
    // Only when the template reads it.
    expect(render('$input.body', { body: '{a' })).toBe('{a');
  });

  test('$input and $util alone print nothing', () => {
    expect(render('[$input][$util]')).toBe('[][]');
  });
});
