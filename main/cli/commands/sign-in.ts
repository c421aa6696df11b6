/**
 * `gatehouse sign-in <provider> [--device] [--no-open] [--no-remember]`: checks the keychain,
 * starts the sign-in, tells the person where to continue (the loopback's one-time link, or the
 * device code), and waits for it.
 */
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import { signedInLine } from '../render';
import { keychainStop } from './sign-in-keychain';
import type { CommandHandler } from './types';

export const signIn: CommandHandler = async (core, command, io) => {
  const providerId = command.target;
  // Before any listener or browser: a session that cannot be remembered stops here, with the fix.
  const stop = core.provider(providerId)
    ? keychainStop(core.sessions.storage, providerId, io.env)
    : null;
  if (stop && command.remember !== false) {
    io.err(stop);
    return EXIT.keychain;
  }
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
    // In memory by choice (--no-remember with a working keychain) is not a keychain failure.
    const asked = command.remember === false && !stop;
    if (!account.remembered)
      io.err(
        asked
          ? 'gatehouse: this session is kept for this run only (--no-remember).'
          : 'gatehouse: the keychain is unavailable; this session was not remembered.',
      );
    const result = {
      accountId: account.accountId,
      provider: account.providerId,
      sub: account.sub,
      ...account.claims,
    };
    printResult(io, command, result, () => signedInLine(account));
    return account.remembered || asked ? EXIT.ok : EXIT.keychain;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
};
