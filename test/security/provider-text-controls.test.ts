/**
 * Issue 12 item 9: what a provider sends reaches a terminal (the CLI prints claims and the device
 * code) and the window. Terminal escapes (an OSC 52 clipboard write, a screen clear) and bidi or
 * zero-width controls must never get through, and device-flow values must be what a person can
 * read: a user code of letters, digits and dashes, a code page that is https and escape-free.
 */
import { describe, expect, it } from 'vitest';
import { validateDeviceCode } from '../../main/auth/device-flow';
import { displayClaims } from '../../main/auth/providers/claims';
import { cleanupAfterEach } from '../support/cleanup';
import { startGithubServer } from '../support/github-server';
import { buildWorld } from '../support/world';

const OSC52 = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
const CONTROLS = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2066-\u2069]/u;
const track = cleanupAfterEach();

describe('provider text with terminal and bidi controls', () => {
  it('a name holding an OSC 52 clipboard write and a right-to-left override is shown without them', async () => {
    const gh = track(
      await startGithubServer({
        users: {
          eve: {
            id: 4242,
            login: 'eve\u001b[2J',
            name: `${OSC52}Eve\u202Eetirovaf\u200B Example`,
            publicEmail: 'eve@example.test\u2066',
            emails: [],
          },
        },
      }),
    );
    const { clientId, clientSecret } = gh.knobs;
    const w = track(
      await buildWorld({
        prefix: 'gh-controls-',
        providers: [{ id: 'github', kind: 'github', clientId, clientSecret, baseUrl: gh.url }],
      }),
    );
    const account = await w.signIn('eve');
    for (const value of Object.values(account.claims))
      if (typeof value === 'string') expect(value).not.toMatch(CONTROLS);
    expect(account.claims.name).toBe(']52;c;ZWNobyBwd25lZA==Eveetirovaf Example');
    expect(account.claims.email).toBe('eve@example.test');
  });

  it('every display claim is stripped, whichever provider sent it', () => {
    const claims = displayClaims({
      name: `A${OSC52}`,
      given_name: '\u2067B',
      family_name: '\u200FC',
      email: 'd@example.test\u0000',
      preferred_username: 'e\u001b',
    });
    expect(claims).toEqual({
      name: 'A]52;c;ZWNobyBwd25lZA==',
      givenName: 'B',
      familyName: 'C',
      email: 'd@example.test',
      login: 'e',
    });
    expect(displayClaims({ name: '\u001b\u202E' })).toEqual({});
  });
});

describe('device-flow values a terminal will print', () => {
  const good = {
    device_code: 'dc',
    user_code: 'WDJB-MJHT',
    verification_uri: 'https://example.com/device',
    expires_in: 900,
  };
  it.each([
    ['a user code with a space', { ...good, user_code: 'WDJB MJHT' }],
    ['a user code too short to be one', { ...good, user_code: 'AB' }],
    ['a user code longer than 24', { ...good, user_code: 'A'.repeat(25) }],
    ['a user code with a bidi override', { ...good, user_code: 'WDJB\u202EMJHT' }],
    ['a code page with an escape', { ...good, verification_uri: `https://example.com/${OSC52}` }],
    [
      'a code page with a zero-width space',
      { ...good, verification_uri: 'https://exa\u200Bmple.com/' },
    ],
  ])('%s is refused before anything is shown', (_what, body) => {
    expect(() => validateDeviceCode(body, 0, 'Example')).toThrow(
      expect.objectContaining({ code: 'invalid_response' }),
    );
  });

  it('a plain code and page pass', () => {
    expect(validateDeviceCode(good, 0, 'Example').userCode).toBe('WDJB-MJHT');
  });
});
