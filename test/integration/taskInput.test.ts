/**
 * `pandadoc.taskCredential` in the real extension host: through executeCommand (as VS Code calls
 * an input of type `command`), and through real tasks and a real Node launch configuration of the
 * workspace folder, whose programs write only a digest of what they received. Trust is off in the
 * test host, so the workspace counts as trusted; the consent dialog is answered through the
 * testing export (the UI tier clicks the real one).
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { currentWorkspace } from '../../src/vscode/base/workspaceIdentity';
import { assertSameSecret, assertSameStored } from '../support/assertions';
import { answerConsent, reset, sandbox, signIn } from './sandbox';
import { runWorkspaceTask } from './workspaceTasks';

const folder = () => {
  const [first] = vscode.workspace.workspaceFolders ?? [];
  assert.ok(first, 'the integration workspace has a folder');
  return first;
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A command of this test's own that answers an input with undefined: what VS Code then does. */
const ANSWERS_UNDEFINED = 'pandadocTest.answerUndefined';

/** The digest of what the program got in PANDADOC_AUTHORIZATION, written to `file`; never the value. */
function digestProgram(file: string): string {
  return `const c=require('crypto');require('fs').writeFileSync(${JSON.stringify(file)},c.createHash('sha256').update(process.env.PANDADOC_AUTHORIZATION||'').digest('hex'))`;
}

/** How many modal questions were asked since `before` (a modalsAskedInAll() count), each of them
 *  the consent question: the one question the task input asks. */
async function consentAskedSince(before: number): Promise<number> {
  const { modalsAskedInAll, askedModals } = (await sandbox()).extension.exports.testing;
  const count = modalsAskedInAll() - before;
  for (const message of count === 0 ? [] : askedModals().slice(-count)) {
    assert.match(message, /^Let the workspace .+ have your PandaDoc credentials of the profile /, 'only the consent question was asked');
  }
  return count;
}

/** Allows the workspace the active profile's credentials (the tasks grant is per profile). */
async function grantTasks(): Promise<void> {
  const workspace = currentWorkspace();
  assert.ok(workspace);
  const { api, extension } = await sandbox();
  await extension.exports.testing.grants.grant(workspace, 'tasks', api.getStatus().profile);
}

/** Runs the command as VS Code runs an input's; resolves with the value, or with the error. */
async function taskCredential(args?: unknown): Promise<{ value?: unknown; error?: Error }> {
  try {
    return { value: await vscode.commands.executeCommand(COMMAND.taskCredential, args) };
  } catch (error) {
    return { error: error as Error };
  }
}

async function lastMessage(): Promise<string | undefined> {
  return (await sandbox()).extension.exports.testing.shownMessages().at(-1);
}

/** Cancelled: nothing returned, and a rejection whose message (which VS Code shows, and no other)
 *  is the one clear message. */
async function assertCancelled(outcome: { value?: unknown; error?: Error }, message: string | RegExp): Promise<void> {
  assert.equal(outcome.value, undefined, 'nothing returned');
  assert.ok(outcome.error instanceof Error, 'a rejection, which stops the task or launch');
  if (typeof message === 'string') {
    assert.equal(outcome.error.message, message);
  } else {
    assert.match(outcome.error.message, message);
  }
  assert.equal(await lastMessage(), outcome.error.message, 'recorded as shown');
}

describe('the task input, pandadoc.taskCredential', () => {
  beforeEach(async () => {
    await reset();
    const { grants } = (await sandbox()).extension.exports.testing;
    for (const grant of grants.list()) {
      await grants.revoke(grant.workspace.id, grant.route);
    }
  });

  describe('with the tasks grant stored', () => {
    beforeEach(grantTasks);

    it('returns the fresh Authorization header, the token, and the base URL', async () => {
      const { api, server } = await sandbox();
      await signIn();
      const header = await taskCredential();
      assert.equal(server.tokenRequests().length > 0, true);
      assertSameSecret(header.value as string, `Bearer ${server.issued.at(-1)}`, 'the header, after the refresh it needed');
      assertSameSecret(header.value as string, await api.getAuthorizationHeader(), 'the header the API gives');
      assertSameSecret((await taskCredential('token')).value as string, await api.getAccessToken(), 'the token');
      assert.equal((await taskCredential({ value: 'baseUrl' })).value, server.url);
    });

    const LEAD = 'The task or launch configuration was cancelled, and got nothing of the PandaDoc profile';

    it('a profile that does not exist: a clear error, nothing returned, nothing stored changed', async () => {
      const { stored } = await sandbox();
      await signIn();
      const before = await stored();
      await assertCancelled(await taskCredential({ value: 'token', profile: 'Nope' }), 'The task or launch configuration was cancelled, and got no PandaDoc credential. There is no PandaDoc profile named "Nope".');
      assertSameStored(await stored(), before, 'stored credentials');
    });

    it('nothing stored', async () => {
      const { secrets, extension } = await sandbox();
      await assertCancelled(await taskCredential(), `${LEAD} "Default". No PandaDoc credentials are stored. Sign in with the browser (recommended), or set OAuth credentials or an API key.`);
      assert.equal(await secrets.get(extension.exports.testing.storageKey()), undefined);
    });

    it('a dead grant: the refresh token refused, then known dead; the client is kept', async () => {
      const { server, stored, storedJson } = await sandbox();
      const client = await signIn();
      server.revoke(client.refreshToken);
      await assertCancelled(await taskCredential(), new RegExp(`^${LEAD} "Default"\\. PandaDoc no longer accepts the stored refresh token \\(invalid_grant\\)`));
      const afterRefusal = await stored();
      assert.equal((await storedJson())?.clientId, client.clientId, 'the client is kept');
      const requests = server.tokenRequests().length;
      await assertCancelled(await taskCredential(), /no longer accepts the stored refresh token \(invalid_grant\)/);
      assert.equal(server.tokenRequests().length, requests, 'no request for a grant known dead');
      assertSameStored(await stored(), afterRefusal, 'stored credentials');
    });

    it('a refresh that fails (HTTP 500): the stored credentials stay', async () => {
      const { server, stored } = await sandbox();
      await signIn();
      const before = await stored();
      server.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
      await assertCancelled(await taskCredential(), new RegExp(`^${LEAD} "Default"\\. PandaDoc had a server error \\(HTTP 500\\)`));
      assertSameStored(await stored(), before, 'stored credentials');
    });

    it('an API-key profile asked for an OAuth token', async () => {
      const { server, stored } = await sandbox();
      await (await sandbox()).api.setApiKey(server.addApiKey());
      const before = await stored();
      await assertCancelled(await taskCredential('token'), /holds an API key, which has no OAuth token\. Ask for "authorization" instead/);
      assertSameStored(await stored(), before, 'stored credentials');
    });

    it('an argument it does not take', async () => {
      await signIn();
      await assertCancelled(await taskCredential({ value: 'token', scope: 'read' }), /The argument has "scope", which it does not take\. Give the input's "args" as/);
    });
  });

  describe('consent', () => {
    it('denied: nothing returned, a message; Allow Once asks again; Allow Always is kept', async () => {
      const { extension } = await sandbox();
      const { grants, modalsAskedInAll } = extension.exports.testing;
      await signIn();
      const asked = modalsAskedInAll();
      await answerConsent('deny');
      await assertCancelled(await taskCredential(), `The task or launch configuration was cancelled, and got no PandaDoc credential. You did not allow it for the workspace "${currentWorkspace()?.name}".`);
      await answerConsent('once');
      assert.match(String((await taskCredential()).value), /^Bearer /);
      await answerConsent('once');
      assert.match(String((await taskCredential()).value), /^Bearer /);
      assert.equal(await consentAskedSince(asked), 3, 'each use asked');
      assert.equal(grants.has(currentWorkspace()?.id, 'tasks', 'Default'), false);
      await answerConsent('always');
      assert.match(String((await taskCredential()).value), /^Bearer /);
      assert.match(String((await taskCredential()).value), /^Bearer /);
      assert.equal(await consentAskedSince(asked), 4, 'not asked after Allow Always');
      assert.equal(grants.has(currentWorkspace()?.id, 'tasks', 'Default'), true);
    });

    it('Allow Always covers the profile it named: another profile asks again; a rename carries it, a deletion drops it', async () => {
      const { extension } = await sandbox();
      const { grants, modalsAskedInAll } = extension.exports.testing;
      await signIn();
      await vscode.commands.executeCommand(COMMAND.switchProfile, { profile: 'Production', create: true });
      await signIn();
      await vscode.commands.executeCommand(COMMAND.switchProfile, 'Default');
      const asked = modalsAskedInAll();
      await answerConsent('always');
      assert.match(String((await taskCredential()).value), /^Bearer /);
      assert.equal(await consentAskedSince(asked), 1);
      assert.match(String((await taskCredential({ profile: 'Default' })).value), /^Bearer /);
      assert.equal(await consentAskedSince(asked), 1, 'the profile allowed is not asked again');
      await answerConsent('deny');
      await assertCancelled(await taskCredential({ profile: 'Production' }), /You did not allow it for the workspace/);
      assert.equal(await consentAskedSince(asked), 2, 'another profile is asked');
      // Default becomes Old, then Production takes the name Default: it inherits no grant.
      assert.equal(await vscode.commands.executeCommand(COMMAND.renameProfile, { profile: 'Default', to: 'Old' }), 'Old');
      assert.equal(await vscode.commands.executeCommand(COMMAND.renameProfile, { profile: 'Production', to: 'Default' }), 'Default');
      await answerConsent('deny');
      await assertCancelled(await taskCredential({ profile: 'Default' }), /You did not allow it for the workspace/);
      assert.equal(await consentAskedSince(asked), 3, 'the renamed Production is asked');
      assert.match(String((await taskCredential({ profile: 'Old' })).value), /^Bearer /);
      assert.equal(await consentAskedSince(asked), 3, 'the grant moved with its profile');
      assert.deepEqual(grants.list().map((grant) => [grant.route, grant.profile]), [['tasks', 'Old']]);
      extension.exports.testing.answerModal('Delete Profile');
      assert.equal(await vscode.commands.executeCommand(COMMAND.deleteProfile, { profile: 'Old' }), true);
      assert.deepEqual(grants.list(), [], 'gone with its profile');
    });

    it('the base URL needs no consent', async () => {
      const { server, extension } = await sandbox();
      const asked = extension.exports.testing.modalsAskedInAll();
      assert.equal((await taskCredential('baseUrl')).value, server.url);
      assert.equal(await consentAskedSince(asked), 0);
    });
  });

  describe('in real tasks and launch configurations of the workspace folder', function () {
    this.timeout(60_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-tasks-'));
    const vscodeDir = () => path.join(folder().uri.fsPath, '.vscode');
    let registration: vscode.Disposable | undefined;

    before(() => {
      registration = vscode.commands.registerCommand(ANSWERS_UNDEFINED, () => undefined);
      const task = (label: string, input: string) => ({
        label,
        type: 'shell',
        command: `node -e "${digestProgram(path.join(out, label)).replace(/"/g, '\\"')}"`,
        options: { env: { PANDADOC_AUTHORIZATION: `\${input:${input}}` } },
        presentation: { reveal: 'never' },
        problemMatcher: [],
      });
      const inputs = [
        { id: 'pandadocAuthorization', type: 'command', command: COMMAND.taskCredential },
        { id: 'answersUndefined', type: 'command', command: ANSWERS_UNDEFINED },
      ];
      fs.writeFileSync(
        path.join(vscodeDir(), 'tasks.json'),
        JSON.stringify({ version: '2.0.0', tasks: [task('pandadoc-digest', 'pandadocAuthorization'), task('undefined-digest', 'answersUndefined')], inputs }),
      );
      fs.writeFileSync(path.join(out, 'program.js'), digestProgram(path.join(out, 'launch')));
      fs.writeFileSync(
        path.join(vscodeDir(), 'launch.json'),
        JSON.stringify({
          version: '0.2.0',
          // The internal console: in the integrated terminal, VS Code would type the environment
          // into the command line it runs (`/usr/bin/env 'PANDADOC_AUTHORIZATION=...' node ...`).
          configurations: [{ type: 'node', request: 'launch', name: 'pandadoc-launch', program: path.join(out, 'program.js'), env: { PANDADOC_AUTHORIZATION: '${input:pandadocAuthorization}' }, console: 'internalConsole' }],
          inputs,
        }),
      );
    });

    after(() => {
      registration?.dispose();
      fs.rmSync(path.join(vscodeDir(), 'tasks.json'), { force: true });
      fs.rmSync(path.join(vscodeDir(), 'launch.json'), { force: true });
      fs.rmSync(out, { recursive: true, force: true });
    });

    const digestOf = (name: string) => (fs.existsSync(path.join(out, name)) ? fs.readFileSync(path.join(out, name), 'utf8') : undefined);

    it('VS Code runs a task whose command input answered undefined, with the input text left in: only a rejection cancels', async () => {
      assert.equal(await runWorkspaceTask('undefined-digest'), true);
      assert.equal(digestOf('undefined-digest'), sha256('${input:answersUndefined}'));
    });

    it('granted: the task gets exactly the fresh header', async () => {
      const { api } = await sandbox();
      await signIn();
      await grantTasks();
      assert.equal(await runWorkspaceTask('pandadoc-digest'), true);
      assert.equal(digestOf('pandadoc-digest'), sha256((await api.getAuthorizationHeader()) ?? ''));
    });

    it('denied: the task does not run', async () => {
      await signIn();
      fs.rmSync(path.join(out, 'pandadoc-digest'), { force: true });
      await answerConsent('deny');
      assert.equal(await runWorkspaceTask('pandadoc-digest'), false, 'never started');
      assert.equal(digestOf('pandadoc-digest'), undefined);
      assert.match((await lastMessage()) ?? '', /You did not allow it for the workspace/, 'the message VS Code showed');
    });

    // Denied, a launch does not start either, and VS Code shows the message in an error dialog,
    // which only a user can close: test/ui/tasks.test.ts clicks it.
    it('a Node launch configuration gets the header in its env', async () => {
      const { api } = await sandbox();
      await signIn();
      await answerConsent('once');
      const ended = new Promise<void>((resolve) => {
        const subscription = vscode.debug.onDidTerminateDebugSession(() => {
          subscription.dispose();
          resolve();
        });
      });
      assert.equal(await vscode.debug.startDebugging(folder(), 'pandadoc-launch'), true);
      await ended;
      assert.equal(digestOf('launch'), sha256((await api.getAuthorizationHeader()) ?? ''));
    });
  });

  /** The examples of the README's "In tasks and launch configurations", run as printed. */
  describe('the README\'s task and launch configuration, as printed', function () {
    this.timeout(60_000);
    const vscodeDir = () => path.join(folder().uri.fsPath, '.vscode');
    const program = () => path.join(folder().uri.fsPath, 'index.js');

    /** The JSON of the README's code block that starts with `// <file>`, comment lines left out. */
    async function readmeBlock(file: string): Promise<string> {
      const { extension } = await sandbox();
      const readme = fs.readFileSync(path.join(extension.extensionPath, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('### In tasks and launch configurations'));
      const block = new RegExp(`\`\`\`jsonc\n// ${file.replace(/\./g, '\\.')}\n([\\s\\S]*?)\n\`\`\``).exec(section)?.[1];
      assert.ok(block, `the README shows ${file}`);
      const json = block.split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');
      JSON.parse(json);
      return json;
    }

    before(async () => {
      fs.writeFileSync(path.join(vscodeDir(), 'tasks.json'), await readmeBlock('.vscode/tasks.json'));
      fs.writeFileSync(path.join(vscodeDir(), 'launch.json'), await readmeBlock('.vscode/launch.json'));
      // The app of the launch example: one who-am-I call with what it was given.
      fs.writeFileSync(
        program(),
        "fetch(process.env.PANDADOC_API_BASE_URL + '/public/v1/members/current', { headers: { Authorization: process.env.PANDADOC_AUTHORIZATION } }).then((r) => process.exit(r.ok ? 0 : 1));\n",
      );
    });

    after(() => {
      fs.rmSync(path.join(vscodeDir(), 'tasks.json'), { force: true });
      fs.rmSync(path.join(vscodeDir(), 'launch.json'), { force: true });
      fs.rmSync(program(), { force: true });
    });

    /** Waits until the server has `count` more who-am-I requests than `before`; resolves with the last. */
    async function whoAmI(before: number) {
      const { server } = await sandbox();
      const members = () => server.requests.filter((request) => request.path === '/public/v1/members/current');
      for (let waited = 0; members().length <= before && waited < 20_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(members().length > before, 'the example asked who-am-I');
      return members().at(-1);
    }

    it('the task sends the header to the profile\'s base URL', async () => {
      const { api, server } = await sandbox();
      await signIn();
      await grantTasks();
      const before = server.requests.filter((request) => request.path === '/public/v1/members/current').length;
      let task: vscode.Task | undefined;
      for (let tries = 0; task === undefined && tries < 40; tries++) {
        task = (await vscode.tasks.fetchTasks()).find((candidate) => candidate.name === 'PandaDoc: who am I');
        await new Promise((resolve) => setTimeout(resolve, task ? 0 : 250));
      }
      assert.ok(task, 'the README task is found');
      await vscode.tasks.executeTask(task);
      const request = await whoAmI(before);
      assertSameSecret(request?.headers.authorization, await api.getAuthorizationHeader(), 'the header curl sent');
    });

    it('the launch configuration hands the app the header and the base URL', async () => {
      const { api, server } = await sandbox();
      await signIn();
      await grantTasks();
      const before = server.requests.filter((request) => request.path === '/public/v1/members/current').length;
      assert.equal(await vscode.debug.startDebugging(folder(), 'App with PandaDoc credentials'), true);
      const request = await whoAmI(before);
      assertSameSecret(request?.headers.authorization, await api.getAuthorizationHeader(), 'the header the app sent');
    });
  });
});
