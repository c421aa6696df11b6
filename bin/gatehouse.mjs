#!/usr/bin/env node
// The `gatehouse` command: runs the built command line (npm run build:main creates it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('gatehouse: not built yet. Run "npm run build:main" first.\n');
  process.exit(64);
}
await import(entry);
