import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';

/** Velocity 1.7 syntax as API Gateway parses it: references, directives, literals, whitespace. */

const render = (template: string, request?: MappingTemplateRequest) => MappingTemplate.render(template, request);

describe('references', () => {
  const vars = "#set($a = 'A')#set($m = {'k': 'v', 'n': {'x': 'deep'}})#set($l = ['zero', 'one'])";

  test.each([
    ['$a', 'A'],
    ['$!a', 'A'],
    ['${a}', 'A'],
    ['$!{a}', 'A'],
    ['${a}b', 'Ab'],
    ['$m.k $m.n.x', 'v deep'],
    ["$m['k'] $m[\"k\"] $m.n['x']", 'v v deep'],
    ['$l[0] $l[1] $l[-1]', 'zero one one'],
    ["$m.get('k').toUpperCase().length()", '1'],
    ["$l.get(0).substring(1, 3)", 'er'],
    ['$m.n.x.replace("e", "E")', 'dEEp'],
    ['${m.n.x}!', 'deep!'],
  ])('%s', (template, expected) => {
    expect(render(vars + template)).toBe(expected);
  });

  test('identifiers may contain hyphens: $a-1 is one reference; ${a}-1 is not', () => {
    expect(render("#set($a = 5)$a-1|${a}-1")).toBe('|5-1');
    expect(render('$elem.partition-key', { context: {} })).toBe('');
    expect(render("#set($elem = {'partition-key': 'pk'})$elem.partition-key")).toBe('pk');
  });

  test('#set through hyphenated property names', () => {
    const result = MappingTemplate.renderWithOverrides('#set($context.responseOverride.header.X-Foo = "bar")');
    expect(result.headerOverrides).toEqual({ 'X-Foo': 'bar' });
  });

  test('null and undefined references print as nothing, with or without $!', () => {
    expect(render('[$nothing][$!nothing][${nothing}][$nothing.deeper.still()][$input.nope]')).toBe('[][][][][]');
  });

  test('a $ that does not start a reference is text', () => {
    expect(render('$5 $ $. $-x ${5} $[0] $![0] costs $9.99')).toBe('$5 $ $. $-x ${5} $[0] $![0] costs $9.99');
  });

  test('a dot not followed by a letter ends the reference', () => {
    expect(render("#set($a = 'A')$a. $a.5 $a._x")).toBe('A. A.5 A._x');
  });

  test('a reference followed by "(" without a method name keeps the parenthesis as text', () => {
    expect(render("#set($a = 'A')$a(x)")).toBe('A(x)');
  });

  test('escaped references: \\$a prints $a when $a is defined and \\$a when it is not', () => {
    expect(render(String.raw`#set($a = 'A')\$a \$b \\$a \\$b \\\$a`)).toBe(String.raw`$a \$b \A \ \$a`);
  });

  test('backslashes not before a reference or directive are text', () => {
    expect(render(String.raw`C:\path\\to \n`)).toBe(String.raw`C:\path\\to \n`);
  });
});

describe('directives', () => {
  test('#if / #elseif / #else', () => {
    const t = "#if($n == 1)one#elseif($n == 2)two#else other#end";
    expect(render("#set($n = 1)" + t)).toBe('one');
    expect(render("#set($n = 2)" + t)).toBe('two');
    expect(render("#set($n = 3)" + t)).toBe(' other');
  });

  test('bracketed forms #{if} #{elseif} #{else} #{end} and #{set}', () => {
    expect(render('#{set}($x = 2)#{if}($x == 1)a#{elseif}($x == 2)b#{else}c#{end}d')).toBe('bd');
    expect(render('#if(true)x#{end}y')).toBe('xy');
  });

  test('#if with whitespace before "(" and inside the condition', () => {
    expect(render('#if ( true && !false )yes#end')).toBe('yes');
  });

  test('#foreach with $foreach.hasNext, index, count, first, last and $velocityCount', () => {
    expect(render('#foreach($x in ["a", "b", "c"])$x#if($foreach.hasNext),#end#end')).toBe('a,b,c');
    expect(render('#foreach($x in [1..3])$foreach.index/$foreach.count/$velocityCount/$foreach.first/$foreach.last #end'))
      .toBe('0/1/1/true/false 1/2/2/false/false 2/3/3/false/true ');
  });

  test('#foreach over a range counts down too, and over a map iterates its values', () => {
    expect(render('#foreach($i in [3..1])$i#end')).toBe('321');
    expect(render("#set($m = {'a': 1})#foreach($v in $input.path('$'))$v;#end", { body: '{"x": 1, "y": "two"}' })).toBe('1;two;');
  });

  test('#foreach over null or a non-collection renders nothing', () => {
    expect(render('#foreach($x in $missing)x#end#foreach($x in "abc")x#end.')).toBe('.');
  });

  test('the loop variable, $velocityCount and $foreach are restored after the loop', () => {
    expect(render("#set($x = 'before')#foreach($x in [1, 2])#end$x|$velocityCount|$foreach")).toBe('before||');
    expect(render('#foreach($i in [1, 2])#foreach($j in [1, 2])$foreach.parent.index$foreach.index #end#end')).toBe('00 01 10 11 ');
  });

  test('#foreach stops after 1000 iterations, as API Gateway caps it', () => {
    expect(render('#set($n = 0)#foreach($i in [1..5000])#set($n = $n + 1)#end$n')).toBe('1000');
  });

  test('a range too large to build fails instead of exhausting memory', () => {
    expect(() => render("#foreach($i in [1..$input.path('$.n')])#end", { body: '{"n": 2000000000}' })).toThrow(/render error.*refusing to build/);
  });

  test('#break leaves the innermost loop; #stop ends the template', () => {
    expect(render('#foreach($i in [1..5])$i#if($i == 2)#break#end#end.')).toBe('12.');
    expect(render('a#stop b')).toBe('a');
    expect(render('#foreach($i in [1..3])$i#if($i == 2)#stop#end#end.')).toBe('12');
  });

  test('#set with a null value leaves the variable unchanged (Velocity 1.7 default)', () => {
    expect(render("#set($x = 'old')#set($x = $missing)$x")).toBe('old');
    expect(render("#foreach($i in [1, 2])#set($v = $input.path(\"$.items[$i]\"))$v #end", { body: '{"items": ["a", "b"]}' })).toBe('b b ');
  });

  test('#set into maps and lists: properties, keys and indexes', () => {
    expect(render("#set($m = {})#set($m.a = 1)#set($m['b'] = 2)#set($k = 'c')#set($m[$k] = 3)$m.a$m.b$m.c")).toBe('123');
    expect(render("#set($l = [1, 2, 3])#set($l[0] = 'x')#set($l[-1] = 'z')$l")).toBe('[x, 2, z]');
    expect(render("#set($missing.a = 1)ok")).toBe('ok');
  });

  test('## line comments swallow their line break; #* *# block comments', () => {
    expect(render('Action=SendMessage##\n&MessageBody=x')).toBe('Action=SendMessage&MessageBody=x');
    expect(render('a ## comment\nb')).toBe('a b');
    expect(render('a#* multi\nline *#b#** doc *#c')).toBe('abc');
    expect(render('a#* never closed')).toBe('a');
  });

  test('#[[ ]]# prints its content unparsed', () => {
    expect(render('#[[$input.body #if(]]#!')).toBe('$input.body #if(!');
  });

  test('a # that is not a directive is text', () => {
    expect(render('color: #fff; #1e90ff #123 # x #ffffff (dark) #endpoint #iffy')).toBe('color: #fff; #1e90ff #123 # x #ffffff (dark) #endpoint #iffy');
  });

  test('escaped directives print as text', () => {
    expect(render(String.raw`\#if \#end \#foreach \#set($x = 1) \#notadirective`)).toBe(String.raw`#if #end #foreach #set( = 1) \#notadirective`);
    expect(render(String.raw`\\#if(true)x#end`)).toBe(String.raw`\x`);
  });

  test.each(['#include("x")', '#parse("x")'])('%s is rejected (API Gateway has no other templates to read)', (t) => {
    expect(() => render(t)).toThrow(/does not support/);
  });
});

describe('whitespace (Velocity 1.7 lexer rules)', () => {
  test('a #set line disappears entirely: leading indentation at a token start and its line break', () => {
    expect(render('#set($a = 1)\nx')).toBe('x');
    expect(render('  #set($a = 1)\nx')).toBe('x');
    expect(render('#if(true)\n    #set($a = 1)\n#end\nx')).toBe('x');
  });

  test('indentation after text on the same TEXT token is kept before #set', () => {
    // The TEXT token `a\n  ` already holds the spaces, so #set cannot swallow them.
    expect(render('a\n  #set($a = 1)\nb')).toBe('a\n  b');
  });

  test('whitespace between a reference and #set is swallowed', () => {
    expect(render("#set($a = 'A')$a #set($b = 1)|")).toBe('A|');
  });

  test("a directive's ) swallows trailing spaces plus one line break, and only with the line break", () => {
    expect(render('#if(true)  \nx#end')).toBe('x');
    expect(render('#if(true)  x#end')).toBe('  x');
    expect(render('#if(true)\n\nx#end')).toBe('\nx');
    expect(render('#set($a = 1)   x')).toBe('   x');
    expect(render('#set($a = 1)\r\nx')).toBe('x');
  });

  test('#else and #end swallow trailing spaces plus one line break', () => {
    expect(render('#if(false)a#else  \nb#end  \nc')).toBe('bc');
    expect(render('#if(true)a#end c')).toBe('a c');
  });

  test('indentation before #if, #foreach and #end is printed', () => {
    expect(render('  #if(true)\n  x\n  #end\n')).toBe('    x\n  ');
    expect(render('{\n  #foreach($i in [1, 2])\n  $i\n  #end\n}')).toBe('{\n    1\n    2\n  }');
  });

  test('a typical JSON template', () => {
    const template = [
      '#set($root = $input.path(\'$\'))',
      '{',
      '  "items": [',
      '#foreach($item in $root.items)',
      '    {"id": "$item.id"}#if($foreach.hasNext),#end',
      '',
      '#end',
      '  ]',
      '}',
    ].join('\n');
    expect(render(template, { body: '{"items": [{"id": 1}, {"id": 2}]}' })).toBe('{\n  "items": [\n    {"id": "1"},\n    {"id": "2"}\n  ]\n}');
  });

  test('output is not trimmed', () => {
    expect(render('  \n x \n\n')).toBe('  \n x \n\n');
  });
});

describe('literals and string interpolation', () => {
  test('double-quoted strings interpolate; single-quoted strings do not', () => {
    expect(render("#set($a = 'A')#set($d = \"<$a>\")#set($s = '<$a>')$d $s")).toBe('<A> <$a>');
  });

  test('doubled quotes inside a string stand for one quote', () => {
    expect(render(`#set($a = 'it''s')#set($b = "say ""hi""")$a $b`)).toBe(`it's say "hi"`);
  });

  test('\\u escapes are decoded in double-quoted strings only; other backslashes stay', () => {
    expect(render(String.raw`#set($a = "\u0041\u00e9")#set($b = '\u0041')$a $b`)).toBe(String.raw`Aé \u0041`);
    // "\\'" is three characters; as a Java regex it matches a literal \'
    expect(render(String.raw`#set($a = "\\'")$a.length() $a`)).toBe(String.raw`3 \\'`);
  });

  test('an interpolated string renders null references as nothing and can hold directives', () => {
    expect(render('#set($x = "[$missing]")$x')).toBe('[]');
    expect(render('#set($x = "#if(true)yes#end")$x')).toBe('yes');
    expect(render('#set($x = "cost: $")$x')).toBe('cost: $');
  });

  test('numbers, booleans, lists, maps, ranges', () => {
    expect(render('#set($a = [1, "two", true, 1.5, [3]])$a')).toBe('[1, two, true, 1.5, [3]]');
    expect(render('#set($r = [1..4])$r $r.size()')).toBe('[1, 2, 3, 4] 4');
    expect(render('#set($n = 3)#set($r = [$n..1])$r')).toBe('[3, 2, 1]');
    expect(render("#set($m = {'k': 'v', 'n': 1})$m.k $m.n")).toBe('v 1');
    expect(render('#set($e = [])#set($f = {})$e $f $e.size() $f.isEmpty()')).toBe('[] {} 0 true');
  });

  test('map literals are java.util.LinkedHashMaps (Velocity 1.7 ASTMap): they keep source order', () => {
    expect(render("#set($m = {'b': 1, 'a': 2, 'c': 3})$m")).toBe('{b=1, a=2, c=3}');
    // A HashMap would list these as "name id status" (buckets 8, 11, 15 of a 16-bucket table).
    expect(render("#set($m = {'status': 1, 'id': 2, 'name': 3})#foreach($k in $m.keySet())$k #end")).toBe('status id name ');
    expect(render("#set($m = {'status': 1, 'id': 2})#set($_ = $m.put('name', 3))#set($_ = $m.put('id', 4))$m")).toBe('{status=1, id=4, name=3}');
  });

  test('there is no null literal in Velocity 1.7', () => {
    expect(() => render('#if($x == null)y#end')).toThrow(/no null literal/);
    expect(render('#if($x == $null)y#end')).toBe('y');
  });
});

describe('syntax errors name the line and column', () => {
  test.each([
    ['#if($a)\nnever closed', /line 1, column 1: #if has no matching #end/],
    ['ok\n  #foreach($x in $l)\n', /line 2, column 3: #foreach has no matching #end/],
    ['x\n#end', /line 2, column 1: found #end without a matching #if, #foreach/],
    ['#else', /found #else outside #if/],
    ['#if(true)a#else b#elseif(true)c#end', /found #elseif after #else/],
    ['#if(true', /line 1, column 9: expected "\)" to close #if/],
    ['#if ok', /#if must be followed by "\("/],
    ['${a', /expected "}" to close "\$\{"/],
    ['$a.b(', /line 1, column 6: expected a value/],
    ['$a.b($c + 1)', /expected "," or "\)" in the method call/],
    ['#set($a = "abc)', /unterminated string literal/],
    ['#set(1 = 2)', /#set needs a reference/],
    ['#set($a 1)', /expected "=" in #set/],
    ['#foreach($x)#end', /#foreach arguments must be/],
    ['#set($b = $a -1)', /expected "\)" to close #set/],
    ['price: 5$', /encountered <EOF> after "\$"/],
    ['#[[ never closed', /unclosed #\[\[/],
    ['$l[x]', /invalid index/],
    ['#set($a = "\\uZZZZ")', /invalid unicode escape/],
  ])('%j', (template, message) => {
    expect(() => render(template)).toThrow(message);
    expect(() => render(template)).toThrow(/^Mapping template syntax error at line \d+, column \d+: /);
  });

  test('an error inside an interpolated string points at the string', () => {
    expect(() => render('\n#set($a = "#if(true)")')).toThrow(/line 2, column 11: #if has no matching #end/);
  });
});
