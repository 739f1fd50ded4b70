#!/usr/bin/env node
// After `jsii-pacmak --code-only`: the npm tarball and the Python, Java, .NET and Go code exist, every
// generated Python file compiles (python3 -m py_compile), the Go code parses and is gofmt-clean where gofmt is
// installed (it is not on every build machine: then the line says the Go check was skipped), and its go.mod
// requires the peer floor. `go vet` needs the jsii Go runtime and aws-cdk-go modules from the network, so the
// release workflow runs it, not this script.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { floorRequirements } = require('./finish-go-module');

const out = path.resolve(__dirname, '..', 'dist-jsii');
const failures = [];
const files = (dir, ext) => (fs.existsSync(dir)
  ? fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f)).filter((f) => f.endsWith(ext))
  : []);

const tarballs = files(path.join(out, 'js'), '.tgz');
if (tarballs.length !== 1) failures.push(`expected one npm tarball in dist-jsii/js, found ${tarballs.length}`);

const python = files(path.join(out, 'python'), '.py');
if (python.length === 0) failures.push('no Python code in dist-jsii/python');
else {
  const r = spawnSync('python3', ['-m', 'py_compile', ...python], { encoding: 'utf8' });
  if (r.status !== 0) failures.push(`Python code does not compile:\n${r.stderr}`);
}

const java = files(path.join(out, 'java'), '.java');
if (java.length === 0) failures.push('no Java code in dist-jsii/java');
const dotnet = files(path.join(out, 'dotnet'), '.cs');
if (dotnet.length === 0) failures.push('no .NET code in dist-jsii/dotnet');

const goDir = path.join(out, 'go');
const go = files(goDir, '.go');
let goCheck = 'Go: no go toolchain here, gofmt skipped';
if (go.length === 0) failures.push('no Go code in dist-jsii/go');
else if (spawnSync('gofmt', ['-h']).error === undefined) {
  const r = spawnSync('gofmt', ['-l', '-e', goDir], { encoding: 'utf8' });
  if (r.status !== 0) failures.push(`Go code does not parse:\n${r.stderr}`);
  else if (r.stdout.trim()) failures.push(`Go code is not gofmt-clean (scripts/finish-go-module.js formats it):\n${r.stdout.trim()}`);
  goCheck = 'Go: parses and is gofmt-clean';
}
// The Go module requires aws-cdk-lib's and constructs' Go modules at the peer floor (scripts/finish-go-module.js).
for (const goMod of files(goDir, 'go.mod')) {
  const lines = fs.readFileSync(goMod, 'utf8').split('\n').map((l) => l.trim());
  for (const { module, version } of floorRequirements()) {
    if (!lines.includes(`${module} v${version}`)) failures.push(`${path.relative(out, goMod)} does not require ${module} v${version}`);
  }
}

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`packages: npm ${path.basename(tarballs[0])}; Python ${python.length} files compile; Java ${java.length} files; .NET ${dotnet.length} files; Go ${go.length} files. ${goCheck}`);
