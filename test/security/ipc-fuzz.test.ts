/**
 * IPC fuzz: 1,000 malformed payloads per request channel through the real handler table (the
 * same dispatch Electron's ipcMain wrapper calls). Every one must be refused by validation
 * without reaching a handler, and the main side must still answer afterwards.
 * Payloads are invalid by construction (seeded PRNG, reproducible).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { REQUEST_CHANNELS, type RequestChannel } from '../../shared/ipc';
import { createHandlers } from '../../main/ipc/handlers';
import { dispatch, type HandlerTable } from '../../main/ipc/dispatch';
import { buildWorld } from '../support/world';

const PER_CHANNEL = 1000;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The argument keys each channel accepts (undefined: the channel takes no argument). */
const SHAPES: Record<RequestChannel, { key: 'providerId' | 'accountId' } | undefined> = {
  'app:get-info': undefined,
  'providers:list': undefined,
  'providers:reload': undefined,
  'auth:sign-in': { key: 'providerId' },
  'auth:copy-link': { key: 'providerId' },
  'auth:open-browser-again': { key: 'providerId' },
  'auth:cancel': { key: 'providerId' },
  'auth:sign-out': { key: 'accountId' },
  'auth:refresh': { key: 'accountId' },
  'session:list': undefined,
  'profile:list': undefined,
  'profile:unlink': { key: 'accountId' },
  'log:list': undefined,
  'log:export': undefined,
};

function junkValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 12);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return Math.floor(rand() * 1e9) - 5e8;
    case 2:
      return rand() < 0.5;
    case 3:
      return 'x'.repeat(Math.floor(rand() * 5000));
    case 4:
      return [
        '../../etc/passwd',
        'DEMO',
        'demo space',
        '<script>',
        '',
        ' ',
        'a'.repeat(41),
        'demo\u0000',
        'ünï',
      ][Math.floor(rand() * 9)];
    case 5:
      return depth < 3 ? [junkValue(rand, depth + 1), junkValue(rand, depth + 1)] : [];
    case 6:
      return depth < 3 ? { nested: junkValue(rand, depth + 1) } : {};
    case 7:
      return Number.NaN;
    case 8:
      return -0;
    case 9:
      return 1e308 * 10;
    case 10:
      return JSON.parse('{"__proto__":{"polluted":true}}');
    default:
      return { toString: 'x', valueOf: 1 };
  }
}

/** A payload that the channel's schema must refuse. */
function malformed(channel: RequestChannel, rand: () => number): unknown {
  const shape = SHAPES[channel];
  if (!shape) {
    // No-argument channels refuse anything but undefined.
    const v = junkValue(rand);
    return v === undefined ? null : v;
  }
  const kind = Math.floor(rand() * 6);
  const badId = () => {
    const v = junkValue(rand);
    // A string can be valid by chance only if it matches the id pattern; make sure it cannot.
    return typeof v === 'string' ? `${v}!%` : v;
  };
  switch (kind) {
    case 0:
      return junkValue(rand); // not an object at all (or an object without the key)
    case 1:
      return {}; // missing key
    case 2:
      return { [shape.key]: badId() }; // wrong value
    case 3:
      return {
        [shape.key]: shape.key === 'providerId' ? 'demo' : 'demo:alice',
        [`extra${Math.floor(rand() * 100)}`]: junkValue(rand),
      }; // extra key
    case 4:
      return [shape.key, 'demo']; // array in place of object
    default:
      return { [shape.key.toUpperCase()]: 'demo' }; // wrong key case
  }
}

const world = await buildWorld({
  prefix: 'gh-ipcfuzz-',
  browser: async () => {
    throw new Error('the fuzzer must never open a browser');
  },
});
const { core } = world;
afterAll(() => world.dispose());

describe('IPC fuzz', () => {
  const real = createHandlers(core);
  let handlerCalls = 0;
  const counted = Object.fromEntries(
    Object.entries(real).map(([channel, fn]) => [
      channel,
      (args: unknown) => (handlerCalls++, (fn as (a: unknown) => unknown)(args)),
    ]),
  ) as unknown as HandlerTable;

  it.each(REQUEST_CHANNELS)(
    `%s: ${PER_CHANNEL} malformed payloads are all refused`,
    async (channel) => {
      const rand = prng(channel.length * 7919 + channel.charCodeAt(0));
      handlerCalls = 0;
      let refused = 0;
      for (let i = 0; i < PER_CHANNEL; i++) {
        const result = await dispatch(counted, channel, malformed(channel, rand));
        if (!result.ok && result.error.code === 'ipc_invalid_payload') refused++;
      }
      expect(refused).toBe(PER_CHANNEL);
      expect(handlerCalls).toBe(0);
      // The main side still answers.
      const alive = await dispatch(counted, 'session:list', undefined);
      expect(alive).toEqual({ ok: true, value: { accounts: [], pending: [] } });
      console.warn(`ipc fuzz ${channel}: ${refused}/${PER_CHANNEL} refused`);
    },
  );
});
