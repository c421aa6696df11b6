/**
 * The Vite-built renderer (dist/renderer), served as the app:// protocol serves it
 * (main/window.ts), except that the page's policy is PREVIEW_CSP, in the header and in the
 * <meta> tag alike: a page obeys both policies, so the packaged tag alone would block the channel.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { PREVIEW_CSP, RENDERER_CSP } from '../../shared/csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Headers every answer of the preview carries: no caching, sniffing, framing or referrer. */
export const BASE_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export interface RendererFiles {
  /** Answers a GET or HEAD for `relative` (a path below the gate's base, '' for the page). */
  serve(relative: string, res: ServerResponse, head: boolean): Promise<void>;
}

/** Reads index.html once; fails at start when the renderer is not built or its tag changed. */
export function loadRendererFiles(rendererDir: string): RendererFiles {
  const root = path.resolve(rendererDir);
  const indexFile = path.join(root, 'index.html');
  let html: string;
  try {
    html = readFileSync(indexFile, 'utf8');
  } catch {
    throw new Error(`${root}/index.html is missing: run \`npm run build:renderer\` first.`);
  }
  const packagedTag = `content="${RENDERER_CSP}"`;
  if (!html.includes(packagedTag))
    throw new Error(`${root}/index.html does not carry the window's CSP tag (shared/csp.ts).`);
  const page = Buffer.from(html.replace(packagedTag, `content="${PREVIEW_CSP}"`));

  return {
    async serve(relative, res, head) {
      const file = inside(root, relative === '' ? 'index.html' : relative);
      let body: Buffer;
      try {
        if (file === null) throw new Error('outside the renderer');
        body = file === indexFile ? page : await readFile(file);
      } catch {
        res.writeHead(404, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
        return void res.end('Not found.');
      }
      res.writeHead(200, {
        ...BASE_HEADERS,
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': PREVIEW_CSP,
      });
      res.end(head ? undefined : body);
    },
  };
}

/** The file `relative` names below `root`, or null for a malformed escape or a way out. */
function inside(root: string, relative: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(relative);
  } catch {
    return null;
  }
  const file = path.normalize(path.join(root, name));
  return file.startsWith(root + path.sep) ? file : null;
}
