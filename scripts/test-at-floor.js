#!/usr/bin/env node
// Proves the lowest aws-cdk-lib the package supports (the floor of its peerDependencies range):
//  1. installs that aws-cdk-lib over the tree (--no-save: the lockfile keeps the newest, which the examples need),
//  2. type-checks lib/ against the floor's types,
//  3. runs every test that does not need a newer aws-cdk-lib (jest.floor.config.js),
//  4. compiles the README's snippets against it (jsii-rosetta; only the cdk-nag one, which uses Validations
//     from aws-cdk-lib 2.251, may fail),
//  5. installs the packed tarball into a fresh app pinned to the floor with a plain `npm install`, compiles it
//     with its own TypeScript, synthesizes a route of every kind and serves it locally (scripts/floor-app/app.ts),
// then puts the lockfile's aws-cdk-lib back. `--app-only` runs step 5 alone (it needs no change to the tree).
const { execFileSync, spawnSync } = require('node:child_process');
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

/** The npm tarball `npm run package` wrote (CI runs it first), else a fresh one (npm pack builds first, through prepack). */
function tarball() {
  const dir = path.join(root, 'dist-jsii', 'js');
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (existing.length === 1) {
    console.log(`the tarball of \`npm run package\`: ${path.join('dist-jsii', 'js', existing[0])}`);
    return path.join(dir, existing[0]);
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const f of existing) fs.rmSync(path.join(dir, f));
  run('npm', ['pack', '--pack-destination', dir]);
  return path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.tgz')));
}

/** The README's snippets at the floor: every one compiles but those that use `Validations` (newer than the floor). */
function readmeSnippets() {
  const tablet = path.join(root, '.jsii.tabl.json');
  fs.rmSync(tablet, { force: true }); // translations cached at the newest release would skip the compile
  if (!fs.existsSync(path.join(root, '.jsii'))) throw new Error('no .jsii: build first (npm run build)');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'floor-rosetta-')), 'tablet.json');
  console.log('$ npx jsii-rosetta extract --compile --directory . (the README\'s snippets)');
  const r = spawnSync('npx', ['jsii-rosetta', 'extract', '--compile', '--directory', '.', '--cache-to', out], { cwd: root, encoding: 'utf8' });
  fs.rmSync(tablet, { force: true });
  const output = `${r.stdout}${r.stderr}`;
  const errors = output.split('\n').filter((l) => /error TS\d+/.test(l));
  const unexpected = errors.filter((l) => !/'Validations'/.test(l));
  // What was compiled, from the tablet: a snippet either compiled or has its errors above.
  const snippets = r.status === 0 ? Object.values(JSON.parse(fs.readFileSync(out, 'utf8')).snippets) : [];
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const failed = snippets.filter((x) => x.didCompile !== true).length;
  if (r.status !== 0 || snippets.length === 0 || unexpected.length > 0 || (failed > 0) !== (errors.length > 0)) {
    throw new Error(`README snippets at aws-cdk-lib ${floor} (${snippets.length} snippets, ${failed} not compiled):\n${output}`);
  }
  console.log(`README snippets: ${snippets.length - failed} of ${snippets.length} compile; ${failed} use Validations (aws-cdk-lib 2.251+)`);
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
    // Strict, as a `cdk init` app is, and without skipLibCheck: our declarations are checked against the floor's.
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

function main() {
  if (appOnly) {
    freshApp();
  } else {
    const pinned = installed();
    try {
      run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `aws-cdk-lib@${floor}`]);
      if (installed() !== floor) throw new Error(`npm installed aws-cdk-lib ${installed()}, not ${floor}`);
      run('npx', ['tsc', '--noEmit', '--incremental', 'false', '-p', 'tsconfig.json']);
      run('npx', ['jest', '--ci', '-c', 'jest.floor.config.js']);
      readmeSnippets();
      freshApp();
    } finally {
      if (installed() !== pinned) run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `aws-cdk-lib@${pinned}`]);
    }
  }
  console.log(`aws-cdk-lib ${floor} (the floor): ok`);
}

module.exports = { readmeSnippets, freshApp };
if (require.main === module) main();
