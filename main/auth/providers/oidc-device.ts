/**
 * The device flow (RFC 8628) for any OpenID Connect provider whose discovery or configuration
 * names a device_authorization_endpoint: device-dialects.ts asks and paces (the interval clamped
 * before openid-client's poller sees it), and the answer goes through the same token call as the
 * code exchange (oidc-tokens.ts), so the ID token gets every check but the nonce, which the
 * device flow does not have, and the userinfo sub must match as after a browser sign-in.
 */
import { GatehouseError } from '../../ports/errors';
import { startStandardDeviceFlow } from '../device-dialects';
import { pollingFor } from '../device-flow';
import type { OidcRuntime } from './oidc-discovery';
import { identify } from './oidc-sign-in';
import { callTokenEndpoint, toTokenSet } from './oidc-tokens';
import type { DeviceAuthorization } from './types';

export async function startOidcDevice(rt: OidcRuntime): Promise<DeviceAuthorization> {
  const found = await rt.discover();
  const { info, scopes } = rt.options;
  const flow = await startStandardDeviceFlow(found.config, {
    provider: info.displayName,
    scope: scopes.join(' '),
    now: rt.ctx.now,
  });
  return pollingFor(flow.code, async (signal) => {
    // callTokenEndpoint may poll through a Configuration of its own (the audience recovery).
    const { response, idToken } = await callTokenEndpoint(rt, found, {
      phase: 'exchange',
      grant: (config) => flow.pollWith(config, signal),
    });
    if (!idToken) throw new GatehouseError('id_token_invalid', 'The provider sent no ID token.');
    const identity = await identify(found, idToken, response.access_token);
    return { identity, tokens: toTokenSet(response, rt.ctx.now()) };
  });
}
