// Network guard for tests and tools run by tests: any TCP connection to a host other than the
// loopback range is refused before DNS or connect. Loaded by Vitest (setupFiles) and, through
// NODE_OPTIONS=--require, by child processes such as electronegativity (which tries to fetch
// translations and Electron release data from the internet).
'use strict';
const net = require('node:net');

const LOOPBACK =
  /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\]|localhost|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
const original = net.Socket.prototype.connect;
let blocked = 0;

net.Socket.prototype.connect = function guardedConnect(...args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0];
  if (options === null || typeof options !== 'object')
    options = { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
  const isPipe = typeof options.path === 'string';
  const host = options.host ?? 'localhost';
  if (!isPipe && !LOOPBACK.test(String(host))) {
    blocked++;
    const error = Object.assign(
      new Error(`network guard: connection to ${host} refused (tests talk to 127.0.0.1 only)`),
      { code: 'ECONNREFUSED' },
    );
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return original.apply(this, args);
};

module.exports = { blockedConnections: () => blocked };
