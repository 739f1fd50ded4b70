import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonSchema, validateJsonSchema } from '../../lib/local/method-request/json-schema';

/**
 * The official JSON Schema draft-04 test suite (devDependency json-schema-test-suite) against the
 * emulator's validator. Remote refs are served from the suite's own `remotes` folder (as its README
 * asks, at http://localhost:1234/), the draft-04 metaschema from its published copy.
 */
const suite = path.dirname(require.resolve('json-schema-test-suite/package.json'));
const draft4 = path.join(suite, 'tests', 'draft4');

const store = new Map<string, JsonSchema>();
function addRemotes(dir: string, prefix: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) addRemotes(file, `${prefix}${entry.name}/`);
    else store.set(`${prefix}${entry.name}`, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
}
addRemotes(path.join(suite, 'remotes'), 'http://localhost:1234/');
store.set('http://json-schema.org/draft-04/schema', DRAFT_04_METASCHEMA());

/** Suite files about `format` (not validated by API Gateway either) and arbitrary-precision numbers. */
const SKIPPED_FILES = new Set(['format.json', 'bignum.json', 'zeroTerminatedFloats.json', 'ecmascript-regex.json']);

interface Case { description: string; schema: JsonSchema; tests: Array<{ description: string; data: unknown; valid: boolean }> }
const files = [...fs.readdirSync(draft4).map((f) => path.join(draft4, f)), ...fs.readdirSync(path.join(draft4, 'optional')).map((f) => path.join(draft4, 'optional', f))]
  .filter((f) => f.endsWith('.json') && !SKIPPED_FILES.has(path.basename(f)));

let total = 0;
for (const file of files) {
  const cases = JSON.parse(fs.readFileSync(file, 'utf8')) as Case[];
  describe(path.relative(draft4, file), () => {
    for (const c of cases) {
      test.each(c.tests.map((t) => [t.description, t.data, t.valid] as const))(`${c.description}: %s`, (_d, data, valid) => {
        expect(validateJsonSchema(c.schema, data, store).length === 0).toBe(valid);
      });
      total += c.tests.length;
    }
  });
}

test('the suite ran (a missing folder would make it pass vacuously)', () => {
  expect(total).toBeGreaterThan(200);
});

/** The draft-04 metaschema (http://json-schema.org/draft-04/schema#), for the suite's refs to it. */
function DRAFT_04_METASCHEMA(): JsonSchema {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'json-schema-draft-04.json'), 'utf8'));
}
