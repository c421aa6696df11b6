/**
 * The contract's events (shared/ipc.ts EventChannels) as server-sent events (HTML Living
 * Standard §9.2): one `event: <channel>` with a JSON `data:` line each. A new stream starts with
 * the current snapshot, so a page that reconnects misses nothing.
 */
import type { ServerResponse } from 'node:http';
import type { EventChannel, EventChannels } from '../../shared/ipc';
import { BASE_HEADERS } from './renderer-files';

/** A few windows at once is plenty for a development tool; more is refused, not queued. */
const MAX_STREAMS = 8;
/** A comment line now and then keeps idle proxies and the browser from dropping the stream. */
const HEARTBEAT_MS = 20_000;

export class EventStreams {
  readonly #streams = new Set<ServerResponse>();
  #heartbeat: NodeJS.Timeout | null = null;

  /** Opens a stream on `res`, or answers 503 when too many are open. */
  open<C extends EventChannel>(res: ServerResponse, channel: C, first: EventChannels[C]): void {
    if (this.#streams.size >= MAX_STREAMS) {
      res.writeHead(503, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('Too many open preview windows.');
    }
    res.writeHead(200, {
      ...BASE_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
    });
    this.#streams.add(res);
    res.once('close', () => {
      this.#streams.delete(res);
      if (this.#streams.size === 0) this.#stopHeartbeat();
    });
    res.write(frame(channel, first));
    this.#heartbeat ??= setInterval(() => this.#write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
  }

  send<C extends EventChannel>(channel: C, payload: EventChannels[C]): void {
    this.#write(frame(channel, payload));
  }

  closeAll(): void {
    for (const res of this.#streams) res.end();
    this.#streams.clear();
    this.#stopHeartbeat();
  }

  #write(text: string): void {
    for (const res of this.#streams) res.write(text);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }
}

/** JSON has no raw newline, so one data line always carries the whole payload. */
function frame(channel: EventChannel, payload: unknown): string {
  return `event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`;
}
