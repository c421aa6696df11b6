/**
 * The one BrowserWindow, hardened: context isolation, sandbox, no Node, a strict CSP, no
 * navigation, no new windows, no permissions, no DevTools or default menu when packaged. The
 * renderer is served from the privileged `app://gatehouse` scheme so that IPC can check a real
 * origin (file:// has none). Provider traffic goes through an in-memory, uncached session.
 */
import { app, BrowserWindow, Menu, net, protocol, session, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RENDERER_CSP } from '../shared/csp';
import { providerSessionOptions, withNetErrorCodes } from './app/provider-session';
import {
  APP_ORIGIN,
  decideWindowOpen,
  isAppUrl,
  windowChromeFor,
  type WindowChrome,
} from './app/window-policy';

/** Must run before app 'ready': gives app:// standard, secure semantics. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } },
  ]);
}

/** Serves dist/renderer under app://gatehouse/, refusing anything outside that folder. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'gatehouse') return new Response('Not found', { status: 404 });
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.normalize(path.join(rendererDir, relative));
    if (!file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', RENDERER_CSP);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

export interface MainWindowOptions {
  preloadPath: string;
  /** The provider pages the app started (startedProviderPages of the live snapshot). */
  startedPages: () => ReadonlySet<string>;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const chrome = windowChromeFor({ packaged: app.isPackaged, platform: process.platform });
  applyMenu(chrome.menu);
  const win = new BrowserWindow({
    title: 'Gatehouse',
    width: 980,
    height: 720,
    minWidth: 560,
    minHeight: 480,
    show: false,
    backgroundColor: '#00000000',
    // Spelled out (not spread) so static scanners such as electronegativity can read them;
    // test/security/window-policy.test.ts checks they equal SECURE_WEB_PREFERENCES.
    webPreferences: {
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
      devTools: chrome.devTools,
      preload: options.preloadPath,
    },
  });

  // No navigation away from the app, ever; links go to the system browser through one path.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, options.startedPages());
    if (decision.openExternally) void shell.openExternal(url);
    return { action: decision.action };
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

function applyMenu(menu: WindowChrome['menu']): void {
  if (menu.kind === 'default') return;
  const roles = menu.kind === 'roles' ? menu.roles : [];
  Menu.setApplicationMenu(
    roles.length ? Menu.buildFromTemplate(roles.map((role) => ({ role }))) : null,
  );
}

/**
 * The fetch handed to the core for provider traffic: an in-memory session without HTTP cache,
 * so no cookie or cached /user answer reaches the data folder. Like net.fetch, it follows the
 * system proxy and certificate store, which Node's fetch does not.
 */
export function providerFetch(): typeof fetch {
  const { partition, cache } = providerSessionOptions();
  const providers = session.fromPartition(partition, { cache });
  return withNetErrorCodes((input, init) =>
    providers.fetch(input instanceof URL ? input.href : (input as string | Request), init),
  );
}

/** Denies every permission request (camera, notifications, ...): sign-in needs none. */
export function lockDownSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** Brings the window back after the browser step (RFC 8252 apps must return the user). */
export function bringToFront(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
  if (process.platform === 'darwin') app.focus({ steal: true });
  if (process.platform === 'win32') {
    // The well-known nudge when Windows blocks focus stealing.
    win.setAlwaysOnTop(true);
    win.setAlwaysOnTop(false);
  }
}
