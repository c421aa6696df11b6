/**
 * A provider whose name does not resolve, through the built CLI: the child's global fetch gets a
 * connector whose DNS lookup fails with ENOTFOUND (injected with `--import`; no packet leaves,
 * and the network guard, loaded by the child too, still refuses any other host). The person reads
 * the host and the cause, in sign-in and in doctor, not "The provider could not be reached."
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cliSandbox, runCli } from '../../support/cli';

const HOST = 'idp.nowhere.test';

/** The child's preload: undici's global dispatcher, whose lookup answers ENOTFOUND for HOST. */
function failingLookup(dir: string): string {
  const file = path.join(dir, 'failing-lookup.mjs');
  const undici = path.join(ROOT, 'node_modules', 'undici', 'index.js');
  writeFileSync(
    file,
    `import { createRequire } from 'node:module';
const { Agent, buildConnector, setGlobalDispatcher } = createRequire(import.meta.url)(${JSON.stringify(undici)});
const connect = buildConnector({});
const lookup = (hostname, callback) =>
  callback(Object.assign(new Error('getaddrinfo ENOTFOUND ' + hostname), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname }));
setGlobalDispatcher(new Agent({
  connect: (options, callback) =>
    options.hostname === ${JSON.stringify(HOST)} ? lookup(options.hostname, callback) : connect(options, callback),
}));
`,
  );
  return file;
}

describe('a provider name that does not resolve', () => {
  it('sign-in and doctor name the host and say its name was not found in DNS', async () => {
    const box = cliSandbox({
      prefix: 'gh-dns-',
      providers: [{ id: 'corp', kind: 'oidc', issuer: `https://${HOST}`, clientId: 'gatehouse' }],
    });
    const nodeArgs = ['--import', failingLookup(box.dir)];
    const said = `Could not reach ${HOST}: its name was not found in DNS (ENOTFOUND).`;
    const signIn = await runCli(['sign-in', 'corp', '--no-remember'], { env: box.env, nodeArgs });
    expect(signIn.code).toBe(1);
    expect(signIn.stderr).toContain(said);
    const doctor = await runCli(['doctor', 'corp'], { env: box.env, nodeArgs, human: true });
    expect(doctor.code).toBe(5);
    expect(doctor.stdout).toContain(`✗ discovery: ${said}`);
  });
});
