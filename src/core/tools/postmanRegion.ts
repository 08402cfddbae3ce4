/**
 * The region a Postman environment's credentials belong to, from its base-URL variable
 * (`base_url`, `baseUrl`, `api_url`, ...): PandaDoc's EU or global host. Any other value, or none,
 * says nothing, and the user is asked.
 */
import { regionOfHost, type RegionId, type RegionTable } from '../base/regions';

/** Base-URL variable names as people spell them, compared without case, `_` or `-`. */
const BASE_URL_KEYS: ReadonlySet<string> = new Set(['baseurl', 'apiurl', 'apibaseurl', 'host', 'url', 'pandadocurl', 'pandadocbaseurl', 'pandadocapiurl']);

/** The region of the first enabled base-URL variable that names a PandaDoc host. */
export function postmanRegion(record: Record<string, unknown>, table: RegionTable): RegionId | undefined {
  const values = Array.isArray(record.values) ? (record.values as unknown[]) : [];
  for (const entry of values) {
    const { key, value, enabled } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof key === 'string' && BASE_URL_KEYS.has(key.toLowerCase().replace(/[_-]/g, '')) && enabled !== false && typeof value === 'string') {
      const region = regionOfHost(value, table);
      if (region !== undefined) {
        return region;
      }
    }
  }
  return undefined;
}
