/**
 * `resolveMcpServerDefinition` of the docs server, as VS Code calls it just before each start:
 * with OAuth credentials whose token is good for a day (no request: the cost VS Code adds to a
 * start), and with a token due for refresh (inside the 5-minute margin, as the server issues them
 * here), where each call refreshes first. Each call awaited and timed on its own. The provider
 * is the extension's own (the `testing` export), turned on for the profile.
 */
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import type { McpChoices } from '../../../src/core/routes/mcpChoices';
import { MCP_LABEL } from '../../../src/core/routes/mcpServers';
import type { McpRoute } from '../../../src/vscode/mcp/mcpServers';
import { PANDADOC_EXPIRES_IN } from '../../support/pandadocServer';
import type { McpResolveFigures } from '../handOver';
import { percentiles, timeEach } from './hotPath';
import type { BenchServer } from './localServer';

export const MCP_FRESH_CALLS = 2_000;
export const MCP_DUE_CALLS = 50;
const WARM_UP = 200;
/** Inside the refresh margin: every token the server issues is due at once. */
const DUE_LIFETIME_SECONDS = 60;

export async function measureMcpResolve(
  api: PandaDocAuthApiV1,
  testing: { mcpChoices: McpChoices; mcp: McpRoute | undefined },
  { server, client }: BenchServer,
): Promise<McpResolveFigures> {
  const { mcp, mcpChoices } = testing;
  if (mcp === undefined) {
    throw new Error('this VS Code has no MCP provider API');
  }
  const profile = api.getStatus().profile;
  server.expiresIn = PANDADOC_EXPIRES_IN;
  const fresh = { ...client, refreshToken: server.grant(client.clientId), accessToken: 't'.repeat(40), expiresAt: Date.now() + 86_400_000 };
  await api.setOAuthCredentials(fresh);
  await mcpChoices.turnOn(profile);
  try {
    const cached = mcp.provide().find((definition) => definition.label === MCP_LABEL.docs);
    if (cached === undefined) {
      throw new Error('the docs server is not offered');
    }
    let withHeader = 0;
    const call = () => mcp.resolve(cached).then((resolved) => resolved?.headers.Authorization !== undefined && withHeader++);
    await timeEach(WARM_UP, call);
    const before = server.tokenRequests().length;
    withHeader = 0;
    const freshTimes = await timeEach(MCP_FRESH_CALLS, call);
    const freshRequests = server.tokenRequests().length - before;
    const freshWithHeader = withHeader;

    server.expiresIn = DUE_LIFETIME_SECONDS;
    await api.setOAuthCredentials({ ...client, refreshToken: server.grant(client.clientId), accessToken: 'd'.repeat(40), expiresAt: Date.now() + DUE_LIFETIME_SECONDS * 1000 });
    const dueBefore = server.tokenRequests().length;
    withHeader = 0;
    const dueTimes = await timeEach(MCP_DUE_CALLS, call);
    return {
      fresh: { calls: MCP_FRESH_CALLS, us: percentiles(freshTimes), requests: freshRequests, withHeader: freshWithHeader },
      due: { calls: MCP_DUE_CALLS, us: percentiles(dueTimes), requests: server.tokenRequests().length - dueBefore, withHeader },
      scale: { header: percentiles(await timeEach(MCP_DUE_CALLS, () => api.getAuthorizationHeader())) },
    };
  } finally {
    server.expiresIn = PANDADOC_EXPIRES_IN;
    await mcpChoices.turnOff(profile);
  }
}
