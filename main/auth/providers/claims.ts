/**
 * The one mapper from what a provider says about a person (ID-token claims, userinfo, XWMS's
 * verify answer) to the display claims the window shows. Strings are capped at 200 characters;
 * a picture is kept only when it is https (avatar.ts turns it into a data: URL).
 */
import type { DisplayClaims } from '../../../shared/session';

export function displayClaims(source: Record<string, unknown>): DisplayClaims {
  const str = (key: string) =>
    typeof source[key] === 'string' && source[key]
      ? (source[key] as string).slice(0, 200)
      : undefined;
  const claims: DisplayClaims = {};
  const set = <K extends keyof DisplayClaims>(key: K, value: DisplayClaims[K] | undefined) => {
    if (value !== undefined) claims[key] = value;
  };
  set('name', str('name'));
  set('givenName', str('given_name'));
  set('familyName', str('family_name'));
  set('email', str('email'));
  // Webex shows email_verified as the string "true" in one sample, XWMS sends 1: accept all.
  const verified = source.email_verified;
  if (verified === true || verified === 'true' || verified === 1) claims.emailVerified = true;
  else if (verified === false || verified === 'false') claims.emailVerified = false;
  const picture = str('picture');
  if (picture?.startsWith('https://')) claims.picture = picture;
  set('login', str('preferred_username'));
  return claims;
}
