/**
 * The one mapper from what a provider says about a person (ID-token claims, userinfo, XWMS's
 * verify answer) to the display claims the window shows. Strings are capped at 200 characters;
 * a picture is kept only when it is https (avatar.ts turns it into a data: URL).
 */
import type { DisplayClaims } from '../../../shared/session';

/**
 * Unicode Cc (which carries terminal escapes such as OSC 52 clipboard writes) and the bidi and
 * format controls U+200B–U+200F, U+202A–U+202E, U+2066–U+2069 (which reorder what is shown):
 * never passed on from a provider to a terminal or the window.
 */
const CONTROLS = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2066-\u2069]/gu;

export function hasControls(text: string): boolean {
  CONTROLS.lastIndex = 0;
  return CONTROLS.test(text);
}

export function stripControls(text: string): string {
  return text.replace(CONTROLS, '');
}

export function displayClaims(source: Record<string, unknown>): DisplayClaims {
  const str = (key: string) => {
    const value = source[key];
    const clean = typeof value === 'string' ? stripControls(value).slice(0, 200) : '';
    return clean || undefined;
  };
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
