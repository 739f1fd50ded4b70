#!/usr/bin/env node
// After jsii-pacmak, before the Go module is checked or published:
//  - its go.mod requires the aws-cdk-lib and constructs Go modules at our peer floor. jsii-pacmak writes the
//    version of the aws-cdk-lib installed at build time (the lockfile's newest, see CONTRIBUTING.md), and Go's
//    minimal version selection would then force every Go user up to it; the floor is what CI proves.
//  - its code is gofmt'ed (jsii-pacmak leaves blank lines gofmt removes), where gofmt is installed.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const goDir = path.join(root, 'dist-jsii', 'go');

/** The Go module of each peer dependency, as jsii-pacmak names it. */
const GO_MODULES = {
  'aws-cdk-lib': 'github.com/aws/aws-cdk-go/awscdk/v2',
  'constructs': 'github.com/aws/constructs-go/constructs/v10',
};

/** `<module> v<floor>` for each peer dependency: the requirement lines go.mod must have. */
function floorRequirements() {
  return Object.entries(GO_MODULES).map(([npmName, module]) => ({ module, version: pkg.peerDependencies[npmName].replace(/^\^/, '') }));
}

function main() {
  const goMods = fs.readdirSync(goDir, { recursive: true }).filter((f) => path.basename(f) === 'go.mod').map((f) => path.join(goDir, f));
  if (goMods.length === 0) throw new Error('no go.mod under dist-jsii/go: run jsii-pacmak first');
  for (const goMod of goMods) {
    let text = fs.readFileSync(goMod, 'utf8');
    for (const { module, version } of floorRequirements()) {
      const line = new RegExp(`^(\\s*${module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}) v\\S+$`, 'm');
      if (!line.test(text)) throw new Error(`${path.relative(root, goMod)} does not require ${module}`);
      text = text.replace(line, `$1 v${version}`);
    }
    fs.writeFileSync(goMod, text);
    console.log(`${path.relative(root, goMod)}: ${floorRequirements().map((r) => `${r.module} v${r.version}`).join(', ')}`);
  }

  if (spawnSync('gofmt', ['-h']).error) {
    console.log('gofmt is not installed: the Go code is left as jsii-pacmak wrote it');
  } else {
    const r = spawnSync('gofmt', ['-w', '-e', goDir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gofmt could not format the Go code:\n${r.stderr}`);
    console.log('Go code gofmt\'ed');
  }
}

module.exports = { floorRequirements };
if (require.main === module) main();
