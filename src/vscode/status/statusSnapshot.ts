/**
 * The status snapshot in the extension's global state (core/profiles/statusSnapshot.ts says what
 * it holds): read synchronously at activation, so activate() returns without waiting for
 * SecretStorage, and written in the same turn as every change this window makes or hears of.
 * The global state (core/base/stateStore.ts's SerialState) answers a write at once, so a window that starts next
 * reads it even before the write has reached the disk.
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
  // VS Code's extension-host memento can lose a write to the echo of an earlier one (see
  // updateConfirmed in core/base/stateStore.ts): once a write has landed, what is kept is read
  // back and the latest status written again if it differs, a few times at most.
  let checksLeft = 0;
  const write = (check = false) => {
    if (profiles.presuming()) {
      return;
    }
    checksLeft = check ? checksLeft - 1 : 3;
    const next = takeSnapshot(profiles.state(), profiles.names().length, version);
    if (!sameSnapshot(readStatusSnapshot(state, version), next)) {
      state.update(SNAPSHOT_KEY, next).then(
        () => checksLeft > 0 && write(true),
        () => log.warn('[storage] could not keep the status snapshot; the next window reads the store instead'),
      );
    }
  };
  const subscription = profiles.onDidChange(() => write());
  void profiles.whenRead().then(() => write());
  return { dispose: () => subscription.dispose() };
}
