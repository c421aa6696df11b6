/**
 * XWMS: a proprietary token login, not OAuth (the calls are in xwms-api.ts).
 *   1. sign-token with our loopback as redirect_url → a token and a sign-in page; the redirect
 *      path holds a random segment that only the app and XWMS's API see (the token is in the
 *      page's URL, so the token alone does not bind the callback to this attempt)
 *   2. open that page in the system browser
 *   3. the loopback receives ?token=… on that path; both must match step 1 (in place of state)
 *   4. sign-token-verify → the person's claims
 * No refresh and no revocation: the session lasts until sign-out. Accounts key on `sub` only.
 */
import { DEFAULT_DISPLAY_NAMES } from '../../../shared/provider-kinds';
import { randomBytes } from 'node:crypto';
import type { XwmsProviderConfig } from '../../config/schema';
import { originOf } from './binding';
import { providerInfo } from './info';
import { expectParam } from './state-check';
import type { BrowserAttempt, ProviderContext, ProviderModule } from './types';
import { xwmsApi, type XwmsApi } from './xwms-api';

const XWMS = {
  displayName: DEFAULT_DISPLAY_NAMES.xwms,
  supportsDeviceFlow: false,
  supportsRefresh: false,
};

/** `problems` already holds the registry's findings (registry.ts checks the API URL). */
export function createXwmsModule(
  config: XwmsProviderConfig,
  problems: string[],
  ctx: ProviderContext,
  timeoutMs: number,
): ProviderModule {
  const api = xwmsApi(config, ctx);
  return {
    info: providerInfo(config, 'xwms', { ...XWMS, configErrors: problems }),
    fixedPorts: config.ports ?? [],
    signInTimeoutMs: timeoutMs,
    binding: { kind: 'xwms', origin: originOf(config.apiUrl), clientId: config.clientId },
    // The token is the attempt's secret, and XWMS makes it only once the redirect URI is known.
    // The segment goes in the path: XWMS appends `?token=` to redirect_url, breaking a query.
    prepareSignIn: async () => ({
      callbackSegment: randomBytes(24).toString('base64url'),
      begin: (redirectUri) => xwmsAttempt(api, redirectUri),
    }),
  };
}

async function xwmsAttempt(api: XwmsApi, redirectUri: string): Promise<BrowserAttempt> {
  const { token, url } = await api.signToken(redirectUri);
  return {
    authorizationUrl: url,
    // Only this attempt's token completes it; anything else is ignored (in constant time).
    check: expectParam('token', token),
    async complete() {
      const identity = await api.verify(token);
      return { identity, tokens: { accessToken: token, expiresAt: null } };
    },
  };
}
