/**
 * The status snapshot in the extension's global state (core/profiles/statusSnapshot.ts says what
 * it holds): read synchronously at activation, so activate() returns without waiting for
 * SecretStorage, and written in the same turn as every change this window makes or hears of.
 * The global state (core/base/stateStore.ts's SerialState) answers a write at once, queues it
 * behind any other and reads it back once it lands, so nothing here checks it again.
 */
import type * as vscode from 'vscode';
import type { Profiles } from '../../core/profiles/profiles';
import { readSnapshot, sameSnapshot, SNAPSHOT_KEY, type StatusSnapshot, takeSnapshot } from '../../core/profiles/statusSnapshot';
import type { StateStore } from '../../core/base/stateStore';
import type { Logger } from '../../core/base/logger';

/** The snapshot this version wrote, or undefined (none, corrupt, or another version's). */
export function readStatusSnapshot(state: StateStore, version: string): StatusSnapshot | undefined {
  return readSnapshot(state.get(SNAPSHOT_KEY), version);
}

/**
 * Keeps the snapshot equal to what this window holds, from the moment it has read the store
 * (written then if it differs: a correction, or a first install's first snapshot) and at every
 * change after, in the same turn.
 */
export function keepStatusSnapshot(state: StateStore, profiles: Profiles, version: string, log: Logger): vscode.Disposable {
  const write = () => {
    if (profiles.presuming()) {
      return;
    }
    const next = takeSnapshot(profiles.state(), profiles.names().length, version);
    if (!sameSnapshot(readStatusSnapshot(state, version), next)) {
      state.update(SNAPSHOT_KEY, next).then(undefined, () => log.warn('[storage] could not keep the status snapshot; the next window reads the store instead'));
    }
  };
  const subscription = profiles.onDidChange(() => write());
  void profiles.whenRead().then(() => write());
  return { dispose: () => subscription.dispose() };
}
