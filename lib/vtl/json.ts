import { JBigDecimal, JDouble, Value, VList, VMap } from './values';

/**
 * JSON to the value model, the way json-smart (the provider behind Jayway JsonPath) builds it:
 * objects are LinkedHashMaps (source key order kept, a repeated key keeps its first position and
 * its last value), arrays are JSONArrays, integers are Integer/Long/BigInteger, numbers with a
 * fraction or exponent are Double (BigDecimal when the literal is longer than 18 characters).
 *
 * The parser is strict RFC 8259 JSON; json-smart's permissive mode also accepts a few non-JSON
 * forms (single quotes, unquoted keys), which are treated here as "not JSON".
 */

export class JsonSyntaxError extends Error {}

const MAX_DEPTH = 1000;

export function parseJsonValue(text: string): Value {
  let pos = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at position ${pos}`);
  };
  const ws = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos])) pos++;
  };
  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text[pos];
      const code = text.charCodeAt(pos);
      if (c === '"') {
        pos++;
        return out;
      }
      if (code < 0x20) fail('control character in string');
      if (c === '\\') {
        const e = text[pos + 1];
        pos += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(pos, pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            fail('invalid escape');
        }
        continue;
      }
      out += c;
      pos++;
    }
  };
  const parseNumber = (): Value => {
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = pos;
    const r = m.exec(text);
    if (!r) return fail('invalid number');
    pos = m.lastIndex;
    const literal = r[0];
    if (r[1] === undefined && r[2] === undefined) {
      const n = BigInt(literal);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    if (literal.length > 18) return new JBigDecimal(literal);
    return new JDouble(Number(literal));
  };
  const parseValue = (depth: number): Value => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const map = new VMap();
      ws();
      if (text[pos] === '}') {
        pos++;
        return map;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('expected a string key');
        const key = parseString();
        ws();
        if (text[pos] !== ':') fail('expected ":"');
        pos++;
        map.put(key, parseValue(depth + 1));
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return map;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos++;
      const items: Value[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return new VList(items, 'json');
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return new VList(items, 'json');
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith('true', pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith('false', pos)) {
      pos += 5;
      return false;
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return null;
    }
    if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
    return fail('unexpected character');
  };
  const value = parseValue(0);
  ws();
  if (pos < text.length) fail('trailing characters');
  return value;
}

/** Parses JSON, or returns undefined when the text is not JSON. */
export function tryParseJson(text: string): { value: Value } | undefined {
  try {
    return { value: parseJsonValue(text) };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return undefined;
    throw e;
  }
}
