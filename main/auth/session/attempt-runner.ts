/**
 * One sign-in attempt, up to the provider's verified grant: the provider module, the loopback
 * listener (RFC 8252 §7.3) and the browser opener, or the device flow (RFC 8628). The order is
 * RFC 8252's: the listener never exists without the attempt's state, verifier and nonce, which
 * prepareSignIn() creates first. Status changes go out as state-machine events. The opener gets
 * a file:// start page (main/auth/start-page.ts), never a link or the authorization URL.
 */
import type { LogStep } from '../../../shared/log';
import { GatehouseError } from '../../ports/errors';
import { startLoopback, type LoopbackHandle } from '../loopback';
import type { BrowserAttempt, Grant, ProviderModule } from '../providers/types';
import { redirectRejected } from '../redirect-probe';
import type { ReplyOutcome } from '../reply-pages';
import type { SignInLog } from '../sign-in-log';
import { StartPages } from '../start-page';
import type { SessionEvent } from './state-machine';

/** Where an attempt is; a failure is logged with its phase's step. */
export type SignInPhase = 'start' | 'browser' | 'device' | 'exchange' | 'save';

const FAILURE_STEPS: { readonly [P in SignInPhase]: LogStep } = {
  start: 'start-failed',
  browser: 'browser-wait-failed',
  device: 'device-poll-failed',
  exchange: 'exchange-failed',
  save: 'save-failed',
};

export function failureStep(phase: SignInPhase): LogStep {
  return FAILURE_STEPS[phase];
}

/**
 * Opens a URL in a browser: a start page, or a one-time link when no page could be written.
 * `freshUrl` issues a new one (the last one stops working),
 * for an opener that tries several browsers in turn ($BROWSER as a list, main/cli/open-browser.ts).
 */
export type BrowserOpener = (url: string, freshUrl?: () => string) => Promise<void>;

export interface AttemptOptions {
  module: ProviderModule;
  method: 'browser' | 'device';
  log: SignInLog;
  attemptId: string;
  now: () => number;
  /** Null when the browser is not opened here (the link is copied, or printed). */
  openBrowser: BrowserOpener | null;
  /** Aborting ends the attempt with the signal's reason (a GatehouseError). */
  signal: AbortSignal;
  onEvent(event: SessionEvent): void;
  onPhase(phase: SignInPhase): void;
  /** The provider's authorization URL, for tests in the main process: it goes to no opener. */
  onAuthorizationUrl(url: string): void;
  /** After the grant, another browser used the sign-in link: someone else signed in with it. */
  onLinkReusedAfterSignIn(): void;
  /** The provider verified who signed in (its sub), before the grant is complete. */
  onSubject?(sub: string): void;
}

export interface StartedAttempt {
  /** What the browser opens (or "copy link" copies): the listener's one-time /signin link, or
   * the device flow's verification page. */
  url: string;
  grant: Promise<Grant>;
  /** True once a browser was opened here; otherwise `url` is the way in, and it stays usable. */
  browserOpened: boolean;
  /** "Open browser again": a fresh link in a fresh start page (null for the device flow). */
  freshStart: (() => string) | null;
  /**
   * Answers the browser tab that brought the callback, once the caller knows the outcome: after
   * the save, so a keychain failure is not shown as "Signed in". The first answer counts; a tab
   * that never came (the device flow, no callback) makes this a no-op.
   */
  answerTab(outcome: ReplyOutcome): void;
}

/** Starts the attempt; resolves once the link (or code) is ready and the browser was asked. */
export async function runAttempt(o: AttemptOptions): Promise<StartedAttempt> {
  const started = o.method === 'device' ? await startDevice(o) : await startBrowser(o);
  started.grant.catch(() => undefined); // settled by the caller; never an unhandled rejection
  if (o.signal.aborted) throw o.signal.reason;
  return started;
}

async function startDevice(o: AttemptOptions): Promise<StartedAttempt> {
  // The facade refused a provider without the device flow before the attempt began.
  const device = await o.module.startDeviceAuthorization!();
  o.log.record(o.attemptId, 'browser-opened', { detail: 'device flow' });
  const { userCode, verificationUri } = device;
  o.onEvent({ type: 'device-code-issued', deadline: device.expiresAt, userCode, verificationUri });
  o.onPhase('device');
  const url = device.verificationUriComplete ?? verificationUri;
  const answerTab = () => undefined; // no browser tab waits on a device sign-in
  return { url, grant: device.poll(o.signal), browserOpened: false, freshStart: null, answerTab };
}

async function startBrowser(o: AttemptOptions): Promise<StartedAttempt> {
  const prepared = await o.module.prepareSignIn();
  let check: BrowserAttempt['check'] = () => ({ kind: 'ignore' });
  let pages: StartPages | null = null;
  const loopback = await startLoopback({
    providerId: o.module.info.id,
    attemptSegment: prepared.callbackSegment,
    ports: o.module.fixedPorts,
    timeoutMs: o.module.signInTimeoutMs,
    check: (params) => check(params),
    onBrowserReached: () => {
      o.log.record(o.attemptId, 'browser-reached-loopback');
      o.onEvent({ type: 'browser-reached' });
    },
    onIgnored: (reason) =>
      o.log.record(o.attemptId, 'callback-ignored', {
        detail: reason === 'duplicate parameters' ? 'duplicate parameters' : 'not this attempt',
      }),
    onLinkUsed: () => pages?.remove(),
    onReusedAfterEnd: () => o.onLinkReusedAfterSignIn(),
  });
  o.log.record(o.attemptId, 'port-bound', { port: loopback.port });
  const attempt = await beginOrClose(loopback, () => prepared.begin(loopback.redirectUri));
  await preflight(o, loopback, attempt.authorizationUrl);
  check = attempt.check;
  const cancel = () => loopback.close(o.signal.reason as GatehouseError);
  if (o.signal.aborted) cancel();
  else o.signal.addEventListener('abort', cancel, { once: true });
  const grant = loopback.callback.then((url) => {
    o.log.record(o.attemptId, 'callback-received');
    o.onEvent({ type: 'callback-received' });
    o.onPhase('exchange');
    return attempt.complete(url, { onSubject: (sub) => o.onSubject?.(sub) });
  });
  o.onEvent({ type: 'listener-ready', deadline: o.now() + o.module.signInTimeoutMs });
  o.onPhase('browser');
  o.onAuthorizationUrl(attempt.authorizationUrl);
  pages = startPages(loopback, attempt.authorizationUrl);
  const freshStart = pages.next.bind(pages);
  // The tab that brought the callback waits (loopback-reply.ts) until the caller answers it with
  // what the window and the CLI say. Cancel, supersede and abort close the listener, which
  // answers the tab with that reason first.
  const answerTab = (outcome: ReplyOutcome) => loopback.complete(outcome);
  if (o.openBrowser === null || o.signal.aborted) {
    // Copied or printed, not opened: the link itself, as no command line carries it.
    const url = loopback.startUrl(attempt.authorizationUrl);
    return { url, grant, browserOpened: false, freshStart, answerTab };
  }
  const browserOpened = await tryOpen(o, o.openBrowser, freshStart(), freshStart);
  return { url: pages.link!, grant, browserOpened, freshStart, answerTab };
}

/**
 * Redirect URIs each provider accepted this run, probed once each. A refusal is not kept: the
 * person may register the URI and try again at once.
 */
const ACCEPTED = new WeakMap<ProviderModule, Set<string>>();

/**
 * What a verdict is kept under. RFC 8252 §7.3: for a loopback redirect URI the provider must
 * allow any port, so one that accepted an ephemeral port (never registered anywhere) accepts
 * the next sign-in's; the URI without its port is the key. A fixed port is its own URI.
 */
function verdictKey(module: ProviderModule, redirectUri: string): string {
  if (module.fixedPorts.length > 0) return redirectUri;
  const url = new URL(redirectUri);
  url.port = '';
  return url.href;
}

/** Before the browser opens: a provider that refuses the redirect URI ends the attempt now. */
async function preflight(o: AttemptOptions, loopback: LoopbackHandle, authorizationUrl: string) {
  const { module } = o;
  const accepted = ACCEPTED.get(module) ?? new Set<string>();
  const key = verdictKey(module, loopback.redirectUri);
  if (!module.probeRedirect || accepted.has(key)) return;
  const verdict = await module.probeRedirect(authorizationUrl, loopback.redirectUri);
  o.log.record(o.attemptId, 'redirect-probed', { detail: verdict.kind });
  if (verdict.kind === 'accepted') ACCEPTED.set(module, accepted.add(key));
  if (verdict.kind !== 'refused') return;
  const { displayName } = module.info;
  const error = redirectRejected(displayName, loopback.redirectUri, verdict, module.fixedPorts);
  loopback.close(error);
  throw error;
}

/** Each link handed out replaces the unused one before; a page goes once used or at the end. */
function startPages(loopback: LoopbackHandle, authorizationUrl: string): StartPages {
  const pages = new StartPages({
    issue: () => loopback.startUrl(authorizationUrl),
    onLinkExposed: () => loopback.linkExposed(),
  });
  const remove = () => pages.remove();
  loopback.callback.then(remove, remove);
  return pages;
}

/** Builds the authorization request; a failure there closes the listener it was built for. */
async function beginOrClose(
  loopback: LoopbackHandle,
  begin: () => Promise<BrowserAttempt>,
): Promise<BrowserAttempt> {
  try {
    return await begin();
  } catch (error) {
    loopback.close(
      error instanceof GatehouseError
        ? error
        : new GatehouseError('internal', 'The sign-in could not start.'),
    );
    throw error;
  }
}

/** A browser that cannot be opened is logged; the attempt keeps waiting for its link. */
async function tryOpen(
  o: AttemptOptions,
  open: BrowserOpener,
  startUrl: string,
  freshUrl: () => string,
): Promise<boolean> {
  try {
    await open(startUrl, freshUrl);
    o.log.record(o.attemptId, 'browser-opened');
    return true;
  } catch {
    // The opener's reason may name local paths: the log keeps only the code.
    o.log.record(o.attemptId, 'browser-open-failed', { code: 'browser_open_failed' });
    o.onEvent({ type: 'browser-not-opened' });
    return false;
  }
}
