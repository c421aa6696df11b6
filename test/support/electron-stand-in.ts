/**
 * A stand-in for the Electron binary, for `electron-builder --dir` on a machine where the real
 * binary cannot be downloaded. It is never run. It carries a real fuse wire (the layout
 * @electron/fuses reads: sentinel, version byte, wire length, one byte per fuse), with every
 * fuse in the OPPOSITE of the state electron-builder.yml asks for, so a test that reads the wire
 * back proves the build flipped each one.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const DISABLE = 0x30; // '0'
const ENABLE = 0x31; // '1'

/** FuseV1Options order: RunAsNode, EnableCookieEncryption, EnableNodeOptionsEnvironmentVariable,
 * EnableNodeCliInspectArguments, EnableEmbeddedAsarIntegrityValidation, OnlyLoadAppFromAsar,
 * LoadBrowserProcessSpecificV8Snapshot, GrantFileProtocolExtraPrivileges. */
const OPPOSITE_OF_WANTED = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, ENABLE, ENABLE];

export function writeElectronStandIn(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const script = Buffer.from(
    '#!/bin/sh\necho "stand-in for the Electron binary, used only to inspect the package" >&2\nexit 1\n# ',
  );
  const wire = Buffer.from([1, OPPOSITE_OF_WANTED.length, ...OPPOSITE_OF_WANTED]);
  const file = path.join(folder, 'electron');
  writeFileSync(file, Buffer.concat([script, Buffer.from(FUSE_SENTINEL), wire, Buffer.from('\n')]));
  chmodSync(file, 0o755);
  return file;
}
