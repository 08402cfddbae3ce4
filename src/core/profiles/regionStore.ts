/**
 * Each profile's region, by profile name, in the extension's global state: not a secret, so not in
 * SecretStorage, and never in settings, where a workspace could set it. Nothing stored means the
 * profile follows the settings, which is what every profile made before regions did.
 *
 * Renaming or deleting a profile carries its region along: `rename` and `remove` are the calls.
 */
import { type NameRecord, readNameRecord } from '../base/nameRecord';
import { PANDADOC_REGIONS, parseRegion, type Region, type RegionTable, type RegionUrls, regionUrls, withRegion } from '../base/regions';
import type { Settings } from '../base/settings';
import { memoryState, type StateStore, StoredRecord } from '../base/stateStore';

export const REGIONS_KEY = 'pandadoc.regions';

type StoredRegions = NameRecord<Region>;

/** The stored value, read leniently: an entry that is not a region is left out (the profile then
 *  follows the settings, as before). Keyed by profile name, so any name, `__proto__` too. */
function readRegions(raw: unknown): StoredRegions {
  return readNameRecord(raw, (value) => parseRegion(value));
}

export class RegionStore {
  private readonly stored: StoredRecord<Region>;
  private table: RegionTable = PANDADOC_REGIONS;

  constructor(state: StateStore = memoryState()) {
    this.stored = new StoredRecord(state, REGIONS_KEY, readRegions);
  }

  /** The profile's region; undefined when it follows the settings. Cheap: the global state is in
   *  memory, and its value is parsed again only when it changed (another window's write too). */
  get(profile: string): Region | undefined {
    const regions = this.stored.read();
    return Object.hasOwn(regions, profile) ? regions[profile] : undefined;
  }

  /** Sets the profile's region; undefined makes it follow the settings again. */
  async set(profile: string, region: Region | undefined): Promise<void> {
    await this.write((regions) => {
      const { [profile]: _previous, ...rest } = regions;
      return region === undefined ? rest : { ...rest, [profile]: region };
    });
  }

  /** The profile `from` is now called `to`: its region goes with it. */
  async rename(from: string, to: string): Promise<void> {
    const region = this.get(from);
    await this.write((regions) => {
      const { [from]: _moved, [to]: _replaced, ...rest } = regions;
      return region === undefined ? rest : { ...rest, [to]: region };
    });
  }

  /** The profile is gone: so is its region. */
  async remove(profile: string): Promise<void> {
    if (this.get(profile) !== undefined) {
      await this.set(profile, undefined);
    }
  }

  /** Where the profile's requests go. */
  urls(profile: string, settings: Settings): RegionUrls {
    return regionUrls(this.get(profile), settings, this.table);
  }

  /** The settings the profile's requests are made with. */
  settingsFor(profile: string, settings: Settings): Settings {
    return withRegion(settings, this.get(profile), this.table);
  }

  regionTable(): RegionTable {
    return this.table;
  }

  /** For this extension's own tests only (wired in ExtensionMode.Test): named regions pointed at
   *  test servers, so no test can reach PandaDoc's real hosts. Undefined puts PandaDoc's back. */
  useTable(table: RegionTable | undefined): void {
    this.table = table ?? PANDADOC_REGIONS;
  }

  private write(change: (regions: StoredRegions) => StoredRegions): Promise<void> {
    return this.stored.write(change, 'VS Code could not save the profile’s region.');
  }
}
