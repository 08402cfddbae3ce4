/**
 * PandaDoc's two data regions, and the rules for a profile's region: Global, EU, or Custom with
 * its own base URLs, which pass the same checks as the settings. A profile with no region follows
 * `pandadoc.apiBaseUrl` and `pandadoc.authBaseUrl`, as every profile did before regions existed.
 */
import { AuthError } from './errors';
import { checkBaseUrl, DEFAULT_API_BASE_URL, DEFAULT_AUTH_BASE_URL, type Settings } from './settings';

export type RegionId = 'global' | 'eu';

/** Where a region's API and sign-in page are. */
export interface RegionUrls {
  apiBaseUrl: string;
  authBaseUrl: string;
}

/** `settings`: chosen to follow the settings ("As in Settings"), so the region question is not
 *  asked again; a profile with no region stored (every profile made before regions) follows them
 *  too, and is asked once before its first credentials. */
export type Region = { kind: RegionId } | ({ kind: 'custom' } & RegionUrls) | { kind: 'settings' };

/** Which URLs each named region stands for. The extension's own tests replace it (Test mode
 *  only) so that nothing they do reaches PandaDoc's real hosts. */
export type RegionTable = Readonly<Record<RegionId, RegionUrls>>;

/** PandaDoc's hosts (PANDADOC-AUTH.md, "Two data regions"). */
export const PANDADOC_REGIONS: RegionTable = Object.freeze({
  global: Object.freeze({ apiBaseUrl: DEFAULT_API_BASE_URL, authBaseUrl: DEFAULT_AUTH_BASE_URL }),
  eu: Object.freeze({ apiBaseUrl: 'https://api.pandadoc.eu', authBaseUrl: 'https://app.pandadoc.eu' }),
});

export const REGION_NAMES: Readonly<Record<RegionId, string>> = { global: 'global', eu: 'EU' };
const REGION_IDS: readonly RegionId[] = ['global', 'eu'];

/** A Custom region, its URLs checked like the settings (https; plain http only to loopback). */
export function customRegion(apiBaseUrl: string, authBaseUrl: string): Region {
  return {
    kind: 'custom',
    apiBaseUrl: checkBaseUrl(apiBaseUrl, 'apiBaseUrl', "The region's API address"),
    authBaseUrl: checkBaseUrl(authBaseUrl, 'authBaseUrl', "The region's sign-in address"),
  };
}

/**
 * A region as a command argument or the stored value gives it: `'global'`, `'eu'`, or
 * `{ apiBaseUrl, authBaseUrl }` (a Custom region). Throws AuthError('bad_input' or 'bad_config').
 */
export function parseRegion(value: unknown): Region {
  if (typeof value === 'string') {
    const id = value.trim().toLowerCase();
    if (id === 'global' || id === 'eu' || id === 'settings') {
      return { kind: id };
    }
  } else if (typeof value === 'object' && value !== null) {
    const { kind, apiBaseUrl, authBaseUrl } = value as Record<string, unknown>;
    if ((kind === 'global' || kind === 'eu' || kind === 'settings') && apiBaseUrl === undefined) {
      return { kind };
    }
    if ((kind === undefined || kind === 'custom') && typeof apiBaseUrl === 'string' && typeof authBaseUrl === 'string') {
      return customRegion(apiBaseUrl, authBaseUrl);
    }
  }
  throw new AuthError('bad_input', 'A PandaDoc region is "global", "eu", "settings", or { apiBaseUrl, authBaseUrl } for a custom one.', {
    detail: 'region',
  });
}

/** The URLs of a region; of the settings when the profile has none. */
export function regionUrls(region: Region | undefined, settings: Pick<Settings, 'apiBaseUrl' | 'authBaseUrl'>, table: RegionTable): RegionUrls {
  if (followsSettings(region)) {
    return { apiBaseUrl: settings.apiBaseUrl, authBaseUrl: settings.authBaseUrl };
  }
  return region.kind === 'custom' ? { apiBaseUrl: region.apiBaseUrl, authBaseUrl: region.authBaseUrl } : table[region.kind];
}

/** The settings a profile's requests are made with: the settings, with its region's URLs. */
export function withRegion(settings: Settings, region: Region | undefined, table: RegionTable): Settings {
  return followsSettings(region) ? settings : { ...settings, ...regionUrls(region, settings, table) };
}

/** The profile's requests go where the settings say: no region of its own, or "As in Settings". */
export function followsSettings(region: Region | undefined): region is undefined | { kind: 'settings' } {
  return region === undefined || region.kind === 'settings';
}

function sameUrl(a: string, b: string): boolean {
  try {
    return checkBaseUrl(a, 'apiBaseUrl') === checkBaseUrl(b, 'apiBaseUrl');
  } catch {
    return false;
  }
}

/** The named region whose API these URLs are; undefined for any other server. */
export function namedRegionOf(urls: RegionUrls, table: RegionTable): RegionId | undefined {
  return REGION_IDS.find((id) => sameUrl(urls.apiBaseUrl, table[id].apiBaseUrl));
}

/** The region a PandaDoc URL belongs to, by its host (`api.` or `app.`); for a Postman
 *  environment's base-URL variable. Undefined for anything else. */
export function regionOfHost(raw: string, table: RegionTable): RegionId | undefined {
  let host: string;
  try {
    host = new URL(raw.trim()).host;
  } catch {
    return undefined;
  }
  return REGION_IDS.find((id) => [table[id].apiBaseUrl, table[id].authBaseUrl].some((url) => new URL(url).host === host));
}

export function otherRegion(id: RegionId): RegionId {
  return id === 'global' ? 'eu' : 'global';
}

/** A region in a few words for the tooltip and messages: `EU (api.pandadoc.eu)`,
 *  `custom (127.0.0.1:8080)`, or `as in Settings (127.0.0.1:8080)` when the URLs are the
 *  settings' (`fromSettings`) and not one of PandaDoc's: the name the Change Region pick uses. */
export function describeRegion(urls: RegionUrls, table: RegionTable, fromSettings = false): string {
  const named = namedRegionOf(urls, table);
  let host: string;
  try {
    host = new URL(urls.apiBaseUrl).host;
  } catch {
    host = urls.apiBaseUrl;
  }
  return `${named !== undefined ? REGION_NAMES[named] : fromSettings ? 'as in Settings' : 'custom'} (${host})`;
}
