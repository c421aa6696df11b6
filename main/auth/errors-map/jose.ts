/**
 * jose's errors, by their `code` (jose/dist/webapi/util/errors.js). jose only ever checks an ID
 * token or its key set here, so each is an id_token_invalid with the reason in plain words,
 * matching main/auth/id-token.ts.
 */
import type { Facts, Outcome, Row } from './facts';

const refused = (why: string): Outcome => [
  'id_token_invalid',
  `The provider's ID token was refused: ${why}.`,
];
const joseCode = (facts: Facts) => facts.codes.find((c) => /^ERR_(JOSE|JW[EKST]S?)_/.test(c));
const is =
  (...codes: string[]) =>
  (facts: Facts) =>
    codes.includes(joseCode(facts) ?? '');

/** A claim name from jose's own `claim` property, never from the token's text. */
function claimWhy(facts: Facts): string {
  const claim = typeof facts.detail.claim === 'string' ? facts.detail.claim : '';
  if (claim === 'aud') return 'it was issued to another application (aud)';
  if (claim === 'iat' || claim === 'nbf') return 'its issue time is not valid';
  if (/^[a-z_]{1,20}$/.test(claim)) return `its ${claim} claim is missing or wrong`;
  return 'one of its claims is missing or wrong';
}

export const JOSE_ROWS: readonly Row[] = [
  {
    name: 'jose: expired',
    when: is('ERR_JWT_EXPIRED'),
    then: () => refused('it has expired'),
  },
  {
    name: 'jose: bad signature',
    when: is('ERR_JWS_SIGNATURE_VERIFICATION_FAILED'),
    then: () => refused('its signature is not valid'),
  },
  {
    name: 'jose: unknown key',
    when: is('ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'),
    then: () => refused('it was signed with an unknown key'),
  },
  {
    name: 'jose: algorithm not allowed',
    when: is('ERR_JOSE_ALG_NOT_ALLOWED'),
    then: () => refused('it uses a signing algorithm that is not allowed'),
  },
  {
    name: 'jose: claim check',
    when: is('ERR_JWT_CLAIM_VALIDATION_FAILED'),
    then: (facts) => refused(claimWhy(facts)),
  },
  {
    name: 'jose: key set timeout',
    when: is('ERR_JWKS_TIMEOUT'),
    then: () => refused("the provider's keys could not be fetched in time"),
  },
  {
    name: 'jose: malformed',
    when: is('ERR_JWT_INVALID', 'ERR_JWS_INVALID', 'ERR_JWKS_INVALID', 'ERR_JWK_INVALID'),
    then: () => refused('it is malformed'),
  },
  {
    name: 'jose: other',
    when: (facts) => joseCode(facts) !== undefined,
    then: () => refused('it could not be verified'),
  },
];
