/**
 * The renderer's only reader of `window.gatehouse` (installed by the preload, or by the
 * browser-test bridge). Without it, as in a plain browser, the preview channel stands in
 * (renderer/src/preview-api.ts). Everything else in the renderer imports from here.
 */
import { API_GLOBAL, type GatehouseApi } from '../../shared/ipc';
import { createPreviewApi } from './preview-api';

declare global {
  interface Window {
    [API_GLOBAL]?: GatehouseApi;
  }
}

let preview: GatehouseApi | null = null;

export function getApi(): GatehouseApi {
  return window[API_GLOBAL] ?? (preview ??= createPreviewApi());
}
