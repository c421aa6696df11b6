/**
 * Attack: a compromised or tricked renderer calls window.open('https://evil.example/') to make
 * the app hand an attacker's page to the system browser (phishing that looks app-initiated).
 * main/window.ts's setWindowOpenHandler calls decideWindowOpen with startedProviderPages of the
 * live snapshot; here both run against a real device sign-in at the local GitHub server.
 */
import { describe, expect, it } from 'vitest';
import type { GatehouseCore } from '../../../main/app/core';
import { decideWindowOpen, startedProviderPages } from '../../../main/app/window-policy';
import { cleanupAfterEach } from '../../support/cleanup';
import { startGithubServer, type GithubServer } from '../../support/github-server';
import { buildWorld } from '../../support/world';

const track = cleanupAfterEach();

async function world(): Promise<{ gh: GithubServer; core: GatehouseCore }> {
  const gh = track(await startGithubServer({ deviceInterval: 1 }));
  const { clientId, clientSecret } = gh.knobs;
  const github = { id: 'github', kind: 'github', clientId, clientSecret, baseUrl: gh.url };
  const { core } = track(await buildWorld({ prefix: 'gh-window-open-', providers: [github] }));
  return { gh, core };
}

/** What the window-open handler does with a URL the renderer asked for, right now. */
function opensExternally(core: GatehouseCore, url: string): boolean {
  const decision = decideWindowOpen(url, startedProviderPages(core.sessions.snapshot()));
  expect(decision.action).toBe('deny'); // never a new Electron window
  return decision.openExternally;
}

function pendingDevicePage(core: GatehouseCore): { verificationUri: string; userCode: string } {
  const status = core.sessions.snapshot().pending[0]?.status;
  if (status?.kind !== 'device-code') throw new Error(`no device code shown: ${status?.kind}`);
  return status;
}

describe('window.open from the renderer opens only the provider pages the app started', () => {
  it('a renderer window.open of another site is refused, with or without a sign-in waiting', async () => {
    const { core } = await world();
    for (const url of ['https://evil.example/', 'https://github.com/settings/applications'])
      expect(opensExternally(core, url), url).toBe(false);
    const started = await core.sessions.signIn('github', { method: 'device' });
    const page = pendingDevicePage(core).verificationUri;
    const lookAlikes = [
      'https://evil.example/',
      `${page}?next=https://evil.example/`,
      `${page}/../../evil`,
      page.replace('http://', 'http://user:pw@'),
      page.replace('http://', 'https://'),
    ];
    for (const url of lookAlikes) expect(opensExternally(core, url), url).toBe(false);
    core.sessions.cancel('github');
    await started.done.catch(() => undefined);
  });

  it('the waiting device sign-in page opens; once the attempt is cancelled it no longer does', async () => {
    const { core } = await world();
    const started = await core.sessions.signIn('github', { method: 'device' });
    const page = pendingDevicePage(core).verificationUri;
    expect(opensExternally(core, page)).toBe(true);
    core.sessions.cancel('github');
    await expect(started.done).rejects.toMatchObject({ code: 'cancelled' });
    expect(opensExternally(core, page)).toBe(false);
  });

  it('once the device sign-in completes, its page no longer opens', async () => {
    const { gh, core } = await world();
    const started = await core.sessions.signIn('github', { method: 'device' });
    const { verificationUri, userCode } = pendingDevicePage(core);
    expect(opensExternally(core, verificationUri)).toBe(true);
    gh.approveDevice(userCode, 'octo');
    await expect(started.done).resolves.toMatchObject({ accountId: 'github:583231' });
    expect(opensExternally(core, verificationUri)).toBe(false);
  });
});
