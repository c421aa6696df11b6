/**
 * What the set-up steps say for each provider kind: what to register and where, what the
 * provider calls the redirect URI, and the README section with every step. The Record type
 * makes a kind without a guide a compile error.
 */
import type { ProviderKind } from '../../shared/provider-kinds';

export interface SetupGuide {
  /** What to register, and where. */
  register: string;
  /** The provider's own name for the redirect URI. */
  redirectLabel: string;
  /** Said under the redirect URI instead of the loopback's general rule. */
  redirectNote?: string;
  /** Said under the .env names. */
  envNote?: string;
  /** The README section that has every step. */
  readme: string;
}

export const SETUP_GUIDES: Record<ProviderKind, SetupGuide> = {
  demo: {
    register:
      'Nothing to register: the demo provider runs inside Gatehouse, on this computer only.',
    redirectLabel: 'Redirect URI',
    readme: 'Quick start',
  },
  webex: {
    register:
      'Create an integration at developer.webex.com (My Webex Apps → Create a New App → Integration) with the scopes openid, email and profile. Webex then shows its client ID and client secret.',
    redirectLabel: 'Redirect URI',
    readme: 'Provider configuration',
  },
  github: {
    register:
      'Create an OAuth App: GitHub → Settings → Developer settings → OAuth Apps → New OAuth App. Tick “Enable Device Flow” to allow signing in with a code, then generate a client secret.',
    redirectLabel: 'Authorization callback URL',
    envNote: 'Without GITHUB_CLIENT_SECRET, only “Sign in with a code” works.',
    readme: 'Registering Gatehouse with GitHub',
  },
  xwms: {
    register:
      'Ask XWMS for a client for your domain: you get a client ID, a client secret and the domain they are bound to, plus the API base URL of your XWMS version.',
    redirectLabel: 'Redirect URL',
    redirectNote:
      'Gatehouse sends it with each sign-in: register it only if your XWMS client accepts registered redirect URLs only.',
    readme: 'Registering Gatehouse with XWMS',
  },
  oidc: {
    register:
      'Register a native (public) client at the identity provider, with PKCE (S256) and the scopes openid, email, profile and offline_access.',
    redirectLabel: 'Redirect URI',
    readme: 'Provider configuration',
  },
};

/** The loopback's rule (RFC 8252 §7.3): any port, unless the configuration lists fixed ones. */
export function redirectRule(count: number, fixedPorts: boolean): string {
  if (!fixedPorts)
    return 'Any port: Gatehouse picks a free one at each sign-in (RFC 8252 §7.3). If the provider compares redirect URIs exactly, list fixed "ports" in providers.json and register one per port.';
  return count > 1
    ? 'Register each one: Gatehouse listens on the first that is free.'
    : 'Register it exactly as shown: the port is fixed in providers.json.';
}

/** The folder and the file name of a path, for the window (no Node path module here). */
export function splitPath(file: string): { folder: string; name: string } {
  const at = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return at < 0
    ? { folder: '', name: file }
    : { folder: file.slice(0, at), name: file.slice(at + 1) };
}
