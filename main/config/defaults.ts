/**
 * The configuration used when no file exists: Webex, GitHub, XWMS and Hawcx reading the README's
 * environment names, plus, in development runs only, the embedded demo provider, which needs no
 * registration. A provider whose variables are unset is listed with that problem instead of
 * failing the app.
 */
import { parseReference } from './env';
import type { ConfigFile, ProviderConfig } from './schema';

const DEMO: ProviderConfig = { id: 'demo', kind: 'demo', displayName: 'Demo provider (local)' };

const NAMED: ProviderConfig[] = [
  {
    id: 'webex',
    kind: 'webex',
    clientId: '${WEBEX_CLIENT_ID}',
    clientSecret: '${WEBEX_CLIENT_SECRET}',
  },
  {
    id: 'github',
    kind: 'github',
    displayName: 'GitHub',
    clientId: '${GITHUB_CLIENT_ID}',
    clientSecret: '${GITHUB_CLIENT_SECRET?}',
  },
  {
    id: 'xwms',
    kind: 'xwms',
    displayName: 'XWMS',
    clientId: '${XWMS_CLIENT_ID}',
    clientSecret: '${XWMS_CLIENT_SECRET}',
    domain: '${XWMS_DOMAIN}',
    apiUrl: '${XWMS_API_URL}',
  },
  // The Hawcx guide's names: endpoints, no discovery. The guide names no authorization
  // endpoint, hence OAUTH_AUTHORIZATION_ENDPOINT; without OAUTH_AUDIENCE, aud is the client id.
  {
    id: 'hawcx',
    kind: 'oidc',
    displayName: 'Hawcx',
    clientId: '${OAUTH_CLIENT_ID}',
    issuer: '${OAUTH_ISSUER}',
    authorizationEndpoint: '${OAUTH_AUTHORIZATION_ENDPOINT}',
    tokenEndpoint: '${OAUTH_TOKEN_ENDPOINT}',
    jwksUri: '${JWKS_URL?}',
    publicKeyPem: '${OAUTH_PUBLIC_KEY?}',
    audience: '${OAUTH_AUDIENCE?}',
    clockToleranceSeconds: 10,
  },
];

/**
 * The demo signs in any user name, so a packaged build lists it only when providers.json does;
 * `npm start` and the CLI in the checkout are development runs and keep it.
 */
export function defaultConfig(options: { packaged: boolean }): ConfigFile {
  return { providers: options.packaged ? [...NAMED] : [DEMO, ...NAMED] };
}

/** The variable names the README lists: a file may use these without declaring them. */
export const KNOWN_ENV_NAMES: ReadonlySet<string> = new Set(
  NAMED.flatMap((provider) =>
    Object.values(provider).flatMap((value) => parseReference(value)?.name ?? []),
  ),
);
