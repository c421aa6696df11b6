/** `gatehouse sign-out <account>`: revokes where the provider can, then forgets the account. */
import { EXIT } from '../exit-codes';
import type { CommandHandler } from './types';

export const signOut: CommandHandler = async (core, { target }, io) => {
  await core.sessions.restore();
  const result = await core.sessions.signOut(target);
  if (result.warning) io.err(`gatehouse: ${result.warning}`);
  io.err(
    result.revoked
      ? 'Signed out; the provider revoked the tokens.'
      : 'Signed out on this computer (the provider has no revocation).',
  );
  return EXIT.ok;
};
