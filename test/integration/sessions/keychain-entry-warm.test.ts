/**
 * Issue 15: a new account's keychain entry takes a Secret Service session set-up (about 10 ms)
 * before its first write. The sign-in readies it as soon as the provider has verified who signed
 * in (the ID token's sub), so the set-up overlaps the userinfo request instead of preceding the
 * save.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID } from '../../../main/demo/demo-server';
import { cleanupAfterEach } from '../../support/cleanup';
import { countingIdp, type CountingIdp } from '../../support/counting-idp';
import { HttpBrowser } from '../../support/http-browser';
import { MemorySecretStoreForTests } from '../../support/memory-store';
import { buildWorld, oidcProvider } from '../../support/world';

const track = cleanupAfterEach();

/** Records each warm() with the provider's requests seen so far, and each write. */
class WatchingStore extends MemorySecretStoreForTests {
  readonly events: string[] = [];
  constructor(private readonly idp: CountingIdp) {
    super();
  }
  warm(accountId: string) {
    const seen = this.idp.seen;
    const when = seen.includes('GET /me')
      ? 'after userinfo'
      : seen.includes('POST /token')
        ? 'after the token, before userinfo'
        : 'before the token';
    this.events.push(`warm ${accountId} ${when}`);
  }
  override async set(id: string, value: string) {
    this.events.push(`set ${id}`);
    return super.set(id, value);
  }
}

describe('the keychain entry of a signing-in account', () => {
  it('is readied once the ID token is verified, before userinfo, and only then written', async () => {
    const idp = track(await countingIdp({ providerId: 'corp' }));
    const store = new WatchingStore(idp);
    const world = track(
      await buildWorld({
        prefix: 'gh-warm-',
        store,
        providers: [oidcProvider('corp', idp.issuer, DEMO_CLIENT_ID)],
      }),
    );
    const started = await world.sessions.signIn('corp', { openBrowser: false });
    await new HttpBrowser().open(started.url!, { user: 'ada' });
    await expect(started.done).resolves.toMatchObject({ accountId: 'corp:ada' });
    // The first warm comes after the token request and before userinfo (GET /me), which the
    // sign-in did make; the write comes last.
    expect(store.events[0]).toBe('warm corp:ada after the token, before userinfo');
    expect(idp.seen).toContain('GET /me');
    expect(store.events.at(-1)).toBe('set corp:ada');
  });
});
