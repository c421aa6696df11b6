/**
 * `gatehouse doctor <provider>`: checks the configuration, then (if it is sound) the provider's
 * own checks (discovery, keys, PKCE, client authentication) and the redirect URI pre-flight
 * (doctor-redirect.ts), the loopback listener and fixed ports, and the keychain. One ✓/✗ line
 * each, with the next step under a ✗.
 */
import type { GatehouseCore } from '../../app/core';
import { startLoopback } from '../../auth/loopback';
import type { DiagnosticCheck, ProviderModule } from '../../auth/providers/types';
import { GatehouseError } from '../../ports/errors';
import { EXIT } from '../exit-codes';
import { fail } from '../fail';
import { printResult } from '../io';
import { redirectChecks } from './doctor-redirect';
import { keychainFix } from './sign-in-keychain';
import type { CommandHandler } from './types';

interface Check extends DiagnosticCheck {
  /** The keychain's error code, which picks this system's fix. */
  code?: string;
}

export const doctor: CommandHandler = async (core, command, io) => {
  const providerId = command.target;
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
  if (checks[0]!.ok)
    checks.push(...((await module.diagnose?.()) ?? []), ...(await redirectChecks(module)));
  checks.push(...(await loopbackChecks(providerId, module)), keychainCheck(core));
  checks.push(await keychainItemsCheck(core));
  for (const check of checks) if (!check.ok) check.next ??= nextStep(check, io.env);
  const lines = checks.map(line).join('\n');
  // With --json the list still reaches the person, on stderr; stdout is the script's.
  if (command.json) io.err(lines);
  printResult(io, command, { provider: providerId, checks }, () => lines);
  return checks.every((c) => c.ok) ? EXIT.ok : EXIT.doctorFailed;
};

/** One ✓/✗ line, and under a failing one the next step. */
const line = (check: Check) =>
  `${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}` +
  (check.next ? `\n    → ${check.next}` : '');

/** The next step for checks whose source gave none. */
function nextStep(check: Check, env: Record<string, string | undefined>): string {
  if (check.name === 'configuration')
    return 'fix the provider entry or set the variables named above (README: "Provider configuration"), then run doctor again.';
  if (check.name === 'keychain') return keychainFix(check.code ?? '', env, process.platform);
  if (check.name.startsWith('fixed port') || check.name === 'loopback listener')
    return 'another program holds that port: close it, or register another port for this provider.';
  return 'check the provider address in the configuration and your network (proxy, firewall), then run doctor again.';
}

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
  if (storage.kind === 'keychain') return { name: 'keychain', ok: true, detail: storage.name };
  return { name: 'keychain', ok: false, detail: storage.reason, code: storage.code ?? '' };
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
