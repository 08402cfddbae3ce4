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

/**
 * `update`, then read back: tried again when what is read is not what was written. VS Code's
 * global state replaces its whole value when the workbench echoes an earlier write, so a write
 * made within that round trip can be lost (read in VS Code 1.139's extension host: the memento's
 * storage listener; seen here as a revoked workspace grant that was back a moment later). A
 * grant taken back must stay taken back, so the store checks.
 */
export async function updateConfirmed(state: StateStore, key: string, value: unknown, attempts = 3): Promise<void> {
  const wanted = JSON.stringify(value);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await state.update(key, value);
    if (JSON.stringify(state.get(key)) === wanted) {
      return;
    }
  }
  throw new Error(`the global state did not keep ${key}`);
}
