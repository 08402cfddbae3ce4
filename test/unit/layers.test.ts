import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

// The layer rules of src/core and src/vscode (no-restricted-imports in test/eslint.config.mjs)
// are only worth something while they fire: these lint one import at a time, as if it were in the
// given file.
// The files do not exist, so they are in no tsconfig and typed linting could not parse them; the
// layer rule needs no types, so typed linting is turned off here (and the test stays fast).
const root = join(__dirname, '..', '..', '..');
const RULE = 'no-restricted-imports';

describe('the layer rules of src/core and src/vscode', () => {
  let eslint: ESLint;

  before(() => {
    eslint = new ESLint({
      cwd: root,
      overrideConfigFile: join(root, 'test', 'eslint.config.mjs'),
      overrideConfig: tseslint.configs.disableTypeChecked as ESLint.Options['overrideConfig'],
    });
  });

  /** The rule's messages for `import type { X } from '<specifier>'` in `file`. */
  async function restricted(file: string, specifier: string): Promise<string[]> {
    const code = `import type { X } from '${specifier}';\nexport type { X };\n`;
    const [result] = await eslint.lintText(code, { filePath: join(root, file) });
    assert.ok(result);
    return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
  }

  const forbidden: [file: string, specifier: string, says: RegExp][] = [
    ['src/core/base/x.ts', '../token/credentials', /src\/core\/base may import from src\/core only base\b/],
    ['src/core/base/x.ts', '../pandadoc/http', /src\/core\/base may import/],
    ['src/core/token/x.ts', 'vscode', /src\/core must not depend on vscode/],
    ['src/core/token/x.ts', '../signin/authorization', /src\/core\/token may import from src\/core only token, base, pandadoc\b/],
    ['src/core/signin/x.ts', '../../vscode/credentials/credentialCommands', /must not depend on src\/vscode/],
    ['src/core/profiles/x.ts', '../../extension', /must not depend on src\/vscode, src\/extension/],
    ['src/core/view/x.ts', '../../../test/support/doubles', /or test\//],
    ['src/core/view/x.ts', '../tools/curl', /src\/core\/view may import/],
    ['src/core/tools/x.ts', '../view/statusView', /src\/core\/tools may import/],
    ['src/core/token/x.ts', '../../core/profiles/profiles', /src\/core\/token may import/],
    ['src/core/pandadoc/x.ts', '../token/credentials', /src\/core\/pandadoc may import from src\/core only pandadoc, base\b/],
    // src/vscode: the shared pieces never import a feature...
    ['src/vscode/base/x.ts', '../ui/modal', /src\/vscode\/base may import from src\/vscode only base;/],
    ['src/vscode/ui/x.ts', '../regions/regionCommands', /src\/vscode\/ui may import from src\/vscode only ui, base;/],
    ['src/vscode/regions/x.ts', '../credentials/credentialCommands', /src\/vscode\/regions may import from src\/vscode only regions, base, ui;/],
    // ...a feature never reaches into another, a route into a route either...
    ['src/vscode/credentials/x.ts', '../status/actionsMenu', /src\/vscode\/credentials may import from src\/vscode only credentials, base, ui, regions;/],
    ['src/vscode/signin/x.ts', '../credentials/tokenCommands', /src\/vscode\/signin may import/],
    ['src/vscode/terminal/x.ts', '../tasks/taskInput', /src\/vscode\/terminal may import/],
    ['src/vscode/mcp/x.ts', '../terminal/terminalCommands', /src\/vscode\/mcp may import/],
    ['src/vscode/tasks/x.ts', '../../vscode/grants/grantsCommand', /src\/vscode\/tasks may import/],
    // ...nor into what other extensions call, which is built on them.
    ['src/vscode/signin/x.ts', '../api/authProvider', /src\/vscode\/signin may import/],
    ['src/vscode/api/x.ts', '../../extension', /src\/vscode\/api may import .*; never src\/extension or test\//],
    ['src/vscode/ui/x.ts', '../../../test/support/doubles', /src\/vscode\/ui may import .*; never src\/extension or test\//],
    ['src/vscode/x.ts', '../extension', /src\/vscode must not depend on src\/extension or test\//],
  ];
  for (const [file, specifier, says] of forbidden) {
    it(`stops ${file} importing ${specifier}`, async () => {
      const messages = await restricted(file, specifier);
      assert.equal(messages.length, 1, `one message expected, got ${JSON.stringify(messages)}`);
      assert.match(messages[0]!, says);
    });
  }

  const allowed: [file: string, specifier: string][] = [
    ['src/core/base/x.ts', './errors'],
    ['src/core/base/x.ts', '../../api/pandadoc-auth'],
    ['src/core/token/x.ts', '../pandadoc/tokenEndpoint'],
    ['src/core/token/x.ts', '../base/errors'],
    ['src/core/tools/x.ts', '../profiles/profileIndex'],
    ['src/core/view/x.ts', '../token/status'],
    ['src/core/pandadoc/x.ts', '../base/text'],
    ['src/core/pandadoc/x.ts', 'node-fetch'],
    ['src/vscode/base/x.ts', 'vscode'],
    ['src/vscode/base/x.ts', '../../core/profiles/profiles'],
    ['src/vscode/ui/x.ts', '../base/commandIds'],
    ['src/vscode/regions/x.ts', '../ui/modal'],
    // src/core's folders of the same names as src/vscode's are src/core's, open to every layer.
    ['src/vscode/ui/x.ts', '../../core/profiles/profiles'],
    ['src/vscode/base/x.ts', '../../core/signin/authorization'],
    ['src/vscode/credentials/x.ts', './tokenCommands'],
    ['src/vscode/credentials/x.ts', '../regions/regionCommands'],
    ['src/vscode/mcp/x.ts', '../ui/modal'],
    ['src/vscode/api/x.ts', '../signin/signIn'],
    ['src/vscode/api/x.ts', '../../api/pandadoc-auth'],
    ['src/vscode/tasks/x.ts', '../../api/pandadoc-auth'],
  ];
  for (const [file, specifier] of allowed) {
    it(`lets ${file} import ${specifier}`, async () => {
      assert.deepEqual(await restricted(file, specifier), []);
    });
  }

  // A folder the picture does not name would get only the rule against src/extension and test/:
  // every folder there is must have its place among the layers.
  for (const side of ['core', 'vscode']) {
    it(`places every folder of src/${side} in its layers`, async () => {
      const folders = readdirSync(join(root, 'src', side), { withFileTypes: true }).filter((entry) => entry.isDirectory());
      assert.ok(folders.length >= 8, `only ${folders.length} folders in src/${side}`);
      for (const { name } of folders) {
        const config = (await eslint.calculateConfigForFile(join(root, 'src', side, name, 'x.ts'))) as { rules?: Record<string, unknown> };
        assert.match(JSON.stringify(config.rules?.[RULE]), new RegExp(`src/${side}/${name} may import`), `src/${side}/${name} is in no layer of test/eslint.config.mjs`);
      }
    });
  }
});

// A cycle is two files that can only be understood together, and the layer rule cannot see one
// inside a folder (profiles.ts and profileTrials.ts were one until issue 22). Every relative
// import of src counts, `import type` too: the arrow is about who knows whom, not about bytes.
describe('the import graph of src', () => {
  const src = join(root, 'src');

  /** Each .ts file of src with the .ts files of src it imports. */
  function importGraph(): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
    for (const file of files) {
      const text = readFileSync(join(src, file), 'utf8');
      const targets = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms)]
        .map((match) => relative(src, resolve(dirname(join(src, file)), match[1]!)) + '.ts')
        .filter((target) => files.includes(target));
      graph.set(file, targets);
    }
    return graph;
  }

  it('has no import cycle', () => {
    const graph = importGraph();
    assert.ok(graph.size > 50, `only ${graph.size} files found under src`);
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (file: string): string[] | undefined => {
      if (path.includes(file)) {
        return [...path.slice(path.indexOf(file)), file];
      }
      if (done.has(file)) {
        return undefined;
      }
      path.push(file);
      for (const target of graph.get(file) ?? []) {
        const cycle = visit(target);
        if (cycle) {
          return cycle;
        }
      }
      path.pop();
      done.add(file);
      return undefined;
    };
    for (const file of graph.keys()) {
      const cycle = visit(file);
      assert.equal(cycle, undefined, `import cycle: ${cycle?.join(' -> ')}`);
    }
  });
});
