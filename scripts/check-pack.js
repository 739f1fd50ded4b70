#!/usr/bin/env node
// Fails unless `npm pack` would ship exactly: the jsii assembly, the compiled library, README.md,
// API.md, LICENSE and package.json. Run after `npm run build` and `npm run docgen`.
const { execFileSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const files = JSON.parse(out)[0].files.map((f) => f.path).sort();

const allowed = (f) =>
  ['.jsii', 'README.md', 'API.md', 'LICENSE', 'package.json'].includes(f) ||
  /^dist\/.+\.(js|d\.ts)$/.test(f);
const required = ['.jsii', 'README.md', 'API.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts'];

const unexpected = files.filter((f) => !allowed(f));
const missing = required.filter((f) => !files.includes(f));
if (unexpected.length || missing.length) {
  if (unexpected.length) console.error('npm pack would ship files it must not:\n  ' + unexpected.join('\n  '));
  if (missing.length) console.error('npm pack would miss required files (run npm run build && npm run docgen):\n  ' + missing.join('\n  '));
  process.exit(1);
}
console.log(`npm pack ships ${files.length} files: .jsii, README.md, API.md, LICENSE, package.json and ${files.length - 5} compiled files under dist/`);
