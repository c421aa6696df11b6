/**
 * `gatehouse sign-out <account>`: revokes where the provider can, then forgets the account. The
 * sentence is the window's (shared/sign-out-messages.ts); stdout carries the outcome for scripts.
 * The account is forgotten here whatever the provider did, so every outcome exits 0.
 */
import { signOutSentence } from '../../../shared/sign-out-messages';
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import type { CommandHandler } from './types';

export const signOut: CommandHandler = async (core, { target }, io) => {
  await core.sessions.restore();
  const outcome = await core.sessions.signOut(target);
  io.err(signOutSentence(outcome));
  printResult(io, { accountId: target, ...outcome });
  return EXIT.ok;
};
