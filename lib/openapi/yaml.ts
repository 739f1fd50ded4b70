/**
 * JSON data written as block YAML (YAML 1.2): strings double-quoted with JSON escapes (always valid
 * YAML, never read as a number, a boolean or a date), keys quoted when they are not plain words.
 */
export function toYaml(value: unknown): string {
  return `${block(value, 0).replace(/^\n/, '')}\n`;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(k) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(k) ? k : JSON.stringify(k);
}

function block(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value.map((v) => {
      const inner = block(v, indent + 2);
      return `\n${pad}-${inner.startsWith('\n') ? inner.replace(/^\n\s*/, ' ') : inner}`;
    }).join('');
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return ' {}';
    return entries.map(([k, v]) => `\n${pad}${key(k)}:${block(v, indent + 2)}`).join('');
  }
  return ` ${scalar(value)}`;
}
