/**
 * Runs one browser sign-in attempt: secrets first, then the loopback listener, then the
 * authorization URL and the browser; resolves with the provider's verified grant.
 * The order is RFC 8252 + providers.md: the listener never exists without state/verifier/nonce.
 */
import { GatehouseError } from '../ports/errors';
import { startLoopback, type LoopbackHandle } from './loopback';
import type { Grant, ProviderModule } from './providers/types';

export interface AttemptHooks {
  onPortBound(port: number): void;
  onBrowserReached(): void;
  onCallbackIgnored(reason: string): void;
  onCallbackReceived(): void;
}

export interface RunningAttempt {
  /** The URL to open (the listener's one-time /signin step, which redirects to the provider). */
  startUrl: string;
  /** The provider's authorization URL itself, for "open browser again". */
  authorizationUrl: string;
  deadline: number;
  loopback: LoopbackHandle;
  grant: Promise<Grant>;
  cancel(reason: GatehouseError): void;
}

export async function beginBrowserAttempt(
  module: ProviderModule,
  hooks: AttemptHooks,
  now: () => number,
): Promise<RunningAttempt> {
  const prepared = await module.prepareSignIn();
  let check: (params: URLSearchParams) => { kind: 'accept' } | { kind: 'ignore' } = () => ({
    kind: 'ignore',
  });
  const loopback = await startLoopback({
    providerId: module.info.id,
    ports: module.fixedPorts,
    timeoutMs: module.signInTimeoutMs,
    check: (params) => check(params),
    onBrowserReached: hooks.onBrowserReached,
    onIgnored: hooks.onCallbackIgnored,
  });
  hooks.onPortBound(loopback.port);
  let attempt;
  try {
    attempt = await prepared.begin(loopback.redirectUri);
  } catch (error) {
    loopback.close(
      error instanceof GatehouseError
        ? error
        : new GatehouseError('internal', 'The sign-in could not start.'),
    );
    throw error;
  }
  check = attempt.check;
  const deadline = now() + module.signInTimeoutMs;
  const grant = loopback.callback.then((url) => {
    hooks.onCallbackReceived();
    return attempt.complete(url);
  });
  grant.catch(() => undefined);
  return {
    startUrl: loopback.startUrl(attempt.authorizationUrl),
    authorizationUrl: attempt.authorizationUrl,
    deadline,
    loopback,
    grant,
    cancel: (reason) => loopback.close(reason),
  };
}
