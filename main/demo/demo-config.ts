/**
 * The demo provider's oidc-provider configuration. Any user name and password sign in; the user
 * name becomes the stable `sub`, and its email is never marked verified. Every sign-in asks who
 * signs in (the demo has no real accounts to remember), consent is asked once per account.
 */
import type { JWK } from 'jose';
import type { AdapterFactory, ClientMetadata, Configuration } from 'oidc-provider';
import { existingGrant, type ConsentBook } from './demo-consents';
import { interactionsPath } from './demo-interactions';
import { messagePage, PAGE_HEADERS } from './demo-pages';
import type { OidcProviderModule } from './load-oidc-provider';

/** The discovery field naming the data folder's demo (demo-proof.ts checks it). */
export const INSTANCE_FIELD = 'gatehouse_demo_instance';

export const GRANT_TTL_SECONDS = 14 * 24 * 3600;

/** What makes two servers the same issuer: the signing key and the cookie keys. */
export interface DemoKeys {
  /** The private signing JWK. */
  signingKey: JWK;
  cookieKeys: string[];
}

export interface DemoConfigInput {
  clients: ClientMetadata[];
  accessTokenTtlSeconds?: number;
  features?: Configuration['features'];
  keys: DemoKeys;
  adapter: AdapterFactory;
  consents: ConsentBook;
  instance?: string;
}

export function demoConfiguration(input: DemoConfigInput, oidc: OidcProviderModule): Configuration {
  return {
    adapter: input.adapter,
    clients: input.clients,
    jwks: { keys: [input.keys.signingKey] },
    cookies: { keys: input.keys.cookieKeys },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      ...input.features,
    },
    interactions: {
      url: (_ctx, interaction) => interactionsPath(interaction.uid),
      policy: demoPolicy(oidc),
    },
    ttl: {
      AccessToken: input.accessTokenTtlSeconds ?? 3600,
      IdToken: 3600,
      RefreshToken: GRANT_TTL_SECONDS,
      Interaction: 600,
      Session: 3600,
      Grant: GRANT_TTL_SECONDS,
      AuthorizationCode: 60,
      DeviceCode: 600,
    },
    discovery: input.instance ? { [INSTANCE_FIELD]: input.instance } : {},
    // Refresh tokens without the offline_access consent dance (oidc-provider drops that scope
    // without prompt=consent), and not bound to the browser's session: they outlive it.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => demoClaims(id) }),
    loadExistingGrant: existingGrant(input.consents),
    // Sign-out revokes every token of the grant (RFC 7009 §2.1) and keeps the consent given.
    revokeGrantPolicy: (ctx) => ctx.oidc.route !== 'revocation',
    renderError: (ctx, out) => {
      ctx.set(PAGE_HEADERS);
      ctx.type = 'html';
      ctx.body = messagePage('The sign-in could not go on', out.error_description ?? out.error);
    },
  };
}

/**
 * oidc-provider's policy, with two changes: the login page shows on every sign-in (not only
 * without a browser session), and a native client is not asked to consent again once the
 * account has (its `native_client_prompt` check asks every time).
 */
function demoPolicy({ interactionPolicy }: OidcProviderModule) {
  const { Check } = interactionPolicy;
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.remove('no_session');
  login.checks.add(
    new Check('login_each_time', 'the demo asks who signs in every time', (ctx) =>
      ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
    ),
    0,
  );
  policy.get('consent')!.checks.remove('native_client_prompt');
  return policy;
}

/** Any user name signs in; it becomes the stable `sub`. */
function demoClaims(id: string) {
  const name = id.slice(0, 1).toUpperCase() + id.slice(1);
  return {
    sub: id,
    name: `${name} Demo`,
    given_name: name,
    family_name: 'Demo',
    preferred_username: id,
    email: `${id}@demo.gatehouse.invalid`,
    // Nobody proved this address: the demo accepts any user name and password.
    email_verified: false,
  };
}
