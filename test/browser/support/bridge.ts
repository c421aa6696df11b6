/**
 * The browser-test bridge: the Vite-built renderer runs in real Chromium, and `window.gatehouse`
 * is built — with exactly the methods of shared/ipc.ts, like the preload — on top of Playwright's
 * exposeBinding, which calls the REAL handler table (dispatch + createHandlers) over a real
 * GatehouseCore in this test process. A second browser context plays the system browser.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { API_EVENTS, API_GLOBAL, API_METHODS } from '../../../shared/ipc';
import { RENDERER_CSP } from '../../../shared/csp';
import { GatehouseCore } from '../../../main/app/core';
import { MemoryAccountIndex } from '../../../main/auth/account-registry';
import { createHandlers } from '../../../main/ipc/handlers';
import { dispatch } from '../../../main/ipc/dispatch';
import type { SecretStore } from '../../../main/ports/secret-store';
import { KeyringSecretStore } from '../../../main/secrets/keyring-store';
import { MemorySecretStoreForTests } from '../../support/memory-store';

const RENDERER_DIR = path.resolve('dist/renderer');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves dist/renderer on 127.0.0.1 with the app's CSP, as the app:// protocol does. */
export async function serveRenderer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path.normalize(
      path.join(RENDERER_DIR, pathname === '/' ? 'index.html' : pathname),
    );
    if (!file.startsWith(RENDERER_DIR)) return void res.writeHead(404).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': RENDERER_CSP,
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`, server };
}

/** The test preload: builds window.gatehouse from the contract's method and event maps only. */
function testPreload({
  methods,
  events,
  globalName,
}: {
  methods: Record<string, string>;
  events: Record<string, string>;
  globalName: string;
}) {
  const w = window as unknown as Record<string, unknown> & {
    __gatehouseInvoke(channel: string, payload: unknown): Promise<unknown>;
  };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(methods))
    api[method] = (args?: unknown) => w.__gatehouseInvoke(channel, args);
  for (const [method, channel] of Object.entries(events)) {
    api[method] = (listener: (payload: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    };
  }
  Object.defineProperty(window, '__gatehouseDeliver', {
    value: (channel: string, payload: unknown) =>
      listeners.get(channel)?.forEach((l) => l(payload)),
  });
  Object.defineProperty(window, globalName, { value: Object.freeze(api) });
}

const PAYLOAD_LOG = 'test-results/renderer-payloads.jsonl';

/** Under npm test, everything the renderer receives is written down for the secret scan. */
function rendererSaw<T>(channel: unknown, payload: T): T {
  if (!process.env.GATEHOUSE_SECRET_LOG) return payload;
  mkdirSync(path.dirname(PAYLOAD_LOG), { recursive: true });
  appendFileSync(PAYLOAD_LOG, `${JSON.stringify({ channel, payload })}\n`);
  return payload;
}

export interface BridgeOptions {
  /** providers.json content; default: no file (the built-in defaults with the demo provider). */
  providers?: unknown;
  /** providers.json as written, for a file that is not JSON; wins over `providers`. */
  providersText?: string;
  env?: Record<string, string>;
  store?: SecretStore;
  /** A packaged build: the default configuration has no demo provider. */
  packaged?: boolean;
}

/** The version the app reports: package.json's, as app.getVersion() does. */
const APP_VERSION = (
  JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as { version: string }
).version;

/**
 * The real keychain store, as the app has it, under the private Secret Service that npm test
 * runs in (test/support/keyring/with-keyring.sh), on a service of its own so no bridge sees
 * another's accounts. Without that Secret Service, a memory store stands in.
 */
function defaultStore(): { store: SecretStore; cleanup: () => Promise<void> } {
  if (process.env.GATEHOUSE_KEYRING_READY !== '1') {
    return { store: new MemorySecretStoreForTests(), cleanup: async () => undefined };
  }
  const store = new KeyringSecretStore(`Gatehouse-browser-${randomBytes(6).toString('hex')}`);
  const cleanup = async () => {
    for (const id of await store.listAccountIds()) await store.delete(id);
  };
  return { store, cleanup };
}

export interface Bridge {
  core: GatehouseCore;
  page: Page;
  /** The folder of providers.json (and of the .env beside it), which is also the data folder. */
  configDir: string;
  /** URLs the app asked the system browser to open, most recent last. */
  opened: string[];
  /** The "system browser": a separate context that logs in at the demo provider. */
  loginInSystemBrowser(url: string, user: string): Promise<Page>;
  close(): Promise<void>;
}

export async function openBridge(browser: Browser, options: BridgeOptions = {}): Promise<Bridge> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-browser-'));
  const configFile = path.join(dir, 'providers.json');
  if (options.providers) writeFileSync(configFile, JSON.stringify(options.providers));
  if (options.providersText !== undefined) writeFileSync(configFile, options.providersText);
  const opened: string[] = [];
  const keychain = options.store
    ? { store: options.store, cleanup: async () => undefined }
    : defaultStore();
  const core = new GatehouseCore({
    configDir: dir,
    dataDir: dir,
    env: { GATEHOUSE_CONFIG: configFile, ...options.env },
    packaged: options.packaged ?? false,
    store: keychain.store,
    index: new MemoryAccountIndex(),
    openBrowser: async (url) => {
      opened.push(url);
    },
    appVersion: APP_VERSION,
  });
  const table = createHandlers(core);
  const { url, server } = await serveRenderer();
  const appContext: BrowserContext = await browser.newContext({
    viewport: { width: 1000, height: 760 },
  });
  const page = await appContext.newPage();
  await page.exposeBinding(
    '__gatehouseInvoke',
    async (_source, channel: unknown, payload: unknown) =>
      rendererSaw(channel, await dispatch(table, channel, payload)),
  );
  // Functions sent to the page are serialised from source. Loaded through tsx (the benchmark
  // does), esbuild wraps named functions in a `__name(...)` helper the page does not have; this
  // defines it there, as esbuild does, so the same bridge works under either loader.
  await page.addInitScript(
    'globalThis.__name ??= (f, n) => Object.defineProperty(f, "name", { value: n, configurable: true });',
  );
  await page.addInitScript(testPreload, {
    methods: API_METHODS,
    events: API_EVENTS,
    globalName: API_GLOBAL,
  });
  const unsubscribe = core.sessions.onChange((snapshot) => {
    void page
      .evaluate(
        ([channel, payload]) =>
          (
            window as unknown as { __gatehouseDeliver(c: string, p: unknown): void }
          ).__gatehouseDeliver(channel, payload),
        ['session:changed', rendererSaw('session:changed', snapshot)] as const,
      )
      .catch(() => undefined);
  });
  await page.goto(url);
  const systemBrowser = await browser.newContext();
  return {
    core,
    page,
    configDir: dir,
    opened,
    async loginInSystemBrowser(target: string, user: string) {
      const tab = await systemBrowser.newPage();
      await tab.goto(target);
      await tab.fill('input[name="login"]', user);
      await tab.fill('input[name="password"]', 'any password');
      await tab.click('button[type="submit"]');
      // The demo provider asks for consent once per account, on a second screen ("Allow");
      // the GitHub wire-format server's authorize page says "Continue".
      const done = tab.getByText(/^Signed in to .+\. You can close this tab\.$/);
      const consent = tab.getByRole('button', { name: /^(Allow|Continue)$/ });
      await done.or(consent).first().waitFor();
      if (await consent.isVisible()) await consent.click();
      await done.waitFor();
      return tab;
    },
    async close() {
      unsubscribe();
      await core.dispose();
      await keychain.cleanup();
      await systemBrowser.close();
      await appContext.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
