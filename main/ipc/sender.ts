/**
 * Who may call IPC: only the main frame of the app's own window, showing the app's own origin.
 * Kept free of electron so the rule itself is unit-tested; main/ipc/register.ts feeds it the
 * facts from each IpcMainInvokeEvent.
 */
import { APP_ORIGIN } from '../app/window-policy';

export interface SenderFacts {
  webContentsId: number;
  isMainFrame: boolean;
  frameUrl: string | null;
}

export function isTrustedSender(facts: SenderFacts, trustedWebContentsIds: ReadonlySet<number>) {
  if (!trustedWebContentsIds.has(facts.webContentsId)) return false;
  if (!facts.isMainFrame || !facts.frameUrl) return false;
  let url: URL;
  try {
    url = new URL(facts.frameUrl);
  } catch {
    return false;
  }
  return url.origin === APP_ORIGIN || `${url.protocol}//${url.host}` === APP_ORIGIN;
}
