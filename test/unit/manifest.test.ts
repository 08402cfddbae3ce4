import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MCP_SERVER_URL, MCP_PROVIDER_ID } from '../../src/core/routes/mcpServers';
import { type ActionContext, contextKeys, menuActions } from '../../src/core/view/actions';
import { COMMAND, COMMAND_TITLE, EXTENSION_ID } from '../../src/vscode/base/commandIds';

interface Manifest {
  name: string;
  publisher: string;
  displayName: string;
  main: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: { commandPalette: { command: string; when: string }[] };
    mcpServerDefinitionProviders: { id: string; label: string }[];
    configuration: {
      properties: Record<string, { type?: string; scope?: string; markdownDescription?: string; default?: unknown; minimum?: number; maximum?: number }>;
    };
  };
}

/** The terminal route's commands: the palette shows the one that applies to the workspace
 *  (context key pandadoc.terminalCredentials); the status bar menu is the account's. */
const TERMINAL_COMMANDS: ReadonlySet<string> = new Set(['turnOnTerminalCredentials', 'turnOffTerminalCredentials']);
/** PandaDoc's tools in chat: the palette shows the one that applies to the active profile
 *  (context key pandadoc.mcpServers). */
const MCP_COMMANDS: ReadonlySet<string> = new Set(['turnOnMcpServers', 'turnOffMcpServers']);

// Compiled to out/test/unit: the manifest is three levels up.
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('the manifest keeps the public contract', () => {
  it('has the published identity', () => {
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
    assert.equal(EXTENSION_ID, 'pandadoc-tools.pandadoc-auth');
    assert.equal(manifest.displayName, 'PandaDoc Auth');
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('contributes every command the code registers, in the PandaDoc category, with bare titles', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMAND).sort());
    const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c.title]));
    assert.deepEqual(
      [titles['pandadoc.setCredentials'], titles['pandadoc.setApiKey'], titles['pandadoc.refreshToken']],
      ['Set OAuth Credentials...', 'Set API Key...', 'Refresh Token'],
    );
    assert.deepEqual(
      [titles['pandadoc.copyAccessToken'], titles['pandadoc.signOut'], titles['pandadoc.showLog']],
      ['Copy Access Token', 'Sign Out', 'Show Log'],
    );
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'PandaDoc', command.command);
      assert.doesNotMatch(command.title, /PandaDoc/, `${command.command} title repeats the category`);
    }
  });

  it('labels buttons with exactly the titles the manifest gives the commands', () => {
    const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c.title]));
    for (const [name, id] of Object.entries(COMMAND)) {
      assert.equal(COMMAND_TITLE[name as keyof typeof COMMAND], titles[id], id);
    }
    assert.equal(titles[COMMAND.renameProfile], 'Rename Profile...');
    assert.equal(titles[COMMAND.deleteProfile], 'Delete Profile...');
  });

  describe('offers in the palette what can act, as the status bar menu does', () => {
    const contexts: [string, ActionContext][] = [
      ['nothing stored, the one Default profile', { state: { status: { kind: 'none' }, unreadable: false }, active: 'Default', profileCount: 1 }],
      ['nothing stored, a profile of another name', { state: { status: { kind: 'none' }, unreadable: false }, active: 'Sandbox', profileCount: 1 }],
      ['nothing stored in one of two profiles', { state: { status: { kind: 'none' }, unreadable: false }, active: 'Default', profileCount: 2 }],
      ['an unreadable value', { state: { status: { kind: 'none' }, unreadable: true }, active: 'Default', profileCount: 1 }],
      ['OAuth', { state: { status: { kind: 'oauth', expiresAt: 1 }, unreadable: false }, active: 'Default', profileCount: 1 }],
      ['an API key', { state: { status: { kind: 'apiKey' }, unreadable: false }, active: 'Default', profileCount: 3 }],
    ];
    const whenOf = (id: string) => manifest.contributes.menus.commandPalette.find((entry) => entry.command === id)?.when;
    /** The `when` forms the manifest uses: `key`, `key == value`, `key != value`, `false`. */
    const holds = (when: string | undefined, keys: Record<string, unknown>): boolean => {
      if (when === undefined) {
        return true;
      }
      const [, key, op, value] = /^\s*([\w.]+)\s*(?:(==|!=)\s*(\w+))?\s*$/.exec(when) ?? [];
      assert.ok(key, `a when clause this test can read: ${when}`);
      if (key === 'false') {
        return false;
      }
      const actual = keys[key];
      return op === undefined ? actual === true : op === '==' ? String(actual) === value : String(actual) !== value;
    };

    for (const [what, context] of contexts) {
      it(what, () => {
        const keys = contextKeys(context) as unknown as Record<string, unknown>;
        const inMenu = new Set<string>(menuActions(context));
        for (const [name, id] of Object.entries(COMMAND)) {
          if (['showActions', 'copyRefreshAsCurl', 'taskCredential', 'manageWorkspacePermissions'].includes(name) || TERMINAL_COMMANDS.has(name) || MCP_COMMANDS.has(name)) {
            // The menu itself; a tool for the terminal; a task input; the grants and the terminal
            // route, which are about workspaces, not the account: the menu leaves them out.
            continue;
          }
          assert.equal(holds(whenOf(id), keys), inMenu.has(name), `${id} in the palette and in the menu`);
        }
      });
    }

    it('offers Turn On or Turn Off Credentials in Terminals, whichever applies to the workspace', () => {
      for (const [state, on, off] of [['on', false, true], ['off', true, false], [undefined, true, false]] as const) {
        const keys = { 'pandadoc.terminalCredentials': state };
        assert.equal(holds(whenOf(COMMAND.turnOnTerminalCredentials), keys), on, `Turn On when ${state}`);
        assert.equal(holds(whenOf(COMMAND.turnOffTerminalCredentials), keys), off, `Turn Off when ${state}`);
      }
    });

    it('offers Turn On or Turn Off Tools in Chat, whichever applies to the active profile', () => {
      for (const [state, on, off] of [['on', false, true], ['off', true, false], [undefined, true, false]] as const) {
        const keys = { 'pandadoc.mcpServers': state };
        assert.equal(holds(whenOf(COMMAND.turnOnMcpServers), keys), on, `Turn On when ${state}`);
        assert.equal(holds(whenOf(COMMAND.turnOffMcpServers), keys), off, `Turn Off when ${state}`);
      }
    });

    it('hides Refresh Token and Copy Access Token with nothing stored, and Refresh Token for an API key', () => {
      const none = contextKeys(contexts[0][1]) as unknown as Record<string, unknown>;
      assert.equal(holds(whenOf(COMMAND.refreshToken), none), false);
      assert.equal(holds(whenOf(COMMAND.copyAccessToken), none), false);
      assert.equal(holds(whenOf(COMMAND.deleteProfile), none), false, 'nothing to delete in the empty Default');
      const apiKey = contextKeys(contexts[5][1]) as unknown as Record<string, unknown>;
      assert.equal(holds(whenOf(COMMAND.refreshToken), apiKey), false);
      assert.equal(holds(whenOf(COMMAND.copyAccessToken), apiKey), true);
    });
  });

  it('hides only the status bar menu and the task input from the palette outright', () => {
    const hidden = manifest.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command);
    // The task input answers a task or launch configuration: run from the palette, its value
    // would go nowhere.
    assert.deepEqual(hidden, [COMMAND.showActions, COMMAND.taskCredential]);
    const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, c.title]));
    assert.equal(titles[COMMAND.taskCredential], 'Credential for a Task or Launch Configuration');
    assert.equal(titles[COMMAND.manageWorkspacePermissions], 'Manage Workspace Permissions...');
  });

  it('scopes every setting explicitly and describes it', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const [key, setting] of Object.entries(properties)) {
      assert.ok(setting.scope, `${key} has a scope`);
      assert.ok(setting.markdownDescription && setting.markdownDescription.length > 40, `${key} is described`);
    }
    assert.equal(properties['pandadoc.apiBaseUrl'].scope, 'application');
    assert.equal(properties['pandadoc.apiBaseUrl'].default, 'https://api.pandadoc.com');
    assert.equal(properties['pandadoc.scope'].default, 'read+write');
  });

  it('keeps the token destination out of a workspace’s reach: every URL-valued setting is application-scoped and restricted', () => {
    const properties = manifest.contributes.configuration.properties;
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
    // Found by name or by a default that is an address, so a new URL setting cannot slip past.
    const urlValued = Object.entries(properties)
      .filter(([key, setting]) => /(Url|Uri)$/.test(key) || (typeof setting.default === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(setting.default)))
      .map(([key]) => key)
      .sort();
    assert.deepEqual(urlValued, ['pandadoc.apiBaseUrl', 'pandadoc.authBaseUrl', 'pandadoc.mcpServerUrl', 'pandadoc.redirectUri']);
    // The scope a token is asked for, and how long a copied token stays on the clipboard, are
    // the user's choice too.
    for (const key of [...urlValued, 'pandadoc.scope', 'pandadoc.clipboardClearSeconds']) {
      assert.equal(properties[key].scope, 'application', `${key} is application-scoped`);
      assert.ok(restricted.includes(key), `${key} is a restricted configuration`);
    }
    for (const key of restricted) {
      assert.ok(properties[key], `restricted ${key} is a contributed setting`);
    }
  });

  it('names 127.0.0.1 for plain http, before any mention of localhost (S8)', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.match(String(properties['pandadoc.redirectUri'].default), /^http:\/\/127\.0\.0\.1:\d+\//);
    for (const key of ['pandadoc.apiBaseUrl', 'pandadoc.authBaseUrl', 'pandadoc.redirectUri', 'pandadoc.mcpServerUrl']) {
      const text = properties[key].markdownDescription ?? '';
      assert.match(text, /127\.0\.0\.1/, `${key} names 127.0.0.1`);
      const localhost = text.indexOf('localhost');
      if (localhost >= 0) {
        assert.ok(text.indexOf('127.0.0.1') < localhost, `${key} names 127.0.0.1 first`);
        assert.match(text, /\[::1\]/, `${key} says why localhost is not preferred`);
      }
    }
  });

  it('clears a copied token after a minute by default, 0 turning it off', () => {
    const setting = manifest.contributes.configuration.properties['pandadoc.clipboardClearSeconds'];
    assert.equal(setting.type, 'number');
    assert.equal(setting.default, 60);
    assert.equal(setting.minimum, 0);
    assert.equal(setting.maximum, 3600);
    // The description is honest about what clearing cannot do.
    assert.match(setting.markdownDescription ?? '', /clipboard history/);
    assert.match(setting.markdownDescription ?? '', /window is closed or reloaded/);
  });

  it('targets the VS Code API its types describe', () => {
    assert.equal(manifest.engines.vscode, `^${manifest.devDependencies['@types/vscode']}`);
  });

  it('activates at startup, where the status bar needs it, and not before; and when chat asks for its MCP servers', () => {
    // VS Code 1.139 activates an MCP provider's extension on onMcpCollection:<id> (not
    // onMcpServerDefinitionProvider): the id must be the contributed provider's.
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished', `onMcpCollection:${MCP_PROVIDER_ID}`]);
    assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [{ id: MCP_PROVIDER_ID, label: 'PandaDoc' }]);
  });

  it('offers the docs MCP server at PandaDoc’s address by default', () => {
    assert.equal(manifest.contributes.configuration.properties['pandadoc.mcpServerUrl'].default, DEFAULT_MCP_SERVER_URL);
  });
});
