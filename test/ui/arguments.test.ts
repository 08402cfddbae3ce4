/**
 * Arguments fill in a question, never answer it (SECURITY.md, "Command arguments"), seen in the
 * workbench: a repository's tasks.json runs our commands through inputs of type `command` with
 * hostile `args`, as a task of a cloned repository can. Each one shows the real modal question,
 * naming what would happen, with a default button that changes nothing; Enter, Escape or Cancel
 * leave everything as it was, and nothing reaches the attacker's server. The integration tier
 * (test/integration/hostileCallers.test.ts) runs every command this way, where VS Code refuses
 * dialogs; here they are shown and answered as a person would.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sleep } from '../host/codeServer';
import { answerDialog, clearNotifications, enterOAuthCredentials, pickQuickItem, readDialog, runCommand, waitForNotification, waitForStatusBar } from '../host/workbench';
import { PandaDocServer } from '../support/pandadocServer';
import { session, type UiSession } from './session';

const STORE_TASK = 'Repository task: store these credentials';
const REGION_TASK = 'Repository task: move the profile';
const TERMINAL_TASK = 'Repository task: turn on terminals';

describe('command arguments from a repository ask a person, and Enter changes nothing', function () {
  let ui: UiSession;
  let attacker: PandaDocServer;
  let tasksFile: string;
  let statusBefore = '';

  before(async function () {
    this.timeout(180_000);
    ui = await session();
    attacker = await PandaDocServer.start();
    const stolen = attacker.addClient();
    const task = (label: string, input: string) => ({ label, type: 'shell', command: `echo \${input:${input}}`, problemMatcher: [] });
    const tasks = {
      version: '2.0.0',
      tasks: [task(STORE_TASK, 'store'), task(REGION_TASK, 'region'), task(TERMINAL_TASK, 'terminal')],
      inputs: [
        { id: 'store', type: 'command', command: 'pandadoc.setCredentials', args: stolen },
        { id: 'region', type: 'command', command: 'pandadoc.changeRegion', args: { apiBaseUrl: attacker.url, authBaseUrl: attacker.url } },
        { id: 'terminal', type: 'command', command: 'pandadoc.turnOnTerminalCredentials', args: { confirm: false } },
      ],
    };
    tasksFile = path.join(ui.runDir, 'workspace', '.vscode', 'tasks.json');
    fs.mkdirSync(path.dirname(tasksFile), { recursive: true });
    fs.writeFileSync(tasksFile, JSON.stringify(tasks, null, 2));
    ui.pandadoc.clearFaults();
    await clearNotifications(ui.page);
    await enterOAuthCredentials(ui.page, ui.pandadoc.addClient());
    await waitForNotification(ui.page, /^PandaDoc credentials saved and verified\./);
    statusBefore = (await waitForStatusBar(ui.page, /^PandaDoc/)).text;
  });

  after(async () => {
    fs.rmSync(tasksFile, { force: true });
    await attacker.close();
  });

  /** Tasks: Run Task > the task. VS Code reads a tasks.json written just before on its own time
   *  (in a cold run it was not listed after 30 s once): the pick is opened again until it is. */
  async function runTask(label: string): Promise<void> {
    await clearNotifications(ui.page);
    for (let attempt = 1; ; attempt++) {
      await runCommand(ui.page, 'Tasks: Run Task');
      try {
        await pickQuickItem(ui.page, label, 10_000);
        return;
      } catch (error) {
        if (attempt >= 5) {
          throw error;
        }
        await ui.page.keyboard.press('Escape');
        await sleep(2000);
      }
    }
  }

  async function assertNothingChanged(what: string): Promise<void> {
    // Long enough for a store, a grant or a request to have happened, had the answer been yes.
    await sleep(1500);
    assert.equal((await waitForStatusBar(ui.page, /^PandaDoc/)).text, statusBefore, `${what}: the status bar is as before`);
    assert.deepEqual(attacker.requests.map((request) => request.path), [], `${what}: nothing reached the attacker`);
  }

  it('Set OAuth Credentials with credentials as its argument: the question names the client and the profile; Enter stores nothing', async function () {
    this.timeout(120_000);
    await runTask(STORE_TASK);
    const question = /Store the OAuth credentials of client client-/;
    const dialog = await readDialog(ui.page, question);
    assert.match(dialog.text, /in the PandaDoc profile "/);
    assert.match(dialog.text, /This replaces its OAuth credentials/);
    assert.match(dialog.text, /a task or launch configuration of this workspace/);
    assert.deepEqual([...dialog.buttons].sort(), ['Cancel', "Don't Store", 'Store']);
    assert.equal(dialog.focused, "Don't Store", 'Enter stores nothing');
    await ui.page.keyboard.press('Enter');
    await ui.page.locator('.monaco-dialog-box').filter({ hasText: question }).waitFor({ state: 'hidden' });
    await assertNothingChanged('after Enter');
  });

  it('Change Region to a foreign address as its argument: the question names the host and what it would get; Cancel keeps the region, and the next refresh goes home', async function () {
    this.timeout(120_000);
    await runTask(REGION_TASK);
    const question = new RegExp(`Send the requests of the PandaDoc profile "[^"]+" to ${new URL(attacker.url).host.replace(/\./g, '\\.')}\\?`);
    const dialog = await readDialog(ui.page, question);
    assert.match(dialog.text, /client secret and refresh token are sent there/);
    assert.equal(dialog.focused, 'Keep Region');
    await answerDialog(ui.page, question, 'Cancel');
    const requests = ui.pandadoc.tokenRequests().length;
    await runCommand(ui.page, 'PandaDoc: Refresh Token');
    await waitForNotification(ui.page, /^PandaDoc token refreshed\./);
    assert.equal(ui.pandadoc.tokenRequests().length, requests + 1, 'the refresh went to the profile’s own server');
    await assertNothingChanged('after Cancel and a refresh');
  });

  it('Turn On Credentials in Terminals with { confirm: false }: asked all the same; Escape leaves it off', async function () {
    this.timeout(120_000);
    await runTask(TERMINAL_TASK);
    const question = /Give new terminals of "[^"]+" your PandaDoc credentials\?/;
    const dialog = await readDialog(ui.page, question);
    assert.equal(dialog.focused, 'Leave Off');
    await ui.page.keyboard.press('Escape');
    await ui.page.locator('.monaco-dialog-box').filter({ hasText: question }).waitFor({ state: 'hidden' });
    await clearNotifications(ui.page);
    await runCommand(ui.page, 'PandaDoc: Manage Workspace Permissions...');
    await waitForNotification(ui.page, /^No workspace is allowed your PandaDoc credentials/);
    await assertNothingChanged('after Escape');
  });
});
