/**
 * GitHub's REST API as Gatehouse uses it: authenticated GETs that respect the rate limit, and
 * token revocation through DELETE /applications/{client_id}/token (which needs the app's
 * secret: without it, sign-out is local only).
 */
import type { RevocationResult } from '../../../shared/sign-out';
import { GatehouseError } from '../../ports/errors';
import type { ProviderContext } from './types';

export const GITHUB_API_VERSION = '2022-11-28';

export interface GithubApi {
  get<T>(path: string, accessToken: string): Promise<{ status: number; body: T | null }>;
  /** 204: revoked. Any other status is refused: GitHub answers 404 both for an unknown token
   * and for a wrong client secret, so a 404 cannot mean "nothing to revoke". */
  revoke(clientId: string, secret: string, accessToken: string): Promise<RevocationResult>;
}

export function githubApi(ctx: ProviderContext, api: string): GithubApi {
  return {
    async get<T>(path: string, accessToken: string) {
      const response = await ctx.fetch(`${api}${path}`, {
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${accessToken}`,
          'x-github-api-version': GITHUB_API_VERSION,
          'user-agent': 'Gatehouse',
        },
      });
      checkRateLimit(response, ctx.now());
      if (response.status >= 500)
        throw new GatehouseError('server_error', `GitHub had a problem (HTTP ${response.status}).`);
      const text = await response.text();
      try {
        return { status: response.status, body: JSON.parse(text) as T };
      } catch {
        return { status: response.status, body: null };
      }
    },

    async revoke(clientId, secret, accessToken) {
      const basic = Buffer.from(`${clientId}:${secret}`).toString('base64');
      const response = await ctx.fetch(
        `${api}/applications/${encodeURIComponent(clientId)}/token`,
        {
          method: 'DELETE',
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Basic ${basic}`,
            'content-type': 'application/json',
            'x-github-api-version': GITHUB_API_VERSION,
          },
          body: JSON.stringify({ access_token: accessToken }),
        },
      );
      await response.body?.cancel();
      if (response.status === 204) return { kind: 'revoked' };
      // GitHub's error bodies are free text ({ message }): only the status is kept.
      return { kind: 'refused', status: response.status };
    },
  };
}

/** A spent budget is a clear, timed message, not a mystery failure. */
function checkRateLimit(response: Response, now: number): void {
  const { status, headers } = response;
  if (status !== 403 && status !== 429) return;
  if (headers.get('x-ratelimit-remaining') !== '0' && !headers.has('retry-after')) return;
  const reset = Number(headers.get('x-ratelimit-reset') ?? 0) * 1000;
  const retry = Number(headers.get('retry-after') ?? 0) * 1000;
  const waitMs = Math.max(retry, reset ? reset - now : 0);
  throw new GatehouseError(
    'rate_limited',
    `GitHub's API rate limit is used up; try again in ${Math.max(1, Math.ceil(waitMs / 60000))} min.`,
  );
}
