/**
 * What the demo provider is given to persist with (main/auth/providers/demo.ts builds it from
 * the data folder and the keychain): the demo may import neither main/secrets/ nor main/app/.
 */
import type { SecretStore } from '../ports/secret-store';

export interface DemoPersistence {
  /** This demo provider's folder in the data folder (port, instance id, record index). */
  dir: string;
  /** The keychain under the demo's own service: never the accounts' (repair never sees it). */
  secrets: SecretStore;
  /** Prefix of this provider's keychain items (one service holds every demo provider's). */
  prefix: string;
  /** Runs `fn` holding the cross-process lock on this provider's demo files. */
  lock<T>(fn: () => Promise<T>): Promise<T>;
  /** Writes a file atomically, readable by this user only. */
  writeFile(file: string, text: string): Promise<void>;
}
