/**
 * The check made before any network call with an account's tokens (refresh, revocation, a
 * userinfo or API call): the provider's configuration must still name the server and client
 * the tokens were issued for (providers/binding.ts). If it does not, the account asks to sign
 * in again and nothing is sent: a providers.json edited to point the id elsewhere learns nothing.
 */
import { GatehouseError } from '../../ports/errors';
import { sameBinding } from '../providers/binding';
import type { ProviderModule } from '../providers/types';
import type { StoredAccount } from '../stored-account';

/** Null while the tokens may be used with `module`; otherwise why not (account_binding_changed). */
export function bindingProblem(
  stored: StoredAccount,
  module: ProviderModule | undefined,
): GatehouseError | null {
  // A card known from the index only holds no token: there is nothing to send anywhere.
  if (!stored.tokens.accessToken) return null;
  if (stored.binding === null)
    return new GatehouseError(
      'account_binding_changed',
      'This account was saved by an earlier version of Gatehouse, which did not record the ' +
        "provider's server. Sign in again.",
    );
  // No provider of that id: nothing can be sent anywhere, and the caller says so itself.
  if (!module || sameBinding(stored.binding, module.binding)) return null;
  return new GatehouseError(
    'account_binding_changed',
    `The settings of ${module.info.displayName} now name another server or client than this ` +
      'account signed in with, so nothing was sent. Sign in again.',
  );
}
