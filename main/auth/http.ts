/**
 * The transport every provider module uses: a fetch with a short timeout (openid-client's default
 * is 30 s) and no redirects followed, because a token or discovery endpoint that redirects is a
 * captive portal or a misconfiguration, never a valid answer. A failure names the host it was
 * for and the cause; never the rest of the URL, whose query may hold a secret.
 */
import { GatehouseError } from '../ports/errors';
import { networkOutcome, timeoutSentence } from './errors-map/network';

export function createFetch(base: typeof fetch, timeoutMs: number): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      return await base(input, { ...init, signal, redirect: 'manual' });
    } catch (error) {
      if (error instanceof GatehouseError) throw error;
      const host = hostOf(input);
      throw new GatehouseError(...failure(error, host, timeout, init?.signal), { cause: error });
    }
  }) as typeof fetch;
}

/** The request's host (and port, if any), or undefined when the input is not a URL. */
function hostOf(input: Parameters<typeof fetch>[0]): string | undefined {
  try {
    return new URL(input instanceof Request ? input.url : String(input)).host || undefined;
  } catch {
    return undefined;
  }
}

/** By the signals' state and reason names, then the socket's `code`: never the message. */
function failure(
  error: unknown,
  host: string | undefined,
  timeout: AbortSignal,
  caller: AbortSignal | null | undefined,
): [GatehouseError['code'], string] {
  // Our timeout, or openid-client's own (a TimeoutError reason): both mean "no answer in time".
  const reason = (caller?.reason ?? null) as { name?: unknown } | null;
  if (timeout.aborted || reason?.name === 'TimeoutError') return ['timeout', timeoutSentence(host)];
  if (caller?.aborted) return ['cancelled', 'The request was cancelled.'];
  const [code, message] = networkOutcome(error, host) ?? [
    'network_error',
    host ? `Could not reach ${host}.` : 'The provider could not be reached.',
  ];
  return [code, message];
}
