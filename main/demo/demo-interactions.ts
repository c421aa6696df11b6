/**
 * The demo provider's interaction routes, in place of oidc-provider's development pages: the
 * `interactions.url` it redirects to shows the login or consent page (demo-pages.ts), and the
 * forms end with `interactionFinished`, as oidc-provider's documentation describes.
 */
import type { IncomingMessage } from 'node:http';
import type { default as Provider, InteractionResults } from 'oidc-provider';
import type { ConsentBook } from './demo-consents';
import { PAGE_HEADERS, consentPage, loginPage, messagePage } from './demo-pages';

type Middleware = Parameters<Provider['use']>[0];
type Ctx = Parameters<Middleware>[0];
type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|consent|abort))?$/;
/** Enough for any user name the engine accepts (1,024 UTF-8 bytes, percent-encoded). */
const MAX_FORM_BYTES = 16 * 1024;

export function interactionsPath(uid: string): string {
  return `/interaction/${uid}`;
}

export function demoInteractions(provider: Provider, consents: ConsentBook): Middleware {
  return async (ctx, next) => {
    const match = ROUTE.exec(ctx.path);
    if (!match) return next();
    const [, uid, action = 'show'] = match;
    ctx.set(PAGE_HEADERS);
    try {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid !== uid) return expired(ctx);
      const route = `${ctx.method} ${action}`;
      if (route === 'GET show') return await show(ctx, provider, details);
      if (route === 'GET abort')
        return await finish(ctx, provider, {
          error: 'access_denied',
          error_description: 'End-User aborted interaction',
        });
      if (route === 'POST login') return await submitLogin(ctx, provider, details);
      if (route === 'POST consent') return await submitConsent(ctx, provider, details, consents);
      return answer(ctx, 405, messagePage('Not here', 'This page only answers its own form.'));
    } catch (error) {
      if ((error as { name?: unknown }).name === 'SessionNotFound') return expired(ctx);
      throw error;
    }
  };
}

function answer(ctx: Ctx, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = html;
}

function expired(ctx: Ctx): void {
  answer(
    ctx,
    400,
    messagePage(
      'This sign-in page has expired',
      'It belongs to a sign-in that has ended, or was opened in another browser.',
    ),
  );
}

async function clientName(provider: Provider, details: Details): Promise<string> {
  const client = await provider.Client.find(String(details.params.client_id));
  return client?.clientName ?? 'Gatehouse';
}

async function show(ctx: Ctx, provider: Provider, details: Details) {
  const name = await clientName(provider, details);
  if (details.prompt.name === 'login') {
    const hint = details.params.login_hint;
    const page = { uid: details.uid, clientName: name };
    return answer(
      ctx,
      200,
      loginPage(typeof hint === 'string' ? { ...page, loginHint: hint } : page),
    );
  }
  if (details.prompt.name === 'consent') {
    const missing = details.prompt.details.missingOIDCScope;
    const scopes = Array.isArray(missing) ? missing.map(String) : [];
    const accountId = details.session?.accountId ?? '';
    return answer(ctx, 200, consentPage({ uid: details.uid, clientName: name, accountId, scopes }));
  }
  return answer(ctx, 400, messagePage('Not supported', 'The demo provider cannot ask for this.'));
}

async function finish(
  ctx: Ctx,
  provider: Provider,
  result: InteractionResults,
  merge = false,
): Promise<void> {
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
  // interactionFinished has answered (303 to the authorization resume): Koa must not answer too.
  ctx.respond = false;
}

async function submitLogin(ctx: Ctx, provider: Provider, details: Details) {
  if (details.prompt.name !== 'login') return expired(ctx);
  const form = await readForm(ctx.req);
  if (!form) return answer(ctx, 413, messagePage('Too long', 'That user name is too long.'));
  const login = form.get('login') ?? '';
  if (!login) {
    const name = await clientName(provider, details);
    const problem = 'Enter a user name: any name signs in.';
    return answer(ctx, 400, loginPage({ uid: details.uid, clientName: name, problem }));
  }
  await finish(ctx, provider, { login: { accountId: login } });
}

async function submitConsent(
  ctx: Ctx,
  provider: Provider,
  details: Details,
  consents: ConsentBook,
) {
  const accountId = details.session?.accountId;
  if (details.prompt.name !== 'consent' || !accountId) return expired(ctx);
  await readForm(ctx.req);
  const clientId = String(details.params.client_id);
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId, clientId });
  const { missingOIDCScope, missingOIDCClaims } = details.prompt.details;
  if (Array.isArray(missingOIDCScope)) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (Array.isArray(missingOIDCClaims)) grant.addOIDCClaims(missingOIDCClaims.map(String));
  const grantId = await grant.save();
  // Remembered for the account, not the browser: the next sign-in asks no second time.
  await consents.remember(clientId, accountId, grantId);
  await finish(ctx, provider, { consent: { grantId } }, true);
}

/** The form body, or null when it is larger than any form of these pages. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
