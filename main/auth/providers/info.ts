/**
 * The ProviderInfo every module publishes, built in one place: the configured id and display
 * name (or the kind's default), the configuration problems, and what the kind can do.
 */
import type { ProviderInfo, ProviderKind } from '../../../shared/session';

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
