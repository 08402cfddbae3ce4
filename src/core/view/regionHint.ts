/**
 * The hint at the other region, where a region mismatch is the likely cause of a failure:
 * PandaDoc's own troubleshooting calls it the most common cause of failed authentication (an EU
 * account signing in at app.pandadoc.com fails, and its client is unknown to api.pandadoc.com).
 * Only a suggestion: nothing goes to the other region until the user presses the button.
 */
import { isAuthError } from '../base/errors';
import { namedRegionOf, otherRegion, REGION_NAMES, type RegionId, type RegionTable, type RegionUrls } from '../base/regions';

export interface RegionHint {
  /** The region to try. */
  region: RegionId;
  /** The button: `Try the EU region`. */
  button: string;
  /** The sentence added to the failure's message. */
  sentence: string;
}

/** invalid_client, a 401 or 403, or a sign-in refused (on PandaDoc's page or at the exchange). */
function regionMayBeTheCause(error: unknown): boolean {
  if (!isAuthError(error)) {
    return false;
  }
  const { code, details } = error;
  if (code === 'invalid_client' || code === 'unauthorized') {
    return true;
  }
  // A sign-in refused: on PandaDoc's page (no status), or its code at the exchange.
  if (code === 'rejected') {
    return details.status === 401 || details.status === undefined || details.flow === 'sign-in';
  }
  return code === 'invalid_grant' && details.flow === 'sign-in';
}

/**
 * The hint for this failure of a profile whose requests go to `urls`; undefined when the region
 * is not the likely cause, or the profile uses neither named region (a custom server).
 */
export function regionHint(error: unknown, urls: RegionUrls, table: RegionTable): RegionHint | undefined {
  const current = namedRegionOf(urls, table);
  if (current === undefined || !regionMayBeTheCause(error)) {
    return undefined;
  }
  const region = otherRegion(current);
  const signInHost = new URL(table[region].authBaseUrl).host;
  return {
    region,
    button: `Try the ${REGION_NAMES[region]} region`,
    sentence: `This profile uses PandaDoc's ${REGION_NAMES[current]} region; if your account is in the ${REGION_NAMES[region]} region (you sign in at ${signInHost}), try that one.`,
  };
}
