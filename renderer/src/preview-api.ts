/**
 * `window.gatehouse` for the browser preview (`npm run preview`, main/preview/): the same
 * methods, derived from the contract's maps as the preload derives them, over fetch to the page's
 * own origin, with session:changed as server-sent events. The preview's HttpOnly cookie goes
 * along by itself; the page never sees its secret.
 */
import type { ErrorInfo } from '../../shared/errors';
import { API_EVENTS, API_METHODS, type GatehouseApi, type Result } from '../../shared/ipc';

/** Relative to the page, as main/preview/server.ts serves them below its base path. */
const API_URL = 'api';
const EVENTS_URL = 'events';
/** An EventSource retries by itself; after this many failures in a row it is given up. */
const MAX_STREAM_FAILURES = 10;

const UNREACHABLE =
  'No Gatehouse bridge and no preview server: open the window with `npm start`, or open the link `npm run preview` prints.';

function failure(code: ErrorInfo['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

async function call(channel: string, payload: unknown): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetch(API_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ channel, payload }),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return failure('internal', UNREACHABLE);
  }
  if (response.status === 401 || response.status === 403)
    return failure('ipc_forbidden_sender', await response.text().catch(() => ''));
  if (!response.ok) return failure('internal', UNREACHABLE);
  try {
    return (await response.json()) as Result<unknown>;
  } catch {
    return failure('internal', UNREACHABLE);
  }
}

/** One stream for every event channel, open while someone listens. */
function eventHub() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;
  let failures = 0;
  const deliver = (channel: string) => (event: MessageEvent<string>) => {
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    listeners.get(channel)?.forEach((listener) => listener(payload));
  };
  const open = () => {
    if (source || typeof EventSource === 'undefined') return;
    const stream = new EventSource(EVENTS_URL);
    for (const channel of Object.values(API_EVENTS))
      stream.addEventListener(channel, deliver(channel));
    stream.onopen = () => (failures = 0);
    stream.onerror = () => {
      if (stream.readyState === EventSource.CLOSED || ++failures >= MAX_STREAM_FAILURES) {
        stream.close();
        if (source === stream) source = null;
      }
    };
    source = stream;
  };
  return (channel: string, listener: (payload: unknown) => void) => {
    const set = listeners.get(channel) ?? new Set();
    set.add(listener);
    listeners.set(channel, set);
    open();
    return () => {
      set.delete(listener);
      if ([...listeners.values()].every((s) => s.size === 0)) {
        source?.close();
        source = null;
      }
    };
  };
}

export function createPreviewApi(): GatehouseApi {
  const subscribe = eventHub();
  const api: Record<string, unknown> = {};
  for (const [method, channel] of Object.entries(API_METHODS))
    api[method] = (args?: unknown) => call(channel, args);
  for (const [method, channel] of Object.entries(API_EVENTS))
    api[method] = (listener: (payload: unknown) => void) => subscribe(channel, listener);
  return Object.freeze(api) as GatehouseApi;
}
