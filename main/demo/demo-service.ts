/**
 * The demo provider as the app and the command line share it. With persistence it is one issuer
 * per data folder: the port chosen the first time and kept in state.json, keys and grants in the
 * keychain. When the port is busy it asks who is there (demo-proof.ts): another Gatehouse process
 * serving the same demo is used as it is; any other program is named in the error. Without
 * persistence (--no-remember, no keychain) it lives in this process's memory alone.
 */
import { randomInt } from 'node:crypto';
import type { AdapterFactory, ClientMetadata } from 'oidc-provider';
import { GatehouseError } from '../ports/errors';
import type { DemoPersistence } from './demo-persistence';
import { connectionRefused, probeDemo } from './demo-proof';
import { persistentAdapter } from './demo-records';
import {
  loadSecrets,
  newDemoKeys,
  newInstanceId,
  readState,
  writeState,
  type DemoSecrets,
  type DemoState,
} from './demo-state';
import { memoryAdapter } from './load-oidc-provider';
import { startDemoServer, type DemoServer, type DemoServerOptions } from './oidc-server';

export interface DemoServiceOptions {
  clients: ClientMetadata[];
  keepAlive?: boolean;
  /** Null: everything in this process's memory (--no-remember, or no keychain). */
  persistence: DemoPersistence | null;
  /** The transport that asks who listens on a busy port. */
  fetch: typeof fetch;
}

/** A sign-in may move the demo to a new port; a refresh or sign-out must find it where it was. */
export type DemoPurpose = 'sign-in' | 'use';

export interface DemoService {
  /** Makes sure the issuer is served, here or by another Gatehouse process; returns it. */
  resume(purpose: DemoPurpose): Promise<string>;
  /** Stops listening here; port, keys and grants are kept. */
  suspend(): Promise<void>;
  close(): Promise<void>;
  /**
   * After a refused connection to `url` while another process served the demo: serves it here
   * instead. True when the request may be sent again (a refused one reached no server).
   */
  recover(url: URL, error: unknown): Promise<boolean>;
}

export function openDemoService(options: DemoServiceOptions): DemoService {
  return options.persistence
    ? new SharedDemo(options, options.persistence)
    : new PrivateDemo(options);
}

/** Ports below every OS's ephemeral range (Linux 32768+, macOS and Windows 49152+). */
const PORT_RANGE = [20_000, 32_768] as const;
const PORT_TRIES = 20;

const issuerAt = (port: number) => `http://127.0.0.1:${port}`;
const addressInUse = (error: unknown) => (error as { code?: unknown }).code === 'EADDRINUSE';

export function portTaken(port: number): GatehouseError {
  return new GatehouseError(
    'demo_port_taken',
    `Another program is using port ${port} on this computer, where the demo provider listens. ` +
      'Close that program and try again, or sign in with the demo provider again to move it to a new port.',
    { reason: `port ${port} in use` },
  );
}

/** Runs the service's steps one at a time (resume, suspend and recover all move the server). */
class Serial {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#tail.catch(() => undefined).then(step);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}

/** In memory: a free port the first time, then the same one; a busy one fails (or moves). */
class PrivateDemo implements DemoService {
  readonly #serial = new Serial();
  readonly #options: DemoServiceOptions;
  #base: Promise<DemoServerOptions> | null = null;
  #server: DemoServer | null = null;

  constructor(options: DemoServiceOptions) {
    this.#options = options;
  }

  resume(purpose: DemoPurpose): Promise<string> {
    return this.#serial.run(async () => {
      const server = this.#server;
      if (!server) return (this.#server = await startDemoServer(await this.#shared())).issuer;
      if (server.listening) return server.issuer;
      try {
        await server.resume();
        return server.issuer;
      } catch (error) {
        if (!addressInUse(error)) throw error;
        if (purpose !== 'sign-in') throw portTaken(server.port);
        // Same keys and records on a new port: the sessions of this run keep working.
        this.#server = await startDemoServer(await this.#shared());
        return this.#server.issuer;
      }
    });
  }

  /** Keys and records made once, so a server on a new port is the same demo. */
  #shared(): Promise<DemoServerOptions> {
    const { clients, keepAlive } = this.#options;
    this.#base ??= Promise.all([newDemoKeys(), memoryAdapter()]).then(([keys, adapter]) => ({
      clients,
      keys,
      adapter,
      ...(keepAlive === undefined ? {} : { keepAlive }),
    }));
    return this.#base;
  }

  suspend(): Promise<void> {
    return this.#serial.run(async () => this.#server?.suspend());
  }

  close(): Promise<void> {
    return this.#serial.run(async () => this.#server?.close());
  }

  async recover(): Promise<boolean> {
    return false;
  }
}

/** Persisted: one issuer per data folder, shared by every Gatehouse process using it. */
class SharedDemo implements DemoService {
  readonly #serial = new Serial();
  readonly #options: DemoServiceOptions;
  readonly #p: DemoPersistence;
  #secrets: DemoSecrets | null = null;
  #adapter: AdapterFactory | null = null;
  #server: { server: DemoServer; instance: string } | null = null;
  /** The issuer another Gatehouse process serves for us, while it does. */
  #remote: string | null = null;

  constructor(options: DemoServiceOptions, persistence: DemoPersistence) {
    this.#options = options;
    this.#p = persistence;
  }

  resume(purpose: DemoPurpose): Promise<string> {
    return this.#serial.run(async () => {
      if (this.#server?.server.listening) return this.#server.server.issuer;
      this.#remote = null;
      const secrets = (this.#secrets ??= await loadSecrets(this.#p));
      // Bounded: each round either serves, finds the demo, or sees the state change under it.
      for (let round = 0; round < 3; round++) {
        const state = (await readState(this.#p)) ?? (await this.#create());
        const served = await this.#serve(state);
        if (served) return served;
        const issuer = issuerAt(state.port);
        const identity = { instance: state.instance, proofKey: secrets.proofKey };
        const found = await probeDemo(this.#options.fetch, issuer, identity);
        if (found === 'ours') return (this.#remote = issuer);
        if (found === 'free') continue;
        if (purpose !== 'sign-in') throw portTaken(state.port);
        const moved = await this.#move(state);
        if (moved) return moved;
      }
      throw portTaken((await readState(this.#p))?.port ?? 0);
    });
  }

  suspend(): Promise<void> {
    return this.#serial.run(async () => {
      this.#remote = null;
      await this.#server?.server.suspend();
    });
  }

  close(): Promise<void> {
    return this.#serial.run(async () => {
      this.#remote = null;
      await this.#server?.server.close();
      this.#server = null;
    });
  }

  recover(url: URL, error: unknown): Promise<boolean> {
    return this.#serial.run(async () => {
      const remote = this.#remote;
      if (!remote || url.origin !== remote || !connectionRefused(error)) return false;
      const state = await readState(this.#p);
      if (!state || issuerAt(state.port) !== remote) return false;
      const served = await this.#serve(state);
      if (served) this.#remote = null;
      return served === remote;
    });
  }

  /** Listens on the stored port; null when something already does. */
  async #serve(state: DemoState): Promise<string | null> {
    const current = this.#server;
    try {
      if (current?.server.port === state.port && current.instance === state.instance) {
        await current.server.resume();
        return current.server.issuer;
      }
      await current?.server.close();
      this.#server = null;
      return (await this.#start(state.instance, state.port)).issuer;
    } catch (error) {
      if (addressInUse(error)) return null;
      throw error;
    }
  }

  /** The first use of this data folder's demo: a port is chosen and stored, under the lock. */
  #create(): Promise<DemoState> {
    return this.#p.lock(async () => {
      const stored = await readState(this.#p);
      if (stored) return stored;
      const instance = newInstanceId();
      const server = await this.#startOnFreePort(instance);
      const state = { port: server.port, instance };
      await writeState(this.#p, state);
      return state;
    });
  }

  /** A sign-in while another program holds the port: a new port, unless one was just chosen. */
  #move(from: DemoState): Promise<string | null> {
    return this.#p.lock(async () => {
      const stored = await readState(this.#p);
      if (stored && stored.port !== from.port) return null;
      await this.#server?.server.close();
      this.#server = null;
      const server = await this.#startOnFreePort(from.instance);
      await writeState(this.#p, { port: server.port, instance: from.instance });
      return server.issuer;
    });
  }

  async #startOnFreePort(instance: string): Promise<DemoServer> {
    for (let i = 0; i < PORT_TRIES; i++) {
      try {
        return await this.#start(instance, randomInt(...PORT_RANGE));
      } catch (error) {
        if (!addressInUse(error)) throw error;
      }
    }
    return this.#start(instance, 0);
  }

  async #start(instance: string, port: number): Promise<DemoServer> {
    const secrets = (this.#secrets ??= await loadSecrets(this.#p));
    this.#adapter ??= persistentAdapter(this.#p, await memoryAdapter());
    const server = await startDemoServer({
      port,
      clients: this.#options.clients,
      ...(this.#options.keepAlive === undefined ? {} : { keepAlive: this.#options.keepAlive }),
      keys: { signingKey: secrets.signingKey, cookieKeys: secrets.cookieKeys },
      adapter: this.#adapter,
      identity: { instance, proofKey: secrets.proofKey },
    });
    this.#server = { server, instance };
    return server;
  }
}
