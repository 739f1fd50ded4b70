/**
 * A JSONPath Choice state's rules: `Variable` with a comparison (`StringEquals`, `NumericGreaterThanPath`,
 * `StringMatches`, `IsPresent` ...), and `And` / `Or` / `Not`. A comparison of values of another type is
 * false; a missing `Variable` is an error except for `IsPresent`, as on AWS.
 */
import { StatesError } from './errors';
import { JsonPathData, readPath } from './payload-template';

type Rule = Record<string, unknown>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function compare(kind: 'String' | 'Numeric' | 'Timestamp', a: unknown, b: unknown): number | undefined {
  if (kind === 'String') return typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : undefined;
  if (kind === 'Numeric') return typeof a === 'number' && typeof b === 'number' ? Math.sign(a - b) : undefined;
  if (typeof a !== 'string' || typeof b !== 'string' || !TIMESTAMP.test(a) || !TIMESTAMP.test(b)) return undefined;
  return Math.sign(Date.parse(a) - Date.parse(b));
}

/** `StringMatches`: `*` any run of characters, `\*` and `\\` literal. */
function wildcardMatches(value: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) { re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); continue; }
    re += c === '*' ? '[\\s\\S]*' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(value);
}

/** Whether `rule` holds for the state's effective input. */
export function choiceRuleMatches(rule: Rule, data: JsonPathData, state: string): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => choiceRuleMatches(r, data, state));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => choiceRuleMatches(r, data, state));
  if (rule.Not !== undefined) return !choiceRuleMatches(rule.Not as Rule, data, state);
  if (typeof rule.Variable !== 'string') throw new StatesError('States.Runtime', `Choice state '${state}': a rule has no Variable, And, Or or Not`);
  const variablePath = rule.Variable;
  const operator = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Assign' && k !== 'Comment');
  if (!operator) throw new StatesError('States.Runtime', `Choice state '${state}': the rule on ${variablePath} has no comparison`);
  const operand = rule[operator];
  if (operator === 'IsPresent') {
    let present = true;
    try { readPath(variablePath, data, 'Variable'); } catch { present = false; }
    return present === operand;
  }
  const value = readPath(variablePath, data, 'Variable');
  switch (operator) {
    case 'IsNull': return (value === null) === operand;
    case 'IsNumeric': return (typeof value === 'number') === operand;
    case 'IsString': return (typeof value === 'string') === operand;
    case 'IsBoolean': return (typeof value === 'boolean') === operand;
    case 'IsTimestamp': return (typeof value === 'string' && TIMESTAMP.test(value)) === operand;
    case 'StringMatches': return typeof value === 'string' && typeof operand === 'string' && wildcardMatches(value, operand);
    case 'BooleanEquals': return typeof value === 'boolean' && value === operand;
    case 'BooleanEqualsPath': return typeof value === 'boolean' && value === readPath(String(operand), data, operator);
  }
  const m = /^(String|Numeric|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(operator);
  if (!m) throw new StatesError('States.Runtime', `Choice state '${state}': unknown comparison ${operator}`);
  const other = m[3] ? readPath(String(operand), data, operator) : operand;
  const c = compare(m[1] as 'String' | 'Numeric' | 'Timestamp', value, other);
  if (c === undefined) return false;
  switch (m[2]) {
    case 'Equals': return c === 0;
    case 'LessThan': return c < 0;
    case 'GreaterThan': return c > 0;
    case 'LessThanEquals': return c <= 0;
    default: return c >= 0;
  }
}
