/**
 * The slice of VS Code's SecretStorage the core needs. `vscode.SecretStorage` satisfies it as it
 * is (its methods return Thenables), so no adapter sits between them.
 */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}
