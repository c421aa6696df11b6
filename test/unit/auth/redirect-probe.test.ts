/**
 * How the redirect URI pre-flight (main/auth/redirect-probe.ts) reads an authorization endpoint's
 * first answer. The answers are built here as Response objects: the integration tests
 * (test/integration/cli/redirect-preflight.test.ts, github.test.ts) run it against real servers.
 */
import { describe, expect, it } from 'vitest';
import { probeRedirect, redirectRejected } from '../../../main/auth/redirect-probe';

const AUTH = 'https://idp.test/authorize?client_id=c&redirect_uri=x';
const REDIRECT = 'http://127.0.0.1:50123/callback/corp';

const answering =
  (status: number, location?: string): typeof fetch =>
  async (_input, init) => {
    expect(init?.redirect).toBe('manual');
    return new Response(null, { status, headers: location ? { location } : {} });
  };

describe('probeRedirect', () => {
  it.each([
    [200, undefined, 'accepted'],
    [302, '/login?return_to=x', 'accepted'],
    [302, `${REDIRECT}?error=access_denied&state=s`, 'accepted'],
    [302, `${REDIRECT}?code=c&state=s`, 'accepted'],
    [302, 'http://127.0.0.1/callback/github?error=redirect_uri_mismatch', 'refused'],
    [400, undefined, 'refused'],
    [403, undefined, 'refused'],
    [500, undefined, 'unknown'],
    [503, undefined, 'unknown'],
  ] as const)('HTTP %i (Location %s) → %s', async (status, location, kind) => {
    expect((await probeRedirect(answering(status, location), AUTH, REDIRECT)).kind).toBe(kind);
  });

  it('no answer in time is unknown, never a refusal', async () => {
    const hangs: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)),
      );
    await expect(probeRedirect(hangs, AUTH, REDIRECT, 50)).resolves.toEqual({
      kind: 'unknown',
      detail: 'no answer in time',
    });
  });
});

describe('redirectRejected', () => {
  const verdict = { kind: 'refused', detail: 'HTTP 403 before any login page' } as const;
  it('with fixed ports, names the exact URI to register', () => {
    expect(redirectRejected('Corp', REDIRECT, verdict, [50123]).message).toBe(
      `Corp refused the redirect URI ${REDIRECT} (HTTP 403 before any login page). Register exactly ${REDIRECT} for this client at Corp.`,
    );
  });
  it('with an ephemeral port, recommends a fixed one and its URI', () => {
    const error = redirectRejected('Corp', REDIRECT, verdict, []);
    expect(error.code).toBe('redirect_uri_rejected');
    expect(error.message).toContain(
      'choose a fixed port in the configuration ("ports": [53682]) and register http://127.0.0.1:53682/callback/corp at Corp.',
    );
  });
});
