/**
 * `gatehouse status`: one screen of who is signed in where, where the tokens are kept, and what
 * needs attention (ended sessions, keychain items this version cannot read, configuration
 * problems). Like `gh auth status`, it reads what is stored and calls no provider.
 */
import type { AccountSnapshot, ProviderInfo, StorageBackend } from '../../../shared/session';
import type { ProvidersList } from '../../../shared/ipc';
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import { accountsTable, attentionFor, providersTable } from '../render';
import type { CommandHandler } from './types';

/** The `--json` shape (docs/cli.md). */
interface StatusReport {
  storage: StorageBackend;
  accounts: AccountSnapshot[];
  providers: ProviderInfo[];
  /** One sentence per thing to act on, each naming the command that fixes it. */
  attention: string[];
}

export const status: CommandHandler = async (core, command, io) => {
  await core.sessions.restore();
  const { accounts, unreadable = [] } = core.sessions.snapshot();
  const list = core.providersList();
  const report: StatusReport = {
    storage: core.storage,
    accounts,
    providers: list.providers,
    attention: attention(core.storage, list, accounts, unreadable.length),
  };
  printResult(io, command, report, () => screen(report));
  return EXIT.ok;
};

function attention(
  storage: StorageBackend,
  { configError, configPath, providers }: ProvidersList,
  accounts: AccountSnapshot[],
  unreadable: number,
) {
  const items: string[] = [];
  if (configError) items.push(`The configuration file has a problem: ${configError.message}`);
  if (storage.kind === 'memory') items.push(`Sessions are not remembered: ${storage.reason}`);
  for (const account of accounts) {
    const item = attentionFor(account);
    if (item) items.push(item);
  }
  if (unreadable > 0)
    items.push(
      `${unreadable} keychain item(s) this version cannot read are left in place. Run: gatehouse doctor <provider>`,
    );
  if (providers.every((p) => p.configErrors.length > 0))
    items.push(`No provider is ready. Set one up in ${configPath} (see the README).`);
  return items;
}

function screen(report: StatusReport): string {
  const { storage } = report;
  const kept =
    storage.kind === 'keychain'
      ? `Tokens are kept in ${storage.name}.`
      : `Tokens are kept in memory only: ${storage.reason}`;
  const needs = report.attention.length
    ? ['Needs attention:', ...report.attention.map((item) => `  ✗ ${item}`)]
    : ['Nothing needs attention.'];
  return [
    kept,
    '',
    'Accounts:',
    indent(accountsTable(report.accounts, Date.now())),
    '',
    'Providers:',
    indent(providersTable(report.providers)),
    '',
    ...needs,
  ].join('\n');
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
