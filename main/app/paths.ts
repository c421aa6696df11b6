/**
 * The app's data folder, computed the way Electron's app.getPath('userData') does for the
 * product name "Gatehouse", so the command line and the app share one store and one index.
 * GATEHOUSE_DATA_DIR overrides it (tests, portable setups).
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: Record<string, string | undefined> = process.env): string {
  if (env.GATEHOUSE_DATA_DIR) return path.resolve(env.GATEHOUSE_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Gatehouse');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Gatehouse');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Gatehouse');
  }
}

/**
 * Creates the folder for this user alone (0700), and tightens one that already exists with a
 * wider mode (an older version, a copied profile, a umask of 022): others may not plant files
 * there. Windows folders take their owner's ACL, so modes are left alone there.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}
