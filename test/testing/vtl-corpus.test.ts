import { loadCorpus, runCorpusCase } from './vtl-corpus-runner';

/**
 * The renderer against what real API Gateway printed: every recorded case of the shared corpus
 * (fixtures/vtl-corpus-recorded.jsonl, sources and licences in fixtures/README.md).
 *
 * A case the renderer still gets wrong is listed here with the reason. The list is checked both
 * ways: an unlisted case that fails, or a listed case that passes, fails this test.
 */
const KNOWN_DIFFERENCES: { [id: string]: string } = {
  // None today. Cases that belong to items 15, 17 and 18 of issue 11 (string escapes, regex,
  // JSONPath filters, macros, BigDecimal) go here as "item 15/17/18 (other branch)".
};

const cases = loadCorpus();

describe('recorded mapping-template corpus', () => {
  test('the fixtures hold only recorded cases, each with its id and source, ids unique', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect({ id: c.id, recorded: c.recorded, hasSource: c.source.length > 0 }).toEqual({ id: c.id, recorded: true, hasSource: true });
    }
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  test('every known difference names a case of the corpus', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(Object.keys(KNOWN_DIFFERENCES).filter((id) => !ids.has(id))).toEqual([]);
  });

  test.each(cases.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const outcome = runCorpusCase(c);
    if (id in KNOWN_DIFFERENCES) {
      // Still differs from AWS; when it starts passing, remove it from KNOWN_DIFFERENCES.
      expect({ id, passes: outcome.ok }).toEqual({ id, passes: false });
    } else {
      expect({ id, passes: outcome.ok, detail: outcome.detail }).toEqual({ id, passes: true, detail: '' });
    }
  });
});
