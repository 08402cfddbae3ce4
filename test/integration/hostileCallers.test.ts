/**
 * Arguments never widen trust (SECURITY.md, "Command arguments"). Every contributed command is
 * called with hostile arguments two ways: directly, as another extension or a keybinding calls
 * it, and from a repository's tasks.json, through an input of type `command` with `args` that
 * VS Code resolves when a real task of the workspace folder runs. After each call:
 * - no request has reached the attacker's server, even once a refresh is forced afterwards (the
 *   next refresh is where a redirected profile would send its client secret and refresh token);
 * - no grant is stored, no profile turned on for VS Code's chat;
 * - nothing stored is replaced or deleted: the profiles, the credentials each holds, their regions;
 * - where the rule says a person must answer, the modal question was asked. VS Code refuses
 *   every modal in a window that runs extension tests, which reads as Cancel: the UI tier
 *   (test/ui/arguments.test.ts) shows the real dialogs.
 * The table is keyed by the command names, so a new command does not compile until it has rows.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROFILES_KEY } from '../../src/core/profiles/profileIndex';
import { profileKey } from '../../src/core/token/credentials';
import { COMMAND } from '../../src/vscode/base/commandIds';
import { PandaDocServer } from '../support/pandadocServer';
import { reset, sandbox, signIn } from './sandbox';
import { runWorkspaceTask } from './workspaceTasks';

interface Row {
  /** The arguments, as a tasks.json `args` would give them (JSON). */
  args: unknown;
  /** A person must answer a modal question (the rule); false: it acts, refuses or opens a pick. */
  asks: boolean;
  /** Switching or creating or renaming profiles is allowed: their names may change. */
  namesMayChange?: boolean;
  /** It opens a quick pick, which the test closes as a person pressing Escape would. */
  picks?: boolean;
}

const sha = (text: string | undefined) => (text === undefined ? 'none' : createHash('sha256').update(text).digest('hex').slice(0, 16));

let attacker: PandaDocServer;
const stolenClient = { clientId: 'attacker-client-0123456789', clientSecret: 'attacker-secret-0123456789abcdef', refreshToken: 'attacker-refresh-0123456789abcdef' };
const stolenKey = 'attacker-api-key-0123456789abcdef0123';

/** The rows, for the attacker's server at `url` and its Postman export in `postmanFile`. */
function table(url: string, postmanFile: string): Record<keyof typeof COMMAND, Row[]> {
  const custom = () => ({ apiBaseUrl: url, authBaseUrl: url });
  return {
    signIn: [
      { args: { region: custom() }, asks: true },
      { args: { profile: 'Default', region: custom(), clientId: stolenClient.clientId, clientSecret: stolenClient.clientSecret }, asks: true },
      // A region for a profile that does not exist yet: refused outright.
      { args: { profile: 'Fresh', region: custom() }, asks: false },
    ],
    setCredentials: [{ args: stolenClient, asks: true }],
    setApiKey: [
      { args: stolenKey, asks: true },
      { args: { apiKey: stolenKey }, asks: true },
    ],
    signOut: [
      { args: { confirm: false }, asks: true },
      { args: { confirm: false, all: true }, asks: true },
    ],
    deleteProfile: [{ args: { profile: 'Production', confirm: false }, asks: true }],
    changeRegion: [
      { args: custom(), asks: true },
      { args: { profile: 'Default', region: custom() }, asks: true },
      { args: { profile: 'Default', region: 'eu' }, asks: true },
      // A profile nobody has made yet gets no region: refused.
      { args: { profile: 'Ghost', region: custom() }, asks: false },
    ],
    importPostmanEnvironment: [
      { args: { path: postmanFile, confirm: false }, asks: true },
      { args: { path: postmanFile, profile: 'Default', confirm: false, region: custom() }, asks: true },
    ],
    turnOnTerminalCredentials: [{ args: { confirm: false }, asks: true }],
    // Any argument: the question is asked, and nothing is stored (the test window refuses it).
    turnOnMcpServers: [
      { args: { confirm: false }, asks: true },
      { args: { profile: 'Production', mcpServerUrl: url, answer: 'Turn On' }, asks: true },
      { args: 'Turn On', asks: true },
    ],
    taskCredential: [
      { args: { value: 'authorization', profile: 'Production' }, asks: true },
      { args: { value: 'token' }, asks: true },
      // Keys it does not take: refused outright, nothing asked, nothing granted.
      { args: { value: 'token', confirm: false, grant: 'always' }, asks: false },
    ],
    // Narrowing, switching, creating an empty profile, reading what is not secret: no question.
    switchProfile: [{ args: { profile: 'Evil', create: true }, asks: false, namesMayChange: true }],
    renameProfile: [{ args: { profile: 'Production', to: 'Sandbox' }, asks: false, namesMayChange: true }],
    refreshToken: [{ args: { apiBaseUrl: url }, asks: false }],
    copyAccessToken: [{ args: { apiBaseUrl: url }, asks: false }],
    showAccount: [{ args: { apiBaseUrl: url }, asks: false }],
    showLog: [{ args: { apiBaseUrl: url }, asks: false }],
    showActions: [{ args: { apiBaseUrl: url }, asks: false, picks: true }],
    copyRefreshAsCurl: [{ args: { apiBaseUrl: url }, asks: false }],
    manageWorkspacePermissions: [{ args: { grant: 'tasks' }, asks: false, picks: true }],
    turnOffTerminalCredentials: [{ args: { confirm: false }, asks: false }],
    turnOffMcpServers: [{ args: { profile: 'Production', confirm: false }, asks: false }],
  };
}

/** What must not change: the profiles, what each holds (by digest: the refresh token and access
 *  token left out, since a refresh rotates them), each one's region, the grants. */
async function stored(): Promise<{ names: string[]; holdings: string[]; regions: string[]; grants: number; chat: number }> {
  const { secrets, extension } = await sandbox();
  const { regions, grants, mcpChoices } = extension.exports.testing;
  const index = JSON.parse((await secrets.get(PROFILES_KEY)) ?? '{"names":["Default"]}') as { names: string[] };
  const holdings: string[] = [];
  for (const name of index.names) {
    const value = JSON.parse((await secrets.get(profileKey(name))) ?? '{}') as Record<string, string | undefined>;
    holdings.push(`${String(value.kind)} ${String(value.clientId)} ${sha(value.clientSecret)} ${sha(value.apiKey)}`);
  }
  return {
    names: [...index.names].sort(),
    holdings: holdings.sort(),
    regions: ['Default', 'Production', 'Sandbox', 'Fresh', 'Ghost', 'Evil'].map((name) => `${name}: ${JSON.stringify(regions.get(name) ?? null)}`),
    grants: grants.list().length,
    chat: mcpChoices.list().length,
  };
}

/** Default holds OAuth credentials of the sandbox server, Production an API key; Default active. */
async function twoProfiles(): Promise<void> {
  const { api, server } = await sandbox();
  await signIn();
  await vscode.commands.executeCommand(COMMAND.switchProfile, { profile: 'Production', create: true });
  await api.setApiKey(server.addApiKey());
  await vscode.commands.executeCommand(COMMAND.switchProfile, 'Default');
}

/** Closes whatever quick pick a command opened, as Escape would. */
async function closePickSoon(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 600));
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
}

/** The checks after a row, with `before` taken when the row began. */
async function assertNothingWidened(row: Row, before: Awaited<ReturnType<typeof stored>>, asked: number): Promise<void> {
  const { extension, api } = await sandbox();
  const { modalsAskedInAll } = extension.exports.testing;
  const after = await stored();
  assert.equal(after.grants, 0, 'no grant stored');
  assert.equal(after.chat, 0, "no profile turned on for VS Code's chat");
  assert.deepEqual(after.holdings.filter((held) => !held.startsWith('undefined')), before.holdings, 'no credentials stored, replaced or deleted');
  if (!row.namesMayChange) {
    assert.deepEqual(after.names, before.names, 'no profile made or deleted');
  }
  assert.deepEqual(after.regions, before.regions, 'no region set');
  if (row.asks) {
    assert.ok(modalsAskedInAll() > asked, 'a person was asked (a modal question)');
  }
  // The next refresh of every OAuth profile goes where it went before: never to the attacker.
  if (api.getStatus().profile !== 'Default') {
    await vscode.commands.executeCommand(COMMAND.switchProfile, 'Default');
  }
  await vscode.commands.executeCommand(COMMAND.refreshToken);
  assert.deepEqual(attacker.requests.map((request) => `${request.method} ${request.path}`), [], 'no request reached the attacker');
}

describe('hostile callers: command arguments never widen trust', function () {
  this.timeout(40_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandadoc-hostile-'));
  const folder = () => {
    const [first] = vscode.workspace.workspaceFolders ?? [];
    assert.ok(first, 'the integration workspace has a folder');
    return first;
  };
  const tasksFile = () => path.join(folder().uri.fsPath, '.vscode', 'tasks.json');
  const rows: { name: keyof typeof COMMAND; index: number; row: Row }[] = [];

  before(async () => {
    attacker = await PandaDocServer.start();
    // A Postman export of the attacker's account, where a repository could put it.
    const postmanFile = path.join(dir, 'attacker.postman_environment.json');
    const values = [
      { key: 'client_id', value: stolenClient.clientId, enabled: true, type: 'default' },
      { key: 'client_secret', value: stolenClient.clientSecret, enabled: true, type: 'secret' },
      { key: 'refresh_token', value: stolenClient.refreshToken, enabled: true, type: 'secret' },
    ];
    fs.writeFileSync(postmanFile, JSON.stringify({ id: 'a', name: 'Attacker', values, _postman_variable_scope: 'environment' }));
    for (const [name, list] of Object.entries(table(attacker.url, postmanFile)) as [keyof typeof COMMAND, Row[]][]) {
      list.forEach((row, index) => rows.push({ name, index, row }));
    }
    // One task per row: its input runs the command with the row's arguments, as VS Code's
    // resolver does for a repository's `${input:...}`.
    const tasks = rows.map((_, i) => ({ label: `hostile-${i}`, type: 'shell', command: `echo \${input:row${i}}`, presentation: { reveal: 'never' }, problemMatcher: [] }));
    const inputs = rows.map(({ name, row }, i) => ({ id: `row${i}`, type: 'command', command: COMMAND[name], args: row.args }));
    fs.writeFileSync(tasksFile(), JSON.stringify({ version: '2.0.0', tasks, inputs }));
  });

  after(async () => {
    fs.rmSync(tasksFile(), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    await attacker.close();
    await reset();
  });

  beforeEach(async () => {
    await reset();
    attacker.requests.length = 0;
    await twoProfiles();
  });


  // Mocha needs the tests when the file loads, before the attacker's server has a port: the
  // shape of the table is read with a stand-in URL, the rows themselves in before().
  const shapes = Object.entries(table('https://attacker.invalid', '')) as [keyof typeof COMMAND, Row[]][];
  for (const [name, list] of shapes) {
    for (let index = 0; index < list.length; index++) {
      for (const via of ['another extension', "the workspace's tasks.json"] as const) {
        it(`${name} #${index + 1}, called by ${via}`, async () => {
          const entry = rows.find((candidate) => candidate.name === name && candidate.index === index);
          assert.ok(entry);
          const { extension } = await sandbox();
          const { modalsAskedInAll } = extension.exports.testing;
          const before = await stored();
          const asked = modalsAskedInAll();
          if (via === 'another extension') {
            const closing = entry.row.picks ? closePickSoon() : Promise.resolve();
            await Promise.resolve(vscode.commands.executeCommand(COMMAND[name], entry.row.args)).catch(() => undefined);
            await closing;
          } else {
            const closing = entry.row.picks ? closePickSoon() : Promise.resolve();
            await runWorkspaceTask(`hostile-${rows.indexOf(entry)}`, 3000);
            await closing;
          }
          await assertNothingWidened(entry.row, before, asked);
        });
      }
    }
  }
});
