// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-jsii/', 'cdk.out/', 'coverage/', '**/*.d.ts', '**/*.js', '!scripts/*.js', '!test/setup/*.js', '!eslint.config.js', '!jest.config.js', '!jest.floor.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-template-curly-in-string': 'off',
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      'no-console': 'error',
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['scripts/*.js', 'test/setup/*.js', '*.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', globalThis: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
