/** Process entry of the `gatehouse` command (bin/gatehouse.mjs loads the built copy). */
import { readFileSync } from 'node:fs';
import { EXIT } from './exit-codes';
import { runCli } from './index';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  version: readVersion(),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`gatehouse: ${(error as Error).message}\n`);
    process.exit(EXIT.signInFailed);
  },
);

/** This file is built to dist/main/cli.js, two folders below package.json (in the asar too). */
function readVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return '0.0.0';
  }
}
