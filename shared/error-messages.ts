/**
 * Every engine error code (shared/errors.ts) as a plain sentence and a next step for the person.
 * The Record type makes a missing code a compile error.
 */
import type { ErrorCode } from './errors';

export type NextStep =
  'retry' | 'check-configuration' | 'use-code' | 'sign-in-again' | 'unlock-keychain' | 'none';

export interface FriendlyError {
  sentence: string;
  next: NextStep;
}

export const ERROR_MESSAGES: Record<ErrorCode, FriendlyError> = {
  ipc_invalid_payload: {
    sentence: 'The window sent a request Gatehouse could not accept.',
    next: 'retry',
  },
  ipc_forbidden_sender: {
    sentence: 'A request came from somewhere other than this window and was refused.',
    next: 'none',
  },
  ipc_unknown_channel: {
    sentence: 'The window asked for something Gatehouse does not offer.',
    next: 'none',
  },
  internal: { sentence: 'Something went wrong inside Gatehouse.', next: 'retry' },
  config_invalid: {
    sentence: 'The provider configuration file has a mistake.',
    next: 'check-configuration',
  },
  provider_unknown: { sentence: 'This provider is not configured.', next: 'check-configuration' },
  provider_misconfigured: {
    sentence: 'This provider is not set up correctly.',
    next: 'check-configuration',
  },
  insecure_issuer: {
    sentence: 'The provider address must use https.',
    next: 'check-configuration',
  },
  discovery_failed: {
    sentence: "The provider's sign-in settings could not be read.",
    next: 'retry',
  },
  issuer_mismatch: {
    sentence: 'The provider describes itself as a different server than configured.',
    next: 'check-configuration',
  },
  network_error: {
    sentence: 'The provider could not be reached. Check your connection.',
    next: 'retry',
  },
  timeout: { sentence: 'The provider took too long to answer.', next: 'retry' },
  server_error: { sentence: 'The provider is having problems right now.', next: 'retry' },
  rate_limited: { sentence: 'The provider asked to slow down. Wait a moment.', next: 'retry' },
  invalid_response: {
    sentence:
      'The provider sent an answer Gatehouse could not use. A network login page may be in the way.',
    next: 'retry',
  },
  loopback_bind_failed: {
    sentence: 'Gatehouse could not listen for the reply from your browser.',
    next: 'use-code',
  },
  demo_port_taken: {
    sentence: "Another program is using the demo provider's port on this computer.",
    next: 'sign-in-again',
  },
  browser_open_failed: { sentence: 'Your browser could not be opened.', next: 'retry' },
  sign_in_timeout: { sentence: 'The sign-in was not finished in time.', next: 'retry' },
  cancelled: { sentence: 'The sign-in was cancelled.', next: 'none' },
  superseded: { sentence: 'A newer sign-in replaced this one.', next: 'none' },
  sign_in_link_reused: {
    sentence:
      'Someone else used your sign-in link, so Gatehouse stopped that sign-in and signed out any account it created. Sign in again.',
    next: 'retry',
  },
  access_denied: { sentence: 'The sign-in was declined at the provider.', next: 'retry' },
  authorization_error: { sentence: 'The provider refused the sign-in request.', next: 'retry' },
  issuer_response_mismatch: {
    sentence: 'The reply came from a different provider than expected.',
    next: 'retry',
  },
  redirect_uri_rejected: {
    sentence:
      "The provider does not accept Gatehouse's redirect address. Register it at the provider.",
    next: 'check-configuration',
  },
  token_exchange_failed: { sentence: 'The sign-in could not be completed.', next: 'retry' },
  invalid_client: {
    sentence: "The provider does not accept this app's registration.",
    next: 'check-configuration',
  },
  invalid_grant: { sentence: 'The sign-in code expired or was already used.', next: 'retry' },
  id_token_invalid: {
    sentence: "The provider's proof of identity did not check out, so the sign-in was refused.",
    next: 'retry',
  },
  userinfo_failed: { sentence: 'Your profile could not be read from the provider.', next: 'retry' },
  userinfo_sub_mismatch: {
    sentence: 'The provider returned a profile for someone else, so the sign-in was refused.',
    next: 'retry',
  },
  session_expired: { sentence: 'The session has ended.', next: 'sign-in-again' },
  refresh_failed: { sentence: 'The session could not be renewed.', next: 'retry' },
  refresh_identity_changed: {
    sentence: 'The provider renewed the session for a different identity.',
    next: 'sign-in-again',
  },
  revocation_failed: {
    sentence: 'Signed out here, but the provider could not be told.',
    next: 'none',
  },
  account_unknown: { sentence: 'That account is no longer signed in.', next: 'none' },
  account_busy: {
    sentence: 'Another Gatehouse process is busy with this account.',
    next: 'retry',
  },
  link_same_provider: {
    sentence: 'An identity can only be linked to an account of another provider.',
    next: 'none',
  },
  account_binding_changed: {
    sentence:
      "This account's provider settings changed since it signed in (another server or app registration), so nothing was sent to the provider.",
    next: 'sign-in-again',
  },
  account_id_too_long: {
    sentence:
      'The provider identifies this account with an id longer than Gatehouse can keep (1,024 bytes).',
    next: 'none',
  },
  device_flow_unsupported: {
    sentence: 'This provider does not offer sign-in with a code.',
    next: 'retry',
  },
  device_flow_disabled: {
    sentence: 'Sign-in with a code is not enabled for this app at the provider.',
    next: 'check-configuration',
  },
  device_code_expired: { sentence: 'The code expired before it was entered.', next: 'use-code' },
  keychain_unavailable: {
    sentence: 'The system keychain is not available, so sessions are not remembered.',
    next: 'unlock-keychain',
  },
  keychain_locked: { sentence: 'The system keychain is locked.', next: 'unlock-keychain' },
  keychain_denied: {
    sentence: 'Gatehouse was refused access to the system keychain.',
    next: 'unlock-keychain',
  },
  keychain_corrupt: {
    sentence: 'A saved session in the keychain is damaged.',
    next: 'sign-in-again',
  },
  keychain_write_failed: {
    sentence: 'The session could not be saved in the keychain.',
    next: 'unlock-keychain',
  },
};

export const NEXT_STEP_TEXT: Record<NextStep, string> = {
  retry: 'Try again.',
  'check-configuration': 'Check the provider configuration in Settings.',
  'use-code': 'Try signing in with a code instead, if the provider offers it.',
  'sign-in-again': 'Sign in again.',
  'unlock-keychain': 'Unlock or set up your system keychain, then try again.',
  none: '',
};
