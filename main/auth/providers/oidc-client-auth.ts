/**
 * Client authentication at the token endpoint: which method to use when the configuration does
 * not say, and `gatehouse doctor`'s check that the provider accepts it.
 *
 * RFC 6749 §2.3.1 has Basic credentials form-encoded first, and openid-client does so strictly
 * (every character but letters and digits is escaped), so an id like `app-1` is sent as
 * `app%2D1`. Some servers never decode it and refuse the client. `client_secret_post` sends the
 * id as an ordinary form field, which every server reads, so it is chosen where the id or secret
 * would be escaped and the server lists it, or where the server lists it and not Basic.
 */
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { DiagnosticCheck } from './types';

export type AuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';
/** `auto`: a secret is configured but no method; discovery's list decides (chooseAuthMethod). */
export type ConfiguredAuthMethod = AuthMethod | 'auto';

const ESCAPED_BY_BASIC = /[^A-Za-z0-9]/;

export function chooseAuthMethod(
  configured: ConfiguredAuthMethod,
  meta: client.ServerMetadata,
  credentials: { clientId: string; clientSecret?: string | undefined },
): AuthMethod {
  if (configured !== 'auto') return configured;
  const listed = meta.token_endpoint_auth_methods_supported;
  // RFC 8414 §2: an absent list means client_secret_basic only; servers list post when they take it.
  const post = listed?.includes('client_secret_post') ?? false;
  const basic = listed?.includes('client_secret_basic') ?? true;
  const escaped = ESCAPED_BY_BASIC.test(credentials.clientId + (credentials.clientSecret ?? ''));
  return post && (escaped || !basic) ? 'client_secret_post' : 'client_secret_basic';
}

export function clientAuthFor(method: AuthMethod, secret: string | undefined): client.ClientAuth {
  if (method === 'client_secret_basic') return client.ClientSecretBasic(secret);
  if (method === 'client_secret_post') return client.ClientSecretPost(secret);
  return client.None();
}

/**
 * A token request with a code no server issued: `invalid_grant` means the client was
 * authenticated and only the code was refused; `invalid_client` or a 401 means the credentials
 * or the method were refused. Nothing is granted either way.
 */
export async function probeClientAuth(
  config: client.Configuration,
  method: AuthMethod,
  redirectUri: string,
): Promise<DiagnosticCheck> {
  const name = 'client authentication';
  const listed = config.serverMetadata().token_endpoint_auth_methods_supported;
  const methods = listed ? `the provider lists ${listed.join(', ')}` : 'the provider lists none';
  try {
    await client.genericGrantRequest(config, 'authorization_code', {
      code: `gatehouse-doctor-${randomBytes(8).toString('hex')}`,
      redirect_uri: redirectUri,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    return { name, ok: false, detail: `${method}: a made-up code was accepted (${methods})` };
  } catch (error) {
    const body = error instanceof client.ResponseBodyError ? error : null;
    if (body?.error === 'invalid_grant')
      return { name, ok: true, detail: `${method} accepted (${methods})` };
    if (body?.error === 'invalid_client' || body?.status === 401 || statusOf(error) === 401)
      return {
        name,
        ok: false,
        detail: `${method} refused: the client id, the secret or the method is wrong (${methods})`,
        next: 'check the client id and secret, or set "tokenEndpointAuthMethod" to one the provider lists.',
      };
    const why = body ? `${body.error} (HTTP ${body.status})` : (error as Error).message;
    return { name, ok: true, detail: `${method}: not confirmed, the provider answered ${why}` };
  }
}

function statusOf(error: unknown): number | undefined {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Response ? cause.status : undefined;
}
