/**
 * Which workspaces the user let have their PandaDoc credentials, and by which route: the
 * environment of new integrated terminals, or `${input:...}` in tasks and launch configurations.
 *
 * Kept in the extension's global state, keyed by the workspace's identity (its folders or its
 * workspace file), never in a setting: a workspace setting is the repository's to write, so a
 * repository could grant itself the user's token. Not a secret, so not in SecretStorage.
 */
import type { Clock } from '../base/clock';
import { type Disposable, Emitter } from '../base/emitter';
import { type NameRecord, readNameRecord } from '../base/nameRecord';
import { type StateStore, StoredRecord } from '../base/stateStore';

/** `terminal`: new terminals get the variables; `tasks`: the task input answers without asking. */
export type Route = 'terminal' | 'tasks';
export const ROUTES: readonly Route[] = ['terminal', 'tasks'];

/** A workspace as the grants know it: `id` is what identifies it across windows and restarts
 *  (see src/vscode/workspaceIdentity.ts), `name` what the user calls it. */
export interface WorkspaceRef {
  readonly id: string;
  readonly name: string;
}

export interface Grant {
  readonly workspace: WorkspaceRef;
  readonly route: Route;
  /** When it was granted, in ms since the epoch. */
  readonly since: number;
}

export const GRANTS_KEY = 'pandadoc.workspaceGrants';

interface StoredEntry {
  readonly name: string;
  readonly terminal?: number;
  readonly tasks?: number;
}
type StoredGrants = NameRecord<StoredEntry>;

/** Read leniently: an entry that is not a grant is left out (that workspace is then asked
 *  again), so one bad entry never stops the others and never grants anything. Keyed by
 *  workspace id, which a folder's path decides, so any id, `__proto__` too. */
function readGrants(raw: unknown): StoredGrants {
  return readNameRecord(raw, readEntry);
}

function readEntry(value: unknown, id: string): StoredEntry | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const entry = value as Record<string, unknown>;
  const name = typeof entry.name === 'string' ? entry.name : id;
  const routes = Object.fromEntries(ROUTES.filter((route) => Number.isFinite(entry[route])).map((route) => [route, entry[route] as number]));
  return Object.keys(routes).length > 0 ? { name, ...routes } : undefined;
}

export class WorkspaceGrants implements Disposable {
  private readonly changed = new Emitter<void>();
  /** Fires when this window grants or revokes (another window's change is read on next use). */
  readonly onDidChange = this.changed.event;
  private readonly stored: StoredRecord<StoredEntry>;

  constructor(
    state: StateStore,
    private readonly clock: Pick<Clock, 'now'>,
  ) {
    this.stored = new StoredRecord(state, GRANTS_KEY, readGrants);
  }

  /** Whether `route` is granted to the workspace. Cheap: parsed again only when it changed. */
  has(workspaceId: string | undefined, route: Route): boolean {
    if (workspaceId === undefined) {
      return false;
    }
    const grants = this.read();
    return Object.hasOwn(grants, workspaceId) && grants[workspaceId]?.[route] !== undefined;
  }

  /** Every grant, by workspace name, then route. */
  list(): Grant[] {
    return Object.entries(this.read())
      .flatMap(([id, entry]) =>
        ROUTES.filter((route) => entry[route] !== undefined).map((route) => ({ workspace: { id, name: entry.name }, route, since: entry[route] as number })),
      )
      .sort((a, b) => a.workspace.name.localeCompare(b.workspace.name, 'en') || ROUTES.indexOf(a.route) - ROUTES.indexOf(b.route));
  }

  async grant(workspace: WorkspaceRef, route: Route): Promise<void> {
    await this.write((grants) => {
      const entry = Object.hasOwn(grants, workspace.id) ? grants[workspace.id] : undefined;
      return { ...grants, [workspace.id]: { ...entry, name: workspace.name, [route]: this.clock.now() } };
    });
  }

  /** Takes the grant back; false when there was none. */
  async revoke(workspaceId: string, route: Route): Promise<boolean> {
    if (!this.has(workspaceId, route)) {
      return false;
    }
    await this.write((grants) => {
      const { [workspaceId]: entry, ...rest } = grants;
      const kept: StoredEntry = { ...entry, name: entry?.name ?? workspaceId, [route]: undefined };
      return ROUTES.some((other) => kept[other] !== undefined) ? { ...rest, [workspaceId]: kept } : rest;
    });
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private read(): StoredGrants {
    return this.stored.read();
  }

  private async write(change: (grants: StoredGrants) => StoredGrants): Promise<void> {
    await this.stored.write(change, 'VS Code could not save the workspace’s permission.');
    this.changed.fire();
  }
}
