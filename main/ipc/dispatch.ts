/**
 * The electron-free half of IPC: look up the channel, validate the payload, run the handler and
 * turn every outcome into a Result. Used by the Electron registration and by the browser-test
 * bridge alike, so both exercise exactly the same table.
 */
import type { ArgsOf, RequestChannel, Result, ResultOf } from '../../shared/ipc';
import { REQUEST_CHANNELS } from '../../shared/ipc';
import { isErrorCode } from '../../shared/errors';
import { argSchemas } from './schemas';

export type HandlerTable = {
  [C in RequestChannel]: (args: ArgsOf<C>) => Promise<ResultOf<C>> | ResultOf<C>;
};

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (REQUEST_CHANNELS as string[]).includes(value);
}

/** Runs one request through validation and its handler; never throws. */
export async function dispatch(
  table: HandlerTable,
  channel: unknown,
  payload: unknown,
): Promise<Result<unknown>> {
  if (!isRequestChannel(channel)) {
    return { ok: false, error: { code: 'ipc_unknown_channel', message: 'Unknown IPC channel.' } };
  }
  const parsed = argSchemas[channel].safeParse(payload);
  if (!parsed.success) {
    // The issue path names the field, never the value: payload values may be hostile or secret.
    const where = parsed.error.issues[0]?.path.join('.') || '(payload)';
    return {
      ok: false,
      error: { code: 'ipc_invalid_payload', message: `Invalid request for ${channel}: ${where}.` },
    };
  }
  try {
    const handler = table[channel] as (args: unknown) => Promise<unknown> | unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
}

/** Keeps code and message of typed errors; anything else becomes a generic internal error. */
export function toErrorInfo(error: unknown): {
  code: import('../../shared/errors').ErrorCode;
  message: string;
} {
  if (error && typeof error === 'object' && 'code' in error && isErrorCode(error.code)) {
    const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
    return { code: error.code, message };
  }
  return { code: 'internal', message: 'Something went wrong inside Gatehouse.' };
}
