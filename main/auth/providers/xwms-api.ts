/**
 * The two XWMS calls (its token login is proprietary, not OAuth):
 *   POST {api}sign-token with the client credentials and redirect_url → a token and a page;
 *   POST {api}sign-token-verify with that token → the person's claims (sub, name, email, …).
 * Both documented credential styles are supported: X-Client-* headers (the current SDK) or
 * fields in the JSON body (the older guide).
 */
import type { XwmsProviderConfig } from '../../config/schema';
import { GatehouseError } from '../../ports/errors';
import { assertSecureUrl } from '../url-rules';
import { displayClaims } from './claims';
import type { Identity, ProviderContext } from './types';

type Json = Record<string, unknown>;

export interface XwmsApi {
  /** Starts a sign-in whose browser step returns to `redirectUri`. */
  signToken(redirectUri: string): Promise<{ token: string; url: string }>;
  /** Exchanges the token for the person it was issued to. */
  verify(token: string): Promise<Identity>;
}

export function xwmsApi(config: XwmsProviderConfig, ctx: ProviderContext): XwmsApi {
  const api = config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`;
  const call = async (endpoint: string, payload: Json) =>
    readAnswer(
      await ctx.fetch(new URL(endpoint, api), {
        method: 'POST',
        ...withCredentials(config, payload),
      }),
    );
  return {
    async signToken(redirectUri) {
      return signTokenAnswer(await call('sign-token', { redirect_url: redirectUri }));
    },
    async verify(token) {
      return verifiedIdentity(await call('sign-token-verify', { token }));
    },
  };
}

function withCredentials(config: XwmsProviderConfig, payload: Json) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  const credentials = {
    client_id: config.clientId,
    client_secret: config.clientSecret,
    domain: config.domain,
  };
  if ((config.credentialStyle ?? 'headers') === 'headers') {
    headers['x-client-id'] = credentials.client_id;
    headers['x-client-secret'] = credentials.client_secret;
    headers['x-client-domain'] = credentials.domain;
    return { headers, body: JSON.stringify(payload) };
  }
  return { headers, body: JSON.stringify({ ...payload, ...credentials }) };
}

async function readAnswer(response: Response): Promise<Json> {
  const { status } = response;
  if (status === 429)
    throw new GatehouseError('rate_limited', 'XWMS is limiting requests. Try again in a moment.');
  if (status >= 500)
    throw new GatehouseError('server_error', `XWMS had a problem (HTTP ${status}).`);
  if (status >= 300 && status < 400)
    throw new GatehouseError(
      'invalid_response',
      'XWMS answered with a redirect; a captive portal or proxy may be in the way.',
    );
  const parsed = await response.json().catch(() => null);
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
  throw new GatehouseError('invalid_response', 'XWMS sent an answer that is not JSON.');
}

function objectAt(value: unknown): Json | null {
  return value && typeof value === 'object' ? (value as Json) : null;
}

function signTokenAnswer(answer: Json): { token: string; url: string } {
  if (answer.status !== 'success') {
    throw new GatehouseError(
      'invalid_client',
      'XWMS refused to start the sign-in; check XWMS_CLIENT_ID, XWMS_CLIENT_SECRET and XWMS_DOMAIN.',
    );
  }
  const data = objectAt(answer.data) ?? {};
  const token = typeof data.token === 'string' ? data.token : null;
  // Variants across XWMS versions: data.url, data.redirect_url, or a top-level redirect_url.
  const url = [data.url, data.redirect_url, answer.redirect_url].find(
    (u): u is string => typeof u === 'string',
  );
  if (!token || !url)
    throw new GatehouseError('invalid_response', 'XWMS did not send a sign-in token and page.');
  try {
    assertSecureUrl(new URL(url));
  } catch {
    throw new GatehouseError('invalid_response', 'XWMS sent a sign-in page that is not https.');
  }
  return { token, url };
}

function verifiedIdentity(verified: Json): Identity {
  if (verified.status !== 'success') {
    const message = typeof verified.message === 'string' ? verified.message.toLowerCase() : '';
    if (/expired|used|invalid|unknown/.test(message)) {
      throw new GatehouseError(
        'invalid_grant',
        'The XWMS sign-in token expired or was already used. Try again.',
      );
    }
    throw new GatehouseError('token_exchange_failed', 'XWMS could not confirm the sign-in.');
  }
  const data = objectAt(verified.data) ?? {};
  const user = objectAt(data.user) ?? data;
  const sub =
    typeof user.sub === 'number' ? String(user.sub) : typeof user.sub === 'string' ? user.sub : '';
  // `sub` is the identity; an email is not (the XWMS guide's own warning).
  if (!sub)
    throw new GatehouseError(
      'invalid_response',
      'XWMS confirmed the sign-in but sent no user id (sub).',
    );
  return { sub, claims: displayClaims(user) };
}
