import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from './escape';
import { JsonSyntaxError, parseJsonValue } from './json';
import { JavaException, Lookup, NOT_FOUND, toJavaString, Value, VHost } from './values';

/**
 * API Gateway's `$util`. A null argument gives null (rendered as ""), like commons-lang's
 * escapeJavaScript; other arguments are converted with Java `toString()` first, so a map from
 * `$input.path` is escaped as its `{k=v}` text. (What AWS does for a null or non-string argument
 * is not recorded; this is the lenient reading.)
 */
export class UtilHost extends VHost {
  public readonly javaClassName = 'com.amazonaws.apigateway.util.Util';

  /** `$util` alone printed nothing (the Lambda behind it saw `{}`; ToQoz's echo API, December 2015). */
  public toJavaString(): string {
    return '';
  }

  public callMethod(name: string, args: Value[]): Lookup {
    if (args.length !== 1) return NOT_FOUND;
    const fn = FUNCTIONS[name];
    if (!fn) return NOT_FOUND;
    const arg = args[0];
    if (arg === null) return null;
    return fn(toJavaString(arg));
  }
}

const FUNCTIONS: Record<string, (s: string) => Value> = {
  escapeJavaScript,
  urlEncode,
  urlDecode,
  base64Encode,
  base64Decode,
  parseJson: (s: string) => {
    try {
      return parseJsonValue(s);
    } catch (e) {
      if (e instanceof JsonSyntaxError) throw new JavaException('com.amazonaws.apigateway.util.ParseException', `$util.parseJson: not JSON (${e.message})`);
      throw e;
    }
  },
};
