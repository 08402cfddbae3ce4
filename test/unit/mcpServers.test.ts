import * as assert from 'node:assert/strict';
import { memoryState } from '../../src/core/base/stateStore';
import { MCP_ROW_LABEL, mcpRows, revokedMcpMessage } from '../../src/core/routes/grantList';
import { MCP_CHOICES_KEY, McpChoices } from '../../src/core/routes/mcpChoices';
import { AGENT_SERVER_URL, decideMcpServers, DEFAULT_MCP_SERVER_URL, MCP_LABEL, McpAccessWatch, type McpFacts, turnOnMcpQuestion } from '../../src/core/routes/mcpServers';

describe("PandaDoc's MCP servers for VS Code's chat", () => {
  const on: McpFacts = { gate: 'on', kind: 'oauth', region: 'global', docsUrl: DEFAULT_MCP_SERVER_URL };
  const offered = (facts: McpFacts) => decideMcpServers(facts).offers.map((offer) => `${offer.label} ${offer.uri} ${offer.credentials ? 'with' : 'without'}`);

  describe('what is offered', () => {
    it('offers nothing until the active profile is turned on, and nothing in Restricted Mode', () => {
      assert.deepEqual(offered({ ...on, gate: 'off' }), []);
      assert.deepEqual(offered({ ...on, gate: 'untrusted' }), []);
    });

    it('offers the docs server with the profile’s credentials and the agent server without, for OAuth and an API key', () => {
      for (const kind of ['oauth', 'apiKey'] as const) {
        assert.deepEqual(offered({ ...on, kind }), [
          `${MCP_LABEL.docs} https://developers.pandadoc.com/mcp with`,
          `${MCP_LABEL.agent} ${AGENT_SERVER_URL} without`,
        ]);
      }
    });

    it('leaves the docs server out once signed out, and says why', () => {
      const decision = decideMcpServers({ ...on, kind: 'none' });
      assert.deepEqual(decision.offers.map((offer) => offer.label), [MCP_LABEL.agent]);
      assert.match(decision.docsLeftOut ?? '', /no credentials/);
    });

    it('never sends an EU profile’s credentials to the docs server, says so in its label, and offers no agent server', () => {
      for (const kind of ['oauth', 'none'] as const) {
        // Search only needs no credentials: offered with none stored too.
        assert.deepEqual(offered({ ...on, kind, region: 'eu' }), [`${MCP_LABEL.docsSearch} https://developers.pandadoc.com/mcp without`]);
        assert.deepEqual(offered({ ...on, kind, region: 'eu', docsUrl: 'http://127.0.0.1:4000/mcp' }), [`${MCP_LABEL.docsSearch} http://127.0.0.1:4000/mcp without`]);
      }
      assert.match(MCP_LABEL.docsSearch, /search only, no live API calls/);
    });

    it('sends a custom region’s profile’s credentials only to a docs server of the person’s own, never to PandaDoc’s', () => {
      // PandaDoc's docs server calls the global API, where a sandbox's credentials do not work.
      assert.deepEqual(offered({ ...on, region: 'custom' }), [`${MCP_LABEL.docsSearch} https://developers.pandadoc.com/mcp without`, `${MCP_LABEL.agent} ${AGENT_SERVER_URL} without`]);
      assert.deepEqual(offered({ ...on, region: 'custom', docsUrl: 'http://127.0.0.1:4000/mcp' }), [`${MCP_LABEL.docs} http://127.0.0.1:4000/mcp with`, `${MCP_LABEL.agent} ${AGENT_SERVER_URL} without`]);
    });

    it('checks the URL setting like the others: https, plain http only to this machine', () => {
      assert.deepEqual(offered({ ...on, docsUrl: 'http://127.0.0.1:4000/mcp/' })[0], `${MCP_LABEL.docs} http://127.0.0.1:4000/mcp with`);
      for (const docsUrl of ['http://attacker.invalid/mcp', 'https://user:pw@example.com/mcp', 'https://example.com/mcp?x=1', 'ftp://example.com', 'not a url']) {
        const decision = decideMcpServers({ ...on, docsUrl });
        assert.deepEqual(decision.offers.map((offer) => offer.label), [MCP_LABEL.agent], docsUrl);
        assert.match(decision.docsLeftOut ?? '', /pandadoc\.mcpServerUrl/, docsUrl);
      }
    });
  });

  describe('the Turn On question', () => {
    it('names the profile, what an agent can do, where the header goes, and how to take it back', () => {
      const { message, detail } = turnOnMcpQuestion('Production', 'global', DEFAULT_MCP_SERVER_URL, 'Turn Off Tools in Chat');
      assert.equal(message, 'Let agents in VS Code\'s chat use PandaDoc with the profile "Production"?');
      assert.match(detail, /read, create and send documents/);
      assert.match(detail, /VS Code asks you before each tool call/);
      assert.match(detail, /developers\.pandadoc\.com, PandaDoc's documentation site run by ReadMe/);
      assert.match(detail, /never written to mcp\.json or your settings/);
      assert.match(detail, /Manage Workspace Permissions\.\.\. takes it back, as does PandaDoc: Turn Off Tools in Chat\.$/);
    });

    it('names another address by its host, and tells an EU profile its credentials are not sent', () => {
      assert.match(turnOnMcpQuestion('P', 'custom', 'http://127.0.0.1:4000/mcp', 'T').detail, /to 127\.0\.0\.1:4000 \(pandadoc\.mcpServerUrl\)/);
      const eu = turnOnMcpQuestion('P', 'eu', DEFAULT_MCP_SERVER_URL, 'T').detail;
      assert.match(eu, /EU region/);
      assert.match(eu, /without your credentials/);
      assert.match(eu, /add its EU address by hand/);
      assert.doesNotMatch(eu, /VS Code sends your credentials/);
      const sandbox = turnOnMcpQuestion('P', 'custom', DEFAULT_MCP_SERVER_URL, 'T').detail;
      assert.match(sandbox, /a server of its own, not the global one/);
      assert.match(sandbox, /without your credentials/);
      assert.doesNotMatch(sandbox, /VS Code sends your credentials/);
    });
  });

  it('says once in the log that chat.mcp.access "none" blocks the servers, and again only after a change', () => {
    const watch = new McpAccessWatch();
    assert.equal(watch.update(false, 'none'), undefined, 'not turned on: nothing to say');
    assert.match(watch.update(true, 'none') ?? '', /chat\.mcp\.access is "none"/);
    assert.equal(watch.update(true, 'none'), undefined, 'said once');
    assert.equal(watch.update(true, 'all'), undefined);
    assert.match(watch.update(true, 'none') ?? '', /says nothing/);
  });

  describe('the choices, per profile, in global state', () => {
    let now = 1_000;
    const clock = { now: () => now };

    it('keeps each profile apart, lists them, and turns one off', async () => {
      const state = memoryState();
      const choices = new McpChoices(state, clock);
      let fired = 0;
      choices.onDidChange(() => fired++);
      assert.equal(choices.isOn('Default'), false);
      await choices.turnOn('Production');
      now = 2_000;
      await choices.turnOn('__proto__');
      assert.equal(choices.isOn('Production'), true);
      assert.equal(choices.isOn('Default'), false);
      assert.equal(choices.isOn('constructor'), false);
      assert.deepEqual(choices.list(), [{ profile: '__proto__', since: 2_000 }, { profile: 'Production', since: 1_000 }]);
      assert.equal(new McpChoices(state, clock).isOn('__proto__'), true, 'the next window reads the same');
      assert.equal(await choices.turnOff('Production'), true);
      assert.equal(await choices.turnOff('Production'), false);
      assert.equal(choices.isOn('Production'), false);
      assert.equal(fired, 3);
    });

    it('follows a renamed profile, and forgets a removed one', async () => {
      const choices = new McpChoices(memoryState(), clock);
      await choices.turnOn('Production');
      await choices.turnOn('Old');
      await choices.renamed('Production', 'Old');
      assert.deepEqual(choices.list().map((choice) => choice.profile), ['Old'], 'the renamed profile inherits nothing of a profile once called "Old"');
      await choices.removed('old');
      assert.deepEqual(choices.list(), []);
    });

    it('reads what it cannot parse as off', () => {
      const state = memoryState();
      void state.update(MCP_CHOICES_KEY, { A: { since: 'soon' }, B: 5, C: { since: 7 } });
      assert.deepEqual(new McpChoices(state, clock).list(), [{ profile: 'C', since: 7 }]);
    });

    it('lists them in Manage Workspace Permissions, and says what Turn Off changed', () => {
      const since = new Date(2026, 10, 25, 14, 5).getTime();
      const [row] = mcpRows([{ profile: 'Production', since }]);
      assert.equal(row.label, MCP_ROW_LABEL);
      assert.equal(row.description, 'PandaDoc tools · profile "Production"');
      assert.equal(row.detail, 'Allowed since 2026-11-25 14:05 · every window');
      assert.match(revokedMcpMessage(['Production']), /for "Production": VS Code no longer offers PandaDoc's MCP servers with that profile/);
    });
  });
});
