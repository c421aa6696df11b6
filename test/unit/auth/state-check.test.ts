/**
 * The callback's state (and XWMS token) is compared in constant time, so response timing
 * cannot leak how many leading characters a guess got right (RFC 6749 §10.12).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectParam, sameSecret } from '../../../main/auth/providers/state-check';

describe('constant-time state comparison', () => {
  it.each<[string, string | null, boolean]>([
    ['equal', 'c2VjcmV0LXN0YXRlLXZhbHVl', true],
    ['one character different', 'c2VjcmV0LXN0YXRlLXZhbHVm', false],
    ['a prefix (shorter)', 'c2VjcmV0LXN0YXRl', false],
    ['longer', 'c2VjcmV0LXN0YXRlLXZhbHVlx', false],
    ['missing', null, false],
    ['empty', '', false],
    ['same length in UTF-16, longer in UTF-8', 'c2VjcmV0LXN0YXRlLXZhbHé', false],
  ])('%s', (_name, received, same) => {
    expect(sameSecret('c2VjcmV0LXN0YXRlLXZhbHVl', received)).toBe(same);
  });

  it('an empty expected value never matches, not even an empty one', () => {
    expect(sameSecret('', '')).toBe(false);
  });

  it('expectParam accepts only the callback whose parameter matches', () => {
    const check = expectParam('state', 'abc123');
    expect(check(new URLSearchParams('state=abc123&code=x'))).toEqual({ kind: 'accept' });
    expect(check(new URLSearchParams('state=abc124&code=x'))).toEqual({ kind: 'ignore' });
    expect(check(new URLSearchParams('code=x'))).toEqual({ kind: 'ignore' });
  });
});

describe('one constant-time check for every callback parameter', () => {
  it('no provider module compares a callback value by hand (XWMS uses expectParam for its token)', () => {
    const dir = 'main/auth/providers';
    const byHand = readdirSync(dir)
      .filter((name) => name.endsWith('.ts') && name !== 'state-check.ts')
      .filter((name) => readFileSync(path.join(dir, name), 'utf8').includes('timingSafeEqual'));
    expect(byHand).toEqual([]);
  });
});
