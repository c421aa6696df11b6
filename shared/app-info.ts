import type { StorageBackend } from './session';

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  arch: string;
  versions: { electron: string | null; chrome: string | null; node: string };
  storage: StorageBackend;
  configPath: string;
  /** A packaged build (app.isPackaged): no demo provider, so the window leads with set-up. */
  packaged: boolean;
}
