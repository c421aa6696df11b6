/**
 * The provider kinds, written once. The types and zod enums derive from this list, and each
 * consumer is a Record<ProviderKind, ...>, so a new kind fails the build until all handle it.
 */
export const PROVIDER_KINDS = ['demo', 'oidc', 'webex', 'github', 'xwms'] as const;

export type ProviderKind = (typeof PROVIDER_KINDS)[number];
