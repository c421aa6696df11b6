/**
 * How one Gatehouse process knows that the demo on the stored port is its data folder's, served
 * by another Gatehouse process, and not some other program: the discovery document names the
 * issuer and instance id, and the server answers a fresh challenge with an HMAC under the key in
 * the keychain, which no other program on this computer has.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { default as Provider } from 'oidc-provider';
import { INSTANCE_FIELD } from './demo-config';

type Middleware = Parameters<Provider['use']>[0];

export const PROOF_PATH = '/.well-known/gatehouse-demo';
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const PROBE_TIMEOUT_MS = 2000;

export interface DemoIdentity {
  instance: string;
  proofKey: string;
}

export type ProbeResult = 'ours' | 'other' | 'free';

function proofFor(identity: DemoIdentity, issuer: string, nonce: string): string {
  return createHmac('sha256', identity.proofKey).update(`${issuer}\n${nonce}`).digest('base64url');
}

export function proofEndpoint(issuer: string, identity: DemoIdentity): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== PROOF_PATH) return next();
    const nonce = ctx.query.nonce;
    ctx.set('cache-control', 'no-store');
    if (ctx.method !== 'GET' || typeof nonce !== 'string' || !NONCE.test(nonce)) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request' };
      return;
    }
    ctx.body = { instance: identity.instance, proof: proofFor(identity, issuer, nonce) };
  };
}

/** Who answers at `issuer`: this data folder's demo, another program, or nobody. */
export async function probeDemo(
  fetchFn: typeof fetch,
  issuer: string,
  identity: DemoIdentity,
): Promise<ProbeResult> {
  try {
    const discovery = await getJson(fetchFn, `${issuer}/.well-known/openid-configuration`);
    if (discovery?.issuer !== issuer || discovery[INSTANCE_FIELD] !== identity.instance)
      return 'other';
    const nonce = randomBytes(18).toString('base64url');
    const answer = await getJson(fetchFn, `${issuer}${PROOF_PATH}?nonce=${nonce}`);
    const expected = Buffer.from(proofFor(identity, issuer, nonce));
    const proof = Buffer.from(typeof answer?.proof === 'string' ? answer.proof : '');
    return proof.length === expected.length && timingSafeEqual(proof, expected) ? 'ours' : 'other';
  } catch (error) {
    return connectionRefused(error) ? 'free' : 'other';
  }
}

async function getJson(fetchFn: typeof fetch, url: string) {
  const response = await fetchFn(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
  });
  if (!response.ok) {
    await response.body?.cancel();
    return null;
  }
  return (await response.json()) as Record<string, unknown> | null;
}

/** A refused connection (nothing listens), anywhere in the error's cause chain. */
export function connectionRefused(error: unknown): boolean {
  let current = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if ((current as { code?: unknown }).code === 'ECONNREFUSED') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
