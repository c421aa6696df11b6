/**
 * The transport every provider module uses: a fetch with a short timeout (openid-client's default
 * is 30 s) and no redirects followed, because a token or discovery endpoint that redirects is a
 * captive portal or a misconfiguration, never a valid answer.
 */
import { GatehouseError } from '../ports/errors';

export function createFetch(base: typeof fetch, timeoutMs: number): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await base(input, { ...init, signal, redirect: 'manual' });
    } catch (error) {
      // Our timeout, or openid-client's own (a TimeoutError reason): both mean "no answer in time".
      const reason = (init?.signal?.reason ?? null) as { name?: string } | null;
      if (timeout.aborted || reason?.name === 'TimeoutError') {
        throw new GatehouseError('timeout', 'The provider did not answer in time.', {
          cause: error,
        });
      }
      if (init?.signal?.aborted)
        throw new GatehouseError('cancelled', 'The request was cancelled.', { cause: error });
      throw new GatehouseError('network_error', 'The provider could not be reached.', {
        cause: error,
      });
    }
  }) as typeof fetch;
}
