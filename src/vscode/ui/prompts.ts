/** The input boxes that collect credentials. Secrets are masked; focus loss does not cancel. */
import * as vscode from 'vscode';
import { type CredentialField, credentialProblem } from '../../core/token/validation';

interface Ask {
  title: string;
  field: CredentialField;
  prompt: string;
  password: boolean;
  value?: string;
  /** An empty answer is accepted and means "keep what is stored". */
  emptyKeeps?: boolean;
}

/** Resolves undefined when the user presses Escape: a cancel, silently. */
function ask(options: Ask): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    value: options.value,
    password: options.password,
    ignoreFocusOut: true,
    validateInput: (value) =>
      options.emptyKeeps && value.trim() === '' ? undefined : credentialProblem(value, options.field),
  });
}

function askClientId(title: string, storedClientId: string | undefined): Thenable<string | undefined> {
  return ask({
    title,
    field: 'clientId',
    prompt: 'Client ID of your PandaDoc OAuth application (Developer Dashboard > Configuration)',
    password: false,
    value: storedClientId,
  });
}

export interface OAuthAnswers {
  /** Trimmed, so it can be matched against the stored client. */
  clientId: string;
  /** Undefined when the user chose to keep the stored secret of this client. */
  clientSecret: string | undefined;
  /** Undefined when the user chose to keep the stored refresh token of this client. */
  refreshToken: string | undefined;
}

/** What is stored for a client that a box left empty keeps. */
export interface StoredForClient {
  secret(clientId: string): boolean;
  refreshToken(clientId: string): boolean;
}

/**
 * Asks for client id, secret and refresh token. After `invalid_grant` the client is still
 * stored: its id is prefilled and its secret can be kept by leaving the box empty, so the user
 * pastes only a new refresh token; after a wrong secret (`invalid_client`) the refresh token can
 * be kept the same way, so the user types only the right secret.
 */
export async function promptOAuthCredentials(
  storedClientId: string | undefined,
  stored: StoredForClient,
): Promise<OAuthAnswers | undefined> {
  const title = 'PandaDoc OAuth Credentials';
  const clientId = await askClientId(`${title} (1/3)`, storedClientId);
  if (clientId === undefined) {
    return undefined;
  }
  const canKeep = stored.secret(clientId.trim());
  const clientSecret = await ask({
    title: `${title} (2/3)`,
    field: 'clientSecret',
    prompt: canKeep
      ? 'Client secret of the same application (leave empty to keep the stored one)'
      : 'Client secret of the same application',
    password: true,
    emptyKeeps: canKeep,
  });
  if (clientSecret === undefined) {
    return undefined;
  }
  const canKeepToken = stored.refreshToken(clientId.trim());
  const refreshToken = await ask({
    title: `${title} (3/3)`,
    field: 'refreshToken',
    prompt: canKeepToken
      ? 'Refresh token (the refresh_token of your last token response; leave empty to keep the stored one)'
      : 'Refresh token (the refresh_token of your last token response)',
    password: true,
    emptyKeeps: canKeepToken,
  });
  if (refreshToken === undefined) {
    return undefined;
  }
  const kept = (value: string) => (value.trim() === '' ? undefined : value);
  return { clientId: clientId.trim(), clientSecret: kept(clientSecret), refreshToken: kept(refreshToken) };
}

/** The OAuth application a browser sign-in needs: its client id and secret (no refresh token:
 *  the sign-in is how one is obtained). */
export async function promptClient(
  storedClientId: string | undefined,
): Promise<{ clientId: string; clientSecret: string } | undefined> {
  const title = 'Sign In with PandaDoc';
  const clientId = await askClientId(`${title} (1/2)`, storedClientId);
  if (clientId === undefined) {
    return undefined;
  }
  const clientSecret = await ask({
    title: `${title} (2/2)`,
    field: 'clientSecret',
    prompt: 'Client secret of the same application',
    password: true,
  });
  return clientSecret === undefined ? undefined : { clientId: clientId.trim(), clientSecret };
}

export function promptApiKey(): Thenable<string | undefined> {
  return ask({
    title: 'PandaDoc API Key',
    field: 'apiKey',
    prompt: 'API key (Developer Dashboard > API key; sandbox keys work too)',
    password: true,
  });
}
