/**
 * Where the core keeps values that are not secret and must stay out of any workspace's reach:
 * `vscode.Memento` (the extension's global state) fits. Used by the profiles' regions and the
 * workspace grants.
 */
export interface StateStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A state store that lives as long as the object: for tests and a core used without VS Code. */
export function memoryState(): StateStore {
  const values = new Map<string, unknown>();
  return {
    get: (key) => values.get(key),
    update: (key, value) => {
      if (value === undefined) {
        values.delete(key);
      } else {
        values.set(key, value);
      }
      return Promise.resolve();
    },
  };
}
