import { Token } from 'aws-cdk-lib';
import { SourceText, VtlSyntaxError } from '../vtl/errors';
import { parseTemplate } from '../vtl/parser';

/**
 * Synth-time syntax check of the mapping templates users write (`RequestTemplate.fromString`, every
 * `responseTemplate`, `additionalRequestTemplates`, `ServiceAction.custom`'s templates). API Gateway
 * deploys any text as a template and only fails the requests that run it, with a 500 (aws-cdk issue
 * 34777), so an unclosed `#if` or `$input.json(` must fail here, with the route and the template's place.
 */

/** The route a template belongs to, as its errors name it. */
export interface TemplateRoute {
  /** The route's name in errors ("Route Stack/Api/Orders"). */
  readonly route: string;
  /** The route's HTTP method, upper case. */
  readonly httpMethod: string;
  /** The route's path. */
  readonly path: string;
}

/**
 * The parser's refusal of Velocity directives it does not implement (`#macro`, `#define`, `#evaluate`,
 * `#literal`, `#include`, `#parse`, block macro calls). Velocity 1.7 parses them and API Gateway does not
 * forbid them, so they are not syntax errors: such a template is accepted unchecked from that point on.
 */
const NOT_SUPPORTED_REFUSAL = /does not support|not supported/i;
/** How `VtlSyntaxError` words its message. */
const PARSER_MESSAGE = /^Mapping template syntax error at (line \d+, column \d+): ([\s\S]*)$/;

/** `Route Stack/Api/Orders (POST /orders)`: the construct path and the method and path it serves. */
export function templateRouteLabel(route: TemplateRoute): string {
  return `${route.route} (${route.httpMethod} ${route.path})`;
}

/**
 * Parses a template the user wrote, exactly as given (before the library wraps or prefixes it, so that
 * line and column point into the user's own text), and throws naming the route, `place` (request or
 * response, content type, status) and the line and column of the first syntax error.
 */
export function checkUserTemplate(route: TemplateRoute, place: string, template: string): void {
  const error = syntaxError(template);
  if (error) {
    throw new Error(`${templateRouteLabel(route)}: ${place} is not valid VTL ${error.where} of your template: ${error.what}. API Gateway ` +
      'deploys it but answers 500 to every request that runs it: fix the template (testing.MappingTemplate.render ' +
      'reports the same error in a unit test)');
  }
}

/**
 * Parses a template the library built around a user's template (a CORS prefix, an error-detecting
 * `#if`), once the user's text alone has passed `checkUserTemplate`: an error left is one the joining
 * made, such as a user template ending with `\`, which escapes the library's closing `#end`.
 */
export function checkWrappedUserTemplate(route: TemplateRoute, place: string, template: string): void {
  const error = syntaxError(template);
  if (error) {
    throw new Error(`${templateRouteLabel(route)}: ${place} is valid VTL alone but not where the library puts it ` +
      `(${error.where} of the emitted template: ${error.what}): a trailing \\ escapes the #end the library closes it with; remove it`);
  }
}

/** The parser's first error (`where` is "at line L, column C"), or undefined when the text parses. */
function syntaxError(template: string): { where: string; what: string } | undefined {
  // A template holding unresolved tokens (e.g. a table name) is only known at deploy time: a
  // placeholder could make a valid template look invalid (a token standing for a number), so skip it.
  if (typeof template !== 'string' || Token.isUnresolved(template)) return undefined;
  try {
    parseTemplate(new SourceText(template));
    return undefined;
  } catch (e) {
    if (!(e instanceof VtlSyntaxError)) throw e;
    if (NOT_SUPPORTED_REFUSAL.test(e.message)) return undefined;
    const m = PARSER_MESSAGE.exec(e.message);
    return m ? { where: `at ${m[1]}`, what: m[2] } : { where: 'somewhere', what: e.message };
  }
}
