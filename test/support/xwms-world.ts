/**
 * What the tests that hold a sign-in at one step share: a gate to hold the engine at, and an
 * XWMS world (its local server, one "xwms" provider) whose transport the test wraps, to hold or
 * rewrite a request. XWMS's avatar URL (https://xwms.example/) is answered 404 unless the wrap
 * answers it first.
 */
import type { SecretStore } from '../../main/ports/secret-store';
import type { Ending } from './cleanup';
import { HttpBrowser } from './http-browser';
import { buildWorld } from './world';
import { startXwmsServer } from './xwms-server';

/** A point the engine is held at until `open()`; `arrived` resolves once something waits there. */
export function gate() {
  let open!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  return { opened, arrived, open, reached };
}

export type Gate = ReturnType<typeof gate>;

/** Answers a request itself (a Response), or lets it through (null). */
export type Wrap = (url: string, pass: () => Promise<Response>) => Promise<Response>;

export async function xwmsWorld(
  track: <T extends Ending>(item: T) => T,
  options: { prefix: string; store: SecretStore; wrap?: Wrap },
) {
  const xw = track(await startXwmsServer());
  const { clientId, clientSecret, domain } = xw.knobs;
  const wrap: Wrap = options.wrap ?? ((_url, pass) => pass());
  const transport: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return wrap(url, async () =>
      url.startsWith('https://xwms.example/')
        ? new Response('', { status: 404 })
        : fetch(input, init),
    );
  };
  const w = track(
    await buildWorld({
      prefix: options.prefix,
      store: options.store,
      providers: [{ id: 'xwms', kind: 'xwms', clientId, clientSecret, domain, apiUrl: xw.apiUrl }],
      fetch: transport,
    }),
  );
  /** Starts a sign-in and sends `user`'s browser to it; the page settles when the tab is answered. */
  const start = async (user: string) => {
    const started = await w.sessions.signIn('xwms', { openBrowser: false });
    started.done.catch(() => undefined);
    return { ...started, page: new HttpBrowser().open(started.url!, { user }) };
  };
  return { w, start };
}
