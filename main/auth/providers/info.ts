/**
 * The ProviderInfo every module publishes, built in one place: the configured id and display
 * name (or the kind's default), the configuration problems, and what the kind can do.
 */
import type { ProviderKind } from '../../../shared/provider-kinds';
import type { ProviderInfo } from '../../../shared/session';
import { defaultConfig } from '../../config/defaults';
import { parseReference } from '../../config/env';

export interface InfoSource {
  id: string;
  displayName?: string | undefined;
}

export function providerInfo(
  config: InfoSource,
  kind: ProviderKind,
  defaults: {
    displayName: string;
    supportsDeviceFlow: boolean;
    supportsRefresh: boolean;
    configErrors?: string[];
  },
): ProviderInfo {
  return {
    id: config.id,
    displayName: config.displayName ?? defaults.displayName,
    kind,
    configErrors: defaults.configErrors ?? [],
    supportsDeviceFlow: defaults.supportsDeviceFlow,
    supportsRefresh: defaults.supportsRefresh,
  };
}

/**
 * What the window's set-up steps show: the redirect URIs to register, as the loopback builds
 * them (main/auth/loopback.ts: 127.0.0.1, each fixed port, or any port per RFC 8252 §7.3), and
 * the .env names the default configuration (main/config/defaults.ts) reads for this provider.
 */
export function setupInfo(config: {
  id: string;
  kind: ProviderKind;
  ports?: number[] | undefined;
}): Pick<ProviderInfo, 'redirectUris' | 'envNames' | 'optionalEnvNames'> {
  const path = `/callback/${config.id}`;
  const ports = config.ports ?? [];
  const redirectUris = ports.length
    ? ports.map((port) => `http://127.0.0.1:${port}${path}`)
    : [`http://127.0.0.1${path}`];
  const named = defaultConfig({ packaged: true }).providers.find(
    (p) => p.id === config.id && p.kind === config.kind,
  );
  const refs = Object.values(named ?? {}).flatMap((value) => parseReference(value) ?? []);
  return {
    redirectUris,
    envNames: refs.map((ref) => ref.name),
    optionalEnvNames: refs.filter((ref) => ref.optional).map((ref) => ref.name),
  };
}
