/**
 * XWMS: a proprietary token login, not OAuth (seeds/xwms-python-guide.txt, providers.md).
 *   1. POST {api}sign-token with the client credentials and redirect_url (our loopback)
 *   2. open data.url (or data.redirect_url / redirect_url) in the system browser
 *   3. the loopback receives ?token=…, which must equal the token of step 1 (in place of state)
 *   4. POST {api}sign-token-verify → the person's claims (sub, name, email, …)
 * No refresh and no revocation: the session lasts until sign-out. Accounts key on `sub` only.
 */
import { timingSafeEqual } from 'node:crypto';
import type { XwmsProviderConfig } from '../../config/schema';
import { GatehouseError } from '../../ports/errors';
import { assertSecureUrl } from '../url-rules';
import { displayClaims } from './claims';
import type { Grant, ProviderContext, ProviderModule } from './types';

type Json = Record<string, unknown>;

export function createXwmsModule(
  config: XwmsProviderConfig,
  problems: string[],
  ctx: ProviderContext,
  timeoutMs: number,
): ProviderModule {
  const api = config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`;
  if (config.apiUrl) {
    try {
      assertSecureUrl(new URL(api));
    } catch {
      problems.push('apiUrl must be an https URL (plain http only on this computer)');
    }
  }
  const style = config.credentialStyle ?? 'headers';

  /** Both documented credential styles: X-Client-* headers (current SDK) or the JSON body (older guide). */
  async function call(endpoint: string, payload: Json): Promise<Json> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const body: Json = { ...payload };
    if (style === 'headers') {
      headers['x-client-id'] = config.clientId;
      headers['x-client-secret'] = config.clientSecret;
      headers['x-client-domain'] = config.domain;
    } else {
      Object.assign(body, {
        client_id: config.clientId,
        client_secret: config.clientSecret,
        domain: config.domain,
      });
    }
    const response = await ctx.fetch(new URL(endpoint, api), {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (response.status === 429)
      throw new GatehouseError('rate_limited', 'XWMS is limiting requests. Try again in a moment.');
    if (response.status >= 500)
      throw new GatehouseError('server_error', `XWMS had a problem (HTTP ${response.status}).`);
    if (response.status >= 300 && response.status < 400)
      throw new GatehouseError(
        'invalid_response',
        'XWMS answered with a redirect; a captive portal or proxy may be in the way.',
      );
    const text = await response.text();
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return { ...(parsed as Json), httpStatus: response.status };
    } catch {
      // fall through
    }
    throw new GatehouseError('invalid_response', 'XWMS sent an answer that is not JSON.');
  }

  const module: ProviderModule = {
    info: {
      id: config.id,
      displayName: config.displayName ?? 'XWMS',
      kind: 'xwms',
      configErrors: problems,
      supportsDeviceFlow: false,
      supportsRefresh: false,
    },
    fixedPorts: config.ports ?? [],
    signInTimeoutMs: timeoutMs,

    async prepareSignIn() {
      return {
        async begin(redirectUri: string) {
          const answer = await call('sign-token', { redirect_url: redirectUri });
          if (answer.status !== 'success') {
            throw new GatehouseError(
              'invalid_client',
              `XWMS refused to start the sign-in; check XWMS_CLIENT_ID, XWMS_CLIENT_SECRET and XWMS_DOMAIN.`,
            );
          }
          const data = (answer.data && typeof answer.data === 'object' ? answer.data : {}) as Json;
          const token = typeof data.token === 'string' ? data.token : null;
          // Variants across XWMS versions: data.url, data.redirect_url, or a top-level redirect_url.
          const url = [data.url, data.redirect_url, answer.redirect_url].find(
            (u): u is string => typeof u === 'string',
          );
          if (!token || !url)
            throw new GatehouseError(
              'invalid_response',
              'XWMS did not send a sign-in token and page.',
            );
          try {
            assertSecureUrl(new URL(url));
          } catch {
            throw new GatehouseError(
              'invalid_response',
              'XWMS sent a sign-in page that is not https.',
            );
          }
          const expected = Buffer.from(token);
          return {
            authorizationUrl: url,
            // In place of `state`: only this attempt's token completes it; anything else is ignored.
            check: (params) => {
              const got = Buffer.from(params.get('token') ?? '');
              return got.length === expected.length && timingSafeEqual(got, expected)
                ? { kind: 'accept' }
                : { kind: 'ignore' };
            },
            async complete(): Promise<Grant> {
              const verified = await call('sign-token-verify', { token });
              if (verified.status !== 'success') {
                const message =
                  typeof verified.message === 'string' ? verified.message.toLowerCase() : '';
                if (/expired|used|invalid|unknown/.test(message)) {
                  throw new GatehouseError(
                    'invalid_grant',
                    'The XWMS sign-in token expired or was already used. Try again.',
                  );
                }
                throw new GatehouseError(
                  'token_exchange_failed',
                  'XWMS could not confirm the sign-in.',
                );
              }
              const data = (
                verified.data && typeof verified.data === 'object' ? verified.data : {}
              ) as Json;
              const user = (data.user && typeof data.user === 'object' ? data.user : data) as Json;
              const sub =
                typeof user.sub === 'number'
                  ? String(user.sub)
                  : typeof user.sub === 'string'
                    ? user.sub
                    : '';
              // `sub` is the identity; an email is not (the XWMS guide's own warning).
              if (!sub)
                throw new GatehouseError(
                  'invalid_response',
                  'XWMS confirmed the sign-in but sent no user id (sub).',
                );
              return {
                identity: { sub, claims: displayClaims(user) },
                tokens: { accessToken: token, expiresAt: null },
              };
            },
          };
        },
      };
    },
  };
  return module;
}
