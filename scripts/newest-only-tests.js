// The test files that need more than the aws-cdk-lib floor: the ones that reach the example app (checked with
// cdk-nag 3, which needs aws-cdk-lib 2.257 or newer) or cdk-nag itself, directly or through a test helper.
// The floor pass (scripts/test-at-floor.js) leaves them out; every other test runs at both versions.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const IMPORT = /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)'([^']+)'/g;

/** Whether `file` (a test or test helper) imports the examples or cdk-nag, following relative imports under test/. */
function needsNewest(file, seen = new Map()) {
  if (seen.has(file)) return seen.get(file);
  seen.set(file, false);
  const source = fs.readFileSync(file, 'utf8');
  let result = false;
  for (const [, spec] of source.matchAll(IMPORT)) {
    if (spec === 'cdk-nag' || spec.startsWith('cdk-nag/')) { result = true; break; }
    if (!spec.startsWith('.')) continue;
    const target = path.resolve(path.dirname(file), spec);
    if (path.relative(root, target).split(path.sep)[0] === 'examples') { result = true; break; }
    const resolved = ['.ts', '/index.ts', ''].map((ext) => target + ext).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (resolved && path.relative(root, resolved).split(path.sep)[0] === 'test' && needsNewest(resolved, seen)) { result = true; break; }
  }
  seen.set(file, result);
  return result;
}

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Paths (relative to the repository) of the test files that run at the newest aws-cdk-lib only. */
function newestOnlyTests() {
  const seen = new Map();
  return testFiles(path.join(root, 'test')).filter((f) => needsNewest(f, seen)).map((f) => path.relative(root, f)).sort();
}

module.exports = { newestOnlyTests };

if (require.main === module) console.log(newestOnlyTests().join('\n'));
