/**
 * How each kind of server speaks RFC 8628; device-flow.ts validates and paces both.
 * - Standard servers: openid-client's initiateDeviceAuthorization / pollDeviceAuthorizationGrant
 *   over a discovered Configuration.
 * - GitHub: no client authentication, and every error may arrive as HTTP 200 with an `error`
 *   field (providers/github-fetch.ts normalises the body), so it is polled by `pollDeviceToken`.
 */
import * as client from 'openid-client';
import { GatehouseError } from '../ports/errors';
import {
  abortError,
  DEVICE_GRANT_TYPE,
  deviceError,
  expiredError,
  pollDeviceToken,
  sleep,
  validateDeviceCode,
  type DeviceCode,
  type DeviceFlow,
} from './device-flow';
import { mapProviderError } from './oauth-errors';

export interface StandardDeviceOptions {
  /** The provider's name in messages. */
  provider: string;
  scope?: string;
  /** Extra device authorization request parameters (RFC 8628 §3.1), e.g. `resource`. */
  parameters?: Record<string, string>;
  now: () => number;
}

/** A standard device flow, which can also poll through another Configuration (its own fetch). */
export interface StandardDeviceFlow extends DeviceFlow {
  pollWith(
    config: client.Configuration,
    signal: AbortSignal,
  ): Promise<client.TokenEndpointResponse>;
}

/** RFC 8628 through openid-client, for any server whose metadata names the endpoint. */
export async function startStandardDeviceFlow(
  config: client.Configuration,
  options: StandardDeviceOptions,
): Promise<StandardDeviceFlow> {
  if (!config.serverMetadata().device_authorization_endpoint)
    throw new GatehouseError(
      'device_flow_unsupported',
      `${options.provider} does not offer sign-in with a code.`,
    );
  let response: client.DeviceAuthorizationResponse;
  try {
    response = await client.initiateDeviceAuthorization(config, {
      ...options.parameters,
      ...(options.scope ? { scope: options.scope } : {}),
    });
  } catch (error) {
    throw standardError(error);
  }
  const code = validateDeviceCode(response, options.now(), options.provider);
  // openid-client paces itself from these two fields: hand it the clamped values.
  const paced = {
    ...response,
    interval: code.intervalSeconds,
    expires_in: (code.expiresAt - options.now()) / 1000,
  };
  return {
    code,
    poll: (signal) => pollStandard(config, paced, code, signal, options.now),
    pollWith: (other, signal) => pollStandard(other, paced, code, signal, options.now),
  };
}

async function pollStandard(
  config: client.Configuration,
  paced: client.DeviceAuthorizationResponse,
  code: DeviceCode,
  signal: AbortSignal,
  now: () => number,
): Promise<client.TokenEndpointResponse> {
  const expiry = AbortSignal.timeout(Math.max(0, code.expiresAt - now()));
  const stop = AbortSignal.any([signal, expiry]);
  const polling = client.pollDeviceAuthorizationGrant(config, paced, undefined, { signal: stop });
  // openid-client looks at the signal only between its waits: answer a cancel at once.
  polling.catch(() => undefined);
  const aborted = rejectOnAbort(stop);
  try {
    return await Promise.race([polling, aborted.promise]);
  } catch (error) {
    if (signal.aborted) throw abortError(signal);
    if (expiry.aborted) throw expiredError();
    throw standardError(error);
  } finally {
    // Else the listener (and what it holds) stays on `stop` until the code expires.
    aborted.detach();
  }
}

function rejectOnAbort(signal: AbortSignal): { promise: Promise<never>; detach: () => void } {
  let reject!: (reason: unknown) => void;
  const promise = new Promise<never>((_resolve, rejectWith) => (reject = rejectWith));
  const onAbort = () => reject(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return { promise, detach: () => signal.removeEventListener('abort', onAbort) };
}

function standardError(error: unknown): GatehouseError {
  if (error instanceof client.ResponseBodyError) return deviceError(error.error, error.status);
  return mapProviderError(error, 'device');
}

export interface GithubDeviceOptions {
  /** The github-fetch.ts transport. */
  fetch: typeof fetch;
  codeUrl: string;
  tokenUrl: string;
  clientId: string;
  scope: string;
  now: () => number;
  sleep?: typeof sleep;
}

/** GitHub's device flow: needs no secret, so it is the fallback when the loopback fails. */
export async function startGithubDeviceFlow(options: GithubDeviceOptions): Promise<DeviceFlow> {
  const { clientId } = options;
  const first = await postForm(options.fetch, options.codeUrl, {
    client_id: clientId,
    scope: options.scope,
  }).catch((error: unknown) => {
    throw mapProviderError(error, 'device');
  });
  if (first.body.error !== undefined || first.status >= 400)
    throw deviceError(stringOrUndefined(first.body.error), first.status);
  const code = validateDeviceCode(first.body, options.now(), 'GitHub');
  const form = { client_id: clientId, device_code: code.deviceCode, grant_type: DEVICE_GRANT_TYPE };
  return {
    code,
    async poll(signal) {
      const body = await pollDeviceToken({
        intervalSeconds: code.intervalSeconds,
        expiresAt: code.expiresAt,
        signal,
        now: options.now,
        sleep: options.sleep ?? sleep,
        poll: () => postForm(options.fetch, options.tokenUrl, form, signal),
      });
      if (typeof body.access_token !== 'string')
        throw new GatehouseError('invalid_response', 'GitHub sent no access token.');
      return body as unknown as client.TokenEndpointResponse;
    },
  };
}

async function postForm(
  transport: typeof fetch,
  url: string,
  form: Record<string, string>,
  signal?: AbortSignal,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await transport(url, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    ...(signal ? { signal } : {}),
  });
  const body = (await response.json().catch(() => null)) as unknown;
  return {
    status: response.status,
    body: body && typeof body === 'object' ? (body as Record<string, unknown>) : {},
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
