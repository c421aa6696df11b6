// Secret recorder for the post-suite secret scan (scripts/secret-scan.mjs). Loaded into every
// Node process of `npm test` through NODE_OPTIONS=--require, it wraps fetch and writes down every
// credential that crosses it: codes, PKCE verifiers, client secrets, device codes and every token
// an identity provider returns. The scan then proves none of them reached the data folders, logs,
// renderer payloads or screenshot text. It records only when GATEHOUSE_SECRET_LOG is set.
'use strict';
const fs = require('node:fs');

const file = process.env.GATEHOUSE_SECRET_LOG;
const KEYS = new Set([
  'code',
  'code_verifier',
  'client_secret',
  'refresh_token',
  'access_token',
  'id_token',
  'device_code',
  'token',
]);
// Short values (test user names, "any") would make the scan match ordinary words.
const MIN_LENGTH = 10;

function record(value) {
  if (typeof value !== 'string' || value.length < MIN_LENGTH) return;
  try {
    fs.appendFileSync(file, `${value}\n`);
  } catch {
    // The scan fails on its own if nothing was recorded; never break the test for this.
  }
}

function fromObject(obj, depth = 0) {
  if (!obj || typeof obj !== 'object' || depth > 3) return;
  for (const [key, value] of Object.entries(obj)) {
    if (KEYS.has(key)) record(value);
    else if (value && typeof value === 'object') fromObject(value, depth + 1);
  }
}

function fromBody(body) {
  if (typeof body !== 'string' && !(body instanceof URLSearchParams)) return;
  const text = String(body);
  if (text.trimStart().startsWith('{')) {
    try {
      return fromObject(JSON.parse(text));
    } catch {
      return;
    }
  }
  for (const [key, value] of new URLSearchParams(text)) if (KEYS.has(key)) record(value);
}

function fromHeaders(headers) {
  const h = new Headers(headers ?? {});
  const auth = h.get('authorization') ?? '';
  if (/^bearer /i.test(auth)) record(auth.slice(7).trim());
  if (/^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString();
    const colon = decoded.indexOf(':');
    if (colon >= 0) record(decodeURIComponent(decoded.slice(colon + 1)));
  }
  record(h.get('x-client-secret') ?? '');
}

if (file && typeof globalThis.fetch === 'function' && !globalThis.fetch.__secretRecorder) {
  const original = globalThis.fetch;
  const wrapped = async function recordingFetch(input, init) {
    try {
      if (input instanceof Request) fromHeaders(input.headers);
      fromHeaders(init?.headers);
      fromBody(init?.body);
    } catch {
      // recording must never change what the request does
    }
    const response = await original.call(this, input, init);
    // Read a copy in the background: the caller's own timing and errors stay exactly as they were.
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json'))
      response
        .clone()
        .json()
        .then(fromObject, () => undefined);
    else if (type.includes('x-www-form-urlencoded'))
      response
        .clone()
        .text()
        .then(fromBody, () => undefined);
    return response;
  };
  wrapped.__secretRecorder = true;
  globalThis.fetch = wrapped;
}
