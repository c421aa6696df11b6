/**
 * The window's security policy as plain data and pure checks, so tests verify exactly what
 * main/window.ts applies: webPreferences, DevTools and the menu, which URLs the window may show,
 * and what happens to links and new windows.
 */
import type { SessionsSnapshot } from '../../shared/session';
import { isAllowedExternalUrl } from '../auth/url-rules';

/** The origin of the app's own pages, served by main/window.ts through the app: scheme. */
export const APP_ORIGIN = 'app://gatehouse';

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

/** Menus built only from these roles carry no Reload and no Toggle Developer Tools item. */
export type MenuRole = 'appMenu' | 'editMenu' | 'windowMenu';

export interface WindowChrome {
  devTools: boolean;
  /** `default` keeps Electron's menu (development); `none` removes it; `roles` replaces it. */
  menu: { kind: 'default' } | { kind: 'none' } | { kind: 'roles'; roles: readonly MenuRole[] };
}

/**
 * Packaged builds: no DevTools (they would put a console beside `window.gatehouse`) and no
 * default menu (its View menu reloads and opens DevTools). macOS keeps its app and Edit menus,
 * without which Quit and copy/paste shortcuts stop working.
 */
export function windowChromeFor(build: { packaged: boolean; platform: string }): WindowChrome {
  if (!build.packaged) return { devTools: true, menu: { kind: 'default' } };
  if (build.platform !== 'darwin') return { devTools: false, menu: { kind: 'none' } };
  return { devTools: false, menu: { kind: 'roles', roles: ['appMenu', 'editMenu', 'windowMenu'] } };
}

/**
 * The provider pages the app itself started and showed the window: the verification page of
 * each pending device sign-in. Read from the live snapshot, so a page stops counting as soon as
 * its attempt ends. Browser sign-ins are opened by main, never by the window.
 */
export function startedProviderPages(snapshot: SessionsSnapshot): Set<string> {
  const pages = new Set<string>();
  for (const pending of snapshot.pending) {
    if (pending.status.kind !== 'device-code') continue;
    const page = normalised(pending.status.verificationUri);
    if (page) pages.add(page);
  }
  return pages;
}

/**
 * window.open and target=_blank: always denied in the window. Only a page the app started goes
 * to the system browser; any other URL, https included, is dropped.
 */
export function decideWindowOpen(
  url: string,
  startedPages: ReadonlySet<string>,
): { action: 'deny'; openExternally: boolean } {
  const page = normalised(url);
  const started = page !== null && startedPages.has(page) && isAllowedExternalUrl(url);
  return { action: 'deny', openExternally: started };
}

/** Chromium hands the handler a parsed URL (`https://h` becomes `https://h/`): compare alike. */
function normalised(raw: string): string | null {
  try {
    return new URL(raw).href;
  } catch {
    return null;
  }
}
