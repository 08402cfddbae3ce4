/**
 * Which profiles the user let VS Code's chat use through PandaDoc's MCP servers: one entry per
 * profile, with when it was turned on.
 *
 * Kept in the extension's global state, never in a setting: a workspace setting is the
 * repository's to write, so a repository could hand an agent the user's account. Not a secret,
 * so not in SecretStorage. Keyed by profile names, which a person chose: a NameRecord.
 */
import type { Clock } from '../base/clock';
import { type NameRecord, nameRecord, readNameRecord, withoutName } from '../base/nameRecord';
import { RecordKeeper, type StateStore } from '../base/stateStore';
import type { ProfileNameFollower } from '../profiles/nameChanges';

export const MCP_CHOICES_KEY = 'pandadoc.mcpServers';

/** One profile's choice as stored: when it was turned on. */
interface StoredChoice {
  readonly since: number;
}

export interface McpChoice {
  readonly profile: string;
  readonly since: number;
}

/** Read leniently: an entry that is not a choice is left out (that profile is then off). */
function readChoices(raw: unknown): NameRecord<StoredChoice> {
  return readNameRecord(raw, (value) => {
    const since = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).since : undefined;
    return typeof since === 'number' && Number.isFinite(since) ? { since } : undefined;
  });
}


export class McpChoices extends RecordKeeper<StoredChoice> implements ProfileNameFollower {
  constructor(state: StateStore, clock: Pick<Clock, 'now'>) {
    super(state, MCP_CHOICES_KEY, readChoices, clock);
  }

  /** Whether the profile (its name as stored) is turned on. Cheap: parsed again only on change. */
  isOn(profile: string): boolean {
    return Object.hasOwn(this.stored.read(), profile);
  }

  /** Every profile turned on, by name. */
  list(): McpChoice[] {
    return Object.entries(this.stored.read())
      .map(([profile, { since }]) => ({ profile, since }))
      .sort((a, b) => a.profile.localeCompare(b.profile, 'en'));
  }

  async turnOn(profile: string): Promise<void> {
    const since = this.clock.now();
    await this.write((record) => nameRecord([...Object.entries(withoutName(record, profile)), [profile, { since }]]));
  }

  /** False when it was off already. */
  async turnOff(profile: string): Promise<boolean> {
    if (Object.keys(withoutName(this.stored.read(), profile)).length === Object.keys(this.stored.read()).length) {
      return false;
    }
    await this.write((record) => withoutName(record, profile));
    return true;
  }

  /** The choice follows a renamed profile; whatever was kept for a profile once called `to` goes. */
  async renamed(from: string, to: string): Promise<void> {
    const record = this.stored.read();
    const moved = Object.entries(record).find(([name]) => name.toLowerCase() === from.toLowerCase())?.[1];
    if (moved === undefined && !this.hasName(to)) {
      return;
    }
    await this.write((current) => {
      const rest = Object.entries(withoutName(withoutName(current, from), to));
      return nameRecord(moved === undefined ? rest : [...rest, [to, moved]]);
    });
  }

  /** A removed profile's choice goes with it: a profile made later under its name starts off. */
  async removed(profile: string): Promise<void> {
    if (this.hasName(profile)) {
      await this.turnOff(profile);
    }
  }

  private hasName(profile: string): boolean {
    return Object.keys(this.stored.read()).some((name) => name.toLowerCase() === profile.toLowerCase());
  }

  private async write(change: (record: NameRecord<StoredChoice>) => NameRecord<StoredChoice>): Promise<void> {
    await this.stored.write(change, 'VS Code could not save the choice for PandaDoc tools in chat.');
  }
}
