/**
 * The window's feed on a real session manager (main/ipc/snapshot-throttle.ts feedSessions, as
 * main/index.ts attaches it): every change of a sign-in signals it, a snapshot is built only
 * when one is sent, and the last one sent is the state the sign-in ended in. The built-in demo
 * provider, in this process.
 */
import { describe, expect, it } from 'vitest';
import { feedSessions } from '../../../main/ipc/snapshot-throttle';
import type { SessionsSnapshot } from '../../../shared/session';
import { cleanupAfterEach } from '../../support/cleanup';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

describe('the window feed on the session manager', () => {
  it('a sign-in signals each change, builds a snapshot per send only, and ends on its state', async () => {
    const w = track(await buildWorld({ prefix: 'gh-feed-' }));
    let signals = 0;
    track(w.sessions.onChanged(() => signals++));
    let built = 0;
    const source = {
      onChanged: (listener: () => void) => w.sessions.onChanged(listener),
      snapshot: () => {
        built++;
        return w.sessions.snapshot();
      },
    };
    const sent: SessionsSnapshot[] = [];
    const feed = feedSessions(source, (s) => sent.push(s));
    track(feed.stop);
    const account = await w.signIn('alice');
    await new Promise((resolve) => setTimeout(resolve, 40)); // past the last held send
    expect(signals).toBeGreaterThanOrEqual(3); // started, listening, signed in at least
    expect(built).toBe(sent.length);
    expect(sent.length).toBeLessThanOrEqual(signals);
    expect(sent.at(-1)).toEqual(w.sessions.snapshot());
    expect(sent.at(-1)!.accounts.map((a) => a.accountId)).toEqual([account.accountId]);
    expect(sent.at(-1)!.pending).toEqual([]);
  });
});
