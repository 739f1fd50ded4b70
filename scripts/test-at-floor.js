#!/usr/bin/env node
// Proves the lowest aws-cdk-lib the package supports (the floor of its peerDependencies range):
//  1. installs that aws-cdk-lib over the tree (--no-save: the lockfile keeps the newest, which the examples need),
//  2. type-checks lib/ against the floor's types,
//  3. runs every test that does not need a newer aws-cdk-lib (jest.floor.config.js),
//  4. installs the packed tarball into a fresh app pinned to the floor with a plain `npm install`, compiles it
//     with its own TypeScript, synthesizes a route of every kind and serves it locally (scripts/floor-app/app.ts),
// then puts the lockfile's aws-cdk-lib back. `--app-only` runs step 4 alone (it needs no change to the tree).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const floorOf = (name) => pkg.peerDependencies[name].replace(/^\^/, '');
const floor = floorOf('aws-cdk-lib');
const appOnly = process.argv.includes('--app-only');

function run(command, args, cwd = root) {
  console.log(`$ ${command} ${args.join(' ')}${cwd === root ? '' : `   (in ${cwd})`}`);
  execFileSync(command, args, { cwd, stdio: 'inherit' });
}
const installed = () => JSON.parse(fs.readFileSync(path.join(root, 'node_modules/aws-cdk-lib/package.json'), 'utf8')).version;

/** The npm tarball `npm run package` wrote, else a fresh one (npm pack builds first, through prepack). */
function tarball() {
  const dir = path.join(root, 'dist-jsii', 'js');
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (existing.length === 1) return path.join(dir, existing[0]);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'floor-pack-'));
  run('npm', ['pack', '--pack-destination', out]);
  return path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.tgz')));
}

function freshApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floor-app-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'floor-app', version: '0.0.0', private: true,
    dependencies: {
      'aws-cdk-lib': floor, // exactly the floor: what an app pinned to it has
      'constructs': floorOf('constructs'),
      'cdk-apigateway-patterns': `file:${tarball()}`,
    },
    devDependencies: { 'typescript': pkg.devDependencies.typescript, '@types/node': pkg.devDependencies['@types/node'] },
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    // The settings of `cdk init app --language typescript`: strict, and library declarations checked too.
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['es2022'], strict: true, noEmitOnError: true, types: ['node'] },
    files: ['app.ts'],
  }, null, 2));
  fs.copyFileSync(path.join(__dirname, 'floor-app', 'app.ts'), path.join(dir, 'app.ts'));
  run('npm', ['install'], dir); // no flags: the peer ranges must meet
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/aws-cdk-lib/package.json'), 'utf8')).version;
  if (version !== floor) throw new Error(`the fresh app got aws-cdk-lib ${version}, not the floor ${floor}`);
  run(path.join(dir, 'node_modules/.bin/tsc'), ['-p', '.'], dir);
  run(process.execPath, ['app.js'], dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

if (appOnly) {
  freshApp();
} else {
  const pinned = installed();
  try {
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `aws-cdk-lib@${floor}`]);
    if (installed() !== floor) throw new Error(`npm installed aws-cdk-lib ${installed()}, not ${floor}`);
    run('npx', ['tsc', '--noEmit', '--incremental', 'false', '-p', 'tsconfig.json']);
    run('npx', ['jest', '--ci', '-c', 'jest.floor.config.js']);
    freshApp();
  } finally {
    if (installed() !== pinned) run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `aws-cdk-lib@${pinned}`]);
  }
}
console.log(`aws-cdk-lib ${floor} (the floor): ok`);
