import { MappingTemplate } from '../../lib/testing';
import { prng } from '../util';

/**
 * Property-style checks over many generated hostile strings: the escaping idioms templates rely on
 * must round-trip every input exactly.
 */


const PIECES = [
  '"', "'", '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u0001', '\u001f', '\u007f', '\u0080', '\u00e9', '\u2028', '\u2029',
  '\ud83d\ude00', '\u20ac', '\ufeff', '$', '#', '{', '}', '[', ']', '<', '>', '&', '%', '+', '=', '?', ' ', '  ', 'a', 'Z', '0', '9',
  '\\u0041', '\\\'', "\\'", '\\\\', '</script>', 'a", "admin": true, "x": "', '#if(', '$input.body', '${x}', '##', '#*', '*#', '%7B', '~', '*', '.', '-', '_',
];

function generate(random: () => number, wellFormed: boolean): string {
  const n = Math.floor(random() * 12);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(random() * PIECES.length)];
  if (!wellFormed && random() < 0.2) s += random() < 0.5 ? '\ud800' : '\udc00'; // lone surrogates
  return s;
}

function samples(count: number, seed: number, wellFormed: boolean): string[] {
  const random = prng(seed);
  const fixed = ['', 'plain', '"', "'", '\\', `a", "admin": true, "x": "`, '</script>', '😀', '\u2028', '\\\'', "it's", 'x\\', '\\"'];
  return [...fixed, ...Array.from({ length: count }, () => generate(random, wellFormed))];
}

describe('escapeJavaScript(x).replaceAll("\\\\\'", "\'") inside "..." is valid JSON that parses back to x', () => {
  // The idiom of AWS's docs and CDK's StepFunctionsIntegration.
  const template = String.raw`{"value": "$util.escapeJavaScript($input.params('v')).replaceAll("\\'","'")"}`;

  test('for 400+ generated hostile strings (quotes, backslashes, control characters, emoji, lone surrogates)', () => {
    for (const value of samples(400, 1, false)) {
      const rendered = MappingTemplate.render(template, { queryParameters: { v: value } });
      let parsed: unknown;
      try {
        parsed = JSON.parse(rendered);
      } catch {
        throw new Error(`invalid JSON for input ${JSON.stringify(value)}: ${rendered}`);
      }
      expect(parsed).toEqual({ value });
    }
  });

  test('without the replaceAll, a single quote makes the JSON invalid', () => {
    const bare = String.raw`{"value": "$util.escapeJavaScript($input.params('v'))"}`;
    expect(() => MappingTemplate.renderJson(bare, { queryParameters: { v: "it's" } })).toThrow(/not valid JSON[\s\S]*it\\'s/);
  });

  test('the output is pure ASCII', () => {
    for (const value of samples(100, 2, false)) {
      const rendered = MappingTemplate.render(template, { queryParameters: { v: value } });
      expect(rendered).toMatch(/^[\x20-\x7f]*$/);
    }
  });

  test('injection attempts stay inside the string value', () => {
    const value = 'a", "admin": true, "x": "';
    expect(MappingTemplate.renderJson(template, { queryParameters: { v: value } })).toEqual({ value });
    expect(MappingTemplate.render(template, { queryParameters: { v: '</script>' } })).toBe(String.raw`{"value": "<\/script>"}`);
  });

  test('escaping the body from $input.json keeps the JSON text intact', () => {
    const t = String.raw`{"input": "$util.escapeJavaScript($input.json('$')).replaceAll("\\'","'")"}`;
    for (const value of samples(100, 3, true)) {
      const body = JSON.stringify({ value, list: [value], n: 1.5 });
      const outer = MappingTemplate.renderJson(t, { body });
      expect(JSON.parse(outer.input)).toEqual({ value, list: [value], n: 1.5 });
    }
  });
});

describe('urlEncode', () => {
  /** URLEncoder.encode(s, "UTF-8") built from encodeURIComponent. */
  const reference = (s: string) =>
    encodeURIComponent(s).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');

  test('matches java.net.URLEncoder and round-trips through urlDecode', () => {
    for (const value of samples(300, 4, true)) {
      const request = { queryParameters: { v: value } };
      expect(MappingTemplate.render("$util.urlEncode($input.params('v'))", request)).toBe(reference(value));
      expect(MappingTemplate.render("$util.urlDecode($util.urlEncode($input.params('v')))", request)).toBe(value);
    }
  });

  test('an unpaired surrogate is encoded as "?" like Java does', () => {
    expect(MappingTemplate.render("$util.urlEncode($input.params('v'))", { queryParameters: { v: 'a\ud800b' } })).toBe('a%3Fb');
  });

  test('form-encoded SQS bodies carry any text', () => {
    for (const value of samples(100, 5, true).filter((s) => s !== '')) {
      const rendered = MappingTemplate.render('Action=SendMessage&MessageBody=$util.urlEncode($input.body)', { body: value });
      const params = new URLSearchParams(rendered);
      expect(params.get('Action')).toBe('SendMessage');
      expect(params.get('MessageBody')).toBe(value);
    }
  });
});

describe('base64', () => {
  test('base64Encode is standard padded base64 of UTF-8 and base64Decode reverses it', () => {
    for (const value of samples(300, 6, true)) {
      const request = { queryParameters: { v: value } };
      expect(MappingTemplate.render("$util.base64Encode($input.params('v'))", request)).toBe(Buffer.from(value, 'utf8').toString('base64'));
      expect(MappingTemplate.render("$util.base64Decode($util.base64Encode($input.params('v')))", request)).toBe(value);
    }
  });
});

describe('template text is never re-parsed', () => {
  test('VTL syntax inside request data is printed literally', () => {
    for (const value of samples(200, 7, true)) {
      const request = { body: JSON.stringify({ v: value }), headers: { h: value }, queryParameters: { q: value } };
      expect(MappingTemplate.render("$input.path('$.v')", request)).toBe(value);
      expect(MappingTemplate.render("$input.params('h')|$input.params('q')", request)).toBe(`${value}|${value}`);
    }
  });
});
