/**
 * Runs one parsed command against the engine: opens the store and the core for the data folder
 * shared with the app, reports a bad configuration (configuration-gate.ts decides whether the
 * command may still run), and turns any failure into an exit code.
 */
import { GatehouseCore } from '../app/core';
import { openStores } from '../app/open-stores';
import { defaultDataDir } from '../app/paths';
import { createCliFetch } from './cli-fetch';
import { restoredAccounts } from './commands/accounts';
import { doctor } from './commands/doctor';
import { providers } from './commands/providers';
import { refresh } from './commands/refresh';
import { signIn } from './commands/sign-in';
import { thisRunOnlyStore } from './commands/sign-in-keychain';
import { signOut } from './commands/sign-out';
import { status } from './commands/status';
import { token } from './commands/token';
import type { CommandHandler } from './commands/types';
import { configurationGate } from './configuration-gate';
import { fail } from './fail';
import type { CliIo } from './io';
import { cliBrowserOpener } from './open-browser';
import type { CliCommand, CommandName } from './parse';

const HANDLERS: Record<CommandName, CommandHandler> = {
  providers,
  accounts: restoredAccounts,
  status,
  'sign-in': signIn,
  refresh,
  token,
  'sign-out': signOut,
  doctor,
};

export async function runCommand(command: CliCommand, io: CliIo): Promise<number> {
  const core = await openCore(io, command.remember === false);
  try {
    const refused = configurationGate(core, command, io);
    if (refused !== null) return refused;
    return await HANDLERS[command.name](core, command, io);
  } catch (error) {
    return fail(error, io);
  } finally {
    await core.dispose();
  }
}

async function openCore(io: CliIo, thisRunOnly: boolean): Promise<GatehouseCore> {
  const dataDir = defaultDataDir(io.env);
  // GATEHOUSE_KEYCHAIN_SERVICE isolates test runs; people never need it.
  const stores = await openStores(dataDir, {
    service: io.env.GATEHOUSE_KEYCHAIN_SERVICE || 'Gatehouse',
  });
  // --no-remember: memory even when the keychain works (a failed probe keeps its own reason).
  if (thisRunOnly && stores.store.backend.kind === 'keychain') stores.store = thisRunOnlyStore();
  return new GatehouseCore({
    configDir: dataDir,
    dataDir,
    env: io.env,
    ...stores,
    openBrowser: cliBrowserOpener(io),
    fetch: createCliFetch(io.env),
    appVersion: io.version ?? '0.0.0',
  });
}
