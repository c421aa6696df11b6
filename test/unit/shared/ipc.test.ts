/**
 * shared/ipc.ts, the IPC contract: one request channel per window.gatehouse method, one event
 * channel per listener, names that cannot be confused, and method types derived from the
 * channel table (checked by the type checker through expectTypeOf).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  API_EVENTS,
  API_GLOBAL,
  API_METHODS,
  REQUEST_CHANNELS,
  type GatehouseApi,
  type Result,
} from '../../../shared/ipc';
import type { ErrorInfo } from '../../../shared/errors';
import type { SessionsSnapshot } from '../../../shared/session';

describe('the IPC contract', () => {
  it('REQUEST_CHANNELS is every method channel, once, in the order of API_METHODS', () => {
    expect(REQUEST_CHANNELS).toEqual(Object.values(API_METHODS));
    expect(new Set(REQUEST_CHANNELS).size).toBe(REQUEST_CHANNELS.length);
    expect(REQUEST_CHANNELS).toHaveLength(14);
  });

  it('names channels namespace:verb and methods in camelCase', () => {
    for (const channel of [...REQUEST_CHANNELS, ...Object.values(API_EVENTS)])
      expect(channel).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    for (const name of [...Object.keys(API_METHODS), ...Object.keys(API_EVENTS)])
      expect(name).toMatch(/^[a-z]+([A-Z][a-z]+)*$/);
  });

  it('keeps events apart from requests: no name is both', () => {
    expect(API_EVENTS).toEqual({ onSessionChanged: 'session:changed' });
    for (const event of Object.values(API_EVENTS)) expect(REQUEST_CHANNELS).not.toContain(event);
    for (const method of Object.keys(API_METHODS))
      expect(Object.keys(API_EVENTS)).not.toContain(method);
  });

  it('installs the API under window.gatehouse', () => {
    expect(API_GLOBAL).toBe('gatehouse');
  });

  it('derives each method type from its channel', () => {
    expectTypeOf<GatehouseApi['listSessions']>().parameters.toEqualTypeOf<[]>();
    expectTypeOf<GatehouseApi['listSessions']>().returns.resolves.toEqualTypeOf<
      Result<SessionsSnapshot>
    >();
    expectTypeOf<GatehouseApi['signOut']>().parameters.toEqualTypeOf<[{ accountId: string }]>();
    expectTypeOf<GatehouseApi['copySignInLink']>().returns.resolves.toEqualTypeOf<
      Result<{ attemptId: string; url: string }>
    >();
    expectTypeOf<GatehouseApi['onSessionChanged']>().returns.toEqualTypeOf<() => void>();
    expectTypeOf<Extract<Result<number>, { ok: false }>['error']>().toEqualTypeOf<ErrorInfo>();
  });
});
