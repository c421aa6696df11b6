/**
 * shared/csp.ts, written as a specification: every directive of the window's policy, once each.
 * test/security/window-policy.test.ts checks that the app and renderer/index.html serve it.
 */
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../../shared/csp';

const directives = RENDERER_CSP.split('; ').map((d) => d.split(' '));

describe('RENDERER_CSP', () => {
  it('is exactly this policy', () => {
    expect(Object.fromEntries(directives.map(([name, ...values]) => [name, values]))).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
    });
  });

  it('names each directive once, with no empty ones and no stray separators', () => {
    const names = directives.map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of directives) expect(d.length).toBeGreaterThan(1);
    expect(RENDERER_CSP).not.toMatch(/;;|;\s*$|^\s|\s$|\s{2}/);
  });

  it('allows no remote origin, wildcard, inline code or eval anywhere', () => {
    for (const [, ...values] of directives) {
      for (const value of values) expect(["'none'", "'self'", 'data:']).toContain(value);
    }
  });
});
