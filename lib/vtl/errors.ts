/**
 * Errors with a template position. A syntax error is what API Gateway rejects when the template is
 * deployed or first used; a render error is what makes a request fail with a 500 at run time (a Java
 * exception inside a method call, such as an index out of bounds or an invalid regex).
 */

/** Where a piece of template text came from, for line/column reporting. */
export class SourceText {
  private readonly lineStarts: number[] = [0];

  /**
   * @param text the template (or string-literal) text being parsed
   * @param parent for an interpolated string literal: the enclosing source and the literal's offset
   */
  constructor(public readonly text: string, public readonly parent?: { source: SourceText; offset: number }) {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) this.lineStarts.push(i + 1);
    }
  }

  /** 1-based line and column of an offset, resolved to the outermost template. */
  public position(offset: number): { line: number; column: number } {
    if (this.parent) return this.parent.source.position(this.parent.offset);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }
}

export class VtlSyntaxError extends Error {
  constructor(source: SourceText, offset: number, detail: string) {
    const { line, column } = source.position(offset);
    const where = source.parent ? ' (inside the interpolated string literal that starts there)' : '';
    super(`Mapping template syntax error at line ${line}, column ${column}: ${detail}${where}`);
    this.name = 'VtlSyntaxError';
  }
}

export class VtlRenderError extends Error {
  constructor(source: SourceText, offset: number, detail: string) {
    const { line, column } = source.position(offset);
    super(`Mapping template render error at line ${line}, column ${column}: ${detail}`);
    this.name = 'VtlRenderError';
  }
}

/** Describes the text at an offset for error messages ("<EOF>" or a short quoted excerpt). */
export function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return '<EOF>';
  const excerpt = text.slice(offset, offset + 12).replace(/\r?\n[\s\S]*$/, '');
  return JSON.stringify(excerpt.length > 0 ? excerpt : text[offset]);
}
