/**
 * The demo oidc-provider with every request it gets written down (method and path), and an
 * optional Koa middleware run ahead of its routes (a revocation endpoint that answers 401, say).
 * Koa composes middleware when its handler is made, so the server's own listener makes way for
 * a fresh handler on the same port: the issuer, keys and grants stay the same.
 */
import http from 'node:http';
import {
  demoNativeClient,
  startDemoServer,
  type DemoServer,
  type DemoServerOptions,
} from '../../main/demo/demo-server';

export type IdpMiddleware = Parameters<DemoServer['provider']['use']>[0];

export interface CountingIdp extends DemoServer {
  /** "METHOD /path" of every request, in order. */
  seen: string[];
}

/** Provider "idp" by default (its client's redirect URIs name the provider id). */
export async function countingIdp(
  options: DemoServerOptions & { providerId?: string } = {},
  before?: IdpMiddleware,
): Promise<CountingIdp> {
  const { providerId = 'idp', ...rest } = options;
  const idp = await startDemoServer({ clients: [demoNativeClient(providerId)], ...rest });
  const seen: string[] = [];
  idp.provider.use(async (ctx, next) => {
    seen.push(`${ctx.method} ${ctx.path}`);
    await next();
  });
  if (before) idp.provider.use(before);
  await idp.suspend();
  const server = http.createServer(idp.provider.callback());
  await new Promise<void>((resolve) => server.listen(idp.port, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { ...idp, seen, close, suspend: close };
}
