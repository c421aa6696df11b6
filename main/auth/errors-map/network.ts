/**
 * Transport failures, by the socket's or undici's `code` under fetch's TypeError and by the
 * abort reason's `name` (DOMException TimeoutError / AbortError), never by message text.
 * main/auth/http.ts uses these rows for every request; the mapper uses them for the rest.
 */
import { collectFacts, type Facts, type Outcome, type Row } from './facts';

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'OAUTH_TIMEOUT',
]);
const ABORT_CODES = new Set(['UND_ERR_ABORTED', 'ABORT_ERR', 'OAUTH_ABORT']);
const NOT_FOUND_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA']);
const DROPPED_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const UNREACHABLE_CODES = new Set([
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
]);
// OpenSSL's verify codes (X509_V_ERR_* without the prefix) and Node's TLS codes.
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

const has = (set: ReadonlySet<string>) => (facts: Facts) => facts.codes.some((c) => set.has(c));
const named = (name: string) => (facts: Facts) => facts.names.includes(name);
const either =
  (...tests: ((facts: Facts) => boolean)[]) =>
  (facts: Facts) =>
    tests.some((test) => test(facts));
const isTls = (facts: Facts) =>
  facts.codes.some((c) => TLS_CODES.has(c) || /^(CERT_|ERR_TLS_|ERR_SSL_|ERR_OSSL_)/.test(c));
// Any other errno-style code (EACCES, ENOBUFS, …) or undici code is still the network.
const isOtherNetwork = (facts: Facts) =>
  facts.codes.some((c) => /^E[A-Z]+$/.test(c) || c.startsWith('UND_ERR_'));

const reached = (why: string): Outcome => [
  'network_error',
  `The provider could not be reached (${why}).`,
];

export const NETWORK_ROWS: readonly Row[] = [
  {
    name: 'timeout',
    when: either(has(TIMEOUT_CODES), named('TimeoutError')),
    then: () => ['timeout', 'The provider did not answer in time.'],
  },
  {
    name: 'aborted',
    when: either(has(ABORT_CODES), named('AbortError')),
    then: () => ['cancelled', 'The request was cancelled.'],
  },
  {
    name: 'connection refused',
    when: has(new Set(['ECONNREFUSED'])),
    then: () => reached('the connection was refused'),
  },
  {
    name: 'host not found',
    when: has(NOT_FOUND_CODES),
    then: () => reached('its name was not found'),
  },
  {
    name: 'connection dropped',
    when: has(DROPPED_CODES),
    then: () => reached('the connection was dropped'),
  },
  {
    name: 'no route',
    when: has(UNREACHABLE_CODES),
    then: () => reached('no route to it from this network'),
  },
  {
    name: 'secure connection failed',
    when: isTls,
    then: () => [
      'network_error',
      'A secure connection to the provider could not be made (its certificate or its TLS).',
    ],
  },
  {
    name: 'other network failure',
    when: isOtherNetwork,
    then: () => ['network_error', 'The provider could not be reached.'],
  },
];

/** The transport outcome of a failed fetch, or null when nothing in it names the network. */
export function networkOutcome(error: unknown): Outcome | null {
  const facts = collectFacts(error, 'exchange');
  if (!('codes' in facts)) return [facts.code, facts.message];
  return NETWORK_ROWS.find((row) => row.when(facts))?.then(facts) ?? null;
}
