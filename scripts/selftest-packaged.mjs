#!/usr/bin/env node
// Starts the packaged app (from `npm run dist`) with --self-test-keychain: it writes, reads back
// and deletes a keychain entry through the bundled native module, prints the outcome and exits.
// This proves the @napi-rs/keyring binary inside the installer fits the platform and CPU.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(
  await import('node:fs').then((fs) => fs.readFileSync('package.json', 'utf8')),
);
const root = path.join('release', pkg.version);
const candidates =
  {
    linux: ['linux-unpacked/gatehouse', 'linux-arm64-unpacked/gatehouse'],
    win32: ['win-unpacked/Gatehouse.exe', 'win-arm64-unpacked/Gatehouse.exe'],
    darwin: [
      'mac/Gatehouse.app/Contents/MacOS/Gatehouse',
      'mac-arm64/Gatehouse.app/Contents/MacOS/Gatehouse',
    ],
  }[process.platform] ?? [];
const exe = candidates.map((c) => path.join(root, c)).find((p) => existsSync(p));
if (!exe) {
  console.error(
    `no packaged app found under ${root} (have: ${existsSync(root) ? readdirSync(root).join(', ') : 'nothing'})`,
  );
  process.exit(1);
}
const out = execFileSync(exe, ['--self-test-keychain', '--no-sandbox'], {
  encoding: 'utf8',
  timeout: 60_000,
});
process.stdout.write(out);
if (!/keychain self-test ok/.test(out)) process.exit(1);
