/**
 * Who a GitHub token belongs to: GET /user, keyed on the numeric id (a login can be renamed),
 * and GET /user/emails for the primary verified address (/user's email is the *public* one and
 * may be null). Display claims go through claims.ts like every other provider's.
 */
import { GatehouseError } from '../../ports/errors';
import { displayClaims } from './claims';
import type { GithubApi } from './github-api';
import type { Identity } from './types';

interface GithubUser {
  id?: unknown;
  login?: string;
  name?: string | null;
  email?: string | null;
  avatar_url?: string;
}

interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export async function githubIdentity(api: GithubApi, accessToken: string): Promise<Identity> {
  const user = await api.get<GithubUser>('/user', accessToken);
  if (user.status === 401)
    throw new GatehouseError(
      'session_expired',
      'GitHub no longer accepts this session. Sign in again.',
    );
  if (user.status !== 200 || !user.body)
    throw new GatehouseError('userinfo_failed', 'Your GitHub profile could not be read.');
  const { id, login, name, email, avatar_url } = user.body;
  if (typeof id !== 'number' || !Number.isSafeInteger(id))
    throw new GatehouseError('invalid_response', 'GitHub sent a profile without a numeric id.');
  const emails = await api.get<GithubEmail[]>('/user/emails', accessToken);
  const primary = Array.isArray(emails.body)
    ? emails.body.find((e) => e.primary && e.verified)
    : undefined;
  const claims = displayClaims({
    name: name ?? login,
    preferred_username: login,
    picture: avatar_url,
    ...(primary ? { email: primary.email, email_verified: true } : { email }),
  });
  return { sub: String(id), claims };
}
