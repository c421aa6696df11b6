/**
 * Transport failures, by the socket's or undici's `code` under fetch's TypeError and by the
 * abort reason's `name` (DOMException TimeoutError / AbortError), never by message text.
 * main/auth/http.ts uses these rows for every request, naming the host; the mapper uses them
 * for the rest.
 */
import { collectFacts, type Facts, type Outcome, type Row } from './facts';

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'OAUTH_TIMEOUT',
  // Chromium's net errors, from Electron's net.fetch (app/provider-session.ts names them).
  'net::ERR_TIMED_OUT',
  'net::ERR_CONNECTION_TIMED_OUT',
]);
const ABORT_CODES = new Set(['UND_ERR_ABORTED', 'ABORT_ERR', 'OAUTH_ABORT']);
const NOT_FOUND_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'net::ERR_NAME_NOT_RESOLVED',
]);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'net::ERR_CONNECTION_REFUSED']);
const DROPPED_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'net::ERR_CONNECTION_RESET',
  'net::ERR_CONNECTION_CLOSED',
  'net::ERR_EMPTY_RESPONSE',
]);
const UNREACHABLE_CODES = new Set([
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'net::ERR_INTERNET_DISCONNECTED',
  'net::ERR_ADDRESS_UNREACHABLE',
  'net::ERR_NETWORK_CHANGED',
]);
// OpenSSL's verify codes (X509_V_ERR_* without the prefix) and Node's TLS codes.
const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'net::ERR_CERT_AUTHORITY_INVALID',
  'net::ERR_CERT_REVOKED',
  'net::ERR_CERT_INVALID',
]);
const OTHER_TLS_CODES = new Set(['HOSTNAME_MISMATCH', 'EPROTO']);
const TLS_PREFIX = /^(CERT_|ERR_TLS_|ERR_SSL_|ERR_OSSL_|net::ERR_CERT_|net::ERR_SSL_)/;

const has = (set: ReadonlySet<string>) => (facts: Facts) => facts.codes.some((c) => set.has(c));
const named = (name: string) => (facts: Facts) => facts.names.includes(name);
const either =
  (...tests: ((facts: Facts) => boolean)[]) =>
  (facts: Facts) =>
    tests.some((test) => test(facts));
const isTlsCode = (c: string) =>
  UNTRUSTED_CODES.has(c) || OTHER_TLS_CODES.has(c) || TLS_PREFIX.test(c);
// Any other errno-style code (EACCES, ENOBUFS, …), undici or Chromium net code is the network.
const isOtherCode = (c: string) =>
  /^E[A-Z]+$/.test(c) || c.startsWith('UND_ERR_') || c.startsWith('net::ERR_');
/** The first code the test matched, shown in brackets: codes are never secret. */
const codeOf = (facts: Facts, test: (c: string) => boolean) => {
  const code = facts.codes.find(test);
  return code ? ` (${code})` : '';
};
const within = (set: ReadonlySet<string>) => (c: string) => set.has(c);

/** What went wrong with the certificate or the handshake, as a clause. */
function tlsCause(facts: Facts): string {
  const code = facts.codes.find(isTlsCode) ?? '';
  if (UNTRUSTED_CODES.has(code)) return `the TLS certificate is not trusted (${code})`;
  if (
    code === 'CERT_HAS_EXPIRED' ||
    code === 'CERT_NOT_YET_VALID' ||
    code === 'net::ERR_CERT_DATE_INVALID'
  )
    return `the TLS certificate is outside its validity dates (${code})`;
  if (
    code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
    code === 'HOSTNAME_MISMATCH' ||
    code === 'net::ERR_CERT_COMMON_NAME_INVALID'
  )
    return `the TLS certificate is for another name (${code})`;
  return `no secure (TLS) connection could be made (${code})`;
}

/** "Could not reach idp.example: the TLS certificate is not trusted (…)." */
const reachSentence = (host: string, because: string) => `Could not reach ${host}: ${because}.`;
export const timeoutSentence = (host?: string): string =>
  `${host ?? 'The provider'} did not answer in time.`;

interface NetworkRow extends Row {
  /** The same outcome, in a sentence that names the host. */
  readonly at: (host: string, facts: Facts) => Outcome;
}

function reachRow(
  name: string,
  when: (facts: Facts) => boolean,
  because: (facts: Facts) => string,
): NetworkRow {
  return {
    name,
    when,
    then: (facts) => ['network_error', `The provider could not be reached (${because(facts)}).`],
    at: (host, facts) => ['network_error', reachSentence(host, because(facts))],
  };
}

const ROWS: readonly NetworkRow[] = [
  {
    name: 'timeout',
    when: either(has(TIMEOUT_CODES), named('TimeoutError')),
    then: () => ['timeout', timeoutSentence()],
    at: (host) => ['timeout', timeoutSentence(host)],
  },
  {
    name: 'aborted',
    when: either(has(ABORT_CODES), named('AbortError')),
    then: () => ['cancelled', 'The request was cancelled.'],
    at: () => ['cancelled', 'The request was cancelled.'],
  },
  reachRow(
    'connection refused',
    has(REFUSED_CODES),
    (f) => `the connection was refused${codeOf(f, within(REFUSED_CODES))}`,
  ),
  reachRow(
    'host not found',
    has(NOT_FOUND_CODES),
    (f) => `its name was not found in DNS${codeOf(f, within(NOT_FOUND_CODES))}`,
  ),
  reachRow(
    'connection dropped',
    has(DROPPED_CODES),
    (f) => `the connection was reset or dropped${codeOf(f, within(DROPPED_CODES))}`,
  ),
  reachRow(
    'no route',
    has(UNREACHABLE_CODES),
    (f) => `no route to it from this network${codeOf(f, within(UNREACHABLE_CODES))}`,
  ),
  {
    name: 'secure connection failed',
    when: (facts) => facts.codes.some(isTlsCode),
    then: (facts) => [
      'network_error',
      `A secure connection to the provider could not be made: ${tlsCause(facts)}.`,
    ],
    at: (host, facts) => ['network_error', reachSentence(host, tlsCause(facts))],
  },
  {
    name: 'other network failure',
    when: (facts) => facts.codes.some(isOtherCode),
    then: () => ['network_error', 'The provider could not be reached.'],
    at: (host, facts) => [
      'network_error',
      reachSentence(host, `a network error${codeOf(facts, isOtherCode)}`),
    ],
  },
];

export const NETWORK_ROWS: readonly Row[] = ROWS;

/**
 * The transport outcome of a failed fetch, or null when nothing in it names the network. With
 * `host` (never a full URL: a query may hold a secret) the sentence names it and the cause.
 */
export function networkOutcome(error: unknown, host?: string): Outcome | null {
  const facts = collectFacts(error, 'exchange');
  if (!('codes' in facts)) return [facts.code, facts.message];
  const row = ROWS.find((each) => each.when(facts));
  if (!row) return null;
  return host ? row.at(host, facts) : row.then(facts);
}

/** The certificate's own failure code in a failed fetch (not a handshake or protocol one). */
export function untrustedCertificateCode(error: unknown): string | null {
  const facts = collectFacts(error, 'exchange');
  if (!('codes' in facts)) return null;
  return facts.codes.find((c) => UNTRUSTED_CODES.has(c) || c.startsWith('CERT_')) ?? null;
}
