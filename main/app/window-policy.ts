/**
 * The window's security policy as plain data and pure checks, so tests verify exactly what
 * main/window.ts applies: webPreferences, which URLs the window may show, and what happens to
 * links and new windows.
 */
import { APP_ORIGIN } from '../ipc/sender';
import { isAllowedExternalUrl } from '../auth/url-rules';

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  disableBlinkFeatures: 'Auxclick',
} as const;

/** The window only ever shows the app's own pages. */
export function isAppUrl(raw: string): boolean {
  return raw.startsWith(`${APP_ORIGIN}/`);
}

/** window.open and target=_blank: always denied; an http(s) link goes to the system browser. */
export function decideWindowOpen(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isAllowedExternalUrl(url) };
}
