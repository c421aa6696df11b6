/**
 * `npm run preview`: the real window in the system browser, for machines without Electron. The
 * engine runs in this Node process on the data folder and keychain that the app and the command
 * line share. A development tool run with tsx from its source: it is never built into dist/.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GatehouseCore } from '../app/core';
import { openStores } from '../app/open-stores';
import { defaultDataDir } from '../app/paths';
import { StartPages } from '../auth/start-page';
import { createCliFetch } from '../cli/cli-fetch';
import type { CliIo } from '../cli/io';
import { cliBrowserOpener, openWithSystemBrowser } from '../cli/open-browser';
import { startPreviewServer, type PreviewServer } from './server';

const USAGE = `Usage: npm run preview [-- --no-open]
Serves the Gatehouse window to your browser on 127.0.0.1, over the real engine.
  --no-open   only print the one-time link; do not open a browser`;

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  version: readVersion(),
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'no-open': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return io.out(USAGE);
  const dataDir = defaultDataDir(io.env);
  // GATEHOUSE_KEYCHAIN_SERVICE isolates test runs, as for the command line.
  const stores = await openStores(dataDir, {
    service: io.env.GATEHOUSE_KEYCHAIN_SERVICE || 'Gatehouse',
  });
  const core = new GatehouseCore({
    configDir: dataDir,
    dataDir,
    env: io.env,
    ...stores,
    openBrowser: cliBrowserOpener(io),
    fetch: createCliFetch(io.env),
    appVersion: io.version ?? '0.0.0',
  });
  void core.sessions.restore();
  const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
  let pages: StartPages | null = null;
  const server = await startPreviewServer({
    core,
    rendererDir,
    onLinkUsed: () => pages?.remove(),
  });
  io.out(`Gatehouse preview on ${server.origin}, data folder ${dataDir}.`);
  if (values['no-open']) {
    io.out(`Open this one-time link in your browser (it works once):\n  ${server.issueLink()}`);
  } else {
    pages = await openInBrowser(server);
    io.out(`If no browser opened, open this one-time link (it works once):\n  ${pages.link}`);
  }
  io.out('Press Ctrl-C to stop.');
  const stop = async () => {
    pages?.remove();
    await server.close();
    await core.dispose();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
}

/** The link reaches the browser inside a file:// start page, never on its command line. */
async function openInBrowser(server: PreviewServer): Promise<StartPages> {
  const pages = new StartPages({ issue: () => server.issueLink(), onLinkExposed: () => undefined });
  const url = pages.next();
  if (!url.startsWith('file:')) {
    io.err('npm run preview: no private folder for a start page, so no browser is opened.');
    return pages;
  }
  await openWithSystemBrowser(url, { env: io.env, freshUrl: () => pages.next() }).catch(
    (error: Error) => io.err(`npm run preview: ${error.message}`),
  );
  return pages;
}

function readVersion(): string {
  try {
    const file = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

main().catch((error: unknown) => {
  io.err(`npm run preview: ${(error as Error).message}`);
  process.exit(1);
});
