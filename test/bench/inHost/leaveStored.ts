/**
 * What a bench window leaves in SecretStorage for the next window's activation to read: nothing,
 * or made-up OAuth credentials of a signed-in user (an access token good for a day, so nothing
 * is due and no request is ever tried; there is no server in the activation windows). Every
 * value made up here is added to the run's hand-over of secrets, for the leak check.
 */
import { randomBytes } from 'node:crypto';
import type { PandaDocAuthApiV1 } from '../../../src/api/pandadoc-auth';
import { handOverSecrets, takeSecrets } from '../../host/leakCheck';
import type { StoredState } from '../handOver';

const made = () => randomBytes(20).toString('hex');

export async function leaveStored(state: StoredState, stateDir: string, api: PandaDocAuthApiV1 | undefined): Promise<void> {
  if (api === undefined) {
    throw new Error('the extension gave no API');
  }
  await api.signOut({ all: true });
  if (state === 'nothing') {
    return;
  }
  const credentials = { clientId: `bench-${made()}`, clientSecret: made(), refreshToken: made(), accessToken: made(), expiresAt: Date.now() + 86_400_000 };
  // Handed over first, so the leak check knows them even if the store fails half-way.
  const before = takeSecrets(stateDir);
  handOverSecrets(stateDir, [...(before?.secrets ?? []), credentials.clientSecret, credentials.refreshToken, credentials.accessToken], before?.browserVisible);
  await api.setOAuthCredentials(credentials);
}
