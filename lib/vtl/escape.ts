import { JavaException } from './values';

/**
 * The escaping functions behind `$util`, written to match the Java implementations byte for byte.
 * No Node.js APIs (Buffer, TextEncoder) are used, so the module works in any JavaScript runtime.
 */

/**
 * commons-lang 2.6 `StringEscapeUtils.escapeJavaScript`: `"` `'` `\` `/` get a backslash, \b \t \n
 * \f \r their short escapes, other characters below 0x20 and every UTF-16 code unit above 0x7F
 * become `\uXXXX` (uppercase hex). 0x7F itself is not escaped. An emoji becomes two escapes.
 */
export function escapeJavaScript(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch > 0x7f) {
      out += `\\u${ch.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (ch < 0x20) {
      switch (ch) {
        case 0x08: out += '\\b'; break;
        case 0x0a: out += '\\n'; break;
        case 0x09: out += '\\t'; break;
        case 0x0c: out += '\\f'; break;
        case 0x0d: out += '\\r'; break;
        default: out += `\\u${ch.toString(16).toUpperCase().padStart(4, '0')}`;
      }
    } else {
      const c = s[i];
      if (c === "'" || c === '"' || c === '\\' || c === '/') out += `\\${c}`;
      else out += c;
    }
  }
  return out;
}

/**
 * UTF-8 bytes as Java's `String.getBytes(UTF_8)` produces them: an unpaired surrogate becomes `?`
 * (0x3F), where the WHATWG TextEncoder would write U+FFFD.
 */
export function utf8Encode(s: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) bytes.push(0x3f);
    else if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return bytes;
}

/** `new String(bytes, UTF_8)`: malformed sequences become U+FFFD. */
export function utf8Decode(bytes: number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1; cp = b & 0x1f; min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2; cp = b & 0x0f; min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3; cp = b & 0x07; min = 0x10000;
    } else {
      out += '\uFFFD';
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      const c = bytes[i + j];
      if (c === undefined || (c & 0xc0) !== 0x80) break;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\uFFFD';
      i += Math.max(1, j === 1 ? 1 : j);
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

const HEX = '0123456789ABCDEF';

/** `java.net.URLEncoder.encode(s, "UTF-8")`: form encoding, space → `+`, keeps `a-zA-Z0-9.-*_`. */
export function urlEncode(s: string): string {
  let out = '';
  let pending = '';
  const flush = () => {
    for (const b of utf8Encode(pending)) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    pending = '';
  };
  for (const c of s) {
    if (/^[a-zA-Z0-9.\-*_]$/.test(c)) {
      flush();
      out += c;
    } else if (c === ' ') {
      flush();
      out += '+';
    } else {
      pending += c;
    }
  }
  flush();
  return out;
}

/** `java.net.URLDecoder.decode(s, "UTF-8")`: `+` → space, `%XX` runs decoded as UTF-8. */
export function urlDecode(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '+') {
      out += ' ';
      i++;
    } else if (c === '%') {
      const bytes: number[] = [];
      while (i < s.length && s[i] === '%') {
        if (i + 2 >= s.length) {
          throw new JavaException('java.lang.IllegalArgumentException', 'URLDecoder: Incomplete trailing escape (%) pattern');
        }
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
          throw new JavaException('java.lang.IllegalArgumentException', `URLDecoder: Illegal hex characters in escape (%) pattern - ${hex}`);
        }
        bytes.push(parseInt(hex, 16));
        i += 3;
      }
      out += utf8Decode(bytes);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `Base64.getEncoder().encodeToString(s.getBytes(UTF_8))`: standard alphabet, padded. */
export function base64Encode(s: string): string {
  const bytes = utf8Encode(s);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? B64[n & 63] : '=';
  }
  return out;
}

/**
 * `new String(Base64.getDecoder().decode(s), UTF_8)`: the basic decoder rejects characters outside
 * the alphabet (including whitespace); padding is optional but must be correct when present.
 */
export function base64Decode(s: string): string {
  const illegal = (why: string): never => {
    throw new JavaException('java.lang.IllegalArgumentException', `Base64: ${why}`);
  };
  let data = s;
  const pad = /=+$/.exec(data);
  if (pad) {
    if (pad[0].length > 2) illegal('too many padding characters');
    data = data.slice(0, data.length - pad[0].length);
    if ((data.length + pad[0].length) % 4 !== 0) illegal('incorrect padding');
  }
  if (data.length % 4 === 1) illegal('last unit does not have enough valid bits');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of data) {
    const v = B64.indexOf(c);
    if (v < 0) illegal(`illegal base64 character ${c.charCodeAt(0).toString(16)}`);
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return utf8Decode(bytes);
}
