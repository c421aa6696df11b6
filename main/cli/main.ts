/** Process entry of the `gatehouse` command (bin/gatehouse.mjs loads the built copy). */
import { EXIT } from './exit-codes';
import { runCli } from './index';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`gatehouse: ${(error as Error).message}\n`);
    process.exit(EXIT.signInFailed);
  },
);
