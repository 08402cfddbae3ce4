/**
 * Credentials given as a command's argument (`pandadoc.setCredentials`, `pandadoc.setApiKey`):
 * read, checked, and put to a person in one modal question before anything is stored. Whoever
 * runs a command can pass them (a keybinding, another extension, and a repository's tasks.json or
 * launch.json through an input of type `command`), so an argument fills in the answers and never
 * gives them: without the question, a repository could swap the account its user's documents go
 * to. Other extensions store without a question through the API (`getApi(1)`), which workspace
 * files cannot reach.
 */
import { AuthError } from '../../core/base/errors';
import { fingerprint } from '../../core/base/redact';
import type { Profiles } from '../../core/profiles/profiles';
import { normalizeCredential, normalizeOAuthInput, type OAuthInput } from '../../core/token/validation';
import { askModal } from '../ui/modal';

const STORE = 'Store';
const KEEP = "Don't Store";

/** `{ complete }`: every field, to be confirmed; `{ clientId }`: only an ID to prefill. */
export type GivenOAuth = { complete: OAuthInput } | { clientId: string };

/** Undefined without an argument; rejects an argument that is neither a client ID to prefill nor
 *  complete credentials, naming what is wrong (never a value). */
export function givenOAuth(arg: unknown): GivenOAuth | undefined {
  if (arg === undefined) {
    return undefined;
  }
  if (typeof arg === 'object' && arg !== null && Object.keys(arg).length === 1 && 'clientId' in arg) {
    return { clientId: normalizeCredential((arg as { clientId: unknown }).clientId, 'clientId') };
  }
  return { complete: normalizeOAuthInput(arg) };
}

/** The key given as a string or `{ apiKey }`; undefined without an argument. */
export function givenApiKey(arg: unknown): string | undefined {
  if (arg === undefined) {
    return undefined;
  }
  if (typeof arg === 'object' && arg !== null && !Array.isArray(arg)) {
    const keys = Object.keys(arg);
    if (keys.length !== 1 || keys[0] !== 'apiKey') {
      throw new AuthError('bad_input', 'pandadoc.setApiKey takes the key, or { apiKey }.');
    }
    return normalizeCredential((arg as { apiKey: unknown }).apiKey, 'apiKey');
  }
  return normalizeCredential(arg, 'apiKey');
}

/** What storing replaces in the active profile, in a sentence. */
async function replaces(profiles: Profiles): Promise<string> {
  const active = (await profiles.summaries()).find((summary) => summary.active);
  const owner = active?.account?.email === undefined ? '' : ` of ${active.account.email}`;
  const kind = active?.kind ?? 'none';
  return {
    oauth: `This replaces its OAuth credentials${owner}.`,
    apiKey: `This replaces its API key${owner}.`,
    none: 'It holds nothing yet.',
  }[kind];
}

/** Where the values came from, and what storing someone else's would do. */
function origin(what: string): string {
  return (
    `A command was run with ${what} as its argument: by a keybinding, another extension, or a task or launch configuration of this workspace. ` +
    'Whoever they belong to, every PandaDoc call made with this profile then acts in their PandaDoc account, and documents you create or send go there. ' +
    'Store them only if you gave them yourself.'
  );
}

/** The question before credentials given as an argument are stored: OAuth credentials (named by
 *  client ID, their secrets by fingerprint), or an API key (by fingerprint). */
export async function confirmGiven(profiles: Profiles, given: OAuthInput | string): Promise<boolean> {
  const oauth = typeof given !== 'string';
  const choice = await askModal({
    message: `Store ${oauth ? `the OAuth credentials of client ${given.clientId}` : `the API key ${fingerprint(given)}`} in the PandaDoc profile "${profiles.activeName()}"?`,
    detail: `${oauth ? `Client secret ${fingerprint(given.clientSecret)}, refresh token ${fingerprint(given.refreshToken)}. ` : ''}${await replaces(profiles)}\n\n${origin(oauth ? 'these credentials' : 'this API key')}`,
    keep: KEEP,
    buttons: [STORE],
  });
  return choice === STORE;
}
