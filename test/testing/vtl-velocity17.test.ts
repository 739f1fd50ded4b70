import { MappingTemplate, MappingTemplateRequest } from '../../lib/testing';

/**
 * Behaviour of Velocity 1.7 the renderer follows. Each expectation was checked by running the same
 * template on Velocity 1.7 (org.apache.velocity:velocity:1.7) on the JVM.
 */

const render = (template: string, request?: MappingTemplateRequest) => MappingTemplate.render(template, request);

describe('$\\! (slashbang) references', () => {
  test('print their first token with one backslash removed; the rest of the reference is swallowed', () => {
    expect(render(String.raw`#set($s = 'hello')$\!s|$\!nope|$\\!s|\$\!s|$\!s.length()|$\!s[0]y|$\!{s}x`))
      .toBe(String.raw`$!s|$!nope|$\!s|\$!s|$!s|$!sy|$!{x`);
  });

  test('are never evaluated (a method call in one has no effect)', () => {
    expect(render(String.raw`#set($l = [])$\!l.add(1)$l.size()`)).toBe('$!l0');
  });

  test('without a reference name, the \\! is dropped; at the end of input it is a lexical error', () => {
    expect(render(String.raw`a$\!5|$\! x`)).toBe('a$5|$ x');
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
