import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../../main/config/suggest';

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['issuer', 'issuer', 0],
    ['isuer', 'issuer', 1],
    ['clientid', 'clientId', 0],
    ['cleintId', 'clientId', 1],
    ['scope', 'scopes', 1],
    ['tokenEndpont', 'tokenEndpoint', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('nearest', () => {
  const keys = ['id', 'kind', 'issuer', 'clientId', 'clientSecret', 'scopes', 'ports'];

  it('suggests the key a slip was meant to be', () => {
    expect(nearest('isuer', keys)).toBe('issuer');
    expect(nearest('client_id', keys)).toBe('clientId');
    expect(nearest('clientSecert', keys)).toBe('clientSecret');
    expect(nearest('scope', keys)).toBe('scopes');
  });

  it('suggests nothing for a word that is no slip of any key', () => {
    expect(nearest('colour', keys)).toBeNull();
    expect(nearest('redirectUri', keys)).toBeNull();
    // A short word must be closer: "xy" is two edits from "id", too many for two letters.
    expect(nearest('xy', keys)).toBeNull();
  });
});
