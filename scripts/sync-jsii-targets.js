#!/usr/bin/env node
// .jsiirc.json at the root is the single source of the per-language target names, but jsii reads
// only package.json's "jsii.targets" for the root module. This keeps the two equal:
//   --check  exits 1 (naming the difference) when package.json disagrees with .jsiirc.json
//   --write  copies .jsiirc.json's targets into package.json
const fs = require('fs');
const path = require('path');
const { isDeepStrictEqual } = require('util');

const root = path.resolve(__dirname, '..');
const pkgPath = path.join(root, 'package.json');
const rcPath = path.join(root, '.jsiirc.json');

function readTargets() {
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
  const rc = JSON.parse(fs.readFileSync(rcPath, 'utf8'));
  return { pkg, packageTargets: (pkg.jsii || {}).targets, rcTargets: rc.targets };
}

function main(mode) {
  const { pkg, packageTargets, rcTargets } = readTargets();
  if (!rcTargets || Object.keys(rcTargets).length === 0) {
    console.error('.jsiirc.json has no "targets": it must name the python, java, dotnet and go targets.');
    return 1;
  }
  if (isDeepStrictEqual(packageTargets, rcTargets)) return 0;
  if (mode === '--write') {
    pkg.jsii.targets = rcTargets;
    fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
    console.log('package.json jsii.targets updated from .jsiirc.json');
    return 0;
  }
  console.error('package.json "jsii.targets" differs from .jsiirc.json "targets" (the single source).');
  console.error('Run `node scripts/sync-jsii-targets.js --write` to copy them into package.json.');
  console.error('.jsiirc.json:  ' + JSON.stringify(rcTargets));
  console.error('package.json:  ' + JSON.stringify(packageTargets));
  return 1;
}

process.exitCode = main(process.argv[2] || '--check');
