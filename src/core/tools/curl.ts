/**
 * The refresh request as a curl command, for reproducing a failure outside VS Code or scripting a
 * refresh. It is the request tokenEndpoint.ts sends, field for field, with the three secrets left
 * as shell variables: the command can be copied, pasted in a ticket or logged without giving
 * anything away, and the user supplies the values from their own environment.
 */
import { type Settings, checkApiBaseUrl, checkScope } from '../base/settings';
import { TOKEN_PATH } from '../pandadoc/tokenEndpoint';

/** The environment variables the command reads the secrets from. */
export const REFRESH_CURL_VARIABLES = {
  clientId: 'PANDADOC_CLIENT_ID',
  clientSecret: 'PANDADOC_CLIENT_SECRET',
  refreshToken: 'PANDADOC_REFRESH_TOKEN',
} as const;

/**
 * One POSIX shell word that is exactly `value`: single-quoted, where nothing is special, with
 * each `'` written as `'\''` (close the quote, an escaped quote, reopen).
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `--data-urlencode "name=$VARIABLE"`: double quotes so the shell expands the variable, and
 * expands it as one word whatever the secret contains (spaces, quotes, `$`, `&`): the result of
 * an expansion is never parsed again. Only our constant names go here, never a value.
 */
function fromVariable(field: string, variable: string): string {
  return `--data-urlencode "${field}=$${variable}"`;
}

/**
 * The refresh request of PANDADOC-AUTH.md as a multi-line POSIX shell command. The base URL and
 * scope pass the same checks as a real refresh (both throw AuthError('bad_config') for a value
 * that is not allowed), so the command goes only where the extension itself would send secrets.
 *
 * No trailing newline, so pasting it in a terminal does not run it before the user has looked.
 * No comment lines either: zsh, the macOS default, does not allow comments at an interactive
 * prompt unless told to.
 */
export function buildRefreshCurl({ apiBaseUrl, scope }: Pick<Settings, 'apiBaseUrl' | 'scope'>): string {
  const url = `${checkApiBaseUrl(apiBaseUrl)}${TOKEN_PATH}`;
  const checkedScope = checkScope(scope);
  // The fields in the order of PandaDoc's reference and buildRefreshRequest. --data-urlencode
  // sends `read+write` as `read%2Bwrite`, a literal plus, as URLSearchParams does; it also sets
  // Content-Type: application/x-www-form-urlencoded, and -X POST only says so out loud.
  const lines = [
    'curl -X POST',
    // curl reads `[1-2]` in a URL as a pattern and sends one request per match. The URL parser
    // keeps `[` and `]` in a path (it encodes `{` and `}`), and the command must send exactly one
    // request, to exactly the configured address.
    '--globoff',
    `-H ${shellQuote('Accept: application/json')}`,
    `--data-urlencode ${shellQuote('grant_type=refresh_token')}`,
    fromVariable('client_id', REFRESH_CURL_VARIABLES.clientId),
    fromVariable('client_secret', REFRESH_CURL_VARIABLES.clientSecret),
    `--data-urlencode ${shellQuote(`scope=${checkedScope}`)}`,
    fromVariable('refresh_token', REFRESH_CURL_VARIABLES.refreshToken),
    shellQuote(url),
  ];
  return lines.map((line, index) => (index === 0 ? line : `  ${line}`)).join(' \\\n');
}
