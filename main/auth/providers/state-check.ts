/**
 * The callback's `state` (RFC 6749 §10.12), or any per-attempt value a callback must carry, is
 * compared in constant time: response timing must not tell a local attacker how much of a guess
 * was right. Lengths are compared first; the values are random, so their length is no secret.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CallbackVerdict } from '../loopback';

export function sameSecret(expected: string, received: string | null): boolean {
  if (expected === '' || received === null) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A loopback check that accepts only the callback whose `name` parameter is `expected`. */
export function expectParam(
  name: string,
  expected: string,
): (params: URLSearchParams) => CallbackVerdict {
  return (params) => ({ kind: sameSecret(expected, params.get(name)) ? 'accept' : 'ignore' });
}
