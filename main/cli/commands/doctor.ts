/**
 * `gatehouse doctor <provider>`: checks the configuration, then (if it is sound) the provider's
 * own checks (discovery, keys, PKCE), the loopback listener and fixed ports, and the keychain.
 */
import type { GatehouseCore } from '../../app/core';
import { startLoopback } from '../../auth/loopback';
import type { ProviderModule } from '../../auth/providers/types';
import { GatehouseError } from '../../ports/errors';
import { EXIT } from '../exit-codes';
import { fail } from '../fail';
import { printResult } from '../io';
import type { CommandHandler } from './types';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export const doctor: CommandHandler = async (core, { target: providerId }, io) => {
  const module = core.provider(providerId);
  if (!module)
    return fail(
      new GatehouseError('provider_unknown', `No provider called "${providerId}" is configured.`),
      io,
    );
  const checks: Check[] = [
    {
      name: 'configuration',
      ok: module.info.configErrors.length === 0,
      detail: module.info.configErrors.join('; ') || `read from ${core.config.path}`,
    },
  ];
  if (checks[0]!.ok) checks.push(...((await module.diagnose?.()) ?? []));
  checks.push(...(await loopbackChecks(providerId, module)), keychainCheck(core));
  checks.push(await keychainItemsCheck(core));
  for (const check of checks)
    io.err(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`);
  printResult(io, { provider: providerId, checks });
  return checks.every((c) => c.ok) ? EXIT.ok : EXIT.doctorFailed;
};

/** An ephemeral loopback port, then each fixed port the provider registered. */
async function loopbackChecks(providerId: string, module: ProviderModule): Promise<Check[]> {
  const checks: Check[] = [];
  for (const ports of [[], ...module.fixedPorts.map((p) => [p])]) {
    const name = ports.length ? `fixed port ${ports[0]}` : 'loopback listener';
    try {
      const listener = await startLoopback({
        providerId,
        ports,
        timeoutMs: 1000,
        check: () => ({ kind: 'ignore' }),
      });
      checks.push({ name, ok: true, detail: `bound ${listener.host}:${listener.port}` });
      listener.close();
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message });
    }
  }
  return checks;
}

function keychainCheck(core: GatehouseCore): Check {
  const storage = core.storage;
  return {
    name: 'keychain',
    ok: storage.kind === 'keychain',
    detail: storage.kind === 'keychain' ? storage.name : storage.reason,
  };
}

/**
 * Items this version cannot read are left in the keychain (a newer or older Gatehouse may
 * have written them); doctor names each with its format number, so nothing is lost unseen.
 */
async function keychainItemsCheck(core: GatehouseCore): Promise<Check> {
  const name = 'keychain items';
  const items = await core.sessions.findUnreadable().catch(() => null);
  if (!items) return { name, ok: true, detail: 'could not be listed' };
  if (items.length === 0) return { name, ok: true, detail: 'every item is readable' };
  const listed = items.map(
    (item) =>
      `${escaped(item.accountId)} (${item.version === null ? 'no format number' : `format v${item.version}`})`,
  );
  const count = `${items.length} unreadable, left in place (another version of Gatehouse may own them)`;
  return { name, ok: true, detail: `${count}: ${listed.join(', ')}` };
}

// Anyone who can write the keychain names its items: control and bidi characters print escaped.
const UNPRINTABLE = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2066-\u2069]/gu;
const escaped = (text: string) =>
  text.replace(UNPRINTABLE, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
