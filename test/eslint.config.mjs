// Lint rules for src/ and test/: `npm run lint` passes this file with -c, the editor finds it
// through .vscode/settings.json.
import js from '@eslint/js';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

// Paths in this file are relative to the repository's top level, where `npm run lint` and the
// editor (.vscode/settings.json) run ESLint; the type information comes from the tsconfig.json
// nearest each file (src/tsconfig.json for src, ./tsconfig.json for test).
const root = fileURLToPath(new URL('..', import.meta.url));

// The layers of src/core, lowest first. A folder may import its own files and the folders below
// it, never one beside or above it. No file in src/core imports vscode, src/vscode, src/extension
// or test/: the core runs in plain mocha, and the VS Code side is built on it, not the reverse.
//
//     tools   routes   view   Postman import, curl, clipboard clearing | terminal and task
//         \     |     /       routes, workspace grants | status text, user messages
//          profiles           named accounts: index, migration, account lookup
//              |
//           signin            browser sign-in, loopback listener
//              |
//            token            stored credentials, lifecycle, window ledger
//              |
//          pandadoc           HTTP and the PandaDoc endpoints
//              |
//            base             clock, errors, logger, policy, settings, text, ...
const LAYERS = [['base'], ['pandadoc'], ['token'], ['signin'], ['profiles'], ['tools', 'routes', 'view']];

const rule = (options) => ({ 'no-restricted-imports': ['error', options] });

/** One no-restricted-imports block per folder of src/core (ESLint keeps only the last block's options). */
function coreLayers() {
  const outside = {
    paths: [{ name: 'vscode', message: 'src/core must not depend on vscode.' }],
    patterns: [
      {
        group: ['../**/vscode', '../**/vscode/**', '../**/extension', '../**/test/**'],
        caseSensitive: true,
        message: 'src/core must not depend on src/vscode, src/extension or test/.',
      },
    ],
  };
  // A file in src/core outside the known folders still gets the outside rule.
  const blocks = [{ files: ['src/core/**'], rules: rule(outside) }];
  LAYERS.forEach((level, rank) => {
    const below = LAYERS.slice(0, rank).flat();
    for (const folder of level) {
      const forbidden = LAYERS.flat().filter((other) => other !== folder && !below.includes(other));
      const layerPattern = {
        group: forbidden.map((other) => `**/${other}/**`),
        caseSensitive: true,
        message: `src/core/${folder} may import from src/core only ${[folder, ...below].join(', ')} (layer picture in test/eslint.config.mjs).`,
      };
      blocks.push({
        files: [`src/core/${folder}/**`],
        rules: rule(forbidden.length > 0 ? { ...outside, patterns: [...outside.patterns, layerPattern] } : outside),
      });
    }
  });
  return blocks;
}

// The layers of src/vscode, lowest first, on the same rule: a folder may import its own files,
// the folders below it and src/core, never a folder beside or above it. Below, the pieces every
// command shares; above them the region question, which three ways in ask (Set Credentials, the
// sign-in, the Postman import); then the features, one folder each, which never reach into one
// another; at the top what other extensions call, the authentication provider being built on the
// sign-in. No file in src/vscode imports src/extension (the wiring) or test/.
//
//                     api                getApi(1), the authentication provider
//                      |
//   status profiles credentials signin   the features: the status bar and its menu, the profile
//   tools terminal tasks mcp grants      and credential commands, the sign-in, Postman and curl;
//                      |                 the routes out (terminal, tasks, mcp: VS Code's chat)
//                   regions              and Manage Workspace Permissions over them (grants)
//                      |
//                     ui                 modal questions, input boxes, notifications
//                      |
//                    base                command IDs, settings, the window's workspace
const VSCODE_LAYERS = [
  ['base'],
  ['ui'],
  ['regions'],
  ['status', 'profiles', 'credentials', 'signin', 'tools', 'terminal', 'tasks', 'mcp', 'grants'],
  ['api'],
];

/** One no-restricted-imports block per folder of src/vscode. A folder is named by its path from
 *  src/vscode (`../terminal/...`), or roundabout through src/vscode itself; src/core has folders of
 *  the same names (base, profiles, signin, tools), which stay allowed. */
function vscodeLayers() {
  const outside = ['../**/extension', '../**/test/**'];
  // A file in src/vscode outside the known folders still gets the outside rule.
  const blocks = [{ files: ['src/vscode/**'], rules: rule({ patterns: [{ group: outside, caseSensitive: true, message: 'src/vscode must not depend on src/extension or test/.' }] }) }];
  VSCODE_LAYERS.forEach((level, rank) => {
    const below = VSCODE_LAYERS.slice(0, rank).flat();
    for (const folder of level) {
      const forbidden = VSCODE_LAYERS.flat().filter((other) => other !== folder && !below.includes(other));
      const pattern = {
        group: [...outside, ...forbidden.flatMap((other) => [`../${other}`, `../${other}/**`, `**/vscode/${other}`, `**/vscode/${other}/**`])],
        caseSensitive: true,
        message: `src/vscode/${folder} may import from src/vscode only ${[folder, ...below].join(', ')}; never src/extension or test/ (layer picture in test/eslint.config.mjs).`,
      };
      blocks.push({ files: [`src/vscode/${folder}/**`], rules: rule({ patterns: [pattern] }) });
    }
  });
  return blocks;
}

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
  ...coreLayers(),
  ...vscodeLayers(),
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', module: 'writable', globalThis: 'readonly', URL: 'readonly' } },
  },
);
