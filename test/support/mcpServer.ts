/**
 * A streamable-HTTP MCP server on 127.0.0.1, built with the official TypeScript SDK
 * (`@modelcontextprotocol/sdk`), standing for PandaDoc's docs-and-API server in the integration
 * tests. It records every request it receives (method, the JSON-RPC methods of the body, and the
 * `Authorization` header, kept in memory for the tests to compare and never printed) and offers
 * one tool, as the real server's search does.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

export interface McpRequest {
  readonly method: string;
  /** The JSON-RPC methods of a POST's body (a batch has several); empty for GET and DELETE. */
  readonly rpc: readonly string[];
  /** The Authorization header as received; undefined when there was none. Never print it. */
  readonly authorization: string | undefined;
}

function rpcMethods(body: unknown): string[] {
  const messages = Array.isArray(body) ? (body as unknown[]) : [body];
  return messages.flatMap((message) => {
    const method = typeof message === 'object' && message !== null ? (message as Record<string, unknown>).method : undefined;
    return typeof method === 'string' ? [method] : [];
  });
}

async function readBody(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

export class McpTestServer {
  readonly requests: McpRequest[] = [];
  private readonly sessions = new Map<string, StreamableHTTPServerTransport>();

  private readonly server = http.createServer((request, response) => {
    void this.handle(request, response).catch(() => {
      if (!response.headersSent) {
        response.writeHead(500).end();
      }
    });
  });
  /** `http://127.0.0.1:<port>/mcp`, once started. */
  url = '';

  static async start(): Promise<McpTestServer> {
    const instance = new McpTestServer();
    await new Promise<void>((resolve) => instance.server.listen(0, '127.0.0.1', resolve));
    instance.url = `http://127.0.0.1:${(instance.server.address() as AddressInfo).port}/mcp`;
    return instance;
  }

  /** The requests whose body holds the JSON-RPC method. */
  withRpc(method: string): McpRequest[] {
    return this.requests.filter((request) => request.rpc.includes(method));
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((transport) => transport.close()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = request.method === 'POST' ? await readBody(request) : undefined;
    this.requests.push({ method: request.method ?? '?', rpc: rpcMethods(body), authorization: request.headers.authorization });
    const id = request.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? this.sessions.get(id) : undefined;
    if (transport === undefined) {
      if (request.method !== 'POST' || !isInitializeRequest(body)) {
        response.writeHead(typeof id === 'string' ? 404 : 400).end();
        return;
      }
      transport = await this.newSession();
    }
    await transport.handleRequest(request, response, body);
  }

  /** A session: one SDK server and its transport, forgotten when the client ends it. */
  private async newSession(): Promise<StreamableHTTPServerTransport> {
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void this.sessions.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) {
        this.sessions.delete(transport.sessionId);
      }
    };
    const server = new McpServer({ name: 'pandadoc-docs-test', version: '1.0.0' });
    server.registerTool('search', { description: "Searches PandaDoc's documentation (a stand-in)." }, () => ({ content: [{ type: 'text', text: 'no results in the test server' }] }));
    await server.connect(transport);
    return transport;
  }
}
