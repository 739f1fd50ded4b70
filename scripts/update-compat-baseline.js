#!/usr/bin/env node
// After a release: the built assembly (.jsii) becomes the public API compat checks compare against,
// and the list of allowed breaking changes starts empty again. Run `npm run build` first.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const assembly = path.join(root, '.jsii');
if (!fs.existsSync(assembly)) {
  console.error('No .jsii: run npm run build first');
  process.exit(1);
}
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const baseline = path.join(root, 'compat', 'baseline');
fs.mkdirSync(baseline, { recursive: true });
fs.copyFileSync(assembly, path.join(baseline, '.jsii'));
// jsii-diff loads the baseline as a package: its name, version and peer dependencies (to find aws-cdk-lib's assembly).
fs.writeFileSync(path.join(baseline, 'package.json'), `${JSON.stringify({
  name: pkg.name,
  version: pkg.version,
  description: 'The public API (.jsii) `npm run compat` compares against: the last release (see CONTRIBUTING.md)',
  private: true,
  types: 'index.d.ts',
  peerDependencies: pkg.peerDependencies,
  jsii: { outdir: 'dist' },
}, undefined, 2)}\n`);
fs.writeFileSync(path.join(root, 'compat', 'allowed-breaking-changes.txt'),
  '# Breaking changes to the public API that are intended, one jsii-diff key per line (run\n' +
  '# `npm run compat -- --keys` to see the keys), each with a CHANGELOG entry under "Breaking".\n');
console.log(`compat baseline: ${pkg.name}@${pkg.version}`);
