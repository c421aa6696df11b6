/**
 * The sign-in's start page, Jupyter's technique: the opener gets the file:// URL of a small page
 * that redirects to the loopback's one-time link, so the link never reaches a command line, which
 * any local user can read (/proc/<pid>/cmdline). The page is readable by this user alone.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FOLDER = 'gatehouse';
const PAGE_NAME = /^signin-[A-Za-z0-9_-]{22}\.html$/;

/**
 * Where a page may go, best first. Snap and flatpak browsers cannot read dot-folders in home, so
 * Linux uses the runtime dir, then the cache dir; elsewhere the per-user temporary folder.
 */
export function startPageFolders(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  if (platform !== 'linux') return [path.join(tmpdir(), FOLDER)];
  const bases = [env.XDG_RUNTIME_DIR, env.XDG_CACHE_HOME || path.join(homedir(), '.cache')];
  return bases
    .filter((base): base is string => !!base && path.isAbsolute(base))
    .map((base) => path.join(base, FOLDER));
}

/** True for the file:// URL of a page written here (the Electron opener allows only these). */
export function isStartPageUrl(url: string, folders: readonly string[] = startPageFolders()) {
  if (!url.startsWith('file:')) return false;
  let file: string;
  try {
    file = fileURLToPath(url);
  } catch {
    return false;
  }
  return PAGE_NAME.test(path.basename(file)) && folders.includes(path.dirname(file));
}

/** Writes a page that redirects to `link`; its path, or null when no folder can be used. */
export function writeStartPage(link: string, folders: readonly string[]): string | null {
  for (const folder of folders) {
    try {
      ownPrivateFolder(folder);
      return writePage(folder, link);
    } catch {
      // Not usable (planted link, someone else's folder, read-only): try the next one.
    }
  }
  return null;
}

/** The folder, 0700 and ours; a symlink or another user's folder is refused, never followed. */
function ownPrivateFolder(folder: string) {
  mkdirSync(path.dirname(folder), { recursive: true, mode: 0o700 });
  try {
    mkdirSync(folder, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = lstatSync(folder);
  if (!stat.isDirectory()) throw new Error('not a folder');
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new Error('not our folder');
  if ((stat.mode & 0o077) !== 0) chmodSync(folder, 0o700);
}

function writePage(folder: string, link: string): string {
  const file = path.join(folder, `signin-${randomBytes(16).toString('base64url')}.html`);
  // A random name, O_EXCL and O_NOFOLLOW: nothing planted at the path is ever written through.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fd = openSync(file, flags, 0o600);
  try {
    writeSync(fd, pageHtml(link));
  } finally {
    closeSync(fd);
  }
  return file;
}

/** Meta refresh and location.replace (no history entry to come back to), and a plain link. */
function pageHtml(link: string): string {
  const attr = link.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const script = JSON.stringify(link).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${attr}">
<title>Gatehouse sign-in</title>
<script>location.replace(${script});</script>
</head><body><p>Continuing to the sign-in. If nothing happens, <a href="${attr}">continue here</a>.</p></body></html>
`;
}

export interface StartPagesOptions {
  /** Issues a fresh one-time link; the one before stops working (main/auth/loopback.ts). */
  issue: () => string;
  /** No page could be written: the link itself goes to the opener, visible in a process list. */
  onLinkExposed: () => void;
  folders?: readonly string[];
}

/**
 * An attempt's ways in: each `next()` issues a fresh link wrapped in a fresh page and deletes
 * the page before; `remove()` deletes the last one (its link was used, or the attempt ended).
 */
export class StartPages {
  readonly #o: StartPagesOptions;
  #file: string | null = null;
  #link: string | null = null;

  constructor(options: StartPagesOptions) {
    this.#o = options;
  }

  /** The latest link, for "copy link" and the command line's printed fallback. */
  get link(): string | null {
    return this.#link;
  }

  next(): string {
    this.remove();
    const link = this.#o.issue();
    this.#link = link;
    this.#file = writeStartPage(link, this.#o.folders ?? startPageFolders());
    if (this.#file) return pathToFileURL(this.#file).href;
    this.#o.onLinkExposed();
    return link;
  }

  remove(): void {
    if (this.#file) rmSync(this.#file, { force: true });
    this.#file = null;
  }
}
