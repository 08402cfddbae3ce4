// Lint rules for src/ and test/ (run as `npm run lint`, which passes this file with -c).
import js from '@eslint/js';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

// Paths in this file are relative to the repository's top level, where `npm run lint` and the
// editor (.vscode/settings.json) run ESLint; the type information comes from the tsconfig.json
// nearest each file (src/tsconfig.json for src, ./tsconfig.json for test).
const root = fileURLToPath(new URL('..', import.meta.url));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      curly: 'error',
      eqeqeq: 'error',
      'no-throw-literal': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Typed rules: a promise nobody awaits loses its rejection; a switch over a union misses a case.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    // The token lifecycle must stay free of VS Code so it runs in plain mocha.
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core must not depend on vscode.' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', module: 'writable', globalThis: 'readonly', URL: 'readonly' } },
  },
);
