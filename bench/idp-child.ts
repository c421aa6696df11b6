/**
 * The provider side of the client benchmarks, in its own process: the demo identity provider
 * (oidc-provider) and the HTTP "browser" that fills its login form, driven by the bench over the
 * IPC channel of child_process.fork (bench/remote-idp.ts). With them here, the bench process's
 * clock, CPU time and event loop measure the client alone. Loopback only, every loop bounded.
 */
import net from 'node:net';
import { DEMO_CLIENT_ID, demoNativeClient, startDemoServer } from '../main/demo/demo-server';
import { HttpBrowser } from '../test/support/http-browser';

/** What the bench asks; each answer carries the same id. */
export type IdpRequest =
  | { id: number; op: 'open'; url: string; user: string }
  | { id: number; op: 'flood'; port: number; path: string; count: number; workers: number }
  | { id: number; op: 'close' };

export interface IdpReply {
  id: number;
  ok: boolean;
  error?: string;
  /** Requests to the authorization endpoint not made by the browser, so far (a pre-flight probe). */
  probes: number;
  /** flood: how many requests got each status (0: no answer). */
  statuses?: Record<string, number>;
}

/** The header the browser sends, so the provider can tell its requests from anyone else's. */
const BROWSER_HEADER = 'x-gatehouse-bench-browser';
const MAX_FLOOD = 10_000;

const server = await startDemoServer({
  clients: [
    demoNativeClient('demo'),
    { ...demoNativeClient('bare'), client_id: 'bare' },
    {
      ...demoNativeClient('appauth'),
      client_id: 'appauth',
      redirect_uris: ['http://127.0.0.1/callback'],
    },
  ],
});
const discovery = (await (
  await fetch(`${server.issuer}/.well-known/openid-configuration`)
).json()) as { authorization_endpoint: string };
const authorizationPath = new URL(discovery.authorization_endpoint).pathname;
let probes = 0;
// The provider's own events, one per authorization request however it ends (its Koa stack is
// composed already, so no middleware can be added); a ctx is counted once.
const seen = new WeakSet<object>();
const countProbe = (ctx: { path: string; get(name: string): string }) => {
  if (seen.has(ctx) || ctx.path !== authorizationPath) return;
  seen.add(ctx);
  if (!ctx.get(BROWSER_HEADER)) probes++;
};
server.provider.on('authorization.error', countProbe);
server.provider.on('interaction.started', countProbe);
server.provider.on('authorization.success', countProbe);

const browserFetch: typeof fetch = (input, init) =>
  fetch(input, {
    ...init,
    headers: { ...(init?.headers as Record<string, string>), [BROWSER_HEADER]: '1' },
  });

/** Sends one raw request on its own connection; resolves with the status (0: none). */
function send(port: number, raw: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0));
    };
    const timer = setTimeout(done, 5_000);
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.write(raw);
  });
}

/** `count` wrong-state callbacks to a pending sign-in's listener, `workers` at a time. */
async function flood(port: number, path: string, count: number, workers: number) {
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < Math.min(count, MAX_FLOOD)) {
      const i = next++;
      const status = await send(
        port,
        `GET ${path}?code=x&state=forged-${i} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, 64) }, worker));
  return statuses;
}

async function handle(request: IdpRequest): Promise<Omit<IdpReply, 'id' | 'probes'>> {
  switch (request.op) {
    case 'open':
      await new HttpBrowser({ fetch: browserFetch }).open(request.url, { user: request.user });
      return { ok: true };
    case 'flood':
      return {
        ok: true,
        statuses: await flood(request.port, request.path, request.count, request.workers),
      };
    case 'close':
      await server.close();
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

process.on('message', (request: IdpRequest) => {
  handle(request).then(
    (reply) => process.send!({ id: request.id, probes, ...reply } satisfies IdpReply),
    (error: unknown) =>
      process.send!({ id: request.id, ok: false, probes, error: (error as Error).message }),
  );
});
// The bench gone (crashed, killed): nothing is left running.
process.on('disconnect', () => process.exit(0));
process.send!({ id: 0, ok: true, probes, issuer: server.issuer, clientId: DEMO_CLIENT_ID });
