/**
 * What an account's tokens are bound to: the server they were issued by and the client they
 * were issued to, taken from the configuration the sign-in used. A stored account is used only
 * while its provider's binding is still the same, so editing providers.json to point a provider
 * id at another server never sends that server the first one's tokens.
 */
import type { ProviderKind } from '../../../shared/provider-kinds';

interface BindingFields {
  /**
   * The configured issuer URL (or its full well-known URL), normalised; without discovery, also
   * the configured token, revocation and userinfo endpoints, the ones a stored token goes to.
   */
  oidc: { issuer: string; endpoints?: string };
  /** The well-known URL, and the issuer family the ID tokens may name (webex.ts). */
  webex: { wellKnownUrl: string; issuerFamily: string };
  /** The token endpoint's origin, and the REST API's (identity on refresh, revocation). */
  github: { origin: string; apiOrigin: string };
  /** The API's origin (both XWMS calls go there). */
  xwms: { origin: string };
  /** The demo server's host: its port changes with each process, so it is left out. */
  demo: { origin: string };
}

/** One shape per provider kind; a kind added to PROVIDER_KINDS fails here until it has one. */
export type AccountBinding = {
  [K in ProviderKind]: { kind: K; clientId: string } & BindingFields[K];
}[ProviderKind];

/** The URL as the WHATWG parser writes it, or the text itself when it does not parse. */
export function normalisedUrl(raw: string): string {
  return URL.canParse(raw) ? new URL(raw).href : raw;
}

/** The URL's origin (`https://host:port`), or the text itself when it does not parse. */
export function originOf(raw: string): string {
  return URL.canParse(raw) ? new URL(raw).origin : raw;
}

/** Field by field: the same kind, the same client, the same server. */
export function sameBinding(a: AccountBinding, b: AccountBinding): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const left = a as unknown as Record<string, unknown>;
  const right = b as unknown as Record<string, unknown>;
  return [...keys].every((key) => left[key] === right[key]);
}
