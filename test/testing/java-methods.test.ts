import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';

/**
 * The Java methods of String, List and Map that templates call, with the JVM's results (each
 * expectation is what Java 11+ prints for the same call).
 */

const render = (template: string, request?: MappingTemplateRequest) => MappingTemplate.render(template, request);
const q = (v: string) => ({ queryParameters: { v } });

describe('String methods', () => {
  test('repeat, isBlank, strip, stripLeading, stripTrailing (Character.isWhitespace, not trim\'s <= U+0020)', () => {
    expect(render("#set($s = 'ab')$s.repeat(3)|$s.repeat(0)|")).toBe('ababab||');
    expect(() => render("#set($s = 'ab')$s.repeat(-1)")).toThrow(/IllegalArgumentException: count is negative: -1/);
    expect(render('#set($e = "")$input.params("v").isBlank() $e.isBlank()', q(' \t\u2003\n'))).toBe('true true');
    expect(render('$input.params("v").isBlank()', q('\u00a0'))).toBe('false'); // a no-break space is not whitespace
    expect(render('[$input.params("v").strip()][$input.params("v").stripLeading()][$input.params("v").stripTrailing()][$input.params("v").trim()]', q('\u2003 a b\t\u2003')))
      .toBe('[a b][a b\t\u2003][\u2003 a b][\u2003 a b\t\u2003]');
  });

  test('String.format through any string ("".format), with Java\'s conversions, flags and errors', () => {
    expect(render("#set($e = '')$e.format('%s-%05d|%-4s|%x|%,d|%.2f|%b|%c', 'a', 42, 'ab', 255, 1234567, 0.125, $missing, 'z')"))
      .toBe('a-00042|ab  |ff|1,234,567|0.13|false|z');
    expect(render("#set($e = '')#set($f = '%2$s %1$s')$f.formatted('x', 'y') $e.format('%e|%g|%S', 12345.678, 0.0001, 'up')"))
      .toBe('y x 1.234568e+04|0.000100000|UP');
    // A String[] passed alone is the varargs array.
    expect(render("#set($e = '')#set($ab = 'a,b')#set($parts = $ab.split(','))$e.format('%s+%s', $parts)")).toBe('a+b');
    expect(() => render("#set($e = '')$e.format('%d', 'x')")).toThrow(/IllegalFormatConversionException: d != java.lang.String/);
    expect(() => render("#set($e = '')$e.format('%s %s', 'x')")).toThrow(/MissingFormatArgumentException: Format specifier '%s'/);
    expect(() => render("#set($e = '')$e.format('%f', 1)")).toThrow(/IllegalFormatConversionException: f != java.lang.Integer/);
  });

  test('join (varargs and Iterable), valueOf, chars, codePoints, lines', () => {
    expect(render("#set($e = '')$e.join('-', 'a', 'b', 'c')|$e.join(', ', ['x', 'y'])|$e.join('/', $e.concat('a,b').split(','))")).toBe('a-b-c|x, y|a/b');
    expect(() => render("#set($e = '')$e.join(',', [1, 2])")).toThrow(/ClassCastException: java.lang.Integer cannot be cast to java.lang.CharSequence/);
    expect(render("#set($e = '')$e.valueOf(12)|$e.valueOf(true)|$e.valueOf([1, 'a'])")).toBe('12|true|[1, a]');
    expect(() => render("#set($e = '')$e.valueOf($missing)")).toThrow(/NullPointerException/);
    expect(render("#set($s = 'héllo')#set($ab = 'ab')$s.chars().count() $s.chars().sum() #foreach($c in $ab.chars())$c,#end")).toBe('5 664 97,98,');
    expect(render("#set($s = 'a\u{1F600}b')$s.length() $s.codePoints().count() $s.codePointAt(1) $s.codePointCount(0, $s.length())")).toBe('4 3 128512 3');
    expect(render('#foreach($l in $input.params("v").lines())[$l]#end $input.params("v").lines().count()', q('a\r\nb\n\nc\n'))).toBe('[a][b][][c] 4');
  });

  test('toCharArray, getBytes, subSequence, contentEquals, regionMatches, compareToIgnoreCase, indexOf(int)', () => {
    expect(render("#set($s = 'abc')#foreach($c in $s.toCharArray())$c.#end $s.toCharArray().size()")).toBe('a.b.c. 3');
    expect(render("#set($s = 'é!')#set($b = $s.getBytes())$b.size() $b.get(0) $b.get(2) $s.getBytes('ISO-8859-1').get(0)")).toBe('3 -61 33 -23');
    expect(render("#set($s = 'hello')$s.subSequence(1, 3) $s.contentEquals('hello')")).toBe('el true');
    expect(render("#set($s = 'Hello World')#set($h = 'Hello')$s.regionMatches(6, 'xWorld', 1, 5) $h.regionMatches(true, 0, 'HELP', 0, 3) $h.regionMatches(0, 'He', 0, 3)"))
      .toBe('true true false');
    expect(render("#set($a = 'abc')#set($b = 'Straße')#set($c = 'ǅ')$a.compareToIgnoreCase('ABD') $b.equalsIgnoreCase('STRASSE') $c.equalsIgnoreCase('ǆ')")).toBe('-1 false true');
    expect(render("#set($s = 'abcabc')$s.indexOf(98) $s.lastIndexOf(98) $s.indexOf(98, 2) $s.indexOf('c', -5)")).toBe('1 4 4 2');
  });

  test('split keeps Java\'s rules: trailing empty strings dropped unless a negative limit; a limit caps the parts', () => {
    expect(render("#set($s = 'a,b,,')#set($t = 'a,b,c')#set($p = $s.split(','))$p.size()|$s.split(',', -1).size()|#foreach($x in $t.split(',', 2))[$x]#end")).toBe('2|4|[a][b,c]');
  });

  test('bean properties are getters and boolean is-methods: $s.empty, $s.blank, $s.bytes, $e.key', () => {
    expect(render("#set($s = ' ')#set($m = {'k': 'v'})$s.empty $s.blank $s.bytes.size() #foreach($e in $m.entrySet())$e.key=$e.value#end [$s.length]"))
      .toBe('false true 1 k=v []');
  });

  test('getClass() and $x.class name the Java class', () => {
    expect(render("#set($s = 'a')#set($l = [1])$s.getClass().getName() $input.path('$').class.simpleName $input.path('$.l').class.name $l.getClass()", { body: '{"l": [1]}' }))
      .toBe('java.lang.String LinkedHashMap net.minidev.json.JSONArray class java.util.ArrayList');
  });
});

describe('List methods', () => {
  test('addAll at an index, containsAll, removeAll, retainAll, indexOf, lastIndexOf, hashCode', () => {
    expect(render("#set($l = ['a', 'b'])#set($_ = $l.addAll(1, ['x', 'y']))$l $l.containsAll(['a', 'y']) $l.containsAll(['z'])"))
      .toBe('[a, x, y, b] true false');
    expect(render("#set($l = [1, 2, 3, 2])#set($m = [1, 2, 3])#set($_ = $l.removeAll([2]))#set($_ = $m.retainAll([3, 1]))$l $m $m.lastIndexOf(3)"))
      .toBe('[1, 3] [1, 3] 1');
    expect(render("#set($l = ['a', 'b'])#set($e = [])$l.hashCode() $e.hashCode()")).toBe('4066 1');
  });

  test('sort($null) sorts in natural order; mixed types are a ClassCastException', () => {
    expect(render("#set($l = ['b', 'C', 'a'])#set($n = [3, 1, 2])#set($_ = $l.sort($null))#set($_ = $n.sort($null))$l $n")).toBe('[C, a, b] [1, 2, 3]');
    expect(() => render("#set($l = ['b', 1])$l.sort($null)")).toThrow(/ClassCastException/);
  });

  test('toArray, toJSONString of a JSON array, subList', () => {
    expect(render("#set($a = [1])$input.path('$.l').toJSONString() $input.path('$.l').subList(1, 2) $a.toArray().size()", { body: '{"l": ["a/b", 2]}' }))
      .toBe('["a\\/b",2] [2] 1');
  });
});

describe('Map methods', () => {
  test('remove(key, value), replace(key, value), replace(key, old, new), hashCode', () => {
    expect(render("#set($m = {'a': 1, 'b': 2})$m.remove('a', 2) $m.remove('a', 1) $m.replace('b', 3) $m.replace('z', 1) $m.replace('b', 3, 4) $m"))
      .toBe('false true 2  true {b=4}');
    expect(render("#set($m = {'a': 1})#set($e = {})$m.hashCode() $e.hashCode()")).toBe('96 0');
  });

  test('keySet(), values() and entrySet() are views: removing from them removes from the map, adding is unsupported', () => {
    expect(render("#set($m = {'a': 1, 'b': 2, 'c': 3})#set($_ = $m.keySet().remove('a'))#set($_ = $m.values().remove(3))$m")).toBe('{b=2}');
    expect(() => render("#set($m = {'a': 1})$m.keySet().add('b')")).toThrow(/UnsupportedOperationException/);
    expect(render("#set($m = {'a': 1})#foreach($e in $m.entrySet())#set($_ = $e.setValue(5))#end$m")).toBe('{a=5}');
    // Removing from the map while iterating its keySet() fails fast, as Java's iterator does.
    expect(() => render("#set($m = {'a': 1, 'b': 2})#foreach($k in $m.keySet())#set($_ = $m.remove($k))#end")).toThrow(/ConcurrentModificationException/);
  });
});

describe('strict mode (the default): a method Java would not find fails the render', () => {
  test('an unknown method or a wrong argument type names the class, the method and the place', () => {
    expect(() => render("#set($s = 'a')\n$s.lenght()")).toThrow(/line 2, column 4: String has no method lenght\(\) \(in \$s.lenght\(\)\)/);
    expect(() => render('#set($m = {})$m.get()')).toThrow(/LinkedHashMap has no method get\(\)/);
    expect(() => render("#set($l = [1])$l.get('0')")).toThrow(/ArrayList has no method get\(String\)/);
    expect(() => render("$input.path('$').nope(1)", { body: '[1]' })).toThrow(/JSONArray has no method nope\(Integer\)/);
  });

  test('with { strict: false } it prints nothing, as API Gateway does', () => {
    expect(MappingTemplate.render("#set($s = 'a')[$s.lenght()][$input.nope()]", {}, { strict: false })).toBe('[][]');
    expect(MappingTemplate.renderJson('{"a": "$input.path(\'$.a\').nope()"}', { body: '{"a": "x"}' }, { strict: false })).toEqual({ a: '' });
  });

  test('$foreach has the methods of Velocity 1.7\'s ForeachScope', () => {
    expect(render('#foreach($x in [1, 2])$x#if($foreach.hasNext()),#end$foreach.getIndex()$foreach.isLast()#end')).toBe('1,0false21true');
  });

  test('a method on a null reference is not a strict-mode error (nothing is called on AWS either)', () => {
    expect(render('[$missing.anything()][$input.path(\'$.none\').trim()]')).toBe('[][]');
  });
});
