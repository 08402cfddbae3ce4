/**
 * PandaDoc's MCP servers in VS Code's chat, in the real host: VS Code's own MCP client
 * (`workbench.mcp.startServer`, the command the chat's tools list runs) starts the docs server,
 * here a server built with the official SDK on 127.0.0.1 (test/support/mcpServer.ts) that
 * `pandadoc.mcpServerUrl` points at, and the tests read what it received. Headers are compared
 * with `getAuthorizationHeader()`, by digest when they differ: never printed.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MCP_LABEL } from '../../src/core/routes/mcpServers';
import { COMMAND, EXTENSION_ID } from '../../src/vscode/base/commandIds';
import { findMcpHost } from '../../src/vscode/mcp/mcpApi';
import { assertSameSecret, digest } from '../support/assertions';
import { McpTestServer } from '../support/mcpServer';
import { eventually, reset, sandbox, signIn, withTestRegions } from './sandbox';

/** A server's id as VS Code's MCP commands take it: `<extension id, lowercased>/<label>`. */
const serverId = (label: string) => `${EXTENSION_ID.toLowerCase()}/${label}`;
const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));

describe("PandaDoc's tools in VS Code's chat (MCP)", function () {
  // A test may start the server three times, each up to 8 tries of about 6 s (startAndInitialize).
  this.timeout(240_000);
  let mcpServer: McpTestServer;
  /** When the provider last told VS Code its definitions changed. */
  let lastAnnounced = 0;
  let announcing: vscode.Disposable | undefined;

  before(async function () {
    const { extension } = await sandbox();
    if (extension.exports.testing.mcp === undefined) {
      // VS Code before 1.101: the feature is left out (the log says so).
      this.skip();
    }
    announcing = extension.exports.testing.mcp.onDidChange(() => (lastAnnounced = Date.now()));
    mcpServer = await McpTestServer.start();
    await vscode.workspace.getConfiguration('pandadoc').update('mcpServerUrl', mcpServer.url, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    announcing?.dispose();
    if (mcpServer === undefined) {
      return;
    }
    await vscode.commands.executeCommand('workbench.mcp.stopServer', serverId(MCP_LABEL.docs)).then(undefined, () => undefined);
    await reset();
    await vscode.workspace.getConfiguration('pandadoc').update('mcpServerUrl', undefined, vscode.ConfigurationTarget.Global);
    await mcpServer.close();
  });

  /** Stops the docs server in VS Code, if it runs: each test starts from none running. */
  const stopDocs = async () => {
    for (const label of [MCP_LABEL.docs, MCP_LABEL.docsSearch]) {
      await vscode.commands.executeCommand('workbench.mcp.stopServer', serverId(label)).then(undefined, () => undefined);
    }
  };

  beforeEach(async () => {
    await reset();
    mcpServer.requests.length = 0;
  });

  afterEach(stopDocs);

  const testing = async () => {
    const { extension, api } = await sandbox();
    const { mcp, mcpChoices, answerModal, askedModals } = extension.exports.testing;
    assert.ok(mcp);
    return { mcp, mcpChoices, answerModal, askedModals, api };
  };

  /** Turn On, answered as a person would. */
  const turnOn = async () => {
    const { answerModal } = await testing();
    answerModal('Turn On');
    assert.equal(await vscode.commands.executeCommand(COMMAND.turnOnMcpServers), true);
  };

  /**
   * Waits until VS Code has applied the provider's last announcement. VS Code 1.139 asks the
   * provider at once, but changes its list of servers only after 500 ms without another change
   * (McpService's throttle): a start before that reaches the server object it had, which a
   * withdrawn definition may have disposed. 1.5 s without an announcement covers it on a loaded
   * machine.
   */
  const applied = async () => {
    while (Date.now() - lastAnnounced < 1500) {
      await settle(100);
    }
  };

  /**
   * Starts the docs server through VS Code, once VS Code has applied the last announcement, and
   * waits for a new `initialize`; returns its header. When the command reaches nothing within
   * 5 s, the server is restarted, then stopped (given a second to stop) and started again, up to
   * 8 tries in all, each logged for the record of what VS Code did. (Before the global state was
   * written one write at a time, a profile's Turn On could be lost to an echo, and no try
   * reached anything: see SerialState.)
   */
  const startAndInitialize = async (first: 'startServer' | 'restartServer' = 'startServer') => {
    await applied();
    const before = mcpServer.withRpc('initialize').length;
    const requestsBefore = mcpServer.requests.length;
    // A restart may reconnect the session VS Code already has, with no new initialize: then the
    // first new request that carries a header shows what the restarted server was given.
    const reconnected = () =>
      first === 'restartServer'
        ? // Not the DELETE that closes the old session: it still carries the old header.
          mcpServer.requests.slice(requestsBefore).find((request) => request.authorization !== undefined && request.method !== 'DELETE')
        : undefined;
    for (let attempt = 1; attempt <= 8; attempt++) {
      const command = attempt === 1 ? first : attempt % 2 === 0 ? 'restartServer' : 'startServer';
      if (attempt > 1 && command === 'startServer') {
        await vscode.commands.executeCommand('workbench.mcp.stopServer', serverId(MCP_LABEL.docs)).then(undefined, () => undefined);
        await settle(1000);
      }
      await vscode.commands.executeCommand(`workbench.mcp.${command}`, serverId(MCP_LABEL.docs));
      const until = Date.now() + 5000;
      while (Date.now() < until && mcpServer.withRpc('initialize').length === before && reconnected() === undefined) {
        await settle(100);
      }
      if (mcpServer.withRpc('initialize').length === before && reconnected() !== undefined) {
        console.log(`    (the docs server was reached on try ${attempt} by ${reconnected()?.method ?? '?'} ${reconnected()?.rpc.join(',') || '(no JSON-RPC)'}, with no new initialize)`);
        return reconnected()?.authorization;
      }
      if (mcpServer.withRpc('initialize').length > before) {
        if (attempt > 1) {
          console.log(`    (the docs server started on try ${attempt}, with ${command}: ${first} reached nothing at first)`);
        }
        return mcpServer.withRpc('initialize').at(-1)?.authorization;
      }
    }
    // What our side did meanwhile: the provider's log lines (labels, addresses, fingerprints).
    const { channelLog } = await sandbox();
    const lines = (await channelLog()).split('\n').filter((line) => line.includes('[mcp]')).slice(-15);
    console.log(`    (the provider's last log lines:\n      ${lines.join('\n      ')})`);
    console.log(`    (the test server received: ${mcpServer.requests.map((request) => `${request.method}${request.rpc.length > 0 ? ` ${request.rpc.join(',')}` : ''}`).join('; ')})`);
    throw new Error(`VS Code's ${first} never reached the test server with initialize`);
  };

  it('offers nothing until a person turns it on, then starts the docs server with the exact header', async () => {
    const { mcp, mcpChoices, api } = await testing();
    await signIn();
    assert.deepEqual(mcp.provide(), [], 'off until turned on');
    await vscode.commands.executeCommand('workbench.mcp.startServer', serverId(MCP_LABEL.docs));
    await settle();
    assert.equal(mcpServer.requests.length, 0, 'VS Code starts nothing that is not offered');

    await turnOn();
    assert.equal(mcpChoices.isOn('Default'), true);
    assert.deepEqual(
      mcp.provide().map((definition) => [definition.label, definition.uri.toString(true), Object.keys(definition.headers).length]),
      [
        [MCP_LABEL.docs, mcpServer.url, 0],
        [MCP_LABEL.agent, 'https://mcp.pandadoc.com/v1/mcp', 0],
      ],
      'what VS Code caches carries no header',
    );
    assertSameSecret(await startAndInitialize(), await api.getAuthorizationHeader(), 'the header of initialize');
    await eventually(() => mcpServer.withRpc('tools/list').length > 0, 'tools/list');
    await settle(500);
    // For the record: what VS Code's MCP client sent, in order (never the header).
    console.log(`    (the test server received: ${mcpServer.requests.map((request) => `${request.method}${request.rpc.length > 0 ? ` ${request.rpc.join(',')}` : ''}`).join('; ')})`);
    for (const request of mcpServer.requests) {
      assertSameSecret(request.authorization, await api.getAuthorizationHeader(), `the header of ${request.method} ${request.rpc.join(',')}`);
    }
  });

  it('resolves a new definition each time, and never puts the header on the one VS Code caches', async () => {
    const { mcp, api } = await testing();
    await signIn();
    await turnOn();
    const cached = mcp.provide().find((definition) => definition.label === MCP_LABEL.docs);
    assert.ok(cached);
    const first = await mcp.resolve(cached);
    const second = await mcp.resolve(cached);
    assert.ok(first && second);
    assert.notEqual(first, cached);
    assert.notEqual(second, first);
    assert.deepEqual(cached.headers, {}, 'the cached definition is left as it was');
    assertSameSecret(second.headers.Authorization, await api.getAuthorizationHeader(), 'the resolved header');
    const agent = mcp.provide().find((definition) => definition.label === MCP_LABEL.agent);
    assert.ok(agent);
    assert.deepEqual((await mcp.resolve(agent))?.headers, {}, 'the agent server gets none of our credentials');
  });

  it('tells VS Code on a switch, a refresh, a region change and Turn Off; the restarted server sees the new header', async () => {
    const { mcp, mcpChoices, api } = await testing();
    const { server } = await sandbox();
    let fired = 0;
    const counting = mcp.onDidChange(() => fired++);
    try {
      await signIn();
      await turnOn();
      const first = await startAndInitialize();
      assertSameSecret(first, await api.getAuthorizationHeader(), 'Default, first start');

      // Another profile, with an API key, turned on too: the switch changes the definitions, and
      // VS Code stops the server it runs (it closes the session: a DELETE), to start it again
      // when it is next needed, as the chat would.
      const closes = () => mcpServer.requests.filter((request) => request.method === 'DELETE').length;
      const closedBefore = closes();
      await vscode.commands.executeCommand(COMMAND.switchProfile, { profile: 'Production', create: true });
      await api.setApiKey(server.addApiKey());
      await mcpChoices.turnOn('Production');
      let seen = fired;
      await vscode.commands.executeCommand(COMMAND.switchProfile, 'Default');
      assert.ok(fired > seen, 'switching profiles fires onDidChangeMcpServerDefinitions');
      await vscode.commands.executeCommand(COMMAND.switchProfile, 'Production');
      await eventually(() => closes() > closedBefore, 'VS Code closing the running session once told of the switch');
      const apiKeyHeader = await startAndInitialize();
      assert.match(apiKeyHeader ?? '', /^API-Key /);
      assertSameSecret(apiKeyHeader, await api.getAuthorizationHeader(), 'Production after the switch');

      // A forced refresh rotates Default's token: VS Code is told, the next start carries the new one.
      await stopDocs();
      await vscode.commands.executeCommand(COMMAND.switchProfile, 'Default');
      const before = await api.getAuthorizationHeader();
      seen = fired;
      assert.equal(await vscode.commands.executeCommand(COMMAND.refreshToken), true);
      assert.ok(fired > seen, 'a refresh fires onDidChangeMcpServerDefinitions');
      // SecretStorage's echo of the refresh's own write changes nothing offered: not news to VS
      // Code, which would otherwise stop the server again for it.
      await settle(1500);
      assert.equal(fired - seen, 1, 'a refresh is announced once, its echo not at all');
      const after = await api.getAuthorizationHeader();
      assert.notEqual(digest(after), digest(before), 'the refresh rotated the token');
      assertSameSecret(await startAndInitialize(), after, 'Default after the refresh');

      // A region change: an EU profile's docs server gets no credentials, and says so.
      await stopDocs();
      await withTestRegions(async () => {
        seen = fired;
        const { answerModal } = await testing();
        answerModal('Change Region');
        await vscode.commands.executeCommand(COMMAND.changeRegion, 'eu');
        assert.ok(fired > seen, 'a region change fires onDidChangeMcpServerDefinitions');
        assert.deepEqual(mcp.provide().map((definition) => definition.label), [MCP_LABEL.docsSearch], 'EU: the docs server without credentials, no agent server');
        const eu = mcp.provide()[0];
        assert.deepEqual((await mcp.resolve(eu))?.headers, {});
        answerModal('Change Region');
        await vscode.commands.executeCommand(COMMAND.changeRegion, 'settings');
      });

      seen = fired;
      assert.equal(await vscode.commands.executeCommand(COMMAND.turnOffMcpServers), true);
      assert.ok(fired > seen, 'Turn Off fires onDidChangeMcpServerDefinitions');
    } finally {
      counting.dispose();
    }
  });

  for (const how of ['Turn Off', 'Sign Out', 'Manage Workspace Permissions'] as const) {
    it(`after ${how}, the definition is gone and no request carries a header`, async () => {
      const { mcp, api, answerModal } = await testing();
      await signIn();
      await turnOn();
      await startAndInitialize();
      if (how === 'Turn Off') {
        assert.equal(await vscode.commands.executeCommand(COMMAND.turnOffMcpServers), true);
      } else if (how === 'Sign Out') {
        answerModal('Sign Out');
        assert.equal(await vscode.commands.executeCommand(COMMAND.signOut), true);
        assert.equal(api.getStatus().kind, 'none');
      } else {
        // The picker lists the chat's row: checked and accepted, as a person would.
        const revoking = vscode.commands.executeCommand(COMMAND.manageWorkspacePermissions);
        await settle(600);
        await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext').then(undefined, () => undefined);
        await vscode.commands.executeCommand('workbench.action.quickPickManyToggle').then(undefined, () => undefined);
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        assert.equal(await revoking, 1, 'one permission revoked');
      }
      assert.equal(mcp.provide().some((definition) => definition.label === MCP_LABEL.docs), false, 'the docs server is no longer offered');
      await settle(2000);
      const seen = mcpServer.requests.length;
      await vscode.commands.executeCommand('workbench.mcp.startServer', serverId(MCP_LABEL.docs));
      await vscode.commands.executeCommand('workbench.mcp.restartServer', serverId(MCP_LABEL.docs)).then(undefined, () => undefined);
      await settle(2000);
      assert.deepEqual(
        mcpServer.requests.slice(seen).map((request) => `${request.method} ${request.rpc.join(',')} ${request.authorization === undefined ? 'no header' : 'a header'}`),
        [],
        'nothing reaches the docs server after it is gone',
      );
    });
  }

  it('finds the MCP provider API here, and none in a VS Code without it (before 1.101)', () => {
    assert.ok(findMcpHost(vscode), 'VS Code 1.139 offers it');
    assert.equal(findMcpHost({}), undefined, 'no vscode.lm');
    assert.equal(findMcpHost({ lm: {} }), undefined, 'vscode.lm without registerMcpServerDefinitionProvider');
    assert.equal(findMcpHost({ lm: { registerMcpServerDefinitionProvider: () => ({ dispose: () => undefined }) } }), undefined, 'no McpHttpServerDefinition class');
  });

  it("ignores a workspace's .vscode/settings.json naming another MCP server", async () => {
    const { mcp } = await testing();
    await signIn();
    await turnOn();
    // The fixture workspace names https://attacker.invalid/mcp; only the user setting counts.
    const inspected = vscode.workspace.getConfiguration('pandadoc').inspect<string>('mcpServerUrl');
    assert.equal(inspected?.workspaceValue ?? inspected?.workspaceFolderValue ?? 'https://attacker.invalid/mcp', 'https://attacker.invalid/mcp');
    assert.equal(mcp.provide()[0]?.uri.toString(true), mcpServer.url);
    await vscode.workspace.getConfiguration('pandadoc').update('mcpServerUrl', undefined, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(mcp.provide()[0]?.uri.toString(true), 'https://developers.pandadoc.com/mcp', "with no user setting, PandaDoc's own, never the workspace's");
    } finally {
      await vscode.workspace.getConfiguration('pandadoc').update('mcpServerUrl', mcpServer.url, vscode.ConfigurationTarget.Global);
    }
  });

  it('says once in the log that chat.mcp.access "none" blocks it, and VS Code then starts nothing', async () => {
    const { channelLog } = await sandbox();
    await signIn();
    await turnOn();
    const chat = vscode.workspace.getConfiguration('chat.mcp');
    const before = chat.inspect('access')?.globalValue;
    await chat.update('access', 'none', vscode.ConfigurationTarget.Global);
    try {
      const line = /chat\.mcp\.access is "none"/g;
      await eventually(async () => ((await channelLog()).match(line) ?? []).length > 0, 'the log line about chat.mcp.access');
      const seen = mcpServer.requests.length;
      // Both commands: startServer alone can reach nothing for other reasons (see startAndInitialize).
      await vscode.commands.executeCommand('workbench.mcp.startServer', serverId(MCP_LABEL.docs));
      await vscode.commands.executeCommand('workbench.mcp.restartServer', serverId(MCP_LABEL.docs)).then(undefined, () => undefined);
      await settle(2000);
      const blocked = mcpServer.requests.length === seen;
      console.log(`    (with chat.mcp.access "none", VS Code's startServer and restartServer reached the server: ${blocked ? 'no' : 'yes'})`);
      assert.equal(blocked, true, 'VS Code starts no MCP server with chat.mcp.access "none"');
      // A refresh makes the provider decide again: the line is not repeated.
      await vscode.commands.executeCommand(COMMAND.refreshToken);
      assert.equal(((await channelLog()).match(line) ?? []).length, 1, 'said once');
    } finally {
      await chat.update('access', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('Turn On asks whatever the arguments, and Leave Off stores nothing', async () => {
    const { mcpChoices, answerModal, askedModals } = await testing();
    await signIn();
    answerModal(undefined);
    assert.equal(await vscode.commands.executeCommand(COMMAND.turnOnMcpServers, { confirm: false, answer: 'Turn On' }), false);
    assert.match(askedModals().at(-1) ?? '', /Let agents in VS Code's chat use PandaDoc with the profile "Default"\?/);
    assert.deepEqual(mcpChoices.list(), []);
  });
});
