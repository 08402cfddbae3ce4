/**
 * The name of the profile last active, kept in the extension's global state (a name, never a
 * secret): activation reads that profile's secret beside the profile index instead of after it.
 * Only a guess: when another window switched meanwhile, the right profile is read next, as before.
 */
import type * as vscode from 'vscode';
import type { StateStore } from '../../core/base/stateStore';
import type { Profiles } from '../../core/profiles/profiles';

const LAST_ACTIVE_KEY = 'pandadoc.lastActiveProfile';

export function lastActiveProfile(state: StateStore): string | undefined {
  const name = state.get(LAST_ACTIVE_KEY);
  return typeof name === 'string' ? name : undefined;
}

/** Keeps the hint current: now, and at every switch in this window or another. */
export function rememberActiveProfile(state: StateStore, profiles: Profiles): vscode.Disposable {
  const remember = () => {
    const name = profiles.activeName();
    if (state.get(LAST_ACTIVE_KEY) !== name) {
      void state.update(LAST_ACTIVE_KEY, name);
    }
  };
  remember();
  const subscription = profiles.onDidChange((cause) => cause === 'switch' && remember());
  return { dispose: () => subscription.dispose() };
}
