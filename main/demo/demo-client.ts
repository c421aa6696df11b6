/**
 * The demo provider's one client: Gatehouse itself, a native app with no secret (RFC 8252),
 * registered with the provider id's loopback callback paths.
 */
import type { ClientMetadata } from 'oidc-provider';

export const DEMO_CLIENT_ID = 'gatehouse-demo';

export function demoNativeClient(providerId = 'demo'): ClientMetadata {
  return {
    client_id: DEMO_CLIENT_ID,
    client_name: 'Gatehouse',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    // Native clients: oidc-provider ignores the loopback port (RFC 8252 §7.3).
    redirect_uris: [
      `http://127.0.0.1/callback/${providerId}`,
      `http://[::1]/callback/${providerId}`,
    ],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}
