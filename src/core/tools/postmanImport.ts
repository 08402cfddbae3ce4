/**
 * Reading credentials out of a Postman environment export, the file many PandaDoc users already
 * keep their client id, secret and refresh token (or API key) in: postmanExport.ts reads the file,
 * postmanCredentials.ts picks the credentials, postmanNames.ts names the environment. Nothing this
 * says (errors, the `found` list) ever contains a value: values are named by fingerprint only.
 */
import { type PostmanCredentials, type PostmanFinding, pickCredentials } from './postmanCredentials';
import { readCandidates, readEnvironment } from './postmanExport';
import { environmentNameOf } from './postmanNames';
import { postmanRegion } from './postmanRegion';
import { PANDADOC_REGIONS, type RegionId, type RegionTable } from '../base/regions';

export interface PostmanImport {
  environmentName: string;
  credentials: PostmanCredentials;
  found: PostmanFinding[];
  /** The region its base-URL variable names, if it names PandaDoc's EU or global host. */
  region?: RegionId;
}

/**
 * Reads a Postman environment export (`*.postman_environment.json`). Returns OAuth credentials
 * when client_id, client_secret and refresh_token are all set, else an API key when api_key is
 * set; throws AuthError('bad_input') with what is wrong and what to do otherwise.
 */
export function parsePostmanEnvironment(text: string, table: RegionTable = PANDADOC_REGIONS): PostmanImport {
  const record = readEnvironment(text);
  const candidates = readCandidates(record);
  const { credentials, found } = pickCredentials(candidates);
  const region = postmanRegion(record, table);
  return { environmentName: environmentNameOf(record), credentials, found, ...(region ? { region } : {}) };
}
