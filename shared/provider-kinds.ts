/**
 * The provider kinds, written once. The types and zod enums derive from this list, and each
 * consumer is a Record<ProviderKind, ...>, so a new kind fails the build until all handle it.
 */
export const PROVIDER_KINDS = ['demo', 'oidc', 'webex', 'github', 'xwms'] as const;

export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Each kind's name in the window unless the configuration gives one; null: the provider's id. */
export const DEFAULT_DISPLAY_NAMES = {
  demo: 'Demo provider (local)',
  oidc: null,
  webex: 'Webex',
  github: 'GitHub',
  xwms: 'XWMS',
} as const satisfies Record<ProviderKind, string | null>;
