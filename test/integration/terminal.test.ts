/**
 * Credentials in terminals, in the real extension host: the window's EnvironmentVariableCollection
 * after Turn On and Turn Off, and the environment of real processes VS Code starts in a terminal
 * and as a task. The processes write digests only, never a value.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TerminalCredentials } from '../../src/core/routes/terminalCredentials';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { currentWorkspace } from '../../src/vscode/base/workspaceIdentity';
import { assertDifferentSecret, assertSameSecret, digest } from '../support/assertions';
import { eventually, reset, sandbox, signIn, type TestingExports } from './sandbox';

type TerminalTesting = TestingExports['testing'] & { terminals: TerminalCredentials; terminalCollection: vscode.EnvironmentVariableCollection };

/** Writes what the process found, as digests, to the file named by its argument. */
const PROBE = `
const { createHash } = require('node:crypto');
const digest = (value) => value === undefined ? 'absent' : 'sha256:' + createHash('sha256').update(value).digest('hex').slice(0, 16);
require('node:fs').writeFileSync(process.argv[2], JSON.stringify({
  authorization: digest(process.env.PANDADOC_AUTHORIZATION),
  accessToken: digest(process.env.PANDADOC_ACCESS_TOKEN),
  apiBaseUrl: process.env.PANDADOC_API_BASE_URL ?? 'absent',
}));
`;

interface Probed {
  authorization: string;
  accessToken: string;
  apiBaseUrl: string;
}

/** As the probe writes it: the digest of assertions.ts, or `absent`. */
const localDigest = (value: string | undefined) => (value === undefined ? 'absent' : digest(value));

describe('credentials in terminals', () => {
  let testing: TerminalTesting;
  let dir: string;
  let probe: string;
  let runs = 0;

  before(async () => {
    testing = (await sandbox()).extension.exports.testing as TerminalTesting;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-terminal-'));
    probe = path.join(dir, 'probe.js');
    fs.writeFileSync(probe, PROBE);
  });

  beforeEach(async () => {
    await reset();
    await vscode.commands.executeCommand(COMMAND.turnOffTerminalCredentials);
  });

  after(async () => {
    await vscode.commands.executeCommand(COMMAND.turnOffTerminalCredentials);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const variable = (name: string) => testing.terminalCollection.get(name)?.value;
  const turnOn = () => Promise.resolve(vscode.commands.executeCommand<boolean>(COMMAND.turnOnTerminalCredentials));
  /** Turns the route on as a person's Turn On would, through the testing export: the command
   *  always asks, and VS Code refuses every modal dialog in a window that runs tests. */
  async function grantTerminals(): Promise<void> {
    const workspace = currentWorkspace();
    assert.ok(workspace);
    await testing.grants.grant(workspace, 'terminal');
    await testing.terminals.settled();
  }

  /** Starts a process the way `how` says and resolves with what it found in its environment. */
  async function probeIn(how: 'terminal' | 'task'): Promise<Probed> {
    const out = path.join(dir, `out-${++runs}.json`);
    if (how === 'terminal') {
      const terminal = vscode.window.createTerminal({ name: 'PandaDoc probe', shellPath: process.execPath, shellArgs: [probe, out], hideFromUser: true });
      try {
        await eventually(() => fs.existsSync(out) && fs.statSync(out).size > 0, 'the terminal process writing its findings', 20_000);
      } finally {
        terminal.dispose();
      }
    } else {
      const task = new vscode.Task({ type: 'process' }, vscode.TaskScope.Workspace, 'PandaDoc probe', 'pandadoc-tests', new vscode.ProcessExecution(process.execPath, [probe, out]));
      task.presentationOptions = { reveal: vscode.TaskRevealKind.Never };
      await vscode.tasks.executeTask(task);
      await eventually(() => fs.existsSync(out) && fs.statSync(out).size > 0, 'the task writing its findings', 20_000);
    }
    return JSON.parse(fs.readFileSync(out, 'utf8')) as Probed;
  }

  it('Turn On fills the window’s terminal environment, not persistent, with a description; Turn Off empties it', async () => {
    const { api, server } = await sandbox();
    await signIn();
    const token = await api.getAccessToken();
    await grantTerminals();
    assert.equal(testing.terminalCollection.persistent, false, 'never saved by VS Code');
    assertSameSecret(variable('PANDADOC_AUTHORIZATION'), `Bearer ${token}`, 'PANDADOC_AUTHORIZATION');
    assertSameSecret(variable('PANDADOC_ACCESS_TOKEN'), token, 'PANDADOC_ACCESS_TOKEN');
    assert.equal(variable('PANDADOC_API_BASE_URL'), server.url);
    assert.match(String(testing.terminalCollection.description), /^PandaDoc credentials of the profile "Default" \(an OAuth token/);

    assert.equal(await vscode.commands.executeCommand(COMMAND.turnOffTerminalCredentials), true);
    assert.deepEqual([...testing.terminalCollection].map(([name]) => name), []);
    assert.equal(testing.terminalCollection.description, undefined);
    assert.equal(await vscode.commands.executeCommand(COMMAND.turnOffTerminalCredentials), false, 'nothing left to turn off');
  });

  it('a process started in a terminal, and one run as a task, get the variables while on and none while off', async function () {
    this.timeout(90_000);
    const { api, server } = await sandbox();
    await signIn();
    const header = await api.getAuthorizationHeader();
    const off = await probeIn('terminal');
    assert.deepEqual(off, { authorization: 'absent', accessToken: 'absent', apiBaseUrl: 'absent' });
    await grantTerminals();
    const expected = { authorization: localDigest(header), accessToken: localDigest(header?.slice('Bearer '.length)), apiBaseUrl: server.url };
    assert.deepEqual(await probeIn('terminal'), expected, 'a terminal');
    assert.deepEqual(await probeIn('task'), expected, 'a task: it runs in a terminal too');
    await vscode.commands.executeCommand(COMMAND.turnOffTerminalCredentials);
    assert.deepEqual(await probeIn('task'), { authorization: 'absent', accessToken: 'absent', apiBaseUrl: 'absent' });
  });

  it('follows a refresh, an API key and sign-out', async () => {
    const { api } = await sandbox();
    await signIn();
    await grantTerminals();
    const first = variable('PANDADOC_AUTHORIZATION');
    assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), true);
    await testing.terminals.settled();
    assertDifferentSecret(variable('PANDADOC_AUTHORIZATION'), first, 'after the refresh');
    assertSameSecret(variable('PANDADOC_AUTHORIZATION'), await api.getAuthorizationHeader(), 'the new header');

    const key = (await sandbox()).server.addApiKey();
    await (await sandbox()).api.setApiKey(key);
    await testing.terminals.settled();
    assertSameSecret(variable('PANDADOC_AUTHORIZATION'), `API-Key ${key}`, 'an API key');
    assert.equal(variable('PANDADOC_ACCESS_TOKEN'), undefined, 'no access token for an API key');

    await (await sandbox()).api.signOut();
    await testing.terminals.settled();
    assert.deepEqual([...testing.terminalCollection].map(([name]) => name), [], 'signed out: nothing');
    assert.deepEqual(testing.terminals.current(), { absent: 'signedOut' });
  });

  it('turned on with nothing stored: the terminals get the credentials once there are some', async () => {
    await grantTerminals();
    assert.deepEqual(testing.terminals.current(), { absent: 'signedOut' });
    assert.deepEqual([...testing.terminalCollection], []);
    await signIn();
    await testing.terminals.settled();
    // Stored without an access token: the first read refreshes, the terminals wait for nothing.
    assert.ok(variable('PANDADOC_AUTHORIZATION')?.startsWith('Bearer '), digest(variable('PANDADOC_AUTHORIZATION')));
    assert.equal(await turnOn(), true, 'already on');
    assert.match(testing.shownMessages().at(-1) ?? '', /already get your PandaDoc credentials\.$/);
  });

  it('Turn On always asks, whatever its argument: refused in a test window, it stores nothing', async () => {
    await signIn();
    for (const argument of [undefined, { confirm: false }, { confirm: false, workspace: 'any' }, false]) {
      // VS Code refuses every modal dialog in a window running extension tests: it counts as Cancel.
      assert.equal(await vscode.commands.executeCommand(COMMAND.turnOnTerminalCredentials, argument), false, JSON.stringify(argument));
      assert.equal(testing.grants.has(currentWorkspace()?.id, 'terminal'), false, 'no grant stored');
    }
    await testing.terminals.settled();
    assert.deepEqual([...testing.terminalCollection], [], 'new terminals get nothing');
  });
});
