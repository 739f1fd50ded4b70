// Jest global setup and teardown: the run's temporary files go to one folder, removed at the end. aws-cdk-lib
// writes each synthesized App without an outdir to a fresh folder under os.tmpdir() and never removes it
// (about a thousand folders, some 100 MB, per run of this suite).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-apigateway-patterns-tests-'));
  globalThis.__testTempDir = dir;
  process.env.TMPDIR = dir; // read by os.tmpdir() in the workers Jest starts next, and their child processes
}

async function teardown() {
  if (globalThis.__testTempDir) fs.rmSync(globalThis.__testTempDir, { recursive: true, force: true });
}

module.exports = { setup, teardown };
