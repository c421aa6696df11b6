/**
 * Finds an Electron binary for the Playwright `_electron` tests: ELECTRON_OVERRIDE_DIST_PATH,
 * or the one the electron package downloaded. Where none exists (this build machine: the binary
 * cannot be downloaded here), the tests are skipped with this reason, never passed vacuously.
 * It reads what the electron package recorded instead of require('electron'), which would try to
 * download the binary: tests never reach the internet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

const EXECUTABLE =
  process.platform === 'win32'
    ? 'electron.exe'
    : process.platform === 'darwin'
      ? 'Electron.app/Contents/MacOS/Electron'
      : 'electron';

export function findElectronBinary(): ElectronBinary {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = path.join(override, EXECUTABLE);
    return existsSync(candidate)
      ? { ok: true, path: candidate }
      : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${EXECUTABLE}` };
  }
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      ok: false,
      reason:
        'no Electron binary on this machine (it cannot be downloaded here); run "npm run electron:install" where downloads work, or set ELECTRON_OVERRIDE_DIST_PATH',
    };
  }
  const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary)
    ? { ok: true, path: binary }
    : { ok: false, reason: `the Electron binary ${binary} is missing` };
}
