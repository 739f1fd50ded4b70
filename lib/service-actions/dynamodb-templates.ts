import { jsonBoolean, jsonStringContent } from '../templates/escape';
import { literalJson } from '../templates/vtl';
import { errorBody } from './responses';

/**
 * Pure VTL builders for the DynamoDB presets: typed attribute values on the request side, DynamoDB JSON
 * turned into plain JSON on the response side, and the opaque pagination token of Query and Scan.
 * Everything is written on one line: Velocity's whitespace rules then cannot add or eat anything.
 */

/** The DynamoDB types a request value can be written as. */
export type RequestAttributeType = 'S' | 'N' | 'BOOL';

/**
 * How deep maps (M) and lists (L) are converted in a response. An attribute's value is level 0, the
 * entries of a map or list at level n are level n + 1; a map or list at this level prints as `null`.
 * Velocity has no recursion (API Gateway allows no macros), so each level is written out once.
 */
export const MAX_NESTING = 4;

/** A JSON number as DynamoDB writes one; anything else is printed as a string. */
const JSON_NUMBER = '-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?';

/** Unique VTL variable names within one template (a `#set` to null keeps a variable's old value). */
export class VtlNames {
  private count = 0;
  public next(): string {
    return `__d${this.count++}`;
  }
}

/**
 * A request value as a DynamoDB AttributeValue: `{"S": "<text>"}`, `{"N": "<text>"}` or
 * `{"BOOL": true|false}`. The value is first interpolated into a Java String, so a JSON number or
 * boolean from the body is written as its text rather than depending on how `$util` treats non-strings.
 */
export function requestAttributeValue(type: RequestAttributeType, expression: string, names: VtlNames): string {
  const v = names.next();
  if (type === 'BOOL') return `{"BOOL": ${jsonBoolean(expression, v)}}`;
  return `#set($${v} = ${expression}){"${type}": "${jsonStringContent(`"$!{${v}}"`)}"}`;
}

/** A JSON object from entries whose keys are static and whose values are VTL that prints JSON. */
export function jsonObject(entries: Array<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${literalJson(k)}: ${v}`).join(', ')}}`;
}

/** `"<escaped text>"` for a VTL expression yielding a string. */
function quoted(expression: string): string {
  return `"${jsonStringContent(expression)}"`;
}

/** Sets `$__num` to the JSON number pattern once, for `number` to use. */
const NUMBER_PATTERN = `#set($__num = '${JSON_NUMBER}')`;

/**
 * Prints the number in `$<sourceRef>` (a String) as a JSON number, or as a JSON string if it is not
 * one. Needs NUMBER_PATTERN earlier in the template.
 */
function number(sourceRef: string, variable: string): string {
  return `#set($${variable} = "$!{${sourceRef}}")#if($${variable}.matches($__num))$${variable}#{else}${quoted(`$${variable}`)}#end`;
}

/**
 * VTL that prints the DynamoDB AttributeValue in `$__v<level>` as plain JSON: S and B as strings,
 * N as a number, BOOL as true/false, NULL as null, SS/BS as string arrays, NS as a number array, M as
 * an object and L as an array (converted recursively up to MAX_NESTING), anything else as null.
 */
export function plainValue(level: number, maxNesting: number = MAX_NESTING): string {
  const v = `__v${level}`;
  const has = (type: string) => `$${v}.containsKey('${type}')`;
  const s = `$__s${level}`;
  const l = `$__l${level}`;
  const q = `$__q${level}`;
  const x = `__x${level}`;
  let out = `#if(${has('S')})${quoted(`$${v}.S`)}` +
    `#elseif(${has('N')})${number(`${v}.N`, `__n${level}`)}` +
    `#elseif(${has('BOOL')})#if("$!{${v}.BOOL}" == "true")true#{else}false#end` +
    `#elseif(${has('B')})${quoted(`$${v}.B`)}` +
    // The three set types share one loop: strings, except NS whose elements are numbers.
    `#elseif(${has('SS')} || ${has('NS')} || ${has('BS')})#set(${q} = ${has('NS')})` +
    `#if(${has('SS')})#set(${l} = $${v}.SS)#elseif(${q})#set(${l} = $${v}.NS)#{else}#set(${l} = $${v}.BS)#end` +
    `[#set(${s} = '')#foreach($${x} in ${l})${s}#if(${q})${number(x, `__n${level}`)}#{else}${quoted(`$${x}`)}#end` +
    `#set(${s} = ',')#end]`;
  if (level < maxNesting) {
    const m = `$__m${level}`;
    const c = `$__c${level}`;
    const e = `$__e${level}`;
    const child = `$__v${level + 1}`;
    // One loop serves both M (entries) and L (elements), so each level is written out once, not twice.
    out += `#elseif(${has('M')} || ${has('L')})#set(${m} = ${has('M')})` +
      `#if(${m}){#set(${c} = $${v}.M.entrySet())#{else}[#set(${c} = $${v}.L)#end` +
      `#set(${s} = '')#foreach(${e} in ${c})${s}` +
      `#if(${m})${quoted(`${e}.key`)}: #set(${child} = ${e}.value)#{else}#set(${child} = ${e})#end` +
      `${plainValue(level + 1, maxNesting)}#set(${s} = ',')#end#if(${m})}#{else}]#end`;
  }
  return `${out}#{else}null#end`;
}

/** VTL that prints the DynamoDB item (a map of AttributeValues) in `$<itemVar>` as a plain JSON object. */
export function plainItem(itemVar: string, maxNesting: number = MAX_NESTING): string {
  return `${NUMBER_PATTERN}{#set($__s = '')#foreach($__a in $${itemVar}.entrySet())$__s${quoted('$__a.key')}: ` +
    `#set($__v0 = $__a.value)${plainValue(0, maxNesting)}#set($__s = ',')#end}`;
}

/**
 * A response template answering the item at `jsonPath` (`$.Item`, `$.Attributes`) as plain JSON, or,
 * when the response has no item there, `status` with a JSON error body.
 */
export function itemOrMissingTemplate(
  jsonPath: string, missing: { status: number; message: string }, printItem = true, maxNesting: number = MAX_NESTING,
): string {
  return `#set($__item = $input.path('${jsonPath}'))#if("$!{__item}" == "")` +
    `#set($context.responseOverride.status = ${missing.status})${errorBody(missing.message)}` +
    `#{else}${printItem ? plainItem('__item', maxNesting) : ''}#end`;
}

/** A response template answering the item at `jsonPath` as plain JSON (an empty object if absent). */
export function itemTemplate(jsonPath: string, maxNesting: number = MAX_NESTING): string {
  return `#set($__item = $input.path('${jsonPath}'))#if("$!{__item}" == ""){}#{else}${plainItem('__item', maxNesting)}#end`;
}

/** URL-safe base64 of a string: `+` and `/` become `-` and `_`; any line breaks an encoder adds are dropped. */
function base64Url(expression: string): string {
  return `$util.base64Encode(${expression}).replaceAll('\\s', '').replace('+', '-').replace('/', '_')`;
}

/**
 * The Query/Scan response template: `{"items": [...], "count": n}` plus `"nextToken"` when DynamoDB
 * reports a LastEvaluatedKey. The token lists each key attribute as `name.type.value`, name and value in
 * URL-safe base64, joined by dots: only `[A-Za-z0-9_=.-]`, so it needs no escaping anywhere.
 */
export function itemListTemplate(maxNesting: number = MAX_NESTING): string {
  const token = '#set($__lek = $input.path(\'$.LastEvaluatedKey\'))#if("$!{__lek}" != ""), "nextToken": "' +
    '#set($__ts = \'\')#foreach($__k in $__lek.entrySet())$__ts' + base64Url('$__k.key') +
    '#foreach($__kt in [\'S\', \'N\', \'B\'])#if($__k.value.containsKey($__kt)).$__kt.' + base64Url('$__k.value.get($__kt)') + '#end#end' +
    '#set($__ts = \'.\')#end"#end';
  return '#set($__count = 0){"items": [#foreach($__listed in $input.path(\'$.Items\'))#if($__count > 0),#end' +
    `${plainItem('__listed', maxNesting)}#set($__count = $__count + 1)#end], "count": $__count${token}}`;
}

/** One base64 (URL-safe alphabet) segment with correct padding, at least one byte long. */
const B64 = '(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{4}|[A-Za-z0-9_-]{3}=|[A-Za-z0-9_-]{2}==)';
/** At most 10 key attributes (a table key plus a multi-attribute index key). */
const TOKEN = `${B64}\\.[SNB]\\.${B64}(?:\\.${B64}\\.[SNB]\\.${B64}){0,9}`;

/**
 * The `"ExclusiveStartKey"` entry (with a leading comma) rebuilt from a pagination token, or nothing when
 * the request has no token. Every name and value is decoded and escaped as JSON string content, the type
 * is one of S, N, B by the pattern; a token that does not match the pattern becomes an empty start key,
 * which DynamoDB rejects, so the client gets 400 rather than the first page again.
 */
export function exclusiveStartKey(tokenExpression: string): string {
  return `#set($__tok = ${tokenExpression})#set($__toks = "$!{__tok}")#if($__toks != ""), "ExclusiveStartKey": {` +
    `#if($__toks.matches('${TOKEN}'))#set($__tparts = $__toks.replace('-', '+').replace('_', '/').split('\\.'))` +
    '#set($__ti = 0)#set($__tsep = \'\')#foreach($__tp in $__tparts)' +
    '#if($__ti == 0)#set($__tname = $util.base64Decode($__tp))#elseif($__ti == 1)#set($__ttype = $__tp)' +
    `#{else}$__tsep${quoted('$__tname')}: {"$__ttype": ${quoted('$util.base64Decode($__tp)')}}#set($__tsep = ',')#end` +
    '#set($__ti = $__ti + 1)#if($__ti == 3)#set($__ti = 0)#end#end#end}#end';
}

/** What a DynamoDB client error turns into, besides the generic 400. */
export interface ConditionalAnswer {
  /** The status a failed ConditionExpression answers (404 for a missing item, 409 for an existing one). */
  readonly status: number;
  readonly message: string;
}

/** Status for throttling errors, which DynamoDB reports as 400: the client should retry later. */
export const THROTTLED_STATUS = 429;

/**
 * The template of the 4xx integration response: a failed condition answers `conditional.status`,
 * throttling answers 429, anything else 400; each with a fixed message and the request id, never
 * DynamoDB's own message (it can name the table and its keys).
 */
export function clientErrorTemplate(conditional?: ConditionalAnswer): string {
  const type = (name: string) => `$__errorType.endsWith('${name}')`;
  let out = '#set($__error = $input.path(\'$.__type\'))#set($__errorType = "$!{__error}")';
  if (conditional) {
    out += `#if(${type('ConditionalCheckFailedException')})` +
      `#set($context.responseOverride.status = ${conditional.status})${errorBody(conditional.message)}#{else}`;
  }
  out += `#if(${type('ProvisionedThroughputExceededException')} || ${type('ThrottlingException')} || ${type('RequestLimitExceeded')})` +
    `#set($context.responseOverride.status = ${THROTTLED_STATUS})${errorBody('Too many requests: retry later')}` +
    `#{else}${errorBody('The service rejected the request')}#end`;
  if (conditional) out += '#end';
  return out;
}
