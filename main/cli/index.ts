/**
 * `gatehouse`: the command line over the same engine and the same store as the app.
 *   gatehouse sign-in <provider> [--device] [--no-open]
 *   gatehouse accounts | providers | sign-out <account> | refresh <account> | doctor <provider>
 * Results go to stdout as JSON (display claims only); messages go to stderr.
 */
import { readFileSync } from 'node:fs';
import { GatehouseCore } from '../app/core';
import { openStores } from '../app/open-stores';
import { defaultDataDir } from '../app/paths';
import { GatehouseError } from '../ports/errors';
import { startLoopback } from '../auth/loopback';
import { EXIT, EXIT_HELP } from './exit-codes';
import { openWithSystemBrowser } from './open-browser';

const USAGE = `Usage: gatehouse <command> [arguments]

Commands:
  sign-in <provider> [--device] [--no-open]   sign in through the system browser (or with a code)
  accounts                                     list signed-in accounts as JSON
  providers                                    list configured providers and their problems
  refresh <account>                            renew an account's session now
  sign-out <account>                           revoke where possible, then forget the account
  doctor <provider>                            check configuration, discovery, keys, PKCE, ports

Environment:
  GATEHOUSE_CONFIG     provider configuration file (default: <data dir>/providers.json)
  GATEHOUSE_DATA_DIR   data folder shared with the app (default: the app's user-data folder)
  BROWSER              browser command used to open the sign-in page

${EXIT_HELP}`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const args = rest.filter((a) => !a.startsWith('--'));
  if (!command || command === 'help' || command === '--help' || flags.has('--help')) {
    io.err(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  const dataDir = defaultDataDir(io.env);
  // GATEHOUSE_KEYCHAIN_SERVICE isolates test runs; people never need it.
  const stores = await openStores(dataDir, {
    service: io.env.GATEHOUSE_KEYCHAIN_SERVICE || 'Gatehouse',
  });
  const core = new GatehouseCore({
    configDir: dataDir,
    dataDir,
    env: io.env,
    extraDotEnv: [`${process.cwd()}/.env`],
    ...stores,
    openBrowser: (url) => openWithSystemBrowser(url, io.env),
    appVersion: readVersion(),
  });
  try {
    if (core.config.error) {
      io.err(`gatehouse: configuration error: ${core.config.error.message}`);
      if (command !== 'providers') return EXIT.config;
    }
    switch (command) {
      case 'providers':
        io.out(JSON.stringify(core.providersList(), null, 2));
        return EXIT.ok;
      case 'accounts':
        await core.sessions.restore();
        io.out(JSON.stringify(core.sessions.snapshot().accounts, null, 2));
        return EXIT.ok;
      case 'sign-in':
        return await signIn(core, args[0], flags, io);
      case 'refresh':
      case 'sign-out': {
        if (!args[0]) return usage(io, `${command} needs an account id (see "gatehouse accounts")`);
        await core.sessions.restore();
        if (command === 'refresh') {
          await core.sessions.refresh(args[0]);
          io.out(
            JSON.stringify(
              core.sessions.snapshot().accounts.find((a) => a.accountId === args[0]),
              null,
              2,
            ),
          );
        } else {
          const result = await core.sessions.signOut(args[0]);
          if (result.warning) io.err(`gatehouse: ${result.warning}`);
          io.err(
            result.revoked
              ? 'Signed out; the provider revoked the tokens.'
              : 'Signed out on this computer (the provider has no revocation).',
          );
        }
        return EXIT.ok;
      }
      case 'doctor':
        return await doctor(core, args[0], io);
      default:
        return usage(io, `unknown command "${command}"`);
    }
  } catch (error) {
    return fail(error, io);
  } finally {
    await core.dispose();
  }
}

async function signIn(
  core: GatehouseCore,
  providerId: string | undefined,
  flags: Set<string>,
  io: CliIo,
) {
  if (!providerId) return usage(io, 'sign-in needs a provider id (see "gatehouse providers")');
  const device = flags.has('--device');
  const started = await core.sessions.signIn(providerId, {
    method: device ? 'device' : 'browser',
    openBrowser: !flags.has('--no-open'),
  });
  const pending = core.sessions.snapshot().pending.find((p) => p.attemptId === started.attemptId);
  if (pending?.status.kind === 'device-code') {
    io.err(`Open ${pending.status.verificationUri} and enter the code: ${pending.status.userCode}`);
  } else {
    io.err(`Continue in your browser. If it did not open, visit:\n  ${started.url}`);
  }
  const onInterrupt = () => core.sessions.cancel(providerId);
  process.once('SIGINT', onInterrupt);
  try {
    const account = await started.done;
    if (!account.remembered)
      io.err('gatehouse: the keychain is unavailable; this session was not remembered.');
    io.out(
      JSON.stringify(
        {
          accountId: account.accountId,
          provider: account.providerId,
          sub: account.sub,
          ...account.claims,
        },
        null,
        2,
      ),
    );
    return account.remembered ? EXIT.ok : EXIT.keychain;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function doctor(core: GatehouseCore, providerId: string | undefined, io: CliIo) {
  if (!providerId) return usage(io, 'doctor needs a provider id');
  const module = core.provider(providerId);
  if (!module)
    return fail(
      new GatehouseError('provider_unknown', `No provider called "${providerId}" is configured.`),
      io,
    );
  const checks = [
    {
      name: 'configuration',
      ok: module.info.configErrors.length === 0,
      detail: module.info.configErrors.join('; ') || `read from ${core.config.path}`,
    },
  ];
  if (checks[0]!.ok) checks.push(...((await module.diagnose?.()) ?? []));
  for (const ports of [[], ...module.fixedPorts.map((p) => [p])]) {
    try {
      const listener = await startLoopback({
        providerId,
        ports,
        timeoutMs: 1000,
        check: () => ({ kind: 'ignore' }),
      });
      checks.push({
        name: ports.length ? `fixed port ${ports[0]}` : 'loopback listener',
        ok: true,
        detail: `bound ${listener.host}:${listener.port}`,
      });
      listener.close();
    } catch (error) {
      checks.push({
        name: ports.length ? `fixed port ${ports[0]}` : 'loopback listener',
        ok: false,
        detail: (error as Error).message,
      });
    }
  }
  const storage = core.storage;
  checks.push({
    name: 'keychain',
    ok: storage.kind === 'keychain',
    detail: storage.kind === 'keychain' ? storage.name : storage.reason,
  });
  for (const check of checks)
    io.err(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`);
  io.out(JSON.stringify({ provider: providerId, checks }, null, 2));
  return checks.every((c) => c.ok) ? EXIT.ok : EXIT.doctorFailed;
}

function usage(io: CliIo, message: string) {
  io.err(`gatehouse: ${message}\n\n${USAGE}`);
  return EXIT.usage;
}

function fail(error: unknown, io: CliIo): number {
  const e = error instanceof GatehouseError ? error : null;
  const code = e?.code ?? (error as { code?: string }).code ?? 'internal';
  const message =
    e?.message ??
    (error instanceof Error && 'code' in error
      ? error.message
      : 'Something went wrong inside Gatehouse.');
  io.err(`gatehouse: ${message} [${code}]`);
  switch (code) {
    case 'cancelled':
    case 'superseded':
      return EXIT.cancelled;
    case 'sign_in_timeout':
      return EXIT.timeout;
    case 'account_unknown':
    case 'provider_unknown':
      return EXIT.unknownAccount;
    case 'config_invalid':
      return EXIT.config;
    default:
      return code.startsWith('keychain_') ? EXIT.keychain : EXIT.signInFailed;
  }
}

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
