/**
 * Which workspaces the user let have their PandaDoc credentials, and by which route: the
 * environment of new integrated terminals, or `${input:...}` in tasks and launch configurations.
 *
 * Kept in the extension's global state, keyed by the workspace's identity (its folders or its
 * workspace file), never in a setting: a workspace setting is the repository's to write, so a
 * repository could grant itself the user's token. Not a secret, so not in SecretStorage.
 */
import type { Clock } from '../base/clock';
import { type NameRecord, readNameRecord, withoutName } from '../base/nameRecord';
import { RecordKeeper, type StateStore } from '../base/stateStore';
import { shownName } from '../base/text';
import type { ProfileNameFollower } from '../profiles/nameChanges';

/** `terminal`: new terminals get the variables (of whichever profile is active); `tasks`: the
 *  task input answers without asking, for one profile (each profile is granted on its own). */
export type Route = 'terminal' | 'tasks';
export const ROUTES: readonly Route[] = ['terminal', 'tasks'];

/** A workspace as the grants know it: `id` is what identifies it across windows and restarts
 *  (see src/vscode/base/workspaceIdentity.ts), `name` what the user calls it and `path` where it is,
 *  both cleaned for display (shownName) since the repository chose them. */
export interface WorkspaceRef {
  readonly id: string;
  readonly name: string;
  readonly path: string;
}

/** What VS Code says of the window's workspace, for workspaceRef. */
export interface WorkspaceFacts {
  /** The workspace file (a `.code-workspace`), unless it is an untitled one. */
  readonly file?: { readonly uri: string; readonly path: string };
  readonly folders: readonly { readonly uri: string; readonly path: string; readonly name: string }[];
  /** `vscode.workspace.name`. */
  readonly name?: string;
}

/** Paths are longer than names: cut later. */
const MAX_SHOWN_PATH = 300;

/**
 * The workspace of a window: the workspace file when there is one, else the folders, so the same
 * folder opened again, in any window, is the same workspace, and a different folder never
 * inherits a grant. Undefined when no folder is open: there is nothing to grant to.
 */
export function workspaceRef({ file, folders, name }: WorkspaceFacts): WorkspaceRef | undefined {
  const id = file !== undefined ? file.uri : folders.map((folder) => folder.uri).sort().join('\n');
  if (id === '') {
    return undefined;
  }
  const path = file !== undefined ? file.path : folders.map((folder) => folder.path).join(', ');
  return { id, name: shownName(name ?? folders[0]?.name ?? id), path: shownName(path, MAX_SHOWN_PATH) };
}

/** `path` of a workspace known only by its id (a grant stored without one): its URIs. */
function pathOfId(id: string): string {
  return shownName(id.split('\n').join(', '), MAX_SHOWN_PATH);
}

export interface Grant {
  readonly workspace: WorkspaceRef;
  readonly route: Route;
  /** For `tasks`, the profile granted; absent for `terminal`, which follows the active one. */
  readonly profile?: string;
  /** When it was granted, in ms since the epoch. */
  readonly since: number;
}

export const GRANTS_KEY = 'pandadoc.workspaceGrants';

/**
 * One workspace's grants. 0.2.0 stored `tasks: <when>`, one grant for every profile, given in a
 * question that named one: it is no longer read (the profile it was given for is not known), so
 * the workspace is asked again per profile, and the next write drops it.
 */
interface StoredEntry {
  readonly name: string;
  readonly path?: string;
  readonly terminal?: number;
  /** Profile name (as stored in the profile index) to when it was granted. */
  readonly tasksByProfile?: Readonly<Record<string, number>>;
}
type StoredGrants = NameRecord<StoredEntry>;

/** Profile name to when: keyed by names a person chose, so a record with no prototype. */
function readTimes(raw: unknown): Record<string, number> | undefined {
  const times = readNameRecord(raw, (when) => (Number.isFinite(when) ? (when as number) : undefined));
  return Object.keys(times).length === 0 ? undefined : times;
}

/** An entry as stored: the empty parts left out. Undefined when it grants nothing. */
function entryOf(name: string, path: string | undefined, terminal: number | undefined, tasksByProfile: Record<string, number> | undefined): StoredEntry | undefined {
  const tasks = tasksByProfile !== undefined && Object.keys(tasksByProfile).length > 0 ? tasksByProfile : undefined;
  if (terminal === undefined && tasks === undefined) {
    return undefined;
  }
  return { name, ...(path === undefined ? {} : { path }), ...(terminal === undefined ? {} : { terminal }), ...(tasks === undefined ? {} : { tasksByProfile: tasks }) };
}

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
  const stored = value as Record<string, unknown>;
  const name = shownName(typeof stored.name === 'string' ? stored.name : id);
  const path = typeof stored.path === 'string' ? shownName(stored.path, MAX_SHOWN_PATH) : undefined;
  const terminal = Number.isFinite(stored.terminal) ? (stored.terminal as number) : undefined;
  return entryOf(name, path, terminal, readTimes(stored.tasksByProfile));
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}


export class WorkspaceGrants extends RecordKeeper<StoredEntry> implements ProfileNameFollower {
  constructor(state: StateStore, clock: Pick<Clock, 'now'>) {
    super(state, GRANTS_KEY, readGrants, clock);
  }

  /**
   * Whether `route` is granted to the workspace; for `tasks`, to the profile named (as stored),
   * and never without one. Cheap: parsed again only when it changed.
   */
  has(workspaceId: string | undefined, route: Route, profile?: string): boolean {
    if (workspaceId === undefined) {
      return false;
    }
    const entry = own(this.read(), workspaceId);
    if (route === 'terminal') {
      return entry?.terminal !== undefined;
    }
    return profile !== undefined && own(entry?.tasksByProfile, profile) !== undefined;
  }

  /** Every grant, by workspace name, then route, then profile. */
  list(): Grant[] {
    return Object.entries(this.read())
      .flatMap(([id, entry]): Grant[] => {
        const workspace = { id, name: entry.name, path: entry.path ?? pathOfId(id) };
        const terminal: Grant[] = entry.terminal === undefined ? [] : [{ workspace, route: 'terminal', since: entry.terminal }];
        const tasks = Object.entries(entry.tasksByProfile ?? {})
          .sort(([a], [b]) => a.localeCompare(b, 'en'))
          .map(([profile, since]): Grant => ({ workspace, route: 'tasks', profile, since }));
        return [...terminal, ...tasks];
      })
      .sort((a, b) => a.workspace.name.localeCompare(b.workspace.name, 'en') || ROUTES.indexOf(a.route) - ROUTES.indexOf(b.route));
  }

  /** Grants `route` to the workspace; `tasks` needs the profile (its name as stored). */
  async grant(workspace: WorkspaceRef, route: Route, profile?: string): Promise<void> {
    if (route === 'tasks' && profile === undefined) {
      throw new Error('the tasks grant is given per profile');
    }
    await this.write((grants) => {
      const entry = own(grants, workspace.id);
      const now = this.clock.now();
      const tasks = route === 'tasks' ? { ...withoutName(entry?.tasksByProfile, profile as string), [profile as string]: now } : entry?.tasksByProfile;
      const terminal = route === 'terminal' ? now : entry?.terminal;
      return { ...grants, [workspace.id]: entryOf(workspace.name, workspace.path, terminal, tasks) as StoredEntry };
    });
  }

  /**
   * Takes the grant back; for `tasks`, the profile's, or every profile's when none is named.
   * False when there was none.
   */
  async revoke(workspaceId: string, route: Route, profile?: string): Promise<boolean> {
    const entry = own(this.read(), workspaceId);
    const had = route === 'terminal' ? entry?.terminal !== undefined : profile === undefined ? entry?.tasksByProfile !== undefined : this.has(workspaceId, route, profile);
    if (!had) {
      return false;
    }
    await this.write((grants) => {
      const current = own(grants, workspaceId);
      if (current === undefined) {
        return grants;
      }
      const tasks = route === 'terminal' ? current.tasksByProfile : profile === undefined ? undefined : withoutName(current.tasksByProfile, profile);
      return this.replaceEntry(grants, workspaceId, entryOf(current.name, current.path, route === 'terminal' ? undefined : current.terminal, tasks));
    });
    return true;
  }

  /**
   * The profile `from` is now called `to`: its task grants go with it, and whatever was kept for
   * a profile once called `to` is dropped, so the renamed profile inherits no one else's grant.
   */
  async renamed(from: string, to: string): Promise<void> {
    await this.changeTaskGrants((times) => {
      const moved = Object.entries(times).find(([name]) => name.toLowerCase() === from.toLowerCase())?.[1];
      const rest = withoutName(withoutName(times, from), to);
      return moved === undefined ? rest : { ...rest, [to]: moved };
    });
  }

  /** The profile is gone: so are its task grants, in every workspace. */
  async removed(profile: string): Promise<void> {
    await this.changeTaskGrants((times) => withoutName(times, profile));
  }

  private read(): StoredGrants {
    return this.stored.read();
  }

  /** Applies `change` to each workspace's task grants; writes only when one changed. */
  private async changeTaskGrants(change: (times: Readonly<Record<string, number>>) => Record<string, number>): Promise<void> {
    const differs = (entry: StoredEntry) => JSON.stringify(change(entry.tasksByProfile ?? {})) !== JSON.stringify(entry.tasksByProfile ?? {});
    if (!Object.values(this.read()).some(differs)) {
      return;
    }
    await this.write((grants) =>
      Object.entries(grants).reduce<StoredGrants>(
        (next, [id, entry]) => this.replaceEntry(next, id, entryOf(entry.name, entry.path, entry.terminal, change(entry.tasksByProfile ?? {}))),
        grants,
      ),
    );
  }

  /** `grants` with the workspace's entry replaced, or removed when undefined. */
  private replaceEntry(grants: StoredGrants, id: string, entry: StoredEntry | undefined): StoredGrants {
    const rest = Object.fromEntries(Object.entries(grants).filter(([key]) => key !== id));
    return entry === undefined ? rest : { ...rest, [id]: entry };
  }

  private async write(change: (grants: StoredGrants) => StoredGrants): Promise<void> {
    await this.stored.write(change, 'VS Code could not save the workspace’s permission.');
  }
}
