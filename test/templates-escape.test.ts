process.env.CDK_VALIDATION = 'false';
import { formValue, jsonBoolean, jsonNumber, jsonString, jsonStringContent } from '../lib/templates/escape';
import { MappingTemplate, MappingTemplateRequest } from '../lib/testing';
import { prng } from './util';

// The escape builders are the only way a request value enters a template. Each is rendered with the
// API Gateway renderer over a large generated set of hostile strings, from three sources (query string,
// header, a string inside a JSON body), and must give back exactly the input in its format.


const CONTROL = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), '\u007f'];
const PIECES = [
  ...CONTROL, '"', "'", '\\', '/', '\\"', "\\'", '\\\\', '\\u0000', '\\u0041', '\\n', '\u0080', '\u00e9', '\u2028', '\u2029', '\ufeff',
  '\ud83d\ude00', '\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67', '\u202e', '\u05e9\u05dc\u05d5\u05dd', '\u0645\u0631\u062d\u0628\u0627',
  '\u4e2d\u6587', '</script>', '<!--', ']]>', '$context.requestId', '$input.body', '#set($x = 1)', '${x}', '$!{x}', '#if(true)', '#end',
  '##', '#*', '*#', 'a", "admin": true, "x": "', '", "x": 1}', '{', '}', '[', ']', ':', ',', '&', '=', '&admin=true', '%', '%26', '%3D',
  '%7B', '+', '?', '#', ';', ' ', '  ', 'a', 'Z', '0', '9', '.', '-', '_', '*', '~', 'true', 'null', '1e3',
];

function generate(random: () => number): string {
  const n = 1 + Math.floor(random() * 10);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(random() * PIECES.length)];
  return s;
}

const FIXED = [
  '', 'plain', '"', "'", '\\', '\\\\', '/', 'x\\', '\\"', "\\'", '\u0000', '\\u0000', "it's", 'a", "admin": true, "x": "',
  '</script><script>alert(1)</script>', '$context.requestId #set($x=1) ${x}', '😀', '👨‍👩‍👧', '\u202eevil\u202c', 'שלום עולם', 'مرحبا',
  '\u2028\u2029', 'line\nbreak\r\n\ttab', 'a=b&c=d', '&admin=true', '100% + 1 = 101', ...CONTROL,
];

/** Well-formed UTF-16 strings: what a request can carry (its bytes are UTF-8). */
const WELL_FORMED = [...FIXED, ...Array.from({ length: 800 }, ((r) => () => generate(r))(prng(7)))];
/** Unpaired surrogates: only reachable through a `\ud800` escape inside a JSON body. */
const LONE_SURROGATES = ['\ud800', '\udc00', 'a\ud800b', '\udfff\ud800', '😀\ud83d', `x${'\ud83d'}"y`];

test('the generated set covers every ASCII control character and the named hostile pieces', () => {
  const all = WELL_FORMED.join('');
  for (const c of CONTROL) expect(all).toContain(c);
  expect(WELL_FORMED.length).toBeGreaterThan(800);
  expect(new Set(WELL_FORMED).size).toBeGreaterThan(700);
});

/** A request carrying `value` in the source a template's expression reads. */
type Source = [name: string, expression: string, request: (value: string) => MappingTemplateRequest];
const SOURCES: Source[] = [
  ['query string', "$input.params().querystring.get('v')", (v) => ({ queryParameters: { v } })],
  ['header', "$input.params().header.get('X-Value')", (v) => ({ headers: { 'X-Value': v } })],
  ['JSON body string', "$input.path('$.v')", (v) => ({ body: JSON.stringify({ v }) })],
];

describe.each(SOURCES)('from the %s', (_name, expression, request) => {
  test('jsonString and jsonStringContent print JSON string content that parses back to the exact input', () => {
    const template = `{"v": ${jsonString(expression)}, "w": "<${jsonStringContent(expression)}>", "fixed": 1}`;
    for (const value of WELL_FORMED) {
      const rendered = MappingTemplate.render(template, request(value));
      let parsed: any;
      try {
        parsed = JSON.parse(rendered);
      } catch {
        throw new Error(`invalid JSON for ${JSON.stringify(value)}: ${rendered}`);
      }
      expect(parsed).toEqual({ v: value, w: `<${value}>`, fixed: 1 });
      expect(Object.keys(parsed)).toEqual(['v', 'w', 'fixed']);
      // Pure ASCII: no raw control character, line separator or bidi override reaches the JSON text
      // (DEL, 0x7f, stays raw as commons-lang leaves it; JSON allows it in a string).
      expect(rendered).toMatch(/^[\x20-\x7f]*$/);
    }
  });

  test('formValue prints a form value that decodes to the exact input and adds no field', () => {
    const template = `Action=Test&V=${formValue(expression)}&Z=end`;
    for (const value of WELL_FORMED) {
      const rendered = MappingTemplate.render(template, request(value));
      // Only the unreserved set of java.net.URLEncoder, '+' and %XX escapes, besides our own & and =.
      expect(rendered.slice('Action=Test&V='.length, rendered.length - '&Z=end'.length)).toMatch(/^([A-Za-z0-9.*_+-]|%[0-9A-F]{2})*$/);
      const form = new URLSearchParams(rendered);
      expect([...form.keys()]).toEqual(['Action', 'V', 'Z']);
      expect(form.get('V')).toBe(value);
      expect(form.get('Action')).toBe('Test');
      expect(form.get('Z')).toBe('end');
    }
  });

  test('jsonBoolean prints true only for the exact text "true", otherwise false', () => {
    const template = `{"b": ${jsonBoolean(expression, 'b')}}`;
    const inputs = ['true', 'false', 'TRUE', 'True', ' true', 'true ', 'true\n', '1', 'yes', '"true"', 'true, "admin": true', 'true}', ...WELL_FORMED];
    for (const value of inputs) {
      const rendered = MappingTemplate.render(template, request(value));
      expect(rendered).toMatch(/^\{"b": (true|false)\}$/);
      expect(JSON.parse(rendered)).toEqual({ b: value === 'true' });
    }
  });

  test('jsonNumber prints the input only when it is a plain JSON number, otherwise null', () => {
    const template = `{"n": ${jsonNumber(expression, 'n')}}`;
    const numbers = ['0', '-0', '7', '-12', '12.5', '-0.001', '1e3', '1E+3', '1.5e-7', '123456789012345678901234567890', '9.99E99'];
    const notNumbers = [
      '01', '+1', '1.', '.5', '1e', '1e+', '--1', '-', 'NaN', 'Infinity', '-Infinity', '0x1F', '1_000', '1,5', ' 1', '1 ', '1\n', '\n1',
      '1}', '1, "admin": true', '1 #set($x=1)', '\u0661', '\uff11', '1.5.5', '1x5', '-01', 'null', 'true',
    ];
    for (const value of numbers) {
      expect(MappingTemplate.render(template, request(value))).toBe(`{"n": ${value}}`);
    }
    for (const value of [...notNumbers, ...WELL_FORMED]) {
      const rendered = MappingTemplate.render(template, request(value));
      const parsed = JSON.parse(rendered);
      expect(Object.keys(parsed)).toEqual(['n']);
      if (parsed.n === null) {
        expect(rendered).toBe('{"n": null}');
      } else {
        // Only strings in JSON's number grammar get through, and they are printed unchanged.
        expect(value).toMatch(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/);
        expect(rendered).toBe(`{"n": ${value}}`);
      }
    }
    for (const value of notNumbers) expect(MappingTemplate.render(template, request(value))).toBe('{"n": null}');
  });
});

describe('a missing value', () => {
  const missing: MappingTemplateRequest = { body: '{"other": 1}' };
  test.each(SOURCES)('from the %s: empty string, empty form value, false, null', (_name, expression) => {
    expect(MappingTemplate.renderJson(`{"v": ${jsonString(expression)}}`, missing)).toEqual({ v: '' });
    expect(MappingTemplate.render(`a=${formValue(expression)}&b=1`, missing)).toBe('a=&b=1');
    expect(MappingTemplate.renderJson(`{"b": ${jsonBoolean(expression, 'b')}}`, missing)).toEqual({ b: false });
    expect(MappingTemplate.renderJson(`{"n": ${jsonNumber(expression, 'n')}}`, missing)).toEqual({ n: null });
  });

  test('does not pick up the value of an earlier variable (a #set to null keeps the old value)', () => {
    const q = (name: string) => `$input.params().querystring.get('${name}')`;
    const template = `{"a": ${jsonBoolean(q('a'), 'a')}, "b": ${jsonBoolean(q('b'), 'b')}, ` +
      `"x": ${jsonNumber(q('x'), 'x')}, "y": ${jsonNumber(q('y'), 'y')}}`;
    expect(MappingTemplate.renderJson(template, { queryParameters: { a: 'true', x: '5' } })).toEqual({ a: true, b: false, x: 5, y: null });
  });
});

describe('values that are not strings in the JSON body', () => {
  const body = JSON.stringify({ t: true, f: false, i: 42, d: 1.5, o: { k: 'v' }, a: [1, 2], z: null });
  const path = (p: string) => `$input.path('$.${p}')`;
  test('booleans and numbers keep their meaning', () => {
    const template = `{"t": ${jsonBoolean(path('t'), 't')}, "f": ${jsonBoolean(path('f'), 'f')}, ` +
      `"i": ${jsonNumber(path('i'), 'i')}, "d": ${jsonNumber(path('d'), 'd')}, "z": ${jsonNumber(path('z'), 'z')}}`;
    expect(MappingTemplate.renderJson(template, { body })).toEqual({ t: true, f: false, i: 42, d: 1.5, z: null });
  });

  test('objects and arrays never become JSON structure: a string (Java toString) or null', () => {
    const template = `{"o": ${jsonString(path('o'))}, "a": ${jsonString(path('a'))}, "on": ${jsonNumber(path('o'), 'on')}, ` +
      `"ob": ${jsonBoolean(path('o'), 'ob')}}`;
    expect(MappingTemplate.renderJson(template, { body })).toEqual({ o: '{k=v}', a: '[1,2]', on: null, ob: false });
  });
});

describe('unpaired surrogates (reachable only as \\ud800-style escapes in a JSON body)', () => {
  const request = (v: string): MappingTemplateRequest => ({ body: JSON.stringify({ v }) });
  test('JSON string content round-trips them exactly', () => {
    for (const value of LONE_SURROGATES) {
      expect(MappingTemplate.renderJson(`{"v": ${jsonString("$input.path('$.v')")}}`, request(value))).toEqual({ v: value });
    }
  });

  test('form values turn each into "?" as java.net.URLEncoder does, and still add no field', () => {
    for (const value of LONE_SURROGATES) {
      const form = new URLSearchParams(MappingTemplate.render(`a=${formValue("$input.path('$.v')")}&b=1`, request(value)));
      expect([...form.keys()]).toEqual(['a', 'b']);
      expect(form.get('a')).toBe(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?'));
    }
  });
});

describe('the builders emit the documented VTL', () => {
  test('exact text', () => {
    expect(jsonStringContent('$x')).toBe(`$util.escapeJavaScript($x).replaceAll("\\\\'","'")`);
    expect(jsonString('$x')).toBe(`"$util.escapeJavaScript($x).replaceAll("\\\\'","'")"`);
    expect(formValue('$x')).toBe('$util.urlEncode($x)');
    expect(jsonBoolean('$x', 'v')).toBe('#set($v = $x)#if("$!{v}" == "true")true#{else}false#end');
    expect(jsonNumber('$x', 'v')).toBe('#set($v = $x)#set($vs = "$!{v}")' +
      '#if($vs.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))$vs#{else}null#end');
  });
});
