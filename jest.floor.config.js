// Jest at the aws-cdk-lib floor (scripts/test-at-floor.js): every test except those that need a newer aws-cdk-lib
// (the example app and cdk-nag 3, see scripts/newest-only-tests.js). Types are checked against the floor by
// `tsc -p tsconfig.json` for the library; tests are only transpiled here, since some name APIs newer releases added
// and check at run time whether the installed aws-cdk-lib has them.
const base = require('./jest.config');
const { newestOnlyTests } = require('./scripts/newest-only-tests');

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', ...newestOnlyTests().map((f) => `<rootDir>/${escapeRegExp(f)}$`)],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }],
  },
};
