import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';

/** $input, $util, $context, $stageVariables and overrides, including outputs recorded on AWS. */

const render = (template: string, request?: MappingTemplateRequest) => MappingTemplate.render(template, request);

describe('outputs recorded on AWS (reference §1, §2)', () => {
  test('a missing path renders as nothing, even nested (test_input_path_template_formatting)', () => {
    expect(render('#set($r=$input.path("$.nonExisting")){"body": $r, "nested": $r.nested}', { body: '{"foo": "bar"}' }))
      .toBe('{"body": , "nested": }');
  });

  test('$input.path renders objects as Java Map.toString and arrays as compact JSON', () => {
    expect(render("$input.path('$')", { body: '{"foo":"bar"}' })).toBe('{foo=bar}');
    expect(render("$input.path('$')", { body: '{"bigger": "dict", "to": "test", "with": "separators"}' })).toBe('{bigger=dict, to=test, with=separators}');
    expect(render("$input.path('$')", { body: '[{"foo":"bar"}]' })).toBe('[{"foo":"bar"}]');
    expect(render("$input.path('$')", { body: '{"foo": [{"nested": "bar"}]}' })).toBe('{foo=[{"nested":"bar"}]}');
    expect(render("#set($r = $input.path('$'))$r[0]", { body: '[{"foo":"bar"}]' })).toBe('{foo=bar}');
    expect(render("#set($r = $input.path('$'))[$r.nested]", { body: '[{"foo":"bar"}]' })).toBe('[]');
    expect(render("$input.path('$')", { body: '[]' })).toBe('[]');
  });

  test('urlEncode is java.net.URLEncoder (test vectors)', () => {
    expect(render('$util.urlEncode($input.body)', { body: '{"some": "value"}' })).toBe('%7B%22some%22%3A+%22value%22%7D');
    expect(render('$util.urlEncode($input.body)', { body: 'some raw data' })).toBe('some+raw+data');
    expect(render('$util.urlEncode($input.body)', { body: '' })).toBe('%7B%7D');
  });

  test('an empty body renders as {} (test_input_body_formatting)', () => {
    expect(render('Action=SendMessage&MessageBody=$input.body')).toBe('Action=SendMessage&MessageBody={}');
    expect(render('[$input.body.x]', { body: '{"x": 1}' })).toBe('[]');
  });

  test('the Kinesis PutRecords run takes the #else branch for an undefined value', () => {
    const template = '{"PartitionKey": "#if($foo.bar.stuff != \'\')$foo.bar.stuff#{else}20#end"}';
    expect(MappingTemplate.renderJson(template)).toEqual({ PartitionKey: '20' });
  });

  test("AWS's own doc: #if($input.path('$.ShardCount') == '')", () => {
    const template = "#if($input.path('$.ShardCount') == '') 5 #else $input.path('$.ShardCount')#end";
    expect(render(template, { body: '{}' })).toBe(' 5 ');
    expect(render(template, { body: '{"ShardCount": 3}' })).toBe(' 3');
  });

  test('overrides set with dot, bracket and put() forms are all mutable maps', () => {
    const result = MappingTemplate.renderWithOverrides([
      '#set($context.requestOverride.header.X-Amz-Target = "AmazonSQS.SendMessage")',
      "#set($k = 'dyn')#set($context.requestOverride.querystring[$k] = 'v1')",
      '#set($context["requestOverride"].querystring["x"] = "v2")',
      "#set($d = $context.requestOverride.path.put('id', 42))",
      '#set($context.responseOverride.status = 444)',
      '#set($context.responseOverride.header.foo = "bar")',
      'done',
    ].join('\n'));
    expect(result).toEqual({
      output: 'done',
      statusOverride: 444,
      headerOverrides: { foo: 'bar' },
      requestOverrides: { header: { 'X-Amz-Target': 'AmazonSQS.SendMessage' }, querystring: { dyn: 'v1', x: 'v2' }, path: { id: '42' } },
    });
  });
});

describe('$input', () => {
  const body = JSON.stringify({ name: 'bob', age: 30, ratio: 0.5, tags: ['a', 'b/c'], nested: { ok: true, none: null }, 'partition-key': 'pk' });

  test.each([
    ["$input.json('$.name')", '"bob"'],
    ["$input.json('$.age')", '30'],
    ["$input.json('$.ratio')", '0.5'],
    ["$input.json('$.tags')", '["a","b/c"]'],
    ["$input.json('$.nested')", '{"ok":true,"none":null}'],
    ["$input.json('$.nested.none')", 'null'],
    ["$input.json('$.missing')", '""'],
    ["$input.json('$.missing.deeper')", '""'],
    ["$input.json('name')", '"bob"'],
    ["$input.json('$')", body],
    ["$input.path('$.name')", 'bob'],
    ["$input.path('$.age')", '30'],
    ["$input.path('$.nested.ok')", 'true'],
    ["$input.path('$.tags')", '["a","b\\/c"]'],
    ["$input.path('$.tags[1]')", 'b/c'],
    ["$input.path('$.tags').size()", '2'],
    ["$input.path('$.partition-key')", 'pk'],
    ["$input.path(\"$['partition-key']\")", 'pk'],
  ])('%s', (template, expected) => {
    expect(render(template, { body })).toBe(expected);
  });

  test('$input.path returns the native object; strings come back raw', () => {
    expect(render("#set($n = $input.path('$.nested'))$n.ok $n.containsKey('none') $n.keySet()", { body })).toBe('true true [ok, none]');
    expect(render("$input.path('$.s')", { body: '{"s": "line\\nbreak \\"quoted\\""}' })).toBe('line\nbreak "quoted"');
  });

  test('a body that is not JSON: $input.json gives "", $input.path gives nothing, $input.body is raw', () => {
    const request = { body: 'name=bob&x=<1>' };
    expect(render("[$input.json('$.name')][$input.path('$.name')][$input.body]", request)).toBe('[""][][name=bob&x=<1>]');
  });

  test('an empty body is {} for json/path too', () => {
    expect(render("$input.json('$') $input.path('$').size()")).toBe('{} 0');
  });

  test('$input.params(name) looks in path, then query string, then headers; missing is ""', () => {
    const request: MappingTemplateRequest = {
      pathParameters: { id: 'from-path' },
      queryParameters: { id: 'from-query', q: 'search' },
      headers: { 'X-Trace': 'trace', id: 'from-header' },
    };
    expect(render("$input.params('id') $input.params('q') $input.params('X-Trace') $input.params('x-trace') [$input.params('nope')]", request))
      .toBe('from-path search trace trace []');
    expect(render("#if($input.params('nope') == '')empty#end", request)).toBe('empty');
  });

  test('$input.params() is a map of path, querystring and header maps', () => {
    const request: MappingTemplateRequest = { pathParameters: { id: '1' }, queryParameters: { a: 'x', b: 'y' }, headers: { Accept: '*/*' } };
    expect(render('$input.params()', request)).toBe('{path={id=1}, querystring={a=x, b=y}, header={Accept=*/*}}');
    expect(render('#foreach($k in $input.params().querystring.keySet())$k=$input.params().querystring.get($k);#end', request)).toBe('a=x;b=y;');
    expect(render("$input.params().header.get('Accept') [$input.params().header.get('accept')]", request)).toBe('*/* []');
  });

  test('each $input.path call sees the original body, even if a template modifies a returned object', () => {
    expect(render("#set($d = $input.path('$').put('name', 'changed'))$input.path('$.name')", { body })).toBe('bob');
  });

  test('JSON object key order is kept; a repeated key keeps its first position and last value', () => {
    expect(render("$input.path('$')", { body: '{"b": 1, "2": 2, "a": 3, "b": 4}' })).toBe('{b=4, 2=2, a=3}');
  });

  test('JSONPath wildcards, deep scan, slices and negative indexes return lists', () => {
    const items = { body: '{"items": [{"id": 1, "sub": {"id": 9}}, {"id": 2}, {"id": 3}]}' };
    expect(render("$input.path('$.items[*].id')", items)).toBe('[1,2,3]');
    expect(render("$input.json('$..id')", items)).toBe('[1,9,2,3]');
    expect(render("$input.json('$.items[0:2]')", items)).toBe('[{"id":1,"sub":{"id":9}},{"id":2}]');
    expect(render("$input.path('$.items[-1].id')", items)).toBe('3');
    expect(render("$input.json('$.items[5].id')", items)).toBe('""');
    expect(render("$input.json('$.items[*].nope')", items)).toBe('[]');
    expect(render("$input.path('$.items[0,2]').size()", items)).toBe('2');
    expect(render("$input.json('$.items[0].*')", items)).toBe('[1,{"id":9}]');
  });

  test('JSONPath that this renderer cannot follow exactly fails loudly', () => {
    expect(() => render("$input.path('$..items.length()')", { body: '{}' })).toThrow(/a function after "\.\." .*is not supported/);
    expect(() => render("$input.path('$.items.first()')", { body: '{}' })).toThrow(/the function first\(\) is not supported/);
  });
});

describe('$util', () => {
  test('escapeJavaScript (commons-lang 2.6)', () => {
    expect(render(String.raw`$util.escapeJavaScript($input.body)`, { body: `He said "it's" a\\b/c\n\t\r\b\f\u0001\u001f\u007f é€😀` }))
      .toBe(String.raw`He said \"it\'s\" a\\b\/c\n\t\r\b\f\u0001\u001F` + '\u007f' + String.raw` \u00E9\u20AC\uD83D\uDE00`);
    expect(render('[$util.escapeJavaScript($missing)]')).toBe('[]');
    expect(render("$util.escapeJavaScript($input.json('$.missing'))", { body: '{}' })).toBe('\\"\\"');
  });

  test('escapeJavaScript of a map escapes its Java toString', () => {
    expect(render("$util.escapeJavaScript($input.path('$'))", { body: '{"a": "x\'y"}' })).toBe("{a=x\\'y}");
  });

  test('urlEncode / urlDecode', () => {
    expect(render("$util.urlEncode('a b&c=d/é*~._-')")).toBe('a+b%26c%3Dd%2F%C3%A9*%7E._-');
    expect(render("$util.urlDecode('a+b%26c%3Dd%2F%C3%A9*%7E._-')")).toBe('a b&c=d/é*~._-');
    expect(() => render("$util.urlDecode('%zz')")).toThrow(/Illegal hex characters/);
  });

  test('base64Encode / base64Decode (UTF-8, standard alphabet, padded)', () => {
    expect(render("$util.base64Encode('hello') $util.base64Encode('é😀') $util.base64Encode('')")).toBe('aGVsbG8= w6nwn5iA ');
    expect(render("$util.base64Decode('aGVsbG8=') $util.base64Decode('w6nwn5iA') $util.base64Decode('aGVsbG8')")).toBe('hello é😀 hello');
    expect(() => render("$util.base64Decode('not base64!')")).toThrow(/render error.*Base64/);
  });

  test('parseJson returns maps and lists', () => {
    const template = String.raw`#set($o = $util.parseJson($input.path('$.payload')))$o.key2.arr[0] $o.key2 $o.size()`;
    expect(render(template, { body: JSON.stringify({ payload: '{"key1": "v", "key2": {"arr": [1, 2]}}' }) })).toBe('1 {arr=[1,2]} 2');
    expect(() => render("$util.parseJson('{oops')")).toThrow(/render error.*not JSON/);
  });

  test('unknown $util functions are null on AWS, an error in strict mode (the default)', () => {
    expect(MappingTemplate.render('[$util.nope("x")]', {}, { strict: false })).toBe('[]');
    expect(() => render('[$util.nope("x")]')).toThrow(/com.amazonaws.apigateway.util.Util has no method nope\(String\)/);
  });
});

describe('$context and $stageVariables', () => {
  test('realistic defaults', () => {
    expect(render('$context.requestTime|$context.requestTimeEpoch|$context.stage|$context.httpMethod|$context.identity.sourceIp|$context.authorizer'))
      .toBe('09/Apr/2015:12:34:56 +0000|1428582896000|prod|POST|203.0.113.10|');
    expect(render('$context.requestId')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // AWS's fixed order (recorded); no authorizer key when no authorizer ran.
    expect(render('#foreach($k in $context.keySet())$k #end')).toBe(
      'resourceId resourcePath httpMethod extendedRequestId requestTime path accountId protocol requestOverride stage domainPrefix ' +
      'requestTimeEpoch requestId identity domainName deploymentId responseOverride apiId ');
    expect(render('[$context.identity.user][$context.identity.cognitoIdentityId]')).toBe('[][]');
  });

  test('caller values are deep-merged over the defaults', () => {
    const request: MappingTemplateRequest = {
      context: { httpMethod: 'GET', identity: { userAgent: 'curl/8' }, authorizer: { principalId: 'user-1', count: 1, admin: true, claims: { sub: 'abc' } } },
    };
    expect(render('$context.httpMethod $context.identity.userAgent $context.identity.sourceIp $context.authorizer.claims.sub $context.authorizer.principalId', request))
      .toBe('GET curl/8 203.0.113.10 abc user-1');
    // Lambda authorizer context values arrive as strings.
    expect(render("#if($context.authorizer.count == '1' && $context.authorizer.admin.equals('true'))strings#end", request)).toBe('strings');
  });

  test('$stageVariables', () => {
    const request: MappingTemplateRequest = { stageVariables: { backendUrl: 'api.example.com', 'with-dash': 'd' } };
    expect(render("$stageVariables.backendUrl ${stageVariables['backendUrl']} $stageVariables['with-dash'] [$stageVariables.none]", request))
      .toBe('api.example.com api.example.com d []');
  });

  test('$method and $integration are not template variables', () => {
    expect(render('[$method.request.path.id][$integration.request.header.x]')).toBe('[][]');
  });

  test('each render starts from fresh override maps', () => {
    MappingTemplate.render('#set($context.responseOverride.status = 500)');
    expect(MappingTemplate.renderWithOverrides('x').statusOverride).toBeUndefined();
  });

  test('a status override must be an integer from 100 to 599', () => {
    const status = (v: string) => MappingTemplate.renderWithOverrides(`#set($context.responseOverride.status = ${v})`).statusOverride;
    expect(status('201')).toBe(201);
    expect(status("'404'")).toBe(404);
    expect(status('99')).toBeUndefined();
    expect(status('600')).toBeUndefined();
    expect(status("'abc'")).toBeUndefined();
    expect(status('4.5')).toBeUndefined();
  });
});
