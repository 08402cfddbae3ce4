/**
 * An auth method for PandaDoc's official Node SDK, `pandadoc-node-client`, handed to extensions
 * through `getApi(1).createSdkAuthMethod()` for the SDK's `authMethods.default`.
 *
 * The SDK builds a new request context for every call and awaits the auth methods on it, apiKey,
 * then oauth2, then default, before it sends anything; each sets the `Authorization` header, so
 * the default, applied last, wins. Asking for the header there, and not once when the SDK is
 * configured, is what keeps a token that lives an hour good for a configuration kept all day:
 * each request gets a token fresh for the refresh margin, refreshed first when it is due.
 *
 * It gives out nothing that getAuthorizationHeader() does not: the header goes to whatever server
 * the caller's SDK configuration names, as a header the caller fetched itself would.
 */
import type { PandaDocSdkAuthMethod, PandaDocSdkRequestContext } from '../../api/pandadoc-auth';
import { AuthError } from '../base/errors';

/** What getName() answers. The SDK never calls it (its own are `apiKey` and `oauth2`); it names
 *  the method for a developer looking at a configuration. */
export const SDK_AUTH_METHOD_NAME = 'pandadoc-auth';

export function sdkAuthMethod(authorizationHeader: () => Promise<string | undefined>): PandaDocSdkAuthMethod {
  return Object.freeze({
    getName: () => SDK_AUTH_METHOD_NAME,
    applySecurityAuthentication: async (context: PandaDocSdkRequestContext): Promise<void> => {
      const header = await authorizationHeader();
      if (header === undefined) {
        // Rejecting stops the SDK before it sends: a request without credentials would only come
        // back as a 401 the caller cannot tell from a refused token.
        throw new AuthError('no_credentials', 'No PandaDoc credentials are stored in the active profile.');
      }
      context.setHeaderParam('Authorization', header);
    },
  });
}
