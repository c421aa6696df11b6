/**
 * What goes into the installer: one `electron-builder --dir` build of the built app, then its
 * app.asar and its binary's fuse wire are read back. No Electron binary can be downloaded on this
 * machine, so `electronDist` points at a STAND-IN (test/support/electron-stand-in.ts): a file
 * with a real fuse wire that is never run. That the packaged app still starts with these fuses
 * is checked only by `npm run selftest:packaged` in the release workflow, where a real binary
 * exists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyringThread, outsideAsar } from '../../../main/secrets/keyring-thread';
import { writeElectronStandIn } from '../../support/electron-stand-in';
import { keyringReady } from '../../support/keyring/ready';

const keyring = keyringReady('packaged-app.test (keychain thread case)');

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(file: string, options?: object): string[];
  extractFile(archive: string, file: string): Buffer;
};
const electronVersion = (require('electron/package.json') as { version: string }).version;

let files: string[] = [];
let unpacked: string[] = [];
let binary = '';
let archive = '';

beforeAll(() => {
  if (!existsSync('dist/main/index.js') || !existsSync('dist/renderer/index.html')) {
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  }
  const work = mkdtempSync(path.join(tmpdir(), 'gh-asar-'));
  const standIn = path.join(work, 'electron-stand-in');
  writeElectronStandIn(standIn);
  const out = path.join(work, 'out');
  execFileSync(
    process.execPath,
    [
      require.resolve('electron-builder/cli.js'),
      '--dir',
      '--linux',
      '--x64',
      '--publish',
      'never',
      `--config.electronDist=${standIn}`,
      `--config.electronVersion=${electronVersion}`,
      `--config.directories.output=${out}`,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true' },
      timeout: 240_000,
    },
  );
  binary = path.join(out, 'linux-unpacked', 'gatehouse');
  const resources = path.join(out, 'linux-unpacked', 'resources');
  archive = path.join(resources, 'app.asar');
  files = asar.listPackage(archive).map((f) => f.replace(/\\/g, '/'));
  const walk = (dir: string, base = ''): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory()
            ? walk(path.join(dir, e.name), `${base}/${e.name}`)
            : [`${base}/${e.name}`],
        )
      : [];
  unpacked = walk(path.join(resources, 'app.asar.unpacked'));
}, 300_000);

describe('packaged app.asar', () => {
  it('holds the built main, preload and renderer and package.json', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/dist/main/index.js',
        '/dist/main/cli.js',
        '/dist/preload/index.cjs',
        '/dist/renderer/index.html',
      ]),
    );
  });

  it('holds the production dependencies only', () => {
    for (const dep of ['openid-client', 'jose', 'zod', 'oidc-provider'])
      expect(files).toContain(`/node_modules/${dep}/package.json`);
    for (const dev of [
      'electron',
      'vite',
      'vitest',
      'react',
      'typescript',
      'eslint',
      'playwright-core',
      '@playwright/test',
      'electron-builder',
    ]) {
      expect(files, dev).not.toContain(`/node_modules/${dev}/package.json`);
    }
  });

  it('holds no sources, tests, .env or source maps', () => {
    expect(
      files.filter((f) =>
        /^\/(main|renderer|shared|test|scripts|bench|build|\.github|\.ci)\//.test(f),
      ),
    ).toEqual([]);
    expect(files.filter((f) => /(^|\/)\.env(\.|$)/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('/dist/') && f.endsWith('.map'))).toEqual([]);
    expect(
      files.filter((f) => /\.(test|spec)\.[cm]?[jt]s$/.test(f) && f.startsWith('/dist/')),
    ).toEqual([]);
  });

  it('holds no part of the browser preview (main/preview/, a development tool)', () => {
    expect(files.filter((f) => !f.startsWith('/node_modules/') && /preview/i.test(f))).toEqual([]);
    // Nor bundled into a chunk: the preview gate's cookie name is in no built script.
    for (const f of files.filter((name) => /^\/dist\/.*\.[cm]?js$/.test(name)))
      expect(asar.extractFile(archive, f.slice(1)).toString('utf8'), f).not.toContain(
        'gatehouse_preview',
      );
  });

  it('unpacks the native keychain module for this platform', () => {
    expect(
      unpacked.some((f) => /node_modules\/@napi-rs\/keyring-linux-x64-gnu\/.*\.node$/.test(f)),
    ).toBe(true);
  });

  // The keychain thread (main/secrets/keyring-thread.ts) loads the module by its unpacked path,
  // so a worker thread, which cannot be relied on to read app.asar, needs no asar support.
  it.skipIf(!keyring)(
    'lets the keychain worker thread load the module from app.asar.unpacked and reach the keychain',
    async () => {
      const inAsar = path.join(archive, 'node_modules', '@napi-rs', 'keyring', 'index.js');
      const thread = new KeyringThread(
        { linux: { store: 'secret-service' } },
        { modulePath: outsideAsar(inAsar) },
      );
      try {
        const service = `Gatehouse-packaged-${process.pid}`;
        expect(await thread.call({ op: 'find', service })).toEqual([]);
        expect(thread.where).toBe('worker');
      } finally {
        await thread.close();
      }
    },
  );
});

describe('Electron fuses of the packaged binary', () => {
  // Each fuse as the build must leave it; the stand-in starts with every one the other way.
  const wanted: [keyof typeof FuseV1Options, boolean][] = [
    ['RunAsNode', false],
    ['EnableNodeOptionsEnvironmentVariable', false],
    ['EnableNodeCliInspectArguments', false],
    ['EnableEmbeddedAsarIntegrityValidation', true],
    ['OnlyLoadAppFromAsar', true],
    ['EnableCookieEncryption', true],
    ['GrantFileProtocolExtraPrivileges', false],
  ];

  it('a local process cannot run code as Gatehouse: ELECTRON_RUN_AS_NODE, NODE_OPTIONS and --inspect are fused off, and only the integrity-checked asar loads', async () => {
    const wire = (await getCurrentFuseWire(binary)) as Record<number, number>;
    const read = Object.fromEntries(
      wanted.map(([name]) => [name, wire[FuseV1Options[name]] === 0x31]),
    );
    expect(read).toEqual(Object.fromEntries(wanted));
  });
});
