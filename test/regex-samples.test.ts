import { regexSamples } from '../lib/internal/regex-samples';
import { javaMatches } from '../lib/vtl/java-regex';

describe('regexSamples: messages a Java regex matches as a whole', () => {
  test.each<[string, string[]]>([
    ['NotFound', ['NotFound']],
    ['\\[NotFound\\][\\s\\S]*', ['[NotFound]', '[NotFound]a', '[NotFound]x']],
    ['Timeout after \\d+ ms', ['Timeout after 0 ms', 'Timeout after 00 ms', 'Timeout after 07 ms', 'Timeout after 7 ms', 'Timeout after 70 ms', 'Timeout after 77 ms']],
    ['(disk|memory) full', ['disk full', 'memory full']],
    ['Fatal: (?:disk|memory)?', ['Fatal: ', 'Fatal: disk', 'Fatal: memory']],
    ['E\\d{3}', ['E000', 'E007', 'E070', 'E077', 'E700', 'E707', 'E770', 'E777']],
    ['[^a-z]', ['A', 'Z']],
    ['\\QA.B\\E', ['A.B']],
    ['x{2,}', ['xx', 'xxx']],
  ])('%j', (pattern, expected) => {
    expect(regexSamples(pattern).sort()).toEqual([...expected].sort());
  });

  test.each(['(a)\\1', '(?<=x)a', 'a(?i)bc'])('%j: no samples rather than wrong ones', (pattern) => {
    expect(regexSamples(pattern)).toEqual([]);
  });

  test.each([
    'Task timed out after [0-9.]+ seconds', '.*Error.*', '[A-Z][a-z]+Exception: [\\s\\S]*', '(?!\\[NotFound\\])\\[Not[\\s\\S]*',
    '\\p{Upper}\\p{Lower}+', '\\x41\\u0042[\\w-]+',
  ])('every sample of %j matches it', (pattern) => {
    const samples = regexSamples(pattern);
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) expect(javaMatches(s, pattern)).toBe(true);
  });

  test('the number of samples is bounded', () => {
    expect(regexSamples('(a|b)(c|d)(e|f)(g|h)(i|j)(k|l)(m|n)(o|p)', 10)).toHaveLength(10);
  });
});
