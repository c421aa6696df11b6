/**
 * @napi-rs/keyring, called from a worker thread. Creating an entry opens a Secret Service
 * session (a D-Bus connection and a key exchange) synchronously, about 10 ms in which the
 * thread can do nothing else; in Electron the main thread is the one that repaints the window.
 * In the worker that wait blocks only the worker. Each call is one message; errors come back as
 * their message text, the only structured content the library's errors have, which
 * keychain-error.ts classifies exactly as before.
 *
 * If the worker cannot start or load the module (a packaging fault, say), the same code runs on
 * this thread instead, so the keychain still works, only without the gain.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface KeyringCredential {
  account: string;
  password: string;
}

export type KeyringCall =
  | { op: 'get'; service: string; account: string }
  | { op: 'set'; service: string; account: string; value: string }
  | { op: 'delete'; service: string; account: string }
  | { op: 'find'; service: string }
  | { op: 'warm'; service: string; account: string };

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  message?: string;
}

interface Port {
  postMessage(message: unknown): void;
}

/**
 * The worker's code, plain JavaScript because it is evaluated, not bundled: no build step can
 * break it, and the one copy serves both the worker and the in-thread fallback. `port` answers
 * the caller; `data` carries the module's path and the entry options. One entry per service and
 * account is kept open and reused, also after its item is deleted: an entry holds its own D-Bus
 * connection until the garbage collector frees it, which in this quiet thread can take hundreds
 * of messages, so an account signed in and out again reuses its entry instead of opening
 * another. The oldest beyond `maxEntries` is let go. A cached entry whose session went stale
 * (the daemon restarted) is retried once on a fresh one.
 */
const ENGINE = `
const { AsyncEntry, findCredentialsAsync } = require(data.modulePath);
const entries = new Map();
const keyOf = (m) => m.service + '\\u0000' + m.account;
function entry(m) {
  let found = entries.get(keyOf(m));
  if (!found) {
    found = new AsyncEntry(m.service, m.account, data.entryOptions);
    entries.set(keyOf(m), found);
    if (entries.size > data.maxEntries) entries.delete(entries.keys().next().value);
  }
  return found;
}
async function withEntry(m, op) {
  const cached = entries.has(keyOf(m));
  try {
    return await op(entry(m));
  } catch (error) {
    if (!cached) throw error;
    entries.delete(keyOf(m));
    return await op(entry(m));
  }
}
const ops = {
  get: (m) => withEntry(m, (e) => e.getPassword()),
  set: (m) => withEntry(m, (e) => e.setPassword(m.value)),
  delete: (m) => withEntry(m, (e) => e.deleteCredential()),
  find: (m) => findCredentialsAsync(m.service),
  warm: async (m) => { entry(m); },
};
return async (m) => {
  try {
    port.postMessage({ id: m.id, ok: true, value: await ops[m.op](m) });
  } catch (error) {
    port.postMessage({ id: m.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
};
`;

/** Open entries kept: more accounts than a person has, fewer than a D-Bus daemon allows. */
const MAX_OPEN_ENTRIES = 64;

const WORKER_SOURCE = `
const { parentPort: port, workerData: data } = require('node:worker_threads');
const handle = (function (require, port, data) {${ENGINE}})(require, port, data);
port.on('message', handle);
`;

/**
 * The module's own file, outside the asar archive: electron-builder.yml unpacks
 * node_modules/@napi-rs/keyring*, and a worker thread cannot be relied on to read inside
 * app.asar, so the path is mapped to app.asar.unpacked (no change outside a packaged app).
 */
export function keyringModulePath(from: string = import.meta.url): string {
  return outsideAsar(createRequire(from).resolve('@napi-rs/keyring'));
}

export function outsideAsar(file: string): string {
  return file.replace(/\.asar([\\/])/, '.asar.unpacked$1');
}

export interface KeyringThreadOptions {
  modulePath?: string;
  /** The worker's code; tests give one that fails, to prove the fallback. */
  workerSource?: string;
}

export class KeyringThread {
  readonly #data: { modulePath: string; entryOptions: unknown; maxEntries: number };
  readonly #source: string;
  readonly #pending = new Map<number, { call: KeyringCall; settle: (reply: Reply) => void }>();
  #nextId = 1;
  #worker: Worker | null = null;
  #inThread: Handler | null = null;

  constructor(entryOptions: unknown, options: KeyringThreadOptions = {}) {
    const modulePath = options.modulePath ?? keyringModulePath();
    this.#data = { modulePath, entryOptions, maxEntries: MAX_OPEN_ENTRIES };
    this.#source = options.workerSource ?? WORKER_SOURCE;
  }

  /** Where calls run now: 'worker', or 'this thread' after the worker failed. */
  get where(): 'worker' | 'this thread' | 'not started' {
    if (this.#inThread) return 'this thread';
    return this.#worker ? 'worker' : 'not started';
  }

  call(call: KeyringCall): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise<Reply>((settle) => {
      this.#pending.set(id, { call, settle });
      if (this.#pending.size === 1) this.#worker?.ref();
      this.#send(id, call);
    }).then((reply) => {
      if (reply.ok) return reply.value;
      throw new Error(reply.message ?? 'keychain call failed');
    });
  }

  /**
   * Stops the worker (tests, and an app quitting); calls after this start a new one, and so do
   * calls it had not answered, which are sent again.
   */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
    for (const [id, { call }] of this.#pending) this.#send(id, call);
  }

  #send(id: number, call: KeyringCall) {
    const message = { id, ...call };
    if (this.#inThread) return void this.#inThread(message);
    try {
      (this.#worker ??= this.#start()).postMessage(message);
    } catch {
      this.#fallBack();
    }
  }

  #start(): Worker {
    const worker = new Worker(this.#source, { eval: true, workerData: this.#data });
    worker.on('message', (reply: Reply) => this.#answer(reply));
    worker.on('error', () => this.#fallBack());
    worker.on('exit', () => {
      if (this.#worker === worker && this.#pending.size > 0) this.#fallBack();
      if (this.#worker === worker) this.#worker = null;
    });
    if (this.#pending.size === 0) worker.unref();
    return worker;
  }

  #answer(reply: Reply) {
    const entry = this.#pending.get(reply.id);
    if (!entry) return;
    this.#pending.delete(reply.id);
    entry.settle(reply);
    // An idle worker must not keep the process alive (the CLI exits when its work is done).
    if (this.#pending.size === 0) this.#worker?.unref();
  }

  /** The worker failed: every call not yet answered is sent again, on this thread. */
  #fallBack() {
    if (this.#inThread) return;
    const worker = this.#worker;
    this.#worker = null;
    void worker?.terminate();
    this.#inThread = runInThisThread(this.#data, (reply) => this.#answer(reply));
    for (const [id, { call }] of this.#pending) void this.#inThread({ id, ...call });
  }
}

type Handler = (message: unknown) => Promise<void>;

function runInThisThread(data: unknown, answer: (reply: Reply) => void): Handler {
  const port: Port = { postMessage: (reply) => answer(reply as Reply) };
  try {
    // The same engine as the worker's, evaluated once here: one copy of the keychain logic.
    const make = new Function('require', 'port', 'data', ENGINE) as (
      r: NodeJS.Require,
      p: Port,
      d: unknown,
    ) => Handler;
    return make(createRequire(import.meta.url), port, data);
  } catch (error) {
    // The module does not load here either: every call fails with the loader's own words.
    const message = error instanceof Error ? error.message : String(error);
    return async (m) => answer({ id: (m as { id: number }).id, ok: false, message });
  }
}
