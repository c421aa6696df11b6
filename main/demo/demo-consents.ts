/**
 * Which grant each account gave the client, so consent is asked once per account and not once
 * per browser: oidc-provider finds a grant only through the browser's session by default. The
 * records go through the server's adapter (a model of their own), so they persist with it.
 */
import type { AdapterFactory, Configuration } from 'oidc-provider';

export const CONSENT_MODEL = 'Consent';

export interface ConsentBook {
  grantFor(clientId: string, accountId: string): Promise<string | undefined>;
  remember(clientId: string, accountId: string, grantId: string): Promise<void>;
}

export function consentBook(adapter: AdapterFactory, ttlSeconds: number): ConsentBook {
  const records = adapter(CONSENT_MODEL);
  const key = (clientId: string, accountId: string) => `${clientId}\n${accountId}`;
  return {
    async grantFor(clientId, accountId) {
      const found = await records.find(key(clientId, accountId));
      return typeof found?.grantId === 'string' ? found.grantId : undefined;
    },
    async remember(clientId, accountId, grantId) {
      await records.upsert(key(clientId, accountId), { grantId }, ttlSeconds);
    },
  };
}

type LoadGrant = NonNullable<Configuration['loadExistingGrant']>;

/** This interaction's grant, the browser session's, or the one the account gave before. */
export function existingGrant(consents: ConsentBook): LoadGrant {
  return async (ctx) => {
    const { oidc } = ctx;
    const clientId = oidc.client!.clientId;
    const accountId = oidc.session?.accountId;
    if (!accountId) return undefined;
    const candidates = [
      () => oidc.result?.consent?.grantId,
      () => oidc.session?.grantIdFor(clientId),
      () => consents.grantFor(clientId, accountId),
    ];
    for (const candidate of candidates) {
      const grantId = await candidate();
      const grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      // A grant is used only for the account and the client it was given by and to.
      if (grant && grant.accountId === accountId && grant.clientId === clientId) return grant;
    }
    return undefined;
  };
}
