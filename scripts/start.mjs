#!/usr/bin/env node
// `npm start`: checks that Electron's binary is there, then builds and launches the app.
// The check comes first, so a machine without the binary hears why in a second, not after a
// build. It never calls require('electron'): that starts a download when the binary is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// The names install.js of the electron package writes to path.txt.
const EXECUTABLE =
  { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ??
  'electron';

// Where @electron/get keeps downloads (env-paths' cache folder; electron_config_cache moves it).
const CACHE =
  process.env.electron_config_cache ??
  {
    darwin: '~/Library/Caches/electron',
    win32: String.raw`%LOCALAPPDATA%\electron\Cache`,
  }[process.platform] ??
  '~/.cache/electron';

/** Where node_modules/electron/index.js would look, or why there is nothing to look at. */
function findElectron() {
  let pkgDir;
  try {
    const pkgJson = createRequire(path.join(ROOT, 'package.json')).resolve('electron/package.json');
    pkgDir = path.dirname(pkgJson);
  } catch {
    return { missing: 'the electron package is not installed (run `npm ci` first)' };
  }
  const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const pathFile = path.join(pkgDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  // As index.js: the override folder holds the executable named in path.txt, or the platform's
  // own name (index.js says 'electron', the Linux name, when path.txt is missing).
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? path.join(override, recorded || EXECUTABLE)
    : recorded
      ? path.join(pkgDir, 'dist', recorded)
      : null;
  if (binary && existsSync(binary) && statSync(binary).isFile()) return { binary };
  const where = override
    ? `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist`
    : binary
      ? `${path.relative(ROOT, binary)} does not exist`
      : `it was never downloaded (${path.relative(ROOT, pathFile)} is missing)`;
  const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  return { missing: `Electron ${version}'s binary is missing: ${where}`, zip };
}

function explain({ missing, zip }) {
  console.error(
    [
      `npm start: ${missing}.`,
      'Get it with `npm run electron:install`, which downloads it (set ELECTRON_MIRROR to use a',
      `mirror; a download already in Electron's cache folder, ${CACHE}, is reused),`,
      `or point ELECTRON_OVERRIDE_DIST_PATH at a folder that holds an unpacked ${zip ?? 'Electron'}.`,
      'The command line works without Electron: `npm run build:main && npx gatehouse sign-in demo`.',
    ].join('\n'),
  );
}

function build() {
  // Under `npm start`, npm_execpath is npm's own script; run the build with the same npm.
  const npm = process.env.npm_execpath;
  const [command, args] = npm?.endsWith('.js')
    ? [process.execPath, [npm, 'run', 'build']]
    : ['npm', ['run', 'build']];
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    shell: command === 'npm' && process.platform === 'win32',
  });
  if (result.error) console.error(`npm start: could not run the build: ${result.error.message}`);
  return result.status === 0;
}

function launch(binary) {
  const child = spawn(binary, ['.', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
    windowsHide: false,
  });
  // Ctrl-C and `kill` reach the app, which then ends this process with its own exit code.
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => child.exitCode === null && child.kill(signal));
  child.once('error', (error) => {
    console.error(`npm start: could not start ${binary}: ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    if (code === null) console.error(`npm start: Electron ended on ${signal}`);
    // A signal exits as the shell reports it: 128 + its number (130 for Ctrl-C).
    process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
  });
}

const found = findElectron();
if (found.missing) {
  explain(found);
  process.exit(1);
}
if (!build()) process.exit(1);
launch(found.binary);
