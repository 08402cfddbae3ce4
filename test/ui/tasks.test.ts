/**
 * `${input:pandadocAuthorization}` in a real task of the session's workspace folder, run through
 * the palette (Tasks: Run Task), with the consent dialog answered by clicking it, as a user does.
 * The task writes only a digest of what it received, to a file this test reads: never the value.
 * Allow Once asks again, Cancel runs nothing and says so, Allow Always stops asking until Manage
 * Workspace Permissions... revokes it. The files after this one find no grant and no tasks.json.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SELECTOR } from '../host/browser';
import { sleep } from '../host/codeServer';
import {
  answerDialog,
  clearNotifications,
  enterOAuthCredentials,
  notifications,
  pickQuickItem,
  quickPickRows,
  readDialog,
  runCommand,
  waitFor,
  waitForNotification,
} from '../host/workbench';
import { session, type UiSession } from './session';

const TASK = 'PandaDoc: digest of the header';
const LAUNCH = 'PandaDoc: program with the header';
const QUESTION = /Let the workspace "workspace" have your PandaDoc credentials/;
const DENIED = 'The task or launch configuration was cancelled, and got no PandaDoc credential. You did not allow it for the workspace "workspace".';
const MANAGE = 'PandaDoc: Manage Workspace Permissions...';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the task input in a real task, with the consent dialog', function () {
  let ui: UiSession;
  let tasksFile: string;
  let launchFile: string;
  /** Where the task writes its digest: the tier's private folder, outside the workspace. */
  let digestFile: string;

  before(async function () {
    this.timeout(180_000);
    ui = await session();
    ui.pandadoc.clearFaults();
    await clearNotifications(ui.page);
    digestFile = path.join(ui.stateDir, 'task-digest.txt');
    const program = `const c=require('crypto');require('fs').writeFileSync(${JSON.stringify(digestFile)},c.createHash('sha256').update(process.env.PANDADOC_AUTHORIZATION||'').digest('hex'))`;
    // As the README shows it: the value in the task's environment, never on its command line
    // (the terminal prints the command line it runs).
    const tasks = {
      version: '2.0.0',
      tasks: [
        {
          label: TASK,
          type: 'shell',
          command: `node -e "${program.replace(/"/g, '\\"')}"`,
          options: { env: { PANDADOC_AUTHORIZATION: '${input:pandadocAuthorization}' } },
          problemMatcher: [],
        },
      ],
      inputs: [{ id: 'pandadocAuthorization', type: 'command', command: 'pandadoc.taskCredential' }],
    };
    tasksFile = path.join(ui.runDir, 'workspace', '.vscode', 'tasks.json');
    fs.mkdirSync(path.dirname(tasksFile), { recursive: true });
    fs.writeFileSync(tasksFile, JSON.stringify(tasks, null, 2));
    // A Node program under the debugger, the header in its env, in the internal console (in the
    // integrated terminal VS Code would type the env into the command line it runs).
    const programFile = path.join(ui.stateDir, 'launch-program.js');
    fs.writeFileSync(programFile, program);
    launchFile = path.join(path.dirname(tasksFile), 'launch.json');
    fs.writeFileSync(
      launchFile,
      JSON.stringify({
        version: '0.2.0',
        configurations: [{ type: 'node', request: 'launch', name: LAUNCH, program: programFile, env: { PANDADOC_AUTHORIZATION: '${input:pandadocAuthorization}' }, console: 'internalConsole' }],
        inputs: tasks.inputs,
      }, null, 2),
    );
    const client = ui.pandadoc.addClient();
    await enterOAuthCredentials(ui.page, client);
    await waitForNotification(ui.page, /^PandaDoc credentials saved and verified\./);
  });

  after(() => {
    fs.rmSync(tasksFile, { force: true });
    fs.rmSync(launchFile, { force: true });
    fs.rmSync(digestFile, { force: true });
  });

  /** The header the task must get: the access token of the sign-in above (the server issues the
   *  rotated refresh token, then the access token), with no refresh since. */
  function expectedHeader(): string {
    return `Bearer ${ui.pandadoc.issued.at(-1) ?? ''}`;
  }

  /** Tasks: Run Task > the task, as a user runs it. */
  async function runTask(): Promise<void> {
    fs.rmSync(digestFile, { force: true });
    await clearNotifications(ui.page);
    await runCommand(ui.page, 'Tasks: Run Task');
    await pickQuickItem(ui.page, TASK);
  }

  function digestWritten(): Promise<string> {
    return waitFor('the task to write its digest', async () => (fs.existsSync(digestFile) ? fs.readFileSync(digestFile, 'utf8') || undefined : undefined), 30_000);
  }

  async function dialogShown(): Promise<boolean> {
    return ui.page.locator('.monaco-dialog-box').isVisible();
  }

  it('asks in a modal that names the workspace and what it gets; Allow Once runs the task with exactly the header, and a rerun asks again', async function () {
    this.timeout(60_000);
    const requests = ui.pandadoc.tokenRequests().length;
    await runTask();
    const dialog = await readDialog(ui.page, QUESTION);
    assert.match(dialog.text, /the Authorization header \(Bearer and the access token\) of the PandaDoc profile "[^"]+"/);
    assert.match(dialog.text, /can send it anywhere/);
    assert.match(dialog.text, /Manage Workspace Permissions\.\.\./);
    assert.deepEqual([...dialog.buttons].sort(), ['Allow Always for This Workspace and Profile', 'Allow Once', 'Cancel', "Don't Allow"]);
    assert.equal(dialog.focused, "Don't Allow", 'Enter hands the workspace nothing');
    await answerDialog(ui.page, QUESTION, 'Allow Once');
    assert.equal(await digestWritten(), sha256(expectedHeader()));
    assert.equal(ui.pandadoc.tokenRequests().length, requests, 'a fresh token: no request');

    // Allow Once answers one run: Rerun Last Task asks again (VS Code runs the input again).
    fs.rmSync(digestFile, { force: true });
    await runCommand(ui.page, 'Tasks: Rerun Last Task');
    await answerDialog(ui.page, QUESTION, 'Allow Once');
    assert.equal(await digestWritten(), sha256(expectedHeader()));
  });

  it('Allow Once asks again the next time; Cancel runs nothing, and the one message says why', async function () {
    this.timeout(60_000);
    await runTask();
    await answerDialog(ui.page, QUESTION, 'Cancel');
    await waitForNotification(ui.page, DENIED);
    // Long enough for the task to have written, had it run, and for any other message to show.
    await sleep(3000);
    assert.equal(fs.existsSync(digestFile), false, 'the task did not run');
    assert.deepEqual((await notifications(ui.page)).map((n) => n.message), [DENIED]);
  });

  it('a launch configuration: denied, VS Code shows the one message and starts nothing; allowed once, the program gets the header', async function () {
    this.timeout(60_000);
    fs.rmSync(digestFile, { force: true });
    await clearNotifications(ui.page);
    await runCommand(ui.page, 'Debug: Select and Start Debugging');
    await pickQuickItem(ui.page, LAUNCH);
    await answerDialog(ui.page, QUESTION, 'Cancel');
    // VS Code shows a launch's failure in an error dialog of its own, with our message as it is.
    const error = await readDialog(ui.page, DENIED);
    assert.ok(error.text.includes(DENIED));
    await answerDialog(ui.page, DENIED, 'Cancel');
    await sleep(2000);
    assert.equal(fs.existsSync(digestFile), false, 'the program did not run');

    await runCommand(ui.page, 'Debug: Select and Start Debugging');
    await pickQuickItem(ui.page, LAUNCH);
    await answerDialog(ui.page, QUESTION, 'Allow Once');
    assert.equal(await digestWritten(), sha256(expectedHeader()));
    // The failed launch opened launch.json, as VS Code does.
    await runCommand(ui.page, 'View: Close All Editors');
  });

  it('Allow Always does not ask the second time; Manage Workspace Permissions... revokes it, and it asks again', async function () {
    this.timeout(90_000);
    await runTask();
    await answerDialog(ui.page, QUESTION, 'Allow Always for This Workspace and Profile');
    assert.equal(await digestWritten(), sha256(expectedHeader()));

    await runTask();
    const digest = await waitFor('the digest, with no dialog meanwhile', async () => {
      assert.equal(await dialogShown(), false, 'no question after Allow Always');
      return fs.existsSync(digestFile) ? fs.readFileSync(digestFile, 'utf8') || undefined : undefined;
    }, 30_000);
    assert.equal(digest, sha256(expectedHeader()));

    await clearNotifications(ui.page);
    await runCommand(ui.page, MANAGE);
    const rows = await quickPickRows(ui.page, 'Manage Workspace Permissions');
    // The grant is the active profile's only: the row names it.
    assert.equal(rows.length, 1);
    assert.equal(rows[0].label, 'workspace');
    assert.match(rows[0].description, /^Tasks and launch configurations · profile "[^"]+" · this window$/);
    // A pick of several: the row's checkbox, then Enter.
    await ui.page.locator(SELECTOR.quickRow).filter({ hasText: 'Tasks and launch configurations' }).first().click();
    await ui.page.locator(SELECTOR.quickInput).press('Enter');
    await waitForNotification(
      ui.page,
      /^Revoked the PandaDoc permission of "workspace" \(tasks and launch configurations, profile "[^"]+"\)\. The next task or launch configuration there that asks for PandaDoc credentials asks you again\.$/,
    );

    await runTask();
    await answerDialog(ui.page, QUESTION, 'Cancel');
    await waitForNotification(ui.page, DENIED);
    assert.equal(fs.existsSync(digestFile), false);

    await clearNotifications(ui.page);
    await runCommand(ui.page, MANAGE);
    await waitForNotification(ui.page, /^No workspace is allowed your PandaDoc credentials.*nothing to revoke\.$/);
  });
});
