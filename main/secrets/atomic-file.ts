/**
 * Crash-safe small files: write a temp file in the same folder, fsync it, rename it over the
 * target, fsync the folder. A reader sees the old file or the new one, never a torn mix. The
 * temp file has a random name and is created with O_EXCL ('wx'), so a file or symlink planted
 * there is refused, never followed (open(2): O_EXCL with O_CREAT fails on a symbolic link).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

/** A temp file's name beside `file`: random, so another writer's never collides. */
function tempOf(file: string): string {
  return path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

export async function writeFileAtomic(file: string, data: string, mode = 0o600): Promise<void> {
  const temp = tempOf(file);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

/**
 * The same at process exit, when no event loop is left to run the async one (Electron quits
 * without draining it): temp + fsync + rename, and nothing thrown, since nothing can report it.
 */
export function writeFileAtomicSync(file: string, data: string, mode = 0o600): void {
  const temp = tempOf(file);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeFileSync(fd, data); // loops until every byte is written, as writeSync alone may not
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // Nothing was created.
    }
  }
}

/** A file writer that batches its writes, and can write what it holds at once. */
export interface ExitWriter {
  writeUnsavedSync(): void;
}

/** Writers with changes not yet on disk, written synchronously if the process exits first. */
const unsaved = new Set<ExitWriter>();
let exitHookInstalled = false;

/** `writer` holds changes not yet on disk: at exit, it writes them synchronously. */
export function markUnsaved(writer: ExitWriter): void {
  unsaved.add(writer);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Electron quits without draining the event loop: a change made just before still lands.
  process.once('exit', () => {
    for (const w of unsaved) w.writeUnsavedSync();
    unsaved.clear();
  });
}

/** Everything `writer` held is on disk. */
export function markSaved(writer: ExitWriter): void {
  unsaved.delete(writer);
}

async function syncDirectory(dir: string) {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open or fsync a directory; its rename is already durable enough.
  }
}

export type ReadResult<T> =
  { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'corrupt'; reason: string };

/** Reads and validates a JSON file; a torn, empty or invalid file is reported, never thrown. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<ReadResult<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', reason: 'not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return {
      kind: 'corrupt',
      reason: `invalid at ${parsed.error.issues[0]?.path.join('.') ?? '?'}`,
    };
  return { kind: 'ok', value: parsed.data };
}
