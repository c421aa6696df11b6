/**
 * Every error code Gatehouse can report: one closed union, shared by main and renderer so the
 * window can map each one to a plain sentence. Main throws main/ports/errors.ts GatehouseError
 * carrying one of these; over IPC they travel as `{ code, message }` (thrown errors lose
 * everything but the message).
 */
export const ERROR_CODES = [
  // IPC boundary
  'ipc_invalid_payload',
  'ipc_forbidden_sender',
  'ipc_unknown_channel',
  'internal',
  // configuration
  'config_invalid',
  'provider_unknown',
  'provider_misconfigured',
  'insecure_issuer',
  // discovery and transport
  'discovery_failed',
  'issuer_mismatch',
  'network_error',
  'timeout',
  'server_error',
  'rate_limited',
  'invalid_response',
  // loopback and browser
  'loopback_bind_failed',
  'demo_port_taken',
  'browser_open_failed',
  'sign_in_timeout',
  'cancelled',
  'superseded',
  'sign_in_link_reused',
  // authorization response
  'access_denied',
  'authorization_error',
  'issuer_response_mismatch',
  'redirect_uri_rejected',
  // token exchange and validation
  'token_exchange_failed',
  'invalid_client',
  'invalid_grant',
  'id_token_invalid',
  'userinfo_failed',
  'userinfo_sub_mismatch',
  // session lifetime
  'session_expired',
  'refresh_failed',
  'refresh_identity_changed',
  'revocation_failed',
  'account_unknown',
  'account_busy',
  'link_same_provider',
  'account_binding_changed',
  'account_id_too_long',
  // device flow (RFC 8628)
  'device_flow_unsupported',
  'device_flow_disabled',
  'device_code_expired',
  // keychain
  'keychain_unavailable',
  'keychain_locked',
  'keychain_denied',
  'keychain_corrupt',
  'keychain_write_failed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The shape an error takes whenever it crosses a boundary (IPC, CLI JSON, sign-in log). */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
