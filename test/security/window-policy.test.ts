/**
 * The window's security settings, as applied by main/window.ts: secure webPreferences, the CSP
 * (the same policy in the HTML and the protocol header), the navigation lock, the window-open
 * rule, and the IPC sender check. DevTools depend on the build (test/unit/app/window-chrome.test.ts)
 * and so are checked here as the computed line, not a constant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../shared/csp';
import { decideWindowOpen, isAppUrl, SECURE_WEB_PREFERENCES } from '../../main/app/window-policy';
import { isTrustedSender } from '../../main/ipc/sender';

describe('window security', () => {
  it('uses context isolation, the sandbox, and no Node', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('main/window.ts applies exactly these preferences and the handlers', () => {
    const source = readFileSync('main/window.ts', 'utf8');
    const block = /webPreferences: \{([^}]*)\}/.exec(source)?.[1] ?? '';
    for (const [key, value] of Object.entries(SECURE_WEB_PREFERENCES)) {
      expect(block, key).toContain(
        `${key}: ${typeof value === 'string' ? `'${value}'` : String(value)},`,
      );
    }
    expect(block).toContain('devTools: chrome.devTools,');
    expect(source).toContain("on('will-navigate'");
    expect(source).toContain('setWindowOpenHandler');
    expect(source).toContain('setPermissionRequestHandler');
    expect(source).toContain("headers.set('Content-Security-Policy', RENDERER_CSP)");
  });

  it('has a strict CSP: nothing remote, no inline script, no eval', () => {
    const directives = Object.fromEntries(
      RENDERER_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('the renderer HTML carries the same CSP', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(RENDERER_CSP);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it.each([
    ['app://gatehouse/index.html', true],
    ['app://gatehouse/assets/x.js', true],
    ['app://gatehouse.evil/index.html', false],
    ['https://example.com/', false],
    ['http://127.0.0.1:3000/', false],
    ['file:///etc/passwd', false],
  ])('navigation to %s allowed: %s', (url, ok) => {
    expect(isAppUrl(url)).toBe(ok);
  });

  // Issue 12 item 15: any https page used to go to the browser; now only pages the app started.
  it.each([
    ['https://github.com/settings/applications', false],
    ['https://evil.example/', false],
    ['http://evil.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
  ])(
    'window.open(%s) with no sign-in waiting is denied; opened externally: %s',
    (url, external) => {
      expect(decideWindowOpen(url, new Set())).toEqual({
        action: 'deny',
        openExternally: external,
      });
    },
  );

  it('window.open of a started provider page is denied in the window and opened externally', () => {
    const started = new Set(['https://github.com/login/device']);
    expect(decideWindowOpen('https://github.com/login/device', started)).toEqual({
      action: 'deny',
      openExternally: true,
    });
    expect(decideWindowOpen('https://github.com/login/device/x', started).openExternally).toBe(
      false,
    );
    // A page outside the URL rules never opens, even if it were listed.
    expect(
      decideWindowOpen('file:///etc/passwd', new Set(['file:///etc/passwd'])).openExternally,
    ).toBe(false);
  });

  it('IPC from another frame or origin is refused', () => {
    const ids = new Set([1]);
    expect(
      isTrustedSender(
        { webContentsId: 1, isMainFrame: true, frameUrl: 'app://gatehouse/index.html' },
        ids,
      ),
    ).toBe(true);
    expect(
      isTrustedSender(
        { webContentsId: 1, isMainFrame: false, frameUrl: 'app://gatehouse/index.html' },
        ids,
      ),
    ).toBe(false);
    expect(
      isTrustedSender(
        { webContentsId: 2, isMainFrame: true, frameUrl: 'app://gatehouse/index.html' },
        ids,
      ),
    ).toBe(false);
    expect(
      isTrustedSender(
        { webContentsId: 1, isMainFrame: true, frameUrl: 'https://attacker.example/' },
        ids,
      ),
    ).toBe(false);
  });
});
