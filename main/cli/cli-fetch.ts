/**
 * The command line's transport. The app sends provider traffic through Electron's net.fetch (the
 * system proxy); here undici's EnvHttpProxyAgent is the global fetch's dispatcher, so HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY work as in curl, and whatever wraps the global fetch still sees every
 * request. Extra CAs come from NODE_EXTRA_CA_CERTS, which Node applies to every TLS connection.
 */
import type { Dispatcher } from 'undici';
import { networkOutcome, untrustedCertificateCode } from '../auth/errors-map/network';
import { isLoopbackHost } from '../auth/url-rules';
import { certificateIssuer } from './certificate-issuer';
import { GatehouseError } from '../ports/errors';

type Env = Readonly<Record<string, string | undefined>>;

interface Proxies {
  readonly httpProxy: string | undefined;
  readonly httpsProxy: string | undefined;
  readonly noProxy: string;
}

/** The proxy variables, lower-case first as curl and undici read them; empty means unset. */
function proxiesFrom(env: Env): Proxies {
  const read = (name: string) => env[name.toLowerCase()] || env[name] || undefined;
  return {
    httpProxy: read('HTTP_PROXY'),
    httpsProxy: read('HTTPS_PROXY'),
    noProxy: read('NO_PROXY') ?? '',
  };
}

export function createCliFetch(env: Env): typeof fetch {
  const proxies = proxiesFrom(env);
  // Loaded on the first proxied request only: `--help`, `accounts` and the demo never need it.
  let agent: Promise<Dispatcher> | undefined;
  const dispatcher = () =>
    (agent ??= import('undici').then(({ EnvHttpProxyAgent }) => new EnvHttpProxyAgent(proxies)));
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const proxy =
      url.protocol === 'https:' ? (proxies.httpsProxy ?? proxies.httpProxy) : proxies.httpProxy;
    // Loopback never goes through a proxy, as in Chromium: the demo provider and local test
    // servers keep working behind a corporate proxy. undici's NO_PROXY has no 127.0.0.0/8 form.
    if (!proxy || isLoopbackHost(url.hostname))
      return globalThis.fetch(input, init).catch(async (error: unknown) => {
        throw (await withIssuer(error, url)) ?? error;
      });
    // Node's fetch takes any undici dispatcher; its typings name their own copy of the type.
    const withProxy = { ...init, dispatcher: await dispatcher() } as unknown as RequestInit;
    try {
      // The global at call time, not a copy taken earlier: the tests' secret recorder wraps it.
      return await globalThis.fetch(input, withProxy);
    } catch (error) {
      throw (
        tunnelRefused(error, url, proxy, init?.signal) ??
        (await withIssuer(error, url, proxy)) ??
        error
      );
    }
  };
}

/** An untrusted certificate: the usual sentence, and who issued what the server presented. */
async function withIssuer(
  error: unknown,
  url: URL,
  proxy?: string,
): Promise<GatehouseError | null> {
  if (url.protocol !== 'https:' || !untrustedCertificateCode(error)) return null;
  const issuer = await certificateIssuer(url, proxy);
  const outcome = networkOutcome(error, url.host);
  if (!issuer || !outcome) return null;
  const [code, sentence] = outcome;
  const said = `${sentence.replace(/\.$/, '')}; it was issued by ${issuer}.`;
  return new GatehouseError(code, said, { cause: error });
}

/**
 * undici reports a proxy that answers CONNECT with anything but 200 (a 403, a 407) as an abort
 * (UND_ERR_ABORTED), which would read "cancelled": name the proxy instead, by its host only
 * (its URL may carry a user name and password).
 */
function tunnelRefused(
  error: unknown,
  url: URL,
  proxy: string,
  signal: AbortSignal | null | undefined,
): GatehouseError | null {
  if (signal?.aborted) return null;
  let node = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; node && depth < 4; depth++, node = node.cause as typeof node)
    if (node.code === 'UND_ERR_ABORTED')
      return new GatehouseError(
        'network_error',
        `Could not reach ${url.host}: the proxy ${proxyHost(proxy)} refused to connect to it.`,
        { cause: error },
      );
  return null;
}

function proxyHost(proxy: string): string {
  try {
    return new URL(proxy).host;
  } catch {
    return '(HTTPS_PROXY)';
  }
}
