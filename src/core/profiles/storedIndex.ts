/**
 * The profile index as this window last read or wrote it, and the one way to change it: read what
 * is stored, change that, write it back. Starting from what is stored rather than from memory
 * keeps a profile another window added meanwhile; queueing the changes keeps two of this window's
 * from interleaving at an await and losing one.
 */
import { AuthError } from '../base/errors';
import type { Logger } from '../base/logger';
import type { SecretStore } from '../base/secretStore';
import { Sequencer } from '../base/sequencer';
import { defaultIndex, parseIndex, type ProfileIndex, PROFILES_KEY, serializeIndex } from './profileIndex';

/** Runs after the index in memory was replaced, with what it was before, still inside the queue:
 *  the next change starts only once the window has followed this one. */
export type IndexReplaced = (before: ProfileIndex) => Promise<void>;

export class StoredProfileIndex {
  private index: ProfileIndex = defaultIndex();
  /** Serialises read-modify-write of the index within this window. */
  private readonly writes = new Sequencer();

  constructor(
    private readonly store: SecretStore,
    private readonly log: Logger,
    private readonly replaced: IndexReplaced,
  ) {}

  current(): ProfileIndex {
    return this.index;
  }

  /** Takes `index` as current without telling anyone: for activation, before anything listens. */
  adopt(index: ProfileIndex): void {
    this.index = index;
  }

  /** What is stored; the default index when nothing is, or SecretStorage cannot be read. */
  async read(): Promise<ProfileIndex> {
    try {
      return parseIndex(await this.store.get(PROFILES_KEY)) ?? defaultIndex();
    } catch {
      this.log.error('[profiles] VS Code could not read its secret storage; using the default profile');
      return defaultIndex();
    }
  }

  /** Follows what another window wrote. */
  async reload(): Promise<void> {
    const before = this.index;
    this.index = await this.read();
    await this.replaced(before);
  }

  /**
   * Read, change, write the index, starting from what is stored (another window may have
   * changed it). `change` returns undefined for "nothing to do". Resolves whether it wrote.
   */
  update(change: (index: ProfileIndex) => ProfileIndex | undefined): Promise<boolean> {
    return this.writes.queue(async () => {
      const before = this.index;
      const latest = await this.read();
      const next = change(latest);
      if (next === undefined) {
        this.index = latest;
        await this.replaced(before);
        return false;
      }
      try {
        await this.store.store(PROFILES_KEY, serializeIndex(next));
      } catch {
        throw new AuthError('storage', 'VS Code could not write its secret storage.');
      }
      this.index = next;
      await this.replaced(before);
      return true;
    });
  }
}
