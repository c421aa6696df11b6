/**
 * The benchmarks' shared set-up: a providers.json for local OIDC providers, a GatehouseCore on
 * it (in-memory account index, no real browser), and one sign-in driven by the HTTP "browser".
 */
import { writeFileSync } from 'node:fs';
import { GatehouseCore } from '../main/app/core';
import { MemoryAccountIndex } from '../main/auth/account-registry';
import type { SecretStore } from '../main/ports/secret-store';
import { HttpBrowser } from '../test/support/http-browser';
import { MemorySecretStoreForTests } from '../test/support/memory-store';

/** Writes providers.json: one OIDC provider per entry, all on `issuer`, plus top-level settings. */
export function writeOidcProviders(
  configFile: string,
  issuer: string,
  providers: Array<{ id: string; clientId: string }>,
  settings: Record<string, unknown> = {},
): void {
  writeFileSync(
    configFile,
    JSON.stringify({
      ...settings,
      providers: providers.map(({ id, clientId }) => ({
        id,
        kind: 'oidc',
        issuer,
        clientId,
        scopes: ['openid', 'email', 'profile', 'offline_access'],
      })),
    }),
  );
}

export function benchCore(
  dir: string,
  configFile: string,
  store: SecretStore = new MemorySecretStoreForTests(),
  fetchImpl?: typeof fetch,
): GatehouseCore {
  return new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env: { GATEHOUSE_CONFIG: configFile },
    store,
    index: new MemoryAccountIndex(),
    openBrowser: async () => undefined,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/** One sign-in, start to signed in, with the login form filled as `user`. */
export async function signInWith(core: GatehouseCore, id: string, user: string) {
  const started = await core.sessions.signIn(id, { openBrowser: false });
  await new HttpBrowser().open(started.url!, { user });
  return started.done;
}
