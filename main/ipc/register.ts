/**
 * The only place that touches ipcMain: registers every request channel of the contract through
 * one wrapper that checks the sender, then hands off to the electron-free dispatcher.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { REQUEST_CHANNELS, type EventChannel, type EventChannels } from '../../shared/ipc';
import { dispatch, type HandlerTable } from './dispatch';
import { isTrustedSender } from './sender';

export function registerIpc(table: HandlerTable, trustedIds: () => ReadonlySet<number>): void {
  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      const trusted = isTrustedSender(
        {
          webContentsId: event.sender.id,
          isMainFrame: frame !== null && frame === event.sender.mainFrame,
          frameUrl: frame?.url ?? null,
        },
        trustedIds(),
      );
      if (!trusted) {
        return {
          ok: false,
          error: {
            code: 'ipc_forbidden_sender',
            message: 'IPC from an unknown frame was refused.',
          },
        };
      }
      return dispatch(table, channel, payload);
    });
  }
}

/** Sends a contract event to a window, if it is still alive. */
export function emitTo<C extends EventChannel>(
  contents: WebContents | null,
  channel: C,
  payload: EventChannels[C],
): void {
  if (contents && !contents.isDestroyed()) contents.send(channel, payload);
}
