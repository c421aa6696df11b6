/**
 * Sandboxed preload: exposes one narrow object, `window.gatehouse`, whose methods are derived
 * from the IPC contract. It never exposes ipcRenderer or a generic invoke(channel).
 * Bundled to a single CommonJS file because a sandboxed preload cannot require other files.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_EVENTS, API_GLOBAL, API_METHODS, type GatehouseApi } from '../../shared/ipc';

const api: Record<string, unknown> = {};
for (const [method, channel] of Object.entries(API_METHODS)) {
  // Each method is bound to its own fixed channel; the renderer cannot choose the channel.
  api[method] = (args?: unknown) => ipcRenderer.invoke(channel, args);
}
for (const [method, channel] of Object.entries(API_EVENTS)) {
  api[method] = (listener: (payload: unknown) => void) => {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => ipcRenderer.removeListener(channel, wrapped);
  };
}

contextBridge.exposeInMainWorld(API_GLOBAL, Object.freeze(api) as GatehouseApi);
