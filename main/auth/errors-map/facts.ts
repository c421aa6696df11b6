/**
 * What the mapping rows look at: the codes, names and properties found along an error's cause
 * chain (openid-client's ClientError → oauth4webapi's error → its details; fetch's TypeError →
 * the socket error). Never the message text, which a library may reword in any release.
 */
import type { ErrorCode } from '../../../shared/errors';
import { GatehouseError } from '../../ports/errors';

export type Phase = 'discovery' | 'exchange' | 'userinfo' | 'refresh' | 'revoke' | 'device';

export const PHASE_TEXT: Record<Phase, string> = {
  discovery: "reading the provider's configuration",
  exchange: 'finishing the sign-in',
  userinfo: 'reading your profile',
  refresh: 'renewing the session',
  revoke: 'signing out at the provider',
  device: 'waiting for the code to be entered',
};

export interface Facts {
  readonly error: unknown;
  readonly phase: Phase;
  /** Every string `code` along the chain, outermost first (OAUTH_*, ERR_*, ECONNREFUSED, …). */
  readonly codes: readonly string[];
  /** Every `name` along the chain (TimeoutError, AbortError, JWTExpired, …). */
  readonly names: readonly string[];
  /** The first HTTP status along the chain (the error's own, or its Response's). */
  readonly status: number | undefined;
  /** The OAuth `error` code the server sent (RFC 6749 §5.2), if any. */
  readonly oauthError: string | undefined;
  /** The first of each detail property oauth4webapi or jose attaches below the error. */
  readonly detail: Detail;
}

export interface Detail {
  claim?: unknown;
  attribute?: unknown;
  parameters?: URLSearchParams;
  body?: Record<string, unknown>;
  claims?: unknown;
  header?: unknown;
  /** Whether a detail object carried an `expected` key, and its value. */
  expected?: { value: unknown };
  /** A bare string detail: oauth4webapi attaches the JWT itself when it is malformed. */
  jwt?: string;
}

/** A code and a sentence safe to show: never the server's own words. */
export type Outcome = readonly [ErrorCode, string];

/** One row of the mapping table: the first row whose `when` holds decides. */
export interface Row {
  readonly name: string;
  readonly when: (facts: Facts) => boolean;
  readonly then: (facts: Facts) => Outcome;
}

const DEPTH = 6;

/** Reads the chain once; a GatehouseError anywhere in it was already mapped and wins. */
export function collectFacts(error: unknown, phase: Phase): Facts | GatehouseError {
  const codes: string[] = [];
  const names: string[] = [];
  const detail: Detail = {};
  let status: number | undefined;
  let oauthError: string | undefined;
  let node: unknown = error;
  for (let depth = 0; depth < DEPTH && node !== undefined && node !== null; depth++) {
    if (node instanceof GatehouseError) return node;
    if (typeof node === 'string') {
      detail.jwt ??= node;
      break;
    }
    if (typeof node !== 'object') break;
    const at = node as Record<string, unknown>;
    if (typeof at.code === 'string') codes.push(at.code);
    if (typeof at.name === 'string') names.push(at.name);
    // Node's happy-eyeballs connect reports each address's failure in an AggregateError.
    if (Array.isArray(at.errors))
      for (const each of at.errors as { code?: unknown }[])
        if (typeof each?.code === 'string') codes.push(each.code);
    if (typeof at.status === 'number') status ??= at.status;
    if (!(node instanceof URLSearchParams) && typeof at.error === 'string') oauthError ??= at.error;
    if (!(node instanceof Response) && !(node instanceof URLSearchParams)) readDetail(at, detail);
    node = at.cause;
  }
  return { error, phase, codes, names, status, oauthError, detail };
}

function readDetail(at: Record<string, unknown>, detail: Detail): void {
  if ('claim' in at) detail.claim ??= at.claim;
  if ('attribute' in at) detail.attribute ??= at.attribute;
  if (at.parameters instanceof URLSearchParams) detail.parameters ??= at.parameters;
  if (isRecord(at.body)) detail.body ??= at.body;
  if ('claims' in at) detail.claims ??= at.claims;
  if ('header' in at) detail.header ??= at.header;
  if ('expected' in at) detail.expected ??= { value: at.expected };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The outermost OAUTH_* code: openid-client's ClientError copies oauth4webapi's. */
export function oauthCode(facts: Facts): string | undefined {
  return facts.codes.find((code) => code.startsWith('OAUTH_'));
}
