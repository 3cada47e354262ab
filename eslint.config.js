// ESLint flat config: typescript-eslint's recommended type-aware rules, zero warnings allowed (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { readdirSync } from 'node:fs';

// Domain modules are the folders of src/ other than core/ and cli/. A module is imported only through its
// index.ts: no file outside src/<module>/ may reach into it.
const MODULES = readdirSync('src', { withFileTypes: true })
  .filter((d) => d.isDirectory() && !['core', 'cli'].includes(d.name))
  .map((d) => d.name);
const deepImportsOf = (modules) =>
  modules.map((m) => ({
    regex: `(^|/)${m}/(?!index\\.js$).+`,
    message: `Import the ${m} module only through src/${m}/index.ts.`,
  }));
const moduleBoundaries = [
  {
    // bench/ is exempt: its storage benchmark measures the catalog's internals on purpose.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    ignores: MODULES.map((m) => `src/${m}/**`),
    rules: { 'no-restricted-imports': ['error', { patterns: deepImportsOf(MODULES) }] },
  },
  ...MODULES.map((m) => ({
    files: [`src/${m}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: deepImportsOf(MODULES.filter((o) => o !== m)) }] },
  })),
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.tarmac/**',
      'test-artifacts/**',
      'web/dist/**',
      // Template skeletons are templated source (`${{ values.name }}`) for generated repositories, not Tarmac's code.
      'examples/templates/**',
      'test/fixtures/**',
      '**/skeleton/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...moduleBoundaries,
  {
    // The CLI, scripts and benchmarks write to the terminal on purpose.
    files: ['src/cli/**', 'src/**/cli/**', 'bench/**', 'bin/**', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
);
