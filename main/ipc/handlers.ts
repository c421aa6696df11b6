/**
 * The handler table: one function per request channel of shared/ipc.ts, over the
 * electron-free core. No electron import here, so the same table serves the app, the browser
 * tests' bridge and the IPC fuzzer.
 */
import type { GatehouseCore } from '../app/core';
import type { HandlerTable } from './dispatch';

export function createHandlers(core: GatehouseCore): HandlerTable {
  const sessions = core.sessions;
  return {
    'app:get-info': () => core.appInfo(),
    'providers:list': () => core.providersList(),
    'providers:reload': () => core.reload(),
    'auth:sign-in': async ({ providerId, method, linkTo }) => {
      const started = await sessions.signIn(providerId, {
        method: method ?? 'browser',
        ...(linkTo ? { linkTo } : {}),
      });
      return { attemptId: started.attemptId };
    },
    'auth:copy-link': async ({ providerId }) => {
      // Each copy is a fresh attempt with new state and PKCE: a copied link is never reused.
      const started = await sessions.signIn(providerId, { openBrowser: false });
      return { attemptId: started.attemptId, url: started.url ?? '' };
    },
    'auth:open-browser-again': ({ providerId }) => sessions.openBrowserAgain(providerId),
    'auth:cancel': ({ providerId }) => {
      sessions.cancel(providerId);
    },
    'auth:sign-out': ({ accountId }) => sessions.signOut(accountId),
    'auth:refresh': ({ accountId }) => sessions.refresh(accountId),
    'session:list': () => sessions.snapshot(),
    'profile:list': () => sessions.profiles(),
    'profile:unlink': ({ accountId }) => sessions.unlink(accountId),
    'log:list': () => core.log.list(),
    'log:export': () => ({ json: core.log.exportJson() }),
  };
}
