/**
 * `gatehouse sign-in <provider> [--device] [--no-open]`: starts the sign-in, tells the person
 * where to continue (the loopback's one-time link, or the device code), and waits for it.
 */
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import type { CommandHandler } from './types';

export const signIn: CommandHandler = async (core, command, io) => {
  const providerId = command.target;
  const started = await core.sessions.signIn(providerId, {
    method: command.device ? 'device' : 'browser',
    openBrowser: command.openBrowser,
  });
  const pending = core.sessions.snapshot().pending.find((p) => p.attemptId === started.attemptId);
  if (pending?.status.kind === 'device-code') {
    io.err(`Open ${pending.status.verificationUri} and enter the code: ${pending.status.userCode}`);
  } else if (started.browserOpened) {
    io.err(`Continue in your browser. If it did not open, visit:\n  ${started.url}`);
  } else {
    // No browser opened (--no-open, or none could be): the attempt waits for this link.
    io.err(`Open this link in your browser:\n  ${started.url}`);
  }
  const onInterrupt = () => core.sessions.cancel(providerId);
  process.once('SIGINT', onInterrupt);
  try {
    const account = await started.done;
    if (!account.remembered)
      io.err('gatehouse: the keychain is unavailable; this session was not remembered.');
    printResult(io, {
      accountId: account.accountId,
      provider: account.providerId,
      sub: account.sub,
      ...account.claims,
    });
    return account.remembered ? EXIT.ok : EXIT.keychain;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
};
