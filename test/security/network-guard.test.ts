import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const guard = createRequire(import.meta.url)('../support/network-guard.cjs') as {
  blockedConnections(): number;
};

describe('network guard', () => {
  it('refuses connections outside the loopback range itself (not merely a closed network)', async () => {
    const before = guard.blockedConnections();
    await expect(
      fetch('http://example.com/', { signal: AbortSignal.timeout(2000) }),
    ).rejects.toThrow();
    await expect(
      fetch('https://10.0.0.1/', { signal: AbortSignal.timeout(2000) }),
    ).rejects.toThrow();
    expect(guard.blockedConnections() - before).toBe(2);
  });
});
