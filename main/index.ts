/**
 * Electron entry: lifecycle, single-instance lock, the window, IPC registration and the
 * browser opener. Everything else is the electron-free core (main/app/core.ts).
 */
import { app, BrowserWindow, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlers } from './ipc/handlers';
import { emitTo, registerIpc } from './ipc/register';
import { feedSessions } from './ipc/snapshot-throttle';
import { isAllowedExternalUrl } from './auth/url-rules';
import { isStartPageUrl } from './auth/start-page';
import { openStores } from './app/open-stores';
import { selfTestKeychain } from './app/self-test';
import { GatehouseCore } from './app/core';
import type { SessionsSnapshot } from '../shared/session';
import { startedProviderPages } from './app/window-policy';
import {
  bringToFront,
  createMainWindow,
  lockDownSession,
  providerFetch,
  registerAppScheme,
  serveRenderer,
} from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(here, '..');
let win: BrowserWindow | null = null;

if (process.argv.includes('--self-test-keychain')) {
  // Packaging check (release workflow): the bundled keychain module works on this platform.
  void app.whenReady().then(async () => {
    const result = await selfTestKeychain();
    process.stdout.write(`${result.message}\n`);
    app.exit(result.ok ? 0 : 1);
  });
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  app.on('second-instance', () => bringToFront(win));
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(start);
}

async function start() {
  lockDownSession();
  serveRenderer(path.join(distDir, 'renderer'));
  const dataDir = app.getPath('userData');
  const stores = await openStores(dataDir);
  const core = new GatehouseCore({
    configDir: dataDir,
    dataDir,
    // The demo provider only when providers.json lists it; .env only beside that file.
    packaged: app.isPackaged,
    ...stores,
    fetch: providerFetch(),
    openBrowser: async (url) => {
      // The sign-in's own file:// start page, or http(s): nothing else reaches the OS opener.
      if (!isAllowedExternalUrl(url) && !isStartPageUrl(url))
        throw new Error('refused to open a non-http(s) URL');
      await shell.openExternal(url);
    },
    onSignedIn: () => bringToFront(win),
    appVersion: app.getVersion(),
    versions: {
      electron: process.versions.electron ?? null,
      chrome: process.versions.chrome ?? null,
      node: process.versions.node,
    },
  });
  registerIpc(createHandlers(core), () => new Set(win ? [win.webContents.id] : []));
  // At most one snapshot per frame reaches the window (ipc/snapshot-throttle.ts), built when it
  // is sent: a storm of refreshes would otherwise build and serialize hundreds on this thread.
  feedSessions(core.sessions, (snapshot: SessionsSnapshot) =>
    emitTo(win?.webContents ?? null, 'session:changed', snapshot),
  );
  win = createMainWindow({
    preloadPath: path.join(distDir, 'preload', 'index.cjs'),
    startedPages: () => startedProviderPages(core.sessions.snapshot()),
  });
  win.on('closed', () => (win = null));
  void core.sessions.restore();
  app.on('before-quit', () => void core.dispose());
}
