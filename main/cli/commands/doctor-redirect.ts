/**
 * `gatehouse doctor`'s redirect URI check: the authorization request a sign-in would send, for
 * each fixed port or for one ephemeral port, through the same pre-flight the sign-in runs
 * (main/auth/redirect-probe.ts). No browser opens and no person takes part; the listener only
 * gives the request its real redirect URI and is closed at once.
 */
import { startLoopback } from '../../auth/loopback';
import type { DiagnosticCheck, ProviderModule } from '../../auth/providers/types';
import { redirectRejected } from '../../auth/redirect-probe';

export async function redirectChecks(module: ProviderModule): Promise<DiagnosticCheck[]> {
  if (!module.probeRedirect) return [];
  const portSets = module.fixedPorts.length ? module.fixedPorts.map((p) => [p]) : [[]];
  const checks: DiagnosticCheck[] = [];
  for (const ports of portSets) checks.push(await redirectCheck(module, ports));
  return checks;
}

const name = 'redirect URI';

async function redirectCheck(module: ProviderModule, ports: number[]): Promise<DiagnosticCheck> {
  let prepared;
  try {
    prepared = await module.prepareSignIn();
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  }
  const listener = await startLoopback({
    providerId: module.info.id,
    attemptSegment: prepared.callbackSegment,
    ports,
    timeoutMs: 10_000,
    check: () => ({ kind: 'ignore' }),
  }).catch((error: unknown) => error as Error);
  if (listener instanceof Error) return { name, ok: false, detail: listener.message };
  listener.callback.catch(() => undefined); // closed below, unanswered
  try {
    const { redirectUri } = listener;
    const attempt = await prepared.begin(redirectUri);
    const verdict = await module.probeRedirect!(attempt.authorizationUrl, redirectUri);
    const said = `${redirectUri} ${verdict.kind} (${verdict.detail})`;
    if (verdict.kind !== 'refused') return { name, ok: true, detail: said };
    const { displayName } = module.info;
    const why = redirectRejected(displayName, redirectUri, verdict, module.fixedPorts);
    return { name, ok: false, detail: said, next: why.message };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  } finally {
    listener.close();
  }
}
