/**
 * `gatehouse sign-out <account>`: revokes where the provider can, then forgets the account. The
 * sentence is the window's (shared/sign-out-messages.ts): stdout for a person; with --json it
 * goes to stderr and stdout carries the outcome for scripts. The account is forgotten here
 * whatever the provider did, so every outcome exits 0.
 */
import { signOutSentence } from '../../../shared/sign-out-messages';
import { EXIT } from '../exit-codes';
import { printResult } from '../io';
import type { CommandHandler } from './types';

export const signOut: CommandHandler = async (core, command, io) => {
  await core.sessions.restore();
  const outcome = await core.sessions.signOut(command.target);
  const sentence = signOutSentence(outcome);
  if (command.json) io.err(sentence);
  printResult(io, command, { accountId: command.target, ...outcome }, () => sentence);
  return EXIT.ok;
};
