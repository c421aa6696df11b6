/**
 * The browser preview's channel: the built renderer and the IPC contract over HTTP on
 * 127.0.0.1. Requests go through the same dispatcher and handler table as Electron's IPC
 * (main/ipc/register.ts), so the same zod schemas check them; PreviewGate plays the sender check.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatehouseCore } from '../app/core';
import { dispatch } from '../ipc/dispatch';
import { createHandlers } from '../ipc/handlers';
import { EventStreams } from './event-streams';
import { LINK_PATH, PreviewGate } from './gate';
import { BASE_HEADERS, loadRendererFiles, type RendererFiles } from './renderer-files';

/** The largest request body: the contract's biggest argument is a few ids. */
const MAX_BODY_BYTES = 64 * 1024;
/** Below the gate's base: the renderer's preview API (renderer/src/preview-api.ts) uses these. */
const API = 'api';
const EVENTS = 'events';

export interface PreviewServerOptions {
  core: GatehouseCore;
  /** The Vite-built renderer, dist/renderer. */
  rendererDir: string;
  /** The one-time link was used: its start page, if one was written, can go. */
  onLinkUsed?: () => void;
}

export interface PreviewServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** A fresh one-time link that lets one browser in; the link before stops working. */
  issueLink(): string;
  close(): Promise<void>;
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const files = loadRendererFiles(options.rendererDir);
  const table = createHandlers(options.core);
  const streams = new EventStreams();
  let gate: PreviewGate | null = null;
  const server = createServer((req, res) => {
    const route = { gate: gate!, files, streams, options };
    handle(route, req, res, (channel, payload) => dispatch(table, channel, payload)).catch(() => {
      if (!res.headersSent) text(res, 500, 'The preview could not answer.');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const ours = new PreviewGate((server.address() as AddressInfo).port);
  gate = ours;
  const unsubscribe = options.core.sessions.onChange((snapshot) =>
    streams.send('session:changed', snapshot),
  );
  return {
    origin: ours.origin,
    issueLink: () => ours.issueLink(),
    async close() {
      unsubscribe();
      streams.closeAll();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface Route {
  gate: PreviewGate;
  files: RendererFiles;
  streams: EventStreams;
  options: PreviewServerOptions;
}

type Dispatch = (channel: unknown, payload: unknown) => Promise<unknown>;

async function handle(route: Route, req: IncomingMessage, res: ServerResponse, call: Dispatch) {
  const { gate } = route;
  const url = new URL(req.url ?? '/', gate.origin);
  const isLink = url.pathname === LINK_PATH;
  const refused = gate.refuseSender(req, isLink);
  if (refused) return text(res, 403, refused);
  if (isLink) return openLink(route, url, res);
  if (!gate.authorised(req))
    return text(res, 401, 'Not signed in to the preview: open the link `npm run preview` printed.');
  if (!url.pathname.startsWith(gate.base)) return text(res, 404, 'Not found.');
  const rest = url.pathname.slice(gate.base.length);
  if (rest === API) {
    if (req.method !== 'POST') return text(res, 405, 'Use POST.');
    return answerCall(req, res, call);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'Use GET.');
  if (rest === EVENTS) {
    return route.streams.open(res, 'session:changed', route.options.core.sessions.snapshot());
  }
  return route.files.serve(rest, res, req.method === 'HEAD');
}

/**
 * The one-time link answers with a page that moves on by itself: that second navigation starts
 * from this origin, so the browser sends the SameSite=Strict cookie even when the link was
 * opened from the file:// start page, whose redirect is cross-site.
 */
function openLink(route: Route, url: URL, res: ServerResponse) {
  const use = route.gate.useLink(url.searchParams.get('t'));
  if (use.kind === 'refused') {
    return text(
      res,
      403,
      'This link was already used or is not valid. Restart `npm run preview` for a new one.',
    );
  }
  route.options.onLinkUsed?.();
  const base = route.gate.base;
  res.writeHead(200, {
    ...BASE_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Set-Cookie': use.setCookie,
  });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
      `<meta http-equiv="refresh" content="0;url=${base}"><title>Gatehouse preview</title>` +
      `</head><body><p><a href="${base}">Open Gatehouse</a></p></body></html>\n`,
  );
}

/** POST {channel, payload} as JSON; the answer is the dispatcher's Result, as over IPC. */
async function answerCall(req: IncomingMessage, res: ServerResponse, call: Dispatch) {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // A cross-origin page cannot send application/json without a CORS preflight, never answered.
  if (type !== 'application/json') return text(res, 415, 'Send application/json.');
  const body = await readBody(req);
  if (body === null) return text(res, 413, 'The request is too large.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return text(res, 400, 'The request is not JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return text(res, 400, 'Send {"channel", "payload"}.');
  const { channel, payload } = parsed as { channel?: unknown; payload?: unknown };
  const result = await call(channel, payload);
  res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(result));
}

/** The body as text, or null past MAX_BODY_BYTES (the rest is not read). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  });
  res.end(message);
}
