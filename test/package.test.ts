import * as fs from 'fs';
import * as path from 'path';

// The package metadata Construct Hub and jsii need, and the single source of the jsii target names.
const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const jsiirc = JSON.parse(fs.readFileSync(path.join(root, '.jsiirc.json'), 'utf8'));

describe('package metadata', () => {
  test('jsii targets in package.json equal the root .jsiirc.json (run scripts/sync-jsii-targets.js --write)', () => {
    expect(pkg.jsii.targets).toEqual(jsiirc.targets);
  });

  test('targets Python, Java, .NET and Go with names for each', () => {
    expect(Object.keys(jsiirc.targets).sort()).toEqual(['dotnet', 'go', 'java', 'python']);
    expect(jsiirc.targets.python).toEqual({ distName: expect.any(String), module: expect.stringMatching(/^[a-z_]+$/) });
    expect(jsiirc.targets.java.maven).toEqual({ groupId: expect.any(String), artifactId: expect.any(String) });
    expect(jsiirc.targets.java.package).toMatch(/^[a-z.]+$/);
    expect(jsiirc.targets.dotnet).toEqual({ namespace: expect.any(String), packageId: expect.any(String) });
    expect(jsiirc.targets.go).toEqual({ moduleName: expect.any(String), packageName: expect.stringMatching(/^[a-z]+$/) });
  });

  test('carries what Construct Hub indexes on', () => {
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdk', 'awscdk']));
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^https:\/\//) });
    expect(pkg.author.name).toEqual(expect.any(String));
    expect(pkg.stability).toEqual(expect.stringMatching(/^(experimental|stable|deprecated)$/));
    expect(fs.existsSync(path.join(root, 'LICENSE'))).toBe(true);
  });

  test('aws-cdk-lib and constructs are peer dependencies; constructs pinned to its minimum, aws-cdk-lib to a release at or above its floor', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    const floor = (range: string) => {
      expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
      return range.slice(1);
    };
    expect(pkg.devDependencies.constructs).toBe(floor(pkg.peerDependencies.constructs));
    // The lockfile holds the newest aws-cdk-lib the examples are checked with (cdk-nag 3 needs 2.257 or newer);
    // scripts/test-at-floor.js installs the floor and proves it in CI.
    const numbers = (v: string) => v.split('.').map(Number);
    const [dev, min] = [numbers(pkg.devDependencies['aws-cdk-lib']), numbers(floor(pkg.peerDependencies['aws-cdk-lib']))];
    expect(pkg.devDependencies['aws-cdk-lib']).toMatch(/^2\.\d+\.\d+$/);
    expect(dev[1] > min[1] || (dev[1] === min[1] && dev[2] >= min[2])).toBe(true);
    expect(fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8')).toMatch(/node scripts\/test-at-floor\.js/);
  });

  test('the CLI is pinned to a 2.x release that reads what aws-cdk-lib 2.x synthesizes', () => {
    expect(pkg.devDependencies['aws-cdk']).toMatch(/^2\.\d+\.\d+$/);
  });

  test('ships only the assembly, compiled library and docs', () => {
    expect(pkg.files).toEqual(['dist/**/*.js', 'dist/**/*.d.ts', '.jsii', 'API.md']);
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.types).toBe('dist/index.d.ts');
  });
});
