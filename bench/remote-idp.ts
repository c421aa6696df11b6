/**
 * The bench's handle on bench/idp-child.ts: the identity provider and the login "browser" in a
 * child process, so that what the bench process measures (wall time, CPU, event-loop blocks,
 * memory) is the client's own. Each request is answered over the IPC channel, within a deadline.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { IdpReply, IdpRequest } from './idp-child';

const DEADLINE_MS = 60_000;

type Op = IdpRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class RemoteIdp {
  readonly issuer: string;
  /** The client id the provider knows Gatehouse by (the bare script and AppAuth have theirs). */
  readonly clientId: string;
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, (reply: IdpReply) => void>();
  #next = 1;
  /** The child's count of pre-flight probes, as of its last answer. */
  probes = 0;

  private constructor(child: ChildProcess, ready: { issuer: string; clientId: string }) {
    this.#child = child;
    this.issuer = ready.issuer;
    this.clientId = ready.clientId;
    child.on('message', (reply: IdpReply) => {
      this.probes = reply.probes;
      this.#waiting.get(reply.id)?.(reply);
      this.#waiting.delete(reply.id);
    });
  }

  static async start(): Promise<RemoteIdp> {
    const child = fork(fileURLToPath(new URL('./idp-child.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ issuer: string; clientId: string }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the provider process did not start')),
        30_000,
      );
      child.once('message', (message: { issuer: string; clientId: string }) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code) => reject(new Error(`the provider process exited (${code})`)));
    });
    return new RemoteIdp(child, ready);
  }

  /** The browser follows `url` and logs in as `user`; resolves when its last page has loaded. */
  async open(url: string, user: string): Promise<void> {
    await this.#ask({ op: 'open', url, user });
  }

  /** `count` wrong-state callbacks to a listener; resolves with how many got each status. */
  async flood(port: number, path: string, count: number): Promise<Record<string, number>> {
    return (await this.#ask({ op: 'flood', port, path, count, workers: 8 })).statuses ?? {};
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await this.#ask({ op: 'close' }).catch(() => this.#child.kill());
    await exited;
  }

  #ask(op: Op): Promise<IdpReply> {
    const id = this.#next++;
    return new Promise<IdpReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`the provider process did not answer "${op.op}"`));
      }, DEADLINE_MS);
      this.#waiting.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.ok) resolve(reply);
        else reject(new Error(`provider process: ${reply.error}`));
      });
      this.#child.send({ ...op, id } as IdpRequest);
    });
  }
}
