/**
 * Values only CloudFormation knows at deploy time (`Ref`, `Fn::GetAtt`, `Fn::Join` of them), written in
 * the OpenAPI document as `Fn::Sub` placeholders: `${Api}`, `${Role.Arn}`, `${AWS::Region}`. The document
 * stays valid JSON with readable, stable text (never `${Token[...]}`), and `Fn::Sub` turns it into the
 * deployed values if you need them.
 */

/** A resolved CloudFormation value with its intrinsics written as `Fn::Sub` placeholders. */
export function withPlaceholders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withPlaceholders);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
    return placeholderText(entries[0][0], entries[0][1]);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, withPlaceholders(v)]));
}

function text(value: unknown): string {
  const v = withPlaceholders(value);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function placeholderText(intrinsic: string, arg: unknown): string {
  switch (intrinsic) {
    case 'Ref':
      return `\${${String(arg)}}`;
    case 'Fn::GetAtt': {
      const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
      return `\${${String(id)}.${text(attribute)}}`;
    }
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, unknown[]];
      return (Array.isArray(parts) ? parts.map(text) : [text(parts)]).join(separator);
    }
    case 'Fn::Sub': {
      if (typeof arg === 'string') return arg;
      const [template, variables] = arg as [string, Record<string, unknown>];
      return template.replace(/\$\{([^}!][^}]*)\}/g, (m, name: string) => (variables && name in variables ? text(variables[name]) : m));
    }
    case 'Fn::ImportValue':
      return `\${ImportValue:${text(arg)}}`;
    default:
      // Anything else (Fn::Select, Fn::If ...) is kept whole, readable, in one placeholder:
      // `${Fn::Select(1, Fn::Split(":", ${Fn.Arn}))}`.
      return `\${${expression(intrinsic, arg)}}`;
  }
}

/** An intrinsic as call notation, its arguments literals, placeholders or nested calls. */
function expression(intrinsic: string, arg: unknown): string {
  const args = Array.isArray(arg) ? arg : [arg];
  return `${intrinsic}(${args.map(argument).join(', ')})`;
}

function argument(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(argument).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0][0].startsWith('Fn::') && !['Fn::Join', 'Fn::Sub', 'Fn::GetAtt', 'Fn::ImportValue'].includes(entries[0][0])) {
      return expression(entries[0][0], entries[0][1]);
    }
    return JSON.stringify(withPlaceholders(value));
  }
  return JSON.stringify(value);
}

/** The placeholder text of a value that must be a string in the document (an id, a URI, a name). */
export function placeholderString(value: unknown): string {
  return text(value);
}
