/**
 * Loads oidc-provider on first use. Its runtime check prints "Unsupported runtime" as the module
 * is evaluated (oidc-provider/lib/index.js), so the filter of its expected notices is installed
 * first, and the import stays dynamic: a static one would run before any code of ours.
 */
import type { AdapterFactory } from 'oidc-provider';

export type OidcProviderModule = typeof import('oidc-provider');

/** Notices that are expected for this demo; every other line still prints. */
const EXPECTED =
  /^oidc-provider (WARNING|NOTICE): (a quick start|default |Unsupported runtime|you've configured)/;
// The library colours its notices when the stream is a terminal (lib/helpers/attention.js).
// eslint-disable-next-line no-control-regex -- matching ANSI escape sequences
const ANSI = /\u001b\[[0-9;]*m/g;

let quieted = false;

export function quietExpectedNotices(): void {
  if (quieted) return;
  quieted = true;
  for (const level of ['warn', 'info'] as const) {
    // eslint-disable-next-line no-console -- filtering the library's own console notices
    const original = console[level].bind(console);
    // eslint-disable-next-line no-console -- see above
    console[level] = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && EXPECTED.test(args[0].replace(ANSI, ''))) return;
      original(...args);
    };
  }
}

let loading: Promise<OidcProviderModule> | null = null;

export function loadOidcProvider(): Promise<OidcProviderModule> {
  quietExpectedNotices();
  return (loading ??= import('oidc-provider'));
}

/** The library's own in-memory store, one per server (it is not part of the typed API). */
export async function memoryAdapter(): Promise<AdapterFactory> {
  await loadOidcProvider();
  const memory = (await import(
    // @ts-expect-error -- oidc-provider ships no types for its internal modules
    'oidc-provider/lib/adapters/memory_adapter.js'
  )) as { createMemoryAdapter(): AdapterFactory };
  return memory.createMemoryAdapter();
}
