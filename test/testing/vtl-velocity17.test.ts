import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';

/**
 * Behaviour of Velocity 1.7 the renderer follows. Each expectation was checked by running the same
 * template on Velocity 1.7 (org.apache.velocity:velocity:1.7) on the JVM.
 */

const render = (template: string, request?: MappingTemplateRequest) => MappingTemplate.render(template, request);

describe('$\\! (slashbang) references', () => {
  // Stock Velocity 1.7 prints their null text ($!s); with API Gateway's null-as-empty rendering (checked
  // on Velocity 1.7 with a reference-insertion handler that turns null into "") they print nothing.
  test('are quiet: never computed, they print nothing, leading backslashes and the rest of the reference included', () => {
    expect(render(String.raw`#set($s = 'hello')a$\!s|\$\!s|\\$\!s|$\\!s|$\!{s}x|$\!s.length()y|$\!nope|\$s`))
      .toBe(String.raw`a||||x|y||$s`);
  });

  test('are never evaluated (a method call in one has no effect)', () => {
    expect(render(String.raw`#set($l = [])$\!l.add(1)$l.size()`)).toBe('0');
  });

  test('without a reference name, the \\! is dropped (or the text is kept, after a brace); at the end of input it is a lexical error', () => {
    expect(render(String.raw`a$\!5|$\! x|$\!{ y`)).toBe(String.raw`a$5|$ x|$\!{ y`);
    expect(() => render(String.raw`$\!`)).toThrow(/syntax error at line 1, column 1/);
  });
});

describe('BigDecimal arithmetic keeps the digits a double would lose', () => {
  const body = '{"a": 1.12345678901234567890123, "big": 123456789012345678901234567890}';
  const calc = (expr: string) => render(`#set($bd = $input.path('$.a'))#set($bi = $input.path('$.big'))#set($r = ${expr})$r`, { body });

  test('+ - * with integers, doubles and other BigDecimals', () => {
    expect(calc('$bd + 1')).toBe('2.12345678901234567890123');
    expect(calc('$bd * 2.5')).toBe('2.808641972530864197253075');
    expect(calc('$bd - 10')).toBe('-8.87654321098765432109877');
    expect(calc('$bd - $bd')).toBe('0E-23');
    // A double operand is converted exactly (new BigDecimal(double)), binary expansion included.
    expect(calc('$bd * 0.1')).toBe('0.112345678901234574126560971664763762487282416913103588740341365337371826171875');
    // A BigInteger beside a double also computes in BigDecimal.
    expect(calc('$bi + 1.5')).toBe('123456789012345678901234567891.5');
  });

  test('/ rounds half-down to the dividend\'s scale; division by zero gives null', () => {
    expect(calc('$bd / 7')).toBe('0.16049382700176366841446');
    expect(calc('10 / $bd')).toBe('9');
    expect(calc('2.5 / $bd')).toBe('2.2');
    expect(render(`#set($r = 'kept')#set($bd = $input.path('$.a'))#set($r = $bd / 0)$r`, { body })).toBe('kept');
  });

  test('% of BigDecimals fails the render, as MathUtils.modulo throws', () => {
    expect(() => calc('$bd % 1')).toThrow(/render error at line 1, column 73: java.lang.ArithmeticException: Cannot calculate the modulo of BigDecimals/);
  });

  test('comparisons are exact: a BigDecimal differs from the nearest double', () => {
    expect(render(`#set($bd = $input.path('$.a'))#if($bd == 1.1234567890123457)eq#{else}ne#end #if($bd < 1.1234567890123457)lt#end`, { body })).toBe('ne lt');
  });

  test('float literals are doubles in Velocity 1.7', () => {
    expect(render('#set($d = 1.12345678901234567890123)$d')).toBe('1.1234567890123457');
  });
});

describe('#macro (Velocity 1.7 velocimacros)', () => {
  test('arguments are bound by position, separated by spaces or commas; missing ones are null, extra ones ignored', () => {
    expect(render('#set($s = "hello")#macro(m $a $b)[$a|$b]#end#m(1 2)#m("x", $s)#m(1)#m(1 2 3)')).toBe('[1|2][x|hello][1|][1|2]');
    expect(render('#macro(m, $a, $b)[$a$b]#end#m(1,2)')).toBe('[12]');
  });

  test('a macro can be called before its definition, and the first definition of a name wins', () => {
    expect(render('#m(1 2)#macro(m $a $b)[$a|$b]#end')).toBe('[1|2]');
    expect(render('#macro(m)A#end#m()#macro(m)B#end#m()')).toBe('AA');
    expect(render('#if(false)#macro(m)A#end#end#m()')).toBe('A');
  });

  test('arguments are passed by name: a reference argument is evaluated each time the macro reads it', () => {
    expect(render('#set($l = [])#macro(m $x)$x$x#end#m($l.add(1))$l.size()')).toBe('truetrue2');
    expect(render('#macro(m $a)$a.add(1)$a.size()#end#m([])')).toBe('true0');
    expect(render('#set($list = ["a", "b"])#macro(m $a)#foreach($i in [1,2])$a#end#end#m($i)')).toBe('12');
  });

  test('#set inside a macro is visible after it; setting an argument does not write through to the caller\'s variable', () => {
    expect(render('#macro(m $x)#set($x = 5)#set($y = 6)$x#end#set($x = 1)#m($x)|$x|$y')).toBe('5|5|6');
    expect(render('#macro(m $x)#set($x = 5)[$x]#end#set($v = 1)#m($v)|$v|$x')).toBe('[5]|1|5');
  });

  test('whitespace: the definition line disappears, the body keeps its indentation', () => {
    expect(render('#macro( m $x )\n  a$x\n#end\n#m(1)\nz')).toBe('  a1\nz');
  });

  test('a macro defined earlier is called without parentheses; \\#m prints #m', () => {
    expect(render('#macro(m)A#end#m|#m ()|#{m}()')).toBe('A|A|A');
    expect(render('#macro(m $a)[$a]#end\\#m(1)|\\\\#m(2)|\\#n(3)')).toBe('#m(1)|\\[2]|\\#n(3)');
  });

  test('a call of a macro that does not exist prints as written', () => {
    expect(render('#zz( 1  2 )\n|#@zz()x#end')).toBe('#zz( 1  2 )\n|#@zz()x#end');
  });

  test('#@m() passes its body as $bodyContent, rendered where it is read', () => {
    expect(render('#set($s = "hello")#macro(m)[$bodyContent]#end#@m()body $s#end')).toBe('[body hello]');
  });

  test('recursion works up to a depth of 20 (velocimacro.max.depth), then fails the render', () => {
    expect(render('#macro(r $n)#if($n > 0)$n#set($k = $n - 1)#r($k)#end#end#r(3)')).toBe('321');
    expect(() => render('#macro(r)#r()#end#r()')).toThrow(/render error at line 1, column 10: MacroOverflowException: Max calling depth of 20/);
  });

  test('#break ends the macro, #stop ends the template', () => {
    expect(render('#foreach($i in [1,2,3])#macro(b)#break#end#b()$i#end')).toBe('123');
    expect(render('#macro(m)#stop#end[#m()]x')).toBe('[');
  });

  test('definition errors are syntax errors with line and column', () => {
    expect(() => render('#macro()#end')).toThrow(/syntax error at line 1, column 1: the first argument of #macro\(\) must be the macro name/);
    expect(() => render('\n#macro(m $a.b)#end')).toThrow(/syntax error at line 2, column 10: #macro m: arguments must be plain references/);
    expect(() => render('#macro(m)x')).toThrow(/syntax error at line 1, column 1: #macro has no matching #end/);
  });
});

describe('#define, #evaluate, #literal', () => {
  test('#define is a block rendered each time it is printed, in the scope of that moment', () => {
    expect(render('#define($d)v=$v#end#set($v = 1)$d#set($v = 2)$d')).toBe('v=1v=2');
    expect(render('#define($d)[$v]#end#macro(m $v)$d#end#m(7)')).toBe('[7]');
    expect(render('#set($d = 1)#define( $d )x#end$d')).toBe('x');
  });

  test('#evaluate parses and renders a string in the current context', () => {
    expect(render("#set($t = '#set($q = 3)$q')#evaluate($t)|$q")).toBe('3|3');
    expect(render("#set($s = 'hello')#evaluate('$s')|#evaluate(\"x$s\")|#evaluate($nope)|#evaluate('#macro(z)Z#end#z()')#z()")).toBe('hello|xhello||ZZ');
    expect(render("#evaluate('#stop')after")).toBe('after');
  });

  test('#evaluate of text that does not parse fails the render at the directive', () => {
    expect(() => render("x\n #evaluate('#if(')")).toThrow(/render error at line 2, column 2: the text given to #evaluate does not parse: syntax error at line 1, column 5/);
    expect(() => render('#evaluate(5)')).toThrow(/syntax error at line 1, column 1: #evaluate\(\) takes one argument, a string literal or reference/);
  });

  test('#literal prints its body unparsed (but it must parse); comment text is lost as in Velocity 1.7', () => {
    expect(render('#literal()$s #if(true)x#end ## c\nb#* x *#\n#end|')).toBe('$s #if(true)x#end ##\nb\n|');
    expect(() => render('#literal()#if(#end')).toThrow(/syntax error/);
    expect(() => render('#literal()#end')).toThrow(/syntax error at line 1, column 1: #literal\(\) with an empty body/);
  });
});

describe('tokens that join the next one (JavaCC MORE tokens), as on Velocity 1.7', () => {
  test('a comment that ends the template on "$" or "#" is a lexical error; other unclosed #* comments swallow the rest', () => {
    expect(() => render('a##b$')).toThrow(/syntax error at line 1, column 2: lexical error/);
    expect(() => render('a##b#')).toThrow(/lexical error/);
    expect(() => render('a#*')).toThrow(/lexical error/);
    expect(() => render('a#*b$')).toThrow(/lexical error/);
    expect(render('a##b$x')).toBe('a');
    expect(render('a#*b')).toBe('a');
  });

  test('inside a block comment "#*" swallows the "*" of a following "*#"', () => {
    expect(render('a#* #*# *#b')).toBe('ab');
    expect(render('#*#macro(m $p)#*#if(')).toBe('');
  });

  test('"$!" that is not a reference drops its "!" unless it joins a reference or a ## comment after it', () => {
    expect(render("#set($s = 'hello')a$!5|$!$s|$!$''|$$\\!s|$!## c")).toBe("a$5|$!hello|$$''||$!");
  });

  test('"$" before a directive: it vanishes before #if/#else/#end, and makes $#name an undefined macro printed as written', () => {
    expect(render('a$#if(true)x#end|$!#{if}(true)y#end')).toBe('ax|y');
    expect(render('$#literal()y|$#evaluate("e")|$#define($d)|$#break|')).toBe('$#literal()y|$#evaluate("e")|$#define($d)|$#break|');
    expect(render('$#*c*#q')).toBe('q');
  });
});
