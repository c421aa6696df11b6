/**
 * The IPC contract: the single source of truth for every channel between main and renderer.
 * Main validates each payload at run time (main/ipc/schemas.ts is type-checked against this);
 * the preload derives `window.gatehouse` from API_METHODS; the renderer reads only that object.
 */
import type { AppInfo } from './app-info';
import type { ErrorInfo } from './errors';
import type { LogEntry } from './log';
import type { ProfileSnapshot, ProviderInfo, SessionsSnapshot } from './session';
import type { SignOutOutcome } from './sign-out';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface ProvidersList {
  providers: ProviderInfo[];
  /** A configuration file that could not be read: the app still runs and shows this. */
  configError: { file: string; message: string } | null;
  configPath: string;
}

/** Request channels: renderer → main, each with its argument and result type. */
export interface RequestChannels {
  'app:get-info': { args: void; result: AppInfo };
  'providers:list': { args: void; result: ProvidersList };
  'providers:reload': { args: void; result: ProvidersList };
  'auth:sign-in': {
    /** linkTo: an accountId of another provider whose local profile the new identity joins. */
    args: { providerId: string; method?: 'browser' | 'device'; linkTo?: string };
    result: { attemptId: string };
  };
  /** Starts a fresh attempt (new state and PKCE) without opening a browser; returns its link. */
  'auth:copy-link': { args: { providerId: string }; result: { attemptId: string; url: string } };
  'auth:open-browser-again': { args: { providerId: string }; result: void };
  'auth:cancel': { args: { providerId: string }; result: void };
  /** The tokens are forgotten locally in every case; the outcome says what the provider did. */
  'auth:sign-out': { args: { accountId: string }; result: SignOutOutcome };
  'auth:refresh': { args: { accountId: string }; result: void };
  'session:list': { args: void; result: SessionsSnapshot };
  'profile:list': { args: void; result: ProfileSnapshot[] };
  'profile:unlink': { args: { accountId: string }; result: void };
  'log:list': { args: void; result: LogEntry[] };
  'log:export': { args: void; result: { json: string } };
}

/** Event channels: main → renderer. */
export interface EventChannels {
  'session:changed': SessionsSnapshot;
}

export type RequestChannel = keyof RequestChannels;
export type EventChannel = keyof EventChannels;
export type ArgsOf<C extends RequestChannel> = RequestChannels[C]['args'];
export type ResultOf<C extends RequestChannel> = RequestChannels[C]['result'];

/** The method names of `window.gatehouse`, each bound to exactly one request channel. */
export const API_METHODS = {
  getAppInfo: 'app:get-info',
  listProviders: 'providers:list',
  reloadProviders: 'providers:reload',
  signIn: 'auth:sign-in',
  copySignInLink: 'auth:copy-link',
  openBrowserAgain: 'auth:open-browser-again',
  cancelSignIn: 'auth:cancel',
  signOut: 'auth:sign-out',
  refresh: 'auth:refresh',
  listSessions: 'session:list',
  listProfiles: 'profile:list',
  unlinkAccount: 'profile:unlink',
  listLog: 'log:list',
  exportLog: 'log:export',
} as const satisfies Record<string, RequestChannel>;

/** The listener names of `window.gatehouse`, each bound to one event channel. */
export const API_EVENTS = {
  onSessionChanged: 'session:changed',
} as const satisfies Record<string, EventChannel>;

export const REQUEST_CHANNELS = Object.values(API_METHODS) as RequestChannel[];

type MethodFor<C extends RequestChannel> =
  ArgsOf<C> extends void
    ? () => Promise<Result<ResultOf<C>>>
    : (args: ArgsOf<C>) => Promise<Result<ResultOf<C>>>;

/** The object the preload exposes as `window.gatehouse`. */
export type GatehouseApi = {
  [M in keyof typeof API_METHODS]: MethodFor<(typeof API_METHODS)[M]>;
} & {
  [E in keyof typeof API_EVENTS]: (
    listener: (payload: EventChannels[(typeof API_EVENTS)[E]]) => void,
  ) => () => void;
};

/** The global name the preload (and the browser-test bridge) installs the API under. */
export const API_GLOBAL = 'gatehouse';
