import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../support/cleanup';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

describe('demo provider sign-in over HTTP', () => {
  it('signs in, refreshes with rotation, and signs out', async () => {
    const w = track(await buildWorld({ prefix: 'gh-demo-', browser: 'http', user: 'alice' }));
    const c = w.core;
    const started = await c.sessions.signIn('demo');
    const account = await started.done;
    const result = await w.pages[0]!;
    expect(result.status).toBe(200);
    expect(result.body).toContain('Signed in to Demo provider (local). You can close this tab.');
    expect(account.accountId).toBe('demo:alice');
    expect(account.claims.name).toBe('Alice Demo');
    expect(account.status.kind).toBe('signed-in');

    const before = c.sessions.tokensOf('demo:alice')!;
    await c.sessions.refresh('demo:alice');
    const after = c.sessions.tokensOf('demo:alice')!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBeTruthy();

    const out = await c.sessions.signOut('demo:alice');
    expect(out).toEqual({ kind: 'revoked' });
    expect(c.sessions.snapshot().accounts).toHaveLength(0);
  });
});
