import { vtlString } from './vtl';

/**
 * Request templates for MOCK integrations. A MOCK integration answers with the status code its request
 * template prints; the integration response whose selection pattern matches that code is returned.
 */

/** Where a mock reads the value that picks its scenario. */
export enum MockValueSource {
  QUERY = 'querystring',
  HEADER = 'header',
  PATH = 'path',
}

/** Request template that always answers `statusCode`. */
export function fixedStatusTemplate(statusCode: number): string {
  return `{"statusCode": ${statusCode}}`;
}

/**
 * Request template that reads one request value and prints the status code of the scenario whose value
 * equals it, or `defaultStatus`. The request value is only compared against our own literals, never
 * printed, so no request can change what this template emits beyond choosing a listed status code.
 */
export function scenarioStatusTemplate(
  source: MockValueSource,
  name: string,
  scenarios: Array<{ value: string; statusCode: number }>,
  defaultStatus: number,
): string {
  let read = `#set($__scenario = $input.params().${source}.get(${vtlString(name)}))`;
  if (source === MockValueSource.HEADER && name.toLowerCase() !== name) {
    // Header names arrive as the client wrote them (HTTP/2 clients send them lower-case).
    read += `#if("$!__scenario" == '')#set($__scenario = $input.params().header.get(${vtlString(name.toLowerCase())}))#end`;
  }
  if (scenarios.length === 0) return fixedStatusTemplate(defaultStatus);
  const branches = scenarios
    .map((s, i) => `#${i === 0 ? 'if' : 'elseif'}($__scenario == ${vtlString(s.value)})${fixedStatusTemplate(s.statusCode)}`)
    .join('');
  return `${read}${branches}#else${fixedStatusTemplate(defaultStatus)}#end`;
}
