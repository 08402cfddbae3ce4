/**
 * VS Code's MCP server provider API, found at run time. It was finalized in VS Code 1.101; the
 * extension supports 1.90 (`engines.vscode`) and builds against `@types/vscode` 1.90, which does
 * not declare it. Raising both would drop every VS Code from 1.90 to 1.100, so the few members
 * used are declared here, as VS Code 1.101's `vscode.d.ts` declares them, and looked up on the
 * `vscode` module when the extension starts. Where they are missing, the feature is left out.
 */
import * as vscode from 'vscode';

/** `vscode.McpHttpServerDefinition`: a server reached over streamable HTTP (or SSE). */
export interface McpHttpServerDefinition {
  readonly label: string;
  uri: vscode.Uri;
  headers: Record<string, string>;
  version?: string;
}

type McpHttpServerDefinitionClass = new (label: string, uri: vscode.Uri, headers?: Record<string, string>, version?: string) => McpHttpServerDefinition;

/** `vscode.McpServerDefinitionProvider`, HTTP servers only. */
export interface McpServerDefinitionProvider {
  readonly onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<McpHttpServerDefinition[]>;
  resolveMcpServerDefinition?(server: McpHttpServerDefinition, token: vscode.CancellationToken): vscode.ProviderResult<McpHttpServerDefinition>;
}

/** What the extension uses of the API. */
export interface McpHost {
  register(id: string, provider: McpServerDefinitionProvider): vscode.Disposable;
  definition(label: string, uri: string, headers: Record<string, string>, version: string): McpHttpServerDefinition;
}

interface McpModule {
  lm?: { registerMcpServerDefinitionProvider?: (id: string, provider: McpServerDefinitionProvider) => vscode.Disposable };
  McpHttpServerDefinition?: McpHttpServerDefinitionClass;
}

/** The API of this VS Code, or undefined before 1.101 (or in a host without it). */
export function findMcpHost(module: unknown = vscode): McpHost | undefined {
  const { lm, McpHttpServerDefinition } = module as McpModule;
  const register = lm?.registerMcpServerDefinitionProvider;
  if (typeof register !== 'function' || typeof McpHttpServerDefinition !== 'function') {
    return undefined;
  }
  return {
    register: (id, provider) => register.call(lm, id, provider),
    definition: (label, uri, headers, version) => new McpHttpServerDefinition(label, vscode.Uri.parse(uri, true), headers, version),
  };
}
