import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';

/** cdk.json's context, so that the stacks are built as `cdk synth` builds them. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdkContext = require('../../cdk.json').context as Record<string, unknown>;

/** A new temp folder for one test file's assembly. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `local-${prefix}-`));
}

/** Synthesizes `build`'s stacks into a temp folder and returns it. */
export function synthesize(prefix: string, build: (app: App) => void): string {
  const outdir = tempDir(prefix);
  try {
    const app = new App({ outdir, context: cdkContext });
    build(app);
    app.synth();
  } catch (e) {
    removeDir(outdir);
    throw e;
  }
  return outdir;
}

/** Removes a folder `synthesize` made. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export { Stack };
