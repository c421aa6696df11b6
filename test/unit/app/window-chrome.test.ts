/**
 * Attack: in a packaged build, a person at the keyboard (or whoever can send it keystrokes)
 * opens DevTools with Ctrl+Shift+I or the default View menu, and gets a console beside
 * `window.gatehouse` and every account the window shows. main/window.ts applies windowChromeFor
 * ({ packaged: app.isPackaged }): `devTools` in webPreferences and the application menu.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { windowChromeFor } from '../../../main/app/window-policy';

describe('DevTools and the default menu in packaged builds', () => {
  it.each(['linux', 'win32'])('packaged on %s: no DevTools, no menu at all', (platform) => {
    expect(windowChromeFor({ packaged: true, platform })).toEqual({
      devTools: false,
      menu: { kind: 'none' },
    });
  });

  it('packaged on macOS: no DevTools; only the app, Edit and Window menus (no Reload, no DevTools item)', () => {
    const chrome = windowChromeFor({ packaged: true, platform: 'darwin' });
    expect(chrome.devTools).toBe(false);
    expect(chrome.menu).toEqual({ kind: 'roles', roles: ['appMenu', 'editMenu', 'windowMenu'] });
  });

  it.each(['linux', 'win32', 'darwin'])(
    'development run on %s keeps DevTools and Electron’s menu',
    (platform) => {
      expect(windowChromeFor({ packaged: false, platform })).toEqual({
        devTools: true,
        menu: { kind: 'default' },
      });
    },
  );

  it('main/window.ts applies the decision for the real build', () => {
    const source = readFileSync('main/window.ts', 'utf8');
    expect(source).toContain(
      'const chrome = windowChromeFor({ packaged: app.isPackaged, platform: process.platform });',
    );
    expect(source).toContain('applyMenu(chrome.menu);');
    expect(/webPreferences: \{([^}]*)\}/.exec(source)?.[1]).toContain('devTools: chrome.devTools,');
    expect(source).toContain('Menu.setApplicationMenu(');
  });
});
