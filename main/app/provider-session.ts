/**
 * Which Electron session carries provider traffic (discovery, token, userinfo, GitHub /user and
 * /user/emails). The default session keeps cookies and an HTTP cache in the data folder; this
 * one lives in memory only and caches nothing. Electron-free, so a Node test checks the decision
 * that main/window.ts applies (`session.fromPartition(partition, { cache })`).
 */

export interface ProviderSessionOptions {
  /** Without the `persist:` prefix Electron keeps the session in memory (session.fromPartition). */
  partition: string;
  cache: boolean;
}

export function providerSessionOptions(): ProviderSessionOptions {
  return { partition: 'gatehouse-providers', cache: false };
}
